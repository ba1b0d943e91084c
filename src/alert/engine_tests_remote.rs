//! Table tests of `alertmanager_unreachable`: two failed reads in a row fire it (one is
//! a blip), a good read resolves it, and so does the Alertmanager leaving the config.

use std::sync::Arc;

use super::engine::AlertEngine;
use super::engine_tests_support::{only, quick, steps};
use crate::config::Severity;
use crate::test_support::at;
use crate::view::alertmanager::{AlertmanagerView, ReadProblem};
use crate::view::snapshot::Snapshot;

/// What reads of `team-am` show at one step.
enum Seen {
    /// Answered.
    Reached,
    /// Failing since `since`, `failures` reads in a row.
    Failing(u64, u32),
    /// Not in the config any more.
    Gone,
}

fn snapshot(seen: &Seen) -> Snapshot {
    let mut view = AlertmanagerView {
        name: "team-am".into(),
        url: "http://127.0.0.1:9093/".into(),
        alerts: Vec::new(),
        active_silences: 0,
        reached: Some(at(0)),
        problem: None,
    };
    match seen {
        Seen::Reached => {}
        Seen::Failing(since, failures) => {
            view.problem = Some(ReadProblem {
                since: at(*since),
                failures: *failures,
                error: "GET /api/v2/alerts: no answer (connect: Connection refused)".into(),
            });
        }
        Seen::Gone => return Snapshot::default(),
    }
    Snapshot {
        alertmanagers: vec![Arc::new(view)],
        ..Snapshot::default()
    }
}

#[test]
fn two_failed_reads_in_a_row_fire_and_a_good_one_resolves() {
    let mut engine = AlertEngine::new(&quick());
    steps(
        &mut engine,
        &[
            (0, Seen::Reached, &[]),
            (15, Seen::Failing(15, 1), &[]),
            (
                16,
                Seen::Failing(15, 2),
                &["alertmanager_unreachable/team-am#1 firing!"],
            ),
            (18, Seen::Failing(15, 3), &[]),
        ],
        snapshot,
    );
    let alert = only(&engine);
    assert_eq!(alert.severity, Severity::High);
    assert_eq!(alert.started, at(15), "since the first failed read");
    assert_eq!(
        alert.summary,
        "Alertmanager team-am unreachable (3 tries): GET /api/v2/alerts: no answer (connect: \
         Connection refused)",
        "the line is of now"
    );
    steps(
        &mut engine,
        &[(
            30,
            Seen::Reached,
            &["alertmanager_unreachable/team-am#1 resolved!"],
        )],
        snapshot,
    );
}

#[test]
fn one_failed_read_is_a_blip() {
    let mut engine = AlertEngine::new(&quick());
    steps(
        &mut engine,
        &[(0, Seen::Failing(0, 1), &[]), (1, Seen::Reached, &[])],
        snapshot,
    );
    assert!(engine.active().is_empty());
}

#[test]
fn an_alertmanager_taken_out_of_the_config_ends_its_alert_unresolved() {
    let mut engine = AlertEngine::new(&quick());
    steps(
        &mut engine,
        &[
            (
                0,
                Seen::Failing(0, 2),
                &["alertmanager_unreachable/team-am#1 firing!"],
            ),
            (
                10,
                Seen::Gone,
                &["alertmanager_unreachable/team-am#1 ended!"],
            ),
        ],
        snapshot,
    );
    assert_eq!(
        engine.history()[0].ended.as_deref(),
        Some("its [[alertmanager]] is no longer in the config")
    );
}
