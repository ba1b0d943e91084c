//! The job monitor's log lines: one `jobs_rescued` per pass with one `job_rescued` per
//! stuck row, and the monitor turning on or off and its database failing or recovering
//! (found by comparing the monitor's old and new pictures).

use tracing::{info, warn};

use crate::log::{events, millis};
use crate::view::jobs::{JobsView, Outcome, PassReport, Remedy};

/// Ids of the rows `pass` changed with `remedy`, comma-separated.
fn ids(pass: &PassReport, remedy: Remedy) -> String {
    let done = pass
        .actions
        .iter()
        .filter(|a| a.remedy == remedy && a.outcome == Outcome::Done);
    let mut text = String::new();
    for action in done {
        if !text.is_empty() {
            text.push(',');
        }
        text.push_str(&action.row.id);
    }
    text
}

/// One line per pass, with the ids it changed, then one per stuck row.
pub(super) fn pass(view: &JobsView, pass: &PassReport) {
    info!(
        event = events::JOBS_RESCUED,
        table = view.table.as_str(),
        pass = pass.sequence,
        dry_run = pass.dry_run,
        found = pass.actions.len(),
        requeued = pass.count(Remedy::Requeue),
        retried = pass.count(Remedy::Retry),
        failed = pass.count(Remedy::Fail),
        raced = pass.raced(),
        more = pass.more,
        took_ms = millis(pass.took),
        requeued_ids = ids(pass, Remedy::Requeue),
        retried_ids = ids(pass, Remedy::Retry),
        failed_ids = ids(pass, Remedy::Fail),
    );
    for action in &pass.actions {
        let outcome = match action.outcome {
            Outcome::Done => "done",
            Outcome::Raced => "raced",
            Outcome::Skipped => "skipped",
        };
        info!(
            event = events::JOB_RESCUED,
            table = view.table.as_str(),
            job_id = action.row.id.as_str(),
            pass = pass.sequence,
            from = action.row.phase.as_str(),
            action = action.remedy.as_str(),
            outcome,
            age_ms = millis(action.row.age),
            attempts = action.row.attempts,
        );
    }
}

/// Lines for what changed between the monitor's previous picture and `new`.
pub(super) fn changed(old: Option<&JobsView>, new: &JobsView) {
    let was_running = old.is_some_and(|o| o.running);
    if new.running != was_running {
        let event = match new.running {
            true => events::JOBS_MONITOR_STARTED,
            false => events::JOBS_MONITOR_STOPPED,
        };
        info!(
            event,
            table = new.table.as_str(),
            database = new.database.as_str()
        );
    }
    let old_problem = old.and_then(|o| o.problem.as_ref());
    match (old_problem, &new.problem) {
        (_, Some(problem)) if old_problem.is_none_or(|p| p.message != problem.message) => {
            warn!(
                event = events::JOBS_DATABASE_FAILED,
                table = new.table.as_str(),
                database = new.database.as_str(),
                error = problem.message.as_str(),
                failures = problem.failures,
            );
        }
        (Some(problem), None) => info!(
            event = events::JOBS_DATABASE_RECOVERED,
            table = new.table.as_str(),
            database = new.database.as_str(),
            failures = problem.failures,
        ),
        _ => {}
    }
}
