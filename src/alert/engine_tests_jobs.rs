//! Table tests of the job monitor's conditions: stuck rows found by a pass, and a
//! database that keeps failing.

use std::sync::Arc;
use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::{only, quick, steps};
use crate::config::{JobsConfig, JobsDatabase, Severity};
use crate::test_support::at;
use crate::view::jobs::{
    DatabaseProblem, JobAction, JobsView, Outcome, PassReport, Phase, Remedy, Role, StuckRow,
};
use crate::view::snapshot::Snapshot;

/// What the monitor reports at one step.
enum Seen {
    /// A pass at `secs` that found these remedies (done unless `dry`).
    Pass(u64, &'static [Remedy], Option<Role>),
    /// The database failing since `since`, `failures` tries.
    Failing(u64, u32),
    Off,
    Missing,
}

fn view(seen: &Seen) -> Option<JobsView> {
    let mut config = JobsConfig::new(
        JobsDatabase::Sqlite {
            path: "/srv/app/queue.db".into(),
        },
        "jobs",
    );
    config.severity = Severity::High;
    let mut view = JobsView::new(&config, true);
    match seen {
        Seen::Missing => return None,
        Seen::Off => view.running = false,
        Seen::Pass(secs, remedies, role) => {
            let role = role.unwrap_or(Role::Rescuer);
            let actions = remedies
                .iter()
                .enumerate()
                .map(|(i, remedy)| JobAction {
                    row: StuckRow {
                        id: (i + 1).to_string(),
                        phase: match remedy {
                            Remedy::Requeue => Phase::Claimed,
                            _ => Phase::Processing,
                        },
                        age: Duration::from_secs(700),
                        attempts: Some(1),
                    },
                    remedy: *remedy,
                    outcome: match role {
                        Role::Rescuer => Outcome::Done,
                        _ => Outcome::Skipped,
                    },
                })
                .collect();
            view.role = Some(role);
            view.last_pass = Some(Arc::new(PassReport {
                sequence: *secs,
                at: at(*secs),
                took: Duration::from_millis(3),
                dry_run: role != Role::Rescuer,
                actions,
                more: false,
            }));
        }
        Seen::Failing(since, failures) => {
            view.problem = Some(DatabaseProblem {
                since: at(*since),
                message: "cannot connect to sqlite:///srv/app/queue.db: unable to open".into(),
                failures: *failures,
                retry_at: at(*since + 60),
            });
        }
    }
    Some(view)
}

fn snapshot(seen: &Seen) -> Snapshot {
    Snapshot {
        jobs: view(seen).map(Arc::new),
        ..Snapshot::default()
    }
}

#[test]
fn a_pass_that_finds_stuck_rows_fires_and_a_clean_one_resolves() {
    use Remedy::{Fail, Requeue};
    let mut engine = AlertEngine::new(&quick());
    steps(
        &mut engine,
        &[
            (0, Seen::Pass(0, &[], None), &[]),
            (
                60,
                Seen::Pass(60, &[Requeue, Requeue, Fail], None),
                &["stuck_jobs/jobs#1 firing!"],
            ),
        ],
        snapshot,
    );
    let alert = only(&engine);
    assert_eq!(alert.severity, Severity::High, "the [jobs] severity");
    assert_eq!(alert.summary, "3 stuck jobs in jobs: 2 requeued, 1 failed");
    steps(
        &mut engine,
        &[(
            120,
            Seen::Pass(120, &[], None),
            &["stuck_jobs/jobs#1 resolved!"],
        )],
        snapshot,
    );
}

#[test]
fn a_watcher_or_dry_run_says_nothing_was_changed() {
    let cases = [
        (
            Role::DryRun,
            "1 stuck job in jobs: dry run, nothing changed",
        ),
        (
            Role::Watcher,
            "1 stuck job in jobs: left to the lookout that holds the table",
        ),
    ];
    for (role, line) in cases {
        let mut engine = AlertEngine::new(&quick());
        engine.evaluate(
            &snapshot(&Seen::Pass(0, &[Remedy::Fail], Some(role))),
            at(0),
        );
        assert_eq!(only(&engine).summary, line, "{role:?}");
    }
}

#[test]
fn a_database_that_keeps_failing_is_an_issue_of_high_severity() {
    let mut engine = AlertEngine::new(&quick());
    steps(
        &mut engine,
        &[
            (0, Seen::Failing(0, 1), &[]),
            (1, Seen::Failing(0, 2), &["database_issue/jobs#1 firing!"]),
            (3, Seen::Failing(0, 3), &[]),
        ],
        snapshot,
    );
    let alert = only(&engine);
    assert_eq!(alert.severity, Severity::High);
    assert!(
        alert
            .summary
            .starts_with("job queue database failing (3 tries): cannot connect"),
        "the line is of now: {}",
        alert.summary
    );
    steps(
        &mut engine,
        &[(
            7,
            Seen::Pass(7, &[], None),
            &["database_issue/jobs#1 resolved!"],
        )],
        snapshot,
    );
}

#[test]
fn turning_the_monitor_off_or_removing_it_ends_its_alerts_unresolved() {
    let cases = [
        (Seen::Off, "the job monitor was stopped"),
        (Seen::Missing, "[jobs] is no longer in the config"),
    ];
    for (gone, why) in cases {
        let mut engine = AlertEngine::new(&quick());
        steps(
            &mut engine,
            &[
                (
                    0,
                    Seen::Pass(0, &[Remedy::Requeue], None),
                    &["stuck_jobs/jobs#1 firing!"],
                ),
                (10, gone, &["stuck_jobs/jobs#1 ended!"]),
            ],
            snapshot,
        );
        let ended = &engine.history()[0];
        assert_eq!(ended.ended.as_deref(), Some(why));
        assert!(engine.active().is_empty());
    }
}
