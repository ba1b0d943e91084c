//! The view stream end to end without a network: snapshots made by the engine's own
//! state, told as events, rebuilt by a mirror, compared field by field.

use std::sync::Arc;

use super::{Mirror, Picture, whole};
use crate::event::Event;
use crate::state::State;
use crate::state::sample_alerts::sample_alerts;
use crate::state::sample_jobs::sample_jobs_view;
use crate::state::sample_system::sample_system_view;
use crate::test_support::{at, check, config, fail, http_service, pass, tcp_service};
use crate::view::service::epoch_millis;
use crate::view::snapshot::{EngineInfo, Snapshot};

fn engine() -> EngineInfo {
    EngineInfo {
        pid: 41,
        mode: "headless".into(),
        started: at(0),
        version: "test".into(),
    }
}

/// Everything a screen draws is the same; per-check lag is not sent, and check start
/// times travel to the millisecond.
fn assert_same(engine: &Snapshot, viewer: &Snapshot) {
    assert_eq!(engine.services.len(), viewer.services.len());
    for (e, v) in engine.services.iter().zip(&viewer.services) {
        let name = &e.config.name;
        assert_eq!(e.id, v.id, "{name}");
        assert_eq!(e.config, v.config, "{name}");
        assert_eq!(e.state, v.state, "{name}");
        assert_eq!((e.since, e.recovered), (v.since, v.recovered), "{name}");
        assert_eq!(e.consecutive_failures, v.consecutive_failures, "{name}");
        assert_eq!(e.samples, v.samples, "{name}");
        assert_eq!(e.stats, v.stats, "{name}");
        assert_eq!(e.recent.len(), v.recent.len(), "{name}");
        for (a, b) in e.recent.iter().zip(&v.recent) {
            assert_eq!(epoch_millis(a.at), epoch_millis(b.at), "{name}");
            assert_eq!((a.service, a.latency), (b.service, b.latency), "{name}");
            assert_eq!((&a.outcome, a.reading), (&b.outcome, b.reading), "{name}");
        }
    }
    assert_eq!(engine.alerts, viewer.alerts);
    assert_eq!(engine.alert_history, viewer.alert_history);
    assert_eq!(engine.jobs, viewer.jobs);
    assert_eq!(engine.system, viewer.system);
    assert_eq!(engine.history, viewer.history);
    assert_eq!(engine.config_source, viewer.config_source);
    assert_eq!(engine.notices, viewer.notices);
}

/// Tells the viewer what changed from `before` to `after`; the events' names.
fn tell(mirror: &mut Mirror, before: &Picture, after: &Picture) -> Vec<&'static str> {
    let events = before.changes(after, &engine());
    for (name, data) in &events {
        mirror.apply(name, data).expect(data);
    }
    events.iter().map(|(name, _)| *name).collect()
}

#[test]
fn a_viewer_rebuilds_every_snapshot_the_engine_makes() {
    let services = vec![
        http_service("shop"),
        http_service("db"),
        tcp_service("cache", 6379),
    ];
    let mut state = State::new(&config(services.clone()));
    for secs in 0..5 {
        state.apply(Event::Checked(check(0, secs * 10, 12, pass())), 0);
        state.apply(Event::Checked(check(1, secs * 10, 30, pass())), 0);
    }
    let first = state.snapshot(at(45));
    let mut mirror = Mirror::default();
    assert!(
        mirror.snapshot(at(45)).is_none(),
        "nothing before a snapshot"
    );
    mirror
        .apply("checks", "[]")
        .expect("ignored before a snapshot");
    mirror
        .apply("snapshot", &whole(&first, &engine()))
        .expect("snapshot");
    assert_eq!(mirror.engine(), Some(&engine()));
    assert_same(&first, &mirror.snapshot(at(45)).expect("a snapshot"));
    let mut sent = Picture::of(&first, None);

    // Checks: db fails twice and goes DOWN, cache is paused, shop passes slowly.
    state.apply(
        Event::Checked(check(1, 50, 5, fail("connection refused"))),
        0,
    );
    state.apply(
        Event::Checked(check(1, 60, 5, fail("connection refused"))),
        0,
    );
    state.apply(Event::Checked(check(0, 50, 1500, pass())), 0);
    state.set_paused(2, true);
    let second = state.snapshot(at(61));
    let next = Picture::of(&second, Some(&sent));
    let names = tell(&mut mirror, &sent, &next);
    assert_eq!(
        names,
        ["service", "service", "service", "checks"],
        "shop DEGRADED, db DOWN, cache PAUSED"
    );
    assert_same(&second, &mirror.snapshot(at(61)).expect("a snapshot"));
    sent = next;

    // Alerts, the machine and the job monitor arrive; then the machine samples again.
    let mut third = second.clone();
    let (alerts, history) = sample_alerts(at(61));
    (third.alerts, third.alert_history) = (alerts, history);
    third.system = Some(Arc::new(sample_system_view(at(61))));
    third.jobs = Some(Arc::new(sample_jobs_view(at(61))));
    let next = Picture::of(&third, Some(&sent));
    let names = tell(&mut mirror, &sent, &next);
    assert_eq!(names, ["machine", "alerts", "alert_history", "jobs"]);
    assert_same(&third, &mirror.snapshot(at(61)).expect("a snapshot"));
    sent = next;
    let mut fourth = third.clone();
    let mut machine = sample_system_view(at(61));
    let mut point = *machine.history.last().expect("points");
    point.at_ms += 2000;
    point.cpu = Some(99.0);
    machine.history.push(point);
    machine.history.remove(0);
    fourth.system = Some(Arc::new(machine));
    let next = Picture::of(&fourth, Some(&sent));
    assert_eq!(tell(&mut mirror, &sent, &next), ["machine"]);
    let viewer = mirror.snapshot(at(63)).expect("a snapshot");
    let (engine_points, viewer_points) = (
        &fourth.system.as_ref().expect("machine").history,
        &viewer.system.as_ref().expect("machine").history,
    );
    assert_eq!(
        viewer_points.last(),
        engine_points.last(),
        "the new point arrived"
    );
    sent = next;

    // A reload that adds a service: the viewer starts again from a whole snapshot.
    let mut grown = services;
    grown.push(http_service("search"));
    state.reload(&config(grown), at(70));
    let fifth = Snapshot {
        alerts: fourth.alerts.clone(),
        ..state.snapshot(at(70))
    };
    let next = Picture::of(&fifth, Some(&sent));
    assert_eq!(tell(&mut mirror, &sent, &next), ["snapshot"]);
    let viewer = mirror.snapshot(at(70)).expect("a snapshot");
    assert_eq!(viewer.services.len(), 4);
    assert_eq!(viewer.alerts, fifth.alerts);
}

#[test]
fn nothing_changed_is_nothing_sent_and_secrets_stay_home() {
    let mut service = http_service("billing");
    if let crate::kinds::CheckConfig::Http(http) = &mut service.check {
        http.url = reqwest::Url::parse("http://ops:hunter2@127.0.0.1:9/health").expect("URL");
        http.headers = vec![("Authorization".into(), "Bearer s3cret-header".into())];
    }
    let mut state = State::new(&config(vec![service]));
    state.apply(Event::Checked(check(0, 0, 12, pass())), 0);
    let snapshot = state.snapshot(at(1));
    let picture = Picture::of(&snapshot, None);
    let again = Picture::of(&state.snapshot(at(2)), Some(&picture));
    assert!(picture.changes(&again, &engine()).is_empty());
    let text = whole(&snapshot, &engine());
    assert!(
        !text.contains("hunter2") && !text.contains("s3cret-header"),
        "{text}"
    );
    assert!(
        text.contains("***:***@127.0.0.1"),
        "the URL is still told: {text}"
    );
    state.set_paused(0, true);
    let paused = Picture::of(&state.snapshot(at(3)), Some(&again));
    let events = again.changes(&paused, &engine());
    assert_eq!(events.len(), 1);
    assert!(!events[0].1.contains("hunter2"), "{}", events[0].1);
}

#[test]
fn an_event_that_cannot_be_read_is_an_error_naming_it_and_unknown_events_pass() {
    let mut mirror = Mirror::default();
    let state = State::new(&config(vec![http_service("shop")])).snapshot(at(1));
    mirror
        .apply("snapshot", &whole(&state, &engine()))
        .expect("snapshot");
    mirror
        .apply("weather", "{\"rain\": true}")
        .expect("unknown events pass");
    let err = mirror.apply("alerts", "{not json").expect_err("bad JSON");
    assert!(err.to_string().contains("`alerts`"), "{err}");
}
