//! Deterministic job monitor pictures for tests, benches and screenshots: rescuing with
//! stuck rows left for the next pass, stopped, watching another instance's table, a
//! dry run, a failing database, just started, and a pass with many stuck rows.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::view::jobs::{
    Census, DatabaseProblem, JobAction, JobsView, Outcome, PassReport, Phase, Remedy, Role,
    StuckRow, Totals,
};

/// The monitor at work: its last pass (12 s ago) requeued, retried, failed and lost one
/// race over eight stuck rows, with more left; a claimed row is still past its timeout.
pub fn sample_jobs_view(now: SystemTime) -> JobsView {
    use Outcome::*;
    use Phase::*;
    use Remedy::*;
    let actions = vec![
        action("18342", (Claimed, 460), Some(1), (Requeue, Done)),
        action("18377", (Claimed, 362), Some(0), (Requeue, Done)),
        action("18401", (Claimed, 331), None, (Requeue, Raced)),
        action("17950", (Processing, 1450), Some(2), (Retry, Done)),
        action("17988", (Processing, 900), Some(3), (Fail, Done)),
        action("18012", (Processing, 665), Some(1), (Retry, Done)),
        action(
            "b7c1e9a2-4f1d-4c6e-9a0b-2d8f1e3c5a77",
            (Processing, 620),
            Some(5),
            (Fail, Done),
        ),
        action("18420", (Claimed, 305), Some(1), (Requeue, Done)),
    ];
    JobsView {
        role: Some(Role::Rescuer),
        last_pass: Some(pass(now, 12, false, actions, true)),
        next_pass: Some(now + Duration::from_secs(48)),
        ..base()
    }
}

/// Stopped with `J` 25 minutes ago: the last counts and pass are kept, nothing is due.
pub fn stopped_jobs_view(now: SystemTime) -> JobsView {
    let quiet = vec![action(
        "18102",
        (Phase::Claimed, 340),
        Some(1),
        (Remedy::Requeue, Outcome::Done),
    )];
    JobsView {
        running: false,
        last_pass: Some(pass(now, 25 * 60, false, quiet, false)),
        census: Some(Census {
            oldest_claimed: None,
            ..census()
        }),
        ..base()
    }
}

/// Another instance holds the table's lock: this one reports what it would do.
pub fn watcher_jobs_view(now: SystemTime) -> JobsView {
    JobsView {
        role: Some(Role::Watcher),
        last_pass: Some(pass(now, 30, true, would_do(), false)),
        next_pass: Some(now + Duration::from_secs(30)),
        totals: Totals {
            passes: 17,
            ..Totals::default()
        },
        ..base()
    }
}

/// `dry_run = true`: stuck rows are found and reported, nothing is written.
pub fn dry_run_jobs_view(now: SystemTime) -> JobsView {
    JobsView {
        dry_run: true,
        role: Some(Role::DryRun),
        last_pass: Some(pass(now, 5, true, would_do(), false)),
        next_pass: Some(now + Duration::from_secs(55)),
        totals: Totals {
            passes: 9,
            ..Totals::default()
        },
        ..base()
    }
}

/// The database has failed five times in a row for three minutes; the counts and pass
/// shown are from before, and the next try is in 12 s.
pub fn failing_jobs_view(now: SystemTime) -> JobsView {
    let retry_at = now + Duration::from_secs(12);
    JobsView {
        problem: Some(DatabaseProblem {
            since: ago(now, 180),
            message: "error communicating with database: Connection refused (os error 111)"
                .to_string(),
            failures: 5,
            retry_at,
        }),
        next_pass: Some(retry_at),
        ..sample_jobs_view(now)
    }
}

/// Just started: not connected, nothing counted, no pass yet.
pub fn starting_jobs_view(now: SystemTime) -> JobsView {
    JobsView {
        census: None,
        totals: Totals::default(),
        next_pass: Some(now),
        ..base()
    }
}

/// The sample at work with a last pass of `count` stuck rows, for frames that must build
/// only the rows on screen.
pub fn many_stuck_jobs_view(count: usize, now: SystemTime) -> JobsView {
    let actions = (0..count)
        .map(|i| {
            let id = format!("{}", 100_000 + i);
            let age = 301 + u64::try_from(i % 900).unwrap_or(0);
            action(
                &id,
                (Phase::Claimed, age),
                Some(1),
                (Remedy::Requeue, Outcome::Done),
            )
        })
        .collect();
    JobsView {
        last_pass: Some(pass(now, 3, false, actions, true)),
        ..sample_jobs_view(now)
    }
}

/// What every sample shares: the table, a masked PostgreSQL URL, the timeouts, counts
/// and totals; running, not connected, no pass.
fn base() -> JobsView {
    JobsView {
        table: "jobs".to_string(),
        database: "postgres://lookout:***@db-primary-1:5432/app".to_string(),
        running: true,
        claimed_timeout: Duration::from_secs(300),
        processing_timeout: Duration::from_secs(600),
        interval: Duration::from_secs(60),
        severity: crate::config::Severity::Medium,
        role: None,
        census: Some(census()),
        last_pass: None,
        totals: Totals {
            passes: 42,
            requeued: 120,
            retried: 33,
            failed: 8,
            raced: 4,
        },
        problem: None,
        next_pass: None,
        dry_run: false,
        preview: None,
    }
}

/// Counts after a pass that left one claimed row past its timeout.
fn census() -> Census {
    Census {
        pending: 1204,
        claimed: 3,
        processing: 12,
        completed: 88_412,
        failed: 9,
        other: 2,
        oldest_claimed: Some(Duration::from_secs(432)),
        oldest_processing: Some(Duration::from_secs(184)),
        took: Duration::from_millis(8),
    }
}

/// Rows a dry run or a watcher found and left alone.
fn would_do() -> Vec<JobAction> {
    use Outcome::Skipped;
    vec![
        action(
            "18342",
            (Phase::Claimed, 460),
            Some(1),
            (Remedy::Requeue, Skipped),
        ),
        action(
            "17950",
            (Phase::Processing, 1450),
            Some(2),
            (Remedy::Retry, Skipped),
        ),
        action(
            "17988",
            (Phase::Processing, 900),
            Some(3),
            (Remedy::Fail, Skipped),
        ),
    ]
}

fn pass(
    now: SystemTime,
    secs_ago: u64,
    dry_run: bool,
    actions: Vec<JobAction>,
    more: bool,
) -> Arc<PassReport> {
    Arc::new(PassReport {
        sequence: 42,
        at: ago(now, secs_ago),
        took: Duration::from_millis(35),
        dry_run,
        actions,
        more,
    })
}

fn action(
    id: &str,
    (phase, age_secs): (Phase, u64),
    attempts: Option<i64>,
    (remedy, outcome): (Remedy, Outcome),
) -> JobAction {
    JobAction {
        row: StuckRow {
            id: id.to_string(),
            phase,
            age: Duration::from_secs(age_secs),
            attempts,
        },
        remedy,
        outcome,
    }
}

fn ago(now: SystemTime, secs: u64) -> SystemTime {
    now.checked_sub(Duration::from_secs(secs)).unwrap_or(now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn each_sample_shows_its_state_and_is_deterministic() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let working = sample_jobs_view(now);
        assert_eq!(working, sample_jobs_view(now), "deterministic");
        assert_eq!(working.role, Some(Role::Rescuer));
        let pass = working.last_pass.as_deref().expect("a pass");
        assert!(pass.more && !pass.dry_run);
        for remedy in [Remedy::Requeue, Remedy::Retry, Remedy::Fail] {
            assert!(pass.count(remedy) > 0, "{remedy:?}");
        }
        assert_eq!(pass.raced(), 1);
        let census = working.census.as_ref().expect("counts");
        assert!(census.oldest_claimed > Some(working.claimed_timeout));
        assert!(census.oldest_processing < Some(working.processing_timeout));

        assert!(!stopped_jobs_view(now).running);
        assert_eq!(stopped_jobs_view(now).next_pass, None);
        assert_eq!(watcher_jobs_view(now).role, Some(Role::Watcher));
        assert_eq!(dry_run_jobs_view(now).role, Some(Role::DryRun));
        for view in [watcher_jobs_view(now), dry_run_jobs_view(now)] {
            let pass = view.last_pass.as_deref().expect("a pass");
            assert!(pass.dry_run);
            assert!(pass.actions.iter().all(|a| a.outcome == Outcome::Skipped));
        }
        let failing = failing_jobs_view(now);
        assert_eq!(failing.problem.as_ref().map(|p| p.failures), Some(5));
        let starting = starting_jobs_view(now);
        assert!(starting.role.is_none() && starting.census.is_none());
        assert_eq!(many_stuck_jobs_view(500, now).stuck(), 500);
    }
}
