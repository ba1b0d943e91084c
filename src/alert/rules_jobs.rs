//! The job monitor's conditions: `stuck_jobs` while its latest pass found stuck rows,
//! `database_issue` while the queue's database keeps failing. Both are about the
//! queue's table and hold only while the monitor runs.

use std::time::{Duration, SystemTime};

use super::rules::{Check, Tier, Watch, key};
use crate::config::Severity;
use crate::view::alert::AlertKind;
use crate::view::jobs::{JobsView, Role};

/// Why the monitor's alerts end when it is stopped (`J`, the API) or taken out.
const STOPPED: &str = "the job monitor was stopped";
const NOT_CONFIGURED: &str = "[jobs] is no longer in the config";

/// Failed tries in a row before the database counts as having an issue: one dropped
/// connection that the next try fixes is not worth a page.
pub(crate) const FAILURES_FOR_ISSUE: u32 = 2;

/// The two watches of the monitor's table: kind, check and severity.
fn watched(view: &JobsView) -> [(AlertKind, Check, Severity); 2] {
    [
        (AlertKind::StuckJobs, Check::StuckJobs, view.severity),
        (
            AlertKind::DatabaseIssue,
            Check::DatabaseIssue,
            Severity::High,
        ),
    ]
}

/// Since when `check` holds for `view`, if it does.
fn holds(check: Check, view: &JobsView) -> Option<SystemTime> {
    if !view.running {
        return None;
    }
    match check {
        Check::StuckJobs if view.problem.is_none() && view.stuck() > 0 => {
            view.last_pass.as_ref().map(|pass| pass.at)
        }
        Check::DatabaseIssue => view
            .problem
            .as_ref()
            .filter(|p| p.failures >= FAILURES_FOR_ISSUE)
            .map(|p| p.since),
        _ => None,
    }
}

/// Adds the table's watches when the monitor is configured and re-checks every watch.
pub(crate) fn update(watches: &mut Vec<Watch>, view: Option<&JobsView>, now: SystemTime) {
    if let Some(view) = view {
        for (kind, check, severity) in watched(view) {
            let known = watches
                .iter()
                .any(|w| w.key.kind == kind && w.key.subject == view.table);
            if !known {
                let tier = Tier {
                    check,
                    severity,
                    hold: Duration::ZERO,
                    since: None,
                };
                watches.push(Watch::new(key(kind, None, &view.table), None, vec![tier]));
            }
        }
    }
    for watch in watches.iter_mut() {
        let view = view.filter(|v| v.table == watch.key.subject);
        // Stopped, the monitor says nothing of its table: its alerts end, unresolved.
        watch.stopped = match view {
            None => Some(NOT_CONFIGURED),
            Some(view) if !view.running => Some(STOPPED),
            Some(_) => None,
        };
        for tier in &mut watch.tiers {
            let held = view.and_then(|v| holds(tier.check, v));
            tier.since = held.map(|since| tier.since.unwrap_or(since).min(now));
            let severity = view.and_then(|v| {
                watched(v)
                    .into_iter()
                    .find_map(|(_, check, severity)| (check == tier.check).then_some(severity))
            });
            if let Some(severity) = severity {
                tier.severity = severity;
            }
        }
    }
}

/// The line an alert whose tier checks `check` shows.
pub(crate) fn summary(check: Check, view: Option<&JobsView>) -> String {
    let Some(view) = view else {
        return "the job monitor is not configured".to_string();
    };
    let table = &view.table;
    match check {
        Check::DatabaseIssue => match &view.problem {
            Some(p) => format!(
                "job queue database failing ({} tries): {}",
                p.failures, p.message
            ),
            None => format!("job queue database for {table} failing"),
        },
        _ => {
            let Some(pass) = &view.last_pass else {
                return format!("stuck jobs in {table}");
            };
            let found = pass.actions.len();
            let what = if pass.dry_run {
                match view.role {
                    Some(Role::Watcher) => "left to the lookout that holds the table".to_string(),
                    _ => "dry run, nothing changed".to_string(),
                }
            } else {
                use crate::view::jobs::Remedy;
                let mut done = Vec::new();
                for remedy in [Remedy::Requeue, Remedy::Retry, Remedy::Fail] {
                    let n = pass.count(remedy);
                    if n > 0 {
                        done.push(format!("{n} {}", remedy.as_str()));
                    }
                }
                if done.is_empty() {
                    "none changed".to_string()
                } else {
                    done.join(", ")
                }
            };
            let more = if pass.more { "+" } else { "" };
            format!(
                "{found}{more} stuck job{} in {table}: {what}",
                plural(found)
            )
        }
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
