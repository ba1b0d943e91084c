//! The JSON shapes of the job monitor's figures, shared by `lookout jobs check --json`
//! and `GET /api/v1/jobs`, so a script reads one schema (docs/JOBS.md).

use std::time::Duration;

use serde::Serialize;

use crate::view::jobs::{Census, JobAction, Outcome, PassReport, Remedy};
use crate::words::rfc3339;

/// One stuck row and what was (or would be) done.
#[derive(Debug, Serialize)]
pub struct RowJson<'a> {
    pub id: &'a str,
    pub state: &'static str,
    pub age_seconds: f64,
    pub attempts: Option<i64>,
    pub action: &'static str,
    pub outcome: &'static str,
}

impl<'a> RowJson<'a> {
    pub fn of(action: &'a JobAction) -> Self {
        Self {
            id: &action.row.id,
            state: action.row.phase.as_str(),
            age_seconds: action.row.age.as_secs_f64(),
            attempts: action.row.attempts,
            action: action.remedy.as_str(),
            outcome: match action.outcome {
                Outcome::Done => "done",
                Outcome::Raced => "raced",
                Outcome::Skipped => "skipped",
            },
        }
    }
}

/// Rows per state and the oldest ages.
#[derive(Debug, Serialize)]
pub struct CountsJson {
    pub pending: u64,
    pub claimed: u64,
    pub processing: u64,
    pub completed: u64,
    pub failed: u64,
    pub other: u64,
    pub oldest_claimed_seconds: Option<f64>,
    pub oldest_processing_seconds: Option<f64>,
}

impl CountsJson {
    pub fn of(c: &Census) -> Self {
        Self {
            pending: c.pending,
            claimed: c.claimed,
            processing: c.processing,
            completed: c.completed,
            failed: c.failed,
            other: c.other,
            oldest_claimed_seconds: c.oldest_claimed.map(|d| d.as_secs_f64()),
            oldest_processing_seconds: c.oldest_processing.map(|d| d.as_secs_f64()),
        }
    }
}

/// One pass: when, how long, what it did to which rows.
#[derive(Debug, Serialize)]
pub struct PassJson<'a> {
    pub pass: u64,
    pub at: String,
    pub took_ms: u64,
    pub dry_run: bool,
    pub more: bool,
    pub requeued: u64,
    pub retried: u64,
    pub failed: u64,
    pub raced: u64,
    pub stuck: Vec<RowJson<'a>>,
}

impl<'a> PassJson<'a> {
    pub fn of(pass: &'a PassReport) -> Self {
        Self {
            pass: pass.sequence,
            at: rfc3339(pass.at),
            took_ms: millis(pass.took),
            dry_run: pass.dry_run,
            more: pass.more,
            requeued: pass.count(Remedy::Requeue),
            retried: pass.count(Remedy::Retry),
            failed: pass.count(Remedy::Fail),
            raced: pass.raced(),
            stuck: pass.actions.iter().map(RowJson::of).collect(),
        }
    }
}

/// Whole milliseconds, saturating.
pub fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
