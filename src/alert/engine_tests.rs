//! Table tests of the alert lifecycle, driven by (fleet, time) steps: no clocks, no sleeps.

use std::sync::Arc;
use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::{DEGRADED, DOWN, Fleet, UP, ack, only, rule, run, svc, words};
use crate::config::{AlertsConfig, Metric, Op, Severity};
use crate::test_support::at;
use crate::view::alert::AlertState;

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn down_fires_at_once_resolves_at_once_and_returns_as_a_new_incarnation() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (0, api(UP, 0), &[]),
            (10, api(DOWN, 10), &["service_down/api#1 firing!"]),
            (20, api(DOWN, 10), &[]),
            (30, api(UP, 30), &["service_down/api#1 resolved!"]),
            (40, api(DOWN, 40), &["service_down/api#2 firing!"]),
        ],
    );
    let alert = only(&engine);
    assert_eq!(
        (alert.id, alert.state, alert.severity),
        (2, AlertState::Firing, Severity::High)
    );
    assert_eq!(alert.summary, "api is DOWN: connection refused");
    assert_eq!((alert.started, alert.fired), (at(40), Some(at(40))));
    let history = engine.history();
    assert_eq!(history.len(), 1);
    assert_eq!((history[0].id, history[0].resolved), (1, Some(at(30))));
    let lines: Vec<&str> = history[0]
        .timeline
        .iter()
        .map(|t| t.what.as_str())
        .collect();
    assert_eq!(
        lines,
        ["firing (high): api is DOWN: connection refused", "resolved"]
    );
}

#[test]
fn keep_firing_for_bridges_a_short_recovery() {
    let config = AlertsConfig {
        keep_firing_for: secs(60),
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            (10, api(UP, 10), &[]),
            (30, api(DOWN, 30), &[]),
            (40, api(UP, 40), &[]),
        ],
    );
    // The condition was last seen true at 30s: it resolves 60s later.
    assert_eq!(engine.next_due(), Some(at(90)));
    run(
        &mut engine,
        &[
            (89, api(UP, 40), &[]),
            (90, api(UP, 40), &["service_down/api#1 resolved!"]),
        ],
    );
    assert!(engine.active().is_empty());
}

#[test]
fn degraded_waits_degraded_for_and_a_pending_alert_that_clears_leaves_no_history() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (
                0,
                api(DEGRADED, 0),
                &["performance_degradation/api#1 pending"],
            ),
            (
                100,
                api(UP, 100),
                &["performance_degradation/api#1 resolved"],
            ),
            (
                200,
                api(DEGRADED, 200),
                &["performance_degradation/api#2 pending"],
            ),
        ],
    );
    assert!(engine.history().is_empty(), "never fired");
    assert_eq!(engine.next_due(), Some(at(500)));
    run(
        &mut engine,
        &[
            (499, api(DEGRADED, 200), &[]),
            (
                500,
                api(DEGRADED, 200),
                &["performance_degradation/api#2 firing!"],
            ),
        ],
    );
    let alert = only(&engine);
    assert_eq!(
        alert.severity,
        Severity::Medium,
        "one step milder than the service"
    );
    assert_eq!(alert.started, at(200));
    assert_eq!(
        alert.summary,
        "api is DEGRADED: its last check took 1.5s (slower than 1s)"
    );
}

#[test]
fn a_rule_waits_its_for_and_a_worse_tier_makes_an_acked_alert_fire_again() {
    let mut critical = rule("slow", Metric::LatencyP95, Op::Gt, 2000.0, 0);
    critical.severity = Severity::Critical;
    let config = AlertsConfig {
        rules: vec![
            rule("slow", Metric::LatencyP95, Op::Gt, 500.0, 60),
            critical,
        ],
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let api = |p95| {
        let mut s = svc("api", UP, 0);
        s.p95_ms = Some(p95);
        vec![s]
    };
    run(
        &mut engine,
        &[
            (0, api(800), &["rule:slow/api#1 pending"]),
            (30, api(100), &["rule:slow/api#1 resolved"]),
            (40, api(800), &["rule:slow/api#2 pending"]),
            (99, api(800), &[]),
            (100, api(800), &["rule:slow/api#2 firing!"]),
        ],
    );
    assert_eq!(only(&engine).summary, "api: latency_p95 800ms > 500ms");
    let events = engine.ack(2, ack("ana@db1", 110)).expect("firing");
    assert_eq!(words(&events), ["rule:slow/api#2 acked"]);
    assert_eq!(only(&engine).state, AlertState::Acked);
    run(
        &mut engine,
        &[(120, api(2500), &["rule:slow/api#2 worsened!"])],
    );
    let alert = only(&engine);
    assert_eq!(
        (alert.state, alert.severity),
        (AlertState::Firing, Severity::Critical)
    );
    assert_eq!(alert.ack, None);
    assert_eq!(alert.summary, "api: latency_p95 2.5s > 2s");
    // Easing back to the milder tier shows it, and going back to the worst seen since
    // the ack is no news: shifted, no notice per wobble.
    run(
        &mut engine,
        &[
            (130, api(800), &["rule:slow/api#2 shifted"]),
            (140, api(2500), &["rule:slow/api#2 shifted"]),
        ],
    );
    assert_eq!(only(&engine).severity, Severity::Critical);
}

#[test]
fn reminders_until_acked_and_the_ack_ends_with_the_alert() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            (1799, api(DOWN, 0), &[]),
            (1800, api(DOWN, 0), &["service_down/api#1 reminder!"]),
        ],
    );
    assert_eq!(engine.next_due(), Some(at(3600)));
    engine.ack(1, ack("ana@db1", 1900)).expect("firing");
    assert_eq!(engine.next_due(), None, "an acked alert is not reminded");
    run(&mut engine, &[(3600, api(DOWN, 0), &[])]);
    let events = engine.unack(1, at(4000)).expect("acked");
    assert_eq!(words(&events), ["service_down/api#1 unacked"]);
    assert_eq!(engine.next_due(), Some(at(5800)));
    engine.ack(1, ack("bo@db2", 4100)).expect("firing");
    run(
        &mut engine,
        &[
            (6000, api(UP, 6000), &["service_down/api#1 resolved!"]),
            (6100, api(DOWN, 6100), &["service_down/api#2 firing!"]),
        ],
    );
    assert_eq!(only(&engine).ack, None, "the next outage pages again");
    assert_eq!(
        engine.history()[0].ack.as_ref().map(|a| a.by.as_str()),
        Some("bo@db2")
    );
}

#[test]
fn reminders_can_be_off() {
    let config = AlertsConfig {
        reminder: None,
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let api = vec![svc("api", DOWN, 0)];
    run(
        &mut engine,
        &[(0, api.clone(), &["service_down/api#1 firing!"])],
    );
    assert_eq!(engine.next_due(), None);
    run(&mut engine, &[(86_400, api, &[])]);
}

#[test]
fn a_flapping_service_is_one_incident_held_open_and_paged_once_until_it_settles() {
    let config = AlertsConfig {
        flap_transitions: 4,
        ..AlertsConfig::default()
    };
    let api = |state, since| vec![svc("api", state, since)];
    let flaps: &[(u64, Vec<super::engine_tests_support::Svc>, &[&str])] = &[
        (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
        (30, api(UP, 30), &["service_down/api#1 resolved!"]),
        (60, api(DOWN, 60), &["service_down/api#2 firing!"]),
        // The fourth transition: flapping. #2 stays open instead of resolving, and
        // every later flap is the same incident: no page, no resolved, no new id.
        (90, api(UP, 90), &["service_down/api#2 flap_started"]),
        (120, api(DOWN, 120), &[]),
        (150, api(UP, 150), &[]),
        (180, api(DOWN, 180), &[]),
    ];
    // Settling while still down: it stays open, and resolves (paged) when it clears.
    let mut engine = AlertEngine::new(&config);
    run(&mut engine, flaps);
    assert!(only(&engine).flapping);
    assert_eq!(only(&engine).state, AlertState::Firing);
    assert_eq!(engine.next_due(), Some(at(780)));
    run(
        &mut engine,
        &[
            (779, api(DOWN, 180), &[]),
            (780, api(DOWN, 180), &["service_down/api#2 flap_ended"]),
            (800, api(UP, 800), &["service_down/api#2 resolved!"]),
        ],
    );
    assert!(engine.active().is_empty());
    // Settling while up: resolved (paged) then, and the next outage pages at once.
    let mut engine = AlertEngine::new(&config);
    run(&mut engine, flaps);
    run(&mut engine, &[(190, api(UP, 190), &[])]);
    let summary = only(&engine).summary.clone();
    // Clear, but not an all-clear, and no countdown of checks it does not wait for.
    assert_eq!(
        summary,
        "api is UP again; flapping: held open until it stays so for 10m"
    );
    run(
        &mut engine,
        &[
            (
                790,
                api(UP, 190),
                &[
                    "service_down/api#2 flap_ended",
                    "service_down/api#2 resolved!",
                ],
            ),
            (900, api(DOWN, 900), &["service_down/api#3 firing!"]),
        ],
    );
    assert!(!only(&engine).flapping, "the flapping ended with #2");
}

#[test]
fn errors_say_why() {
    use super::events::AlertError;
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 0)]), at(0));
    engine.evaluate(&fleet.snapshot(&[svc("api", UP, 10)]), at(10));
    assert_eq!(engine.ack(1, ack("a", 20)), Err(AlertError::Resolved(1)));
    assert_eq!(
        engine.ack(9, ack("a", 20)),
        Err(AlertError::UnknownAlert(9))
    );
    engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 30)]), at(30));
    assert_eq!(engine.unack(2, at(40)), Err(AlertError::NotAcked(2)));
    assert_eq!(
        engine.unsilence(5, at(40)),
        Err(AlertError::UnknownSilence(5))
    );
    assert_eq!(
        AlertError::Resolved(1).to_string(),
        "alert 1 is already resolved; a new outage raises a new alert"
    );
}

#[test]
fn an_evaluation_that_changes_nothing_hands_out_the_same_views() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    let snapshot = fleet.snapshot(&[svc("api", DOWN, 0), svc("db", DOWN, 0)]);
    engine.evaluate(&snapshot, at(0));
    let before = engine.active();
    assert!(engine.evaluate(&snapshot, at(10)).is_empty());
    let after = engine.active();
    assert_eq!(before.len(), 2);
    assert!(before.iter().zip(&after).all(|(a, b)| Arc::ptr_eq(a, b)));
}

#[test]
fn the_engine_can_move_into_the_core_task() {
    fn send<T: Send + 'static>() {}
    send::<AlertEngine>();
}
