//! Table tests of one incident per outage: a service's alert changes kind and severity
//! in place, its ack lasts the incident, its error rate forgets the outage that ended,
//! it resolves only once the service is healthy again, and a pause, a removal or a
//! reload ends it with its own word, never `resolved`.

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::{DEGRADED, DOWN, Svc, UP, ack, only, quick, run, svc, words};
use crate::config::{AlertsConfig, Severity};
use crate::contract::ServiceState;
use crate::test_support::at;
use crate::view::alert::{AlertKind, AlertState};

fn api(state: ServiceState, since: u64) -> Vec<Svc> {
    vec![svc("api", state, since)]
}

/// The ids and words of every alert the engine holds, open or closed, oldest first.
fn all_ids(engine: &AlertEngine) -> Vec<u64> {
    let mut ids: Vec<u64> = (engine.active().iter())
        .chain(engine.history().iter())
        .map(|a| a.id)
        .collect();
    ids.sort_unstable();
    ids
}

#[test]
fn an_outage_that_recovers_never_pages_again_whatever_the_window() {
    // The checks of the window: failures of the outage, then passes since recovery.
    // With every window length the failed share stays far above 20 % for a while.
    for (window, outage) in [(20, 10), (60, 30), (360, 40), (3600, 600)] {
        let mut engine = AlertEngine::new(&quick());
        let down = |secs| {
            let pattern = "P".repeat(window - outage) + &"F".repeat(outage);
            vec![svc("api", DOWN, secs - outage as u64 + 2).checked(secs, &pattern)]
        };
        let back = |secs: u64, passes: usize| {
            let pattern =
                "P".repeat(window - outage - passes) + &"F".repeat(outage) + &"P".repeat(passes);
            let recovered = secs + 1 - passes as u64;
            vec![
                svc("api", UP, recovered)
                    .checked(secs, &pattern)
                    .recovered_at(recovered),
            ]
        };
        let t = 10_000;
        run(
            &mut engine,
            &[(t, down(t), &["service_down/api#1 firing!"])],
        );
        engine.ack(1, ack("ana@db1", t + 1)).expect("firing");
        let mut steps = vec![(t + 1, back(t + 1, 1), vec!["service_down/api#1 resolved!"])];
        for passes in 2..=(window - outage).min(30) {
            let secs = t + passes as u64;
            steps.push((secs, back(secs, passes), Vec::new()));
        }
        let mut fleet = super::engine_tests_support::Fleet::default();
        for (secs, seen, want) in &steps {
            let events = engine.evaluate(&fleet.snapshot(seen), at(*secs));
            assert_eq!(words(&events), *want, "window {window}, at {secs}s");
        }
        assert!(engine.active().is_empty(), "window {window}");
        assert_eq!(all_ids(&engine), [1], "one incident, window {window}");
    }
}

#[test]
fn failing_now_and_then_after_a_recovery_needs_enough_new_checks() {
    let config = AlertsConfig {
        error_rate_min_checks: 10,
        ..quick()
    };
    let mut engine = AlertEngine::new(&config);
    let up = |secs: u64, pattern: &str| {
        vec![svc("api", UP, 100).checked(secs, pattern).recovered_at(100)]
    };
    // The outage's failures, before 100, are left out: 3 of 9 new checks is too few to
    // count; 3 of 10 is 30 %, above 20 %.
    let old = "F".repeat(30);
    run(
        &mut engine,
        &[
            (108, up(108, &format!("{old}PPFPPFPPF")), &[]),
            (
                109,
                up(109, &format!("{old}PPFPPFPPFP")),
                &["high_error_rate/api#1 firing!"],
            ),
        ],
    );
    assert_eq!(
        only(&engine).summary,
        "api failed 3 of its last 10 checks (30%, above 20%)"
    );
    // The line is of now: two more passes, 3 of 12.
    run(
        &mut engine,
        &[(111, up(111, &format!("{old}PPFPPFPPFPPP")), &[])],
    );
    assert_eq!(
        only(&engine).summary,
        "api failed 3 of its last 12 checks (25%, above 20%)"
    );
    // Below the line (3 of 16) and healthy: resolved. The failures it counted count no
    // more: one new failure is one of two checks since, too few to say anything.
    run(
        &mut engine,
        &[
            (
                115,
                up(115, &format!("{old}PPFPPFPPFPPPPPPP")),
                &["high_error_rate/api#1 resolved!"],
            ),
            (116, up(116, &format!("{old}PPFPPFPPFPPPPPPPF")), &[]),
        ],
    );
    assert!(engine.active().is_empty());
}

#[test]
fn failures_after_a_long_good_run_count_over_the_error_rate_window_not_the_history() {
    let mut engine = AlertEngine::new(&quick());
    let up = |secs: u64, pattern: &str| vec![svc("api", UP, 0).checked(secs, pattern)];
    // Ten good minutes, then one check in three fails. Over the whole history (840
    // checks) that is under 10 %; over the last 5 minutes it is what is happening.
    let good = "P".repeat(600);
    let two_minutes = format!("{good}{}", "PPF".repeat(40));
    let four_minutes = format!("{good}{}", "PPF".repeat(80));
    run(
        &mut engine,
        &[
            (720, up(720, &two_minutes), &[]),
            (
                840,
                up(840, &four_minutes),
                &["high_error_rate/api#1 firing!"],
            ),
        ],
    );
    assert_eq!(
        only(&engine).summary,
        "api failed 80 of its last 301 checks (26.6%, above 20%)"
    );
}

#[test]
fn slow_then_down_then_slow_again_is_one_incident_that_pages_once_and_worsens_once() {
    let mut engine = AlertEngine::new(&quick());
    run(
        &mut engine,
        &[
            (
                0,
                api(DEGRADED, 0),
                &["performance_degradation/api#1 pending"],
            ),
            (
                300,
                api(DEGRADED, 0),
                &["performance_degradation/api#1 firing!"],
            ),
            (310, api(DOWN, 310), &["service_down/api#1 worsened!"]),
            (
                320,
                api(DEGRADED, 320),
                &["performance_degradation/api#1 shifted"],
            ),
            // Back to DOWN: no worse than it has been, so no page.
            (330, api(DOWN, 330), &["service_down/api#1 shifted"]),
            (
                340,
                api(DEGRADED, 340),
                &["performance_degradation/api#1 shifted"],
            ),
            (
                350,
                api(UP, 350),
                &["performance_degradation/api#1 resolved!"],
            ),
        ],
    );
    assert_eq!(all_ids(&engine), [1], "one incident");
    let closed = &engine.history()[0];
    let lines: Vec<&str> = closed.timeline.iter().map(|t| t.what.as_str()).collect();
    assert_eq!(
        lines,
        [
            "pending: api is DEGRADED: its last check took 1.5s (slower than 1s)",
            "firing (medium): api is DEGRADED: its last check took 1.5s (slower than 1s)",
            "worsened to service_down (high): api is DOWN: connection refused",
            "now performance_degradation (medium): api is DEGRADED: its last check took 1.5s (slower than 1s)",
            "now service_down (high): api is DOWN: connection refused",
            "now performance_degradation (medium): api is DEGRADED: its last check took 1.5s (slower than 1s)",
            "resolved",
        ]
    );
}

#[test]
fn an_ack_lasts_the_incident_and_only_worse_than_what_was_acked_drops_it() {
    let mut engine = AlertEngine::new(&quick());
    run(
        &mut engine,
        &[(0, api(DOWN, 0), &["service_down/api#1 firing!"])],
    );
    engine.ack(1, ack("ana@db1", 5)).expect("firing");
    run(
        &mut engine,
        &[
            (
                10,
                api(DEGRADED, 10),
                &["performance_degradation/api#1 shifted"],
            ),
            (20, api(DOWN, 20), &["service_down/api#1 shifted"]),
        ],
    );
    let alert = only(&engine);
    assert_eq!(alert.state, AlertState::Acked, "DOWN was what was acked");
    // Acked while DEGRADED: DOWN is worse than that, and pages.
    run(
        &mut engine,
        &[(
            30,
            api(DEGRADED, 30),
            &["performance_degradation/api#1 shifted"],
        )],
    );
    engine.ack(1, ack("bo@db2", 35)).expect("acked again");
    run(
        &mut engine,
        &[(40, api(DOWN, 40), &["service_down/api#1 worsened!"])],
    );
    let alert = only(&engine);
    assert_eq!((alert.state, alert.ack.clone()), (AlertState::Firing, None));
}

#[test]
fn it_resolves_after_success_threshold_healthy_checks_saying_how_many_are_left() {
    let mut engine = AlertEngine::new(&quick());
    let mut fleet = super::engine_tests_support::Fleet::default();
    let mut strict = svc("api", DOWN, 0);
    strict.healthy = 0;
    fleet.configure("api", |config| config.success_threshold = 3);
    let down = engine.evaluate(&fleet.snapshot(std::slice::from_ref(&strict)), at(0));
    assert_eq!(words(&down), ["service_down/api#1 firing!"]);
    for (secs, healthy, want) in [
        (10, 1, &[][..]),
        (11, 2, &[]),
        (12, 3, &["service_down/api#1 resolved!"]),
    ] {
        let mut up = svc("api", UP, 10);
        up.healthy = healthy;
        let events = engine.evaluate(&fleet.snapshot(&[up]), at(secs));
        assert_eq!(words(&events), want, "{healthy} healthy");
        if healthy == 1 {
            assert_eq!(
                only(&engine).summary,
                "api is UP again: resolves after 2 more healthy checks"
            );
        }
    }
}

#[test]
fn pausing_a_down_service_ends_its_incident_and_resuming_starts_over() {
    let mut engine = AlertEngine::new(&quick());
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            (
                10,
                api(ServiceState::Paused, 0),
                &["service_down/api#1 ended!"],
            ),
            (20, api(ServiceState::Paused, 0), &[]),
            // Resumed, the service is UNKNOWN until checked: nothing yet.
            (30, api(ServiceState::Unknown, 0), &[]),
            (40, api(DOWN, 40), &["service_down/api#2 firing!"]),
        ],
    );
    let ended = &engine.history()[0];
    assert_eq!(
        (ended.state, ended.ended.as_deref()),
        (AlertState::Ended, Some("paused"))
    );
    assert_eq!(
        ended.timeline.last().map(|t| t.what.as_str()),
        Some("ended: paused")
    );
}

#[test]
fn a_service_removed_or_renamed_by_a_reload_ends_never_resolves() {
    let mut engine = AlertEngine::new(&quick());
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            // Renamed: the old name's alert ends, the new name's is its own incident.
            (
                10,
                vec![svc("api-v2", DOWN, 10)],
                &["service_down/api-v2#2 firing!", "service_down/api#1 ended!"],
            ),
            (20, Vec::new(), &["service_down/api-v2#2 ended!"]),
        ],
    );
    let history = engine.history();
    assert!(history.iter().all(|a| a.state == AlertState::Ended));
    assert_eq!(
        history[1].ended.as_deref(),
        Some("api is no longer in the config (removed or renamed)")
    );
}

#[test]
fn a_reload_that_takes_the_condition_away_ends_the_alert() {
    let config = AlertsConfig {
        degraded_for: Duration::from_secs(60),
        ..quick()
    };
    let mut engine = AlertEngine::new(&config);
    let mut fleet = super::engine_tests_support::Fleet::default();
    let events = engine.evaluate(&fleet.snapshot(&api(DEGRADED, 0)), at(0));
    assert_eq!(words(&events), ["performance_degradation/api#1 pending"]);
    let events = engine.evaluate(&fleet.snapshot(&api(DEGRADED, 0)), at(60));
    assert_eq!(words(&events), ["performance_degradation/api#1 firing!"]);
    // The service's severity changes, so its watches are rebuilt; it is UP by then only
    // because its degraded_after moved, which is no recovery.
    fleet.configure("api", |config| config.severity = Severity::Critical);
    let events = engine.evaluate(&fleet.snapshot(&api(UP, 60)), at(70));
    assert_eq!(words(&events), ["performance_degradation/api#1 ended!"]);
    assert_eq!(
        engine.history()[0].ended.as_deref(),
        Some("its condition changed in the config")
    );
}

#[test]
fn a_silence_of_the_alert_covers_the_incident_in_every_kind() {
    let mut engine = AlertEngine::new(&quick());
    run(
        &mut engine,
        &[(0, api(DOWN, 0), &["service_down/api#1 firing!"])],
    );
    let key = only(&engine).key.clone();
    engine.silence(
        crate::view::alert::SilenceTarget::Alert(key),
        Duration::from_secs(3600),
        "ana@db1".into(),
        None,
        at(1),
    );
    run(
        &mut engine,
        &[(
            10,
            api(DEGRADED, 10),
            &["performance_degradation/api#1 shifted"],
        )],
    );
    let alert = only(&engine);
    assert_eq!(
        (alert.state, alert.key.kind),
        (AlertState::Silenced, AlertKind::PerformanceDegradation)
    );
}
