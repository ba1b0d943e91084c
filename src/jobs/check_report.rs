//! What `lookout jobs check` prints: the round's role, what the pass did to which rows,
//! and the counts per state; as text for people or JSON for scripts.

use std::fmt::Write as _;
use std::time::Duration;

use serde::Serialize;

use super::cycle::Round;
use super::json::{CountsJson, PassJson};
use crate::config::JobsConfig;
use crate::view::jobs::{Outcome, Remedy};

/// Whole seconds, as "7m 12s" (sub-second ages as "0s").
fn age(d: Duration) -> String {
    humantime::format_duration(Duration::from_secs(d.as_secs())).to_string()
}

/// The role line: what this run could do.
fn role_line(round: &Round, config: &JobsConfig) -> String {
    let place = format!("{} in {}", config.table, config.database);
    match round.role {
        crate::view::jobs::Role::Rescuer => format!("{place}: rescuing"),
        crate::view::jobs::Role::DryRun => format!("{place}: dry run, nothing is changed"),
        crate::view::jobs::Role::Watcher => format!(
            "{place}: another lookout holds this table's lock and rescues it; nothing is changed"
        ),
    }
}

/// The report for people.
pub fn text(round: &Round, config: &JobsConfig) -> String {
    let mut out = String::new();
    let pass = &round.pass;
    let _ = writeln!(out, "{}", role_line(round, config));
    let _ = writeln!(
        out,
        "pass at {} took {} ms: {} stuck (claimed over {}, processing over {})",
        humantime::format_rfc3339_seconds(pass.at),
        pass.took.as_millis(),
        pass.actions.len(),
        humantime::format_duration(config.claimed_timeout),
        humantime::format_duration(config.processing_timeout),
    );
    if !pass.actions.is_empty() {
        let _ = writeln!(
            out,
            "  {:<20} {:<11} {:>10} {:>8}  ACTION",
            "ID", "STATE", "AGE", "ATTEMPTS"
        );
        for action in &pass.actions {
            let attempts = action
                .row
                .attempts
                .map_or("-".to_string(), |a| a.to_string());
            let done = match action.outcome {
                Outcome::Done => action.remedy.as_str().to_string(),
                Outcome::Raced => "left alone: a worker moved it first".to_string(),
                Outcome::Skipped => format!("would be {}", action.remedy.as_str()),
            };
            let _ = writeln!(
                out,
                "  {:<20} {:<11} {:>10} {:>8}  {done}",
                action.row.id,
                action.row.phase.as_str(),
                age(action.row.age),
                attempts,
            );
        }
    }
    if pass.more {
        let _ = writeln!(out, "more stuck rows are left for the next pass");
    }
    let _ = writeln!(
        out,
        "done: {} requeued, {} retried, {} failed, {} raced",
        pass.count(Remedy::Requeue),
        pass.count(Remedy::Retry),
        pass.count(Remedy::Fail),
        pass.raced(),
    );
    let c = &round.census;
    let _ = write!(
        out,
        "rows: {} pending, {} claimed, {} processing, {} completed, {} failed",
        c.pending, c.claimed, c.processing, c.completed, c.failed
    );
    if c.other > 0 {
        let _ = write!(out, ", {} in other states", c.other);
    }
    out.push('\n');
    let oldest = |d: Option<Duration>| d.map_or("none".to_string(), age);
    let _ = writeln!(
        out,
        "oldest claimed: {}, oldest processing: {}",
        oldest(c.oldest_claimed),
        oldest(c.oldest_processing)
    );
    out
}

/// `jobs check --json`: the round's role and table, its pass, and the counts.
#[derive(Serialize)]
struct JsonReport<'a> {
    table: &'a str,
    database: String,
    role: &'static str,
    #[serde(flatten)]
    pass: PassJson<'a>,
    counts: CountsJson,
}

/// The report for scripts (schema in docs/JOBS.md).
pub fn json(round: &Round, config: &JobsConfig) -> serde_json::Result<String> {
    let report = JsonReport {
        table: &config.table,
        database: config.database.to_string(),
        role: round.role.as_str(),
        pass: PassJson::of(&round.pass),
        counts: CountsJson::of(&round.census),
    };
    serde_json::to_string_pretty(&report)
}

#[cfg(test)]
mod tests {
    use std::time::UNIX_EPOCH;

    use super::*;
    use crate::config::JobsDatabase;
    use crate::view::jobs::{Census, JobAction, PassReport, Phase, Role, StuckRow};

    fn round(role: Role, outcome: Outcome) -> (Round, JobsConfig) {
        let config = JobsConfig::new(
            JobsDatabase::Postgres {
                url: "postgres://app:hunter2@db.internal/app".into(),
            },
            "queue.jobs",
        );
        let row = |id: &str, phase, secs: u64, remedy| JobAction {
            row: StuckRow {
                id: id.into(),
                phase,
                age: Duration::from_millis(secs * 1000 + 400u64),
                attempts: Some(2),
            },
            remedy,
            outcome,
        };
        let pass = PassReport {
            sequence: 1,
            at: UNIX_EPOCH + Duration::from_secs(1_795_000_000),
            took: Duration::from_millis(12),
            dry_run: outcome == Outcome::Skipped,
            actions: vec![
                row("41", Phase::Claimed, 432, Remedy::Requeue),
                row("97", Phase::Processing, 905, Remedy::Fail),
            ],
            more: false,
        };
        let census = Census {
            pending: 120,
            claimed: 3,
            processing: 8,
            completed: 90_000,
            failed: 41,
            other: 0,
            oldest_claimed: Some(Duration::from_secs(12)),
            oldest_processing: None,
            took: Duration::from_millis(4),
        };
        (Round { role, pass, census }, config)
    }

    #[test]
    fn text_lists_each_row_and_what_was_done_without_the_password() {
        let (round, config) = round(Role::Rescuer, Outcome::Done);
        let text = text(&round, &config);
        assert!(!text.contains("hunter2"), "{text}");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[0],
            "queue.jobs in postgres://app:***@db.internal/app: rescuing"
        );
        assert!(lines[1].ends_with("took 12 ms: 2 stuck (claimed over 5m, processing over 10m)"));
        assert!(
            lines[3].starts_with("  41 ") && lines[3].ends_with("7m 12s        2  requeued"),
            "{}",
            lines[3]
        );
        assert!(
            lines[4].ends_with("15m 5s        2  failed"),
            "{}",
            lines[4]
        );
        assert_eq!(lines[5], "done: 1 requeued, 0 retried, 1 failed, 0 raced");
        assert_eq!(
            lines[6],
            "rows: 120 pending, 3 claimed, 8 processing, 90000 completed, 41 failed"
        );
        assert_eq!(lines[7], "oldest claimed: 12s, oldest processing: none");
    }

    #[test]
    fn a_dry_run_and_a_watcher_say_nothing_changes() {
        let (round, config) = round(Role::DryRun, Outcome::Skipped);
        let text = text(&round, &config);
        assert!(text.contains("dry run, nothing is changed"));
        assert!(text.contains("would be requeued") && text.contains("would be failed"));
        let (round, config) = round_watcher();
        assert!(text_of(&round, &config).contains("another lookout holds this table's lock"));
    }

    fn round_watcher() -> (Round, JobsConfig) {
        round(Role::Watcher, Outcome::Skipped)
    }

    fn text_of(round: &Round, config: &JobsConfig) -> String {
        text(round, config)
    }

    #[test]
    fn json_carries_every_figure() {
        let (round, config) = round(Role::Rescuer, Outcome::Raced);
        let value: serde_json::Value =
            serde_json::from_str(&json(&round, &config).expect("encodes")).expect("parses");
        assert_eq!(value["role"], "rescuing");
        assert_eq!(value["raced"], 2);
        assert_eq!(value["requeued"], 0);
        assert_eq!(value["stuck"][1]["id"], "97");
        assert_eq!(value["stuck"][1]["outcome"], "raced");
        assert_eq!(value["counts"]["completed"], 90_000);
        assert_eq!(
            value["counts"]["oldest_processing_seconds"],
            serde_json::Value::Null
        );
        assert_eq!(value["database"], "postgres://app:***@db.internal/app");
    }
}
