//! A Prometheus query service goes through the alert engine like any service: a value
//! held at `warn` raises `performance_degradation`, which worsens in place to
//! `service_down` (the crit reason in its summary) at `crit`; an UNKNOWN answer resolves
//! nothing (nobody knows it is well), and a healthy value does. Answers without a value
//! count toward no error rate; a scrape target card that leaves ends its alerts saying so.

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::words;
use crate::config::AlertsConfig;
use crate::event::Event;
use crate::kinds::ValueLimits;
use crate::kinds::query::Answer;
use crate::state::State;
use crate::test_support::judged_check;
use crate::test_support::{at, check, config, fail, http_service, query_service, target_service};

#[test]
fn query_readings_raise_and_resolve_service_alerts() {
    let limits = ValueLimits {
        warn: Some(80.0),
        crit: Some(95.0),
        below: false,
    };
    let cpu = query_service("cpu", limits, Some("%"));
    let mut state = State::new(&config(vec![cpu.clone()]));
    let alerts = AlertsConfig {
        degraded_for: Duration::from_secs(30),
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&alerts);
    let steps: &[(u64, Answer, &[&str])] = &[
        (0, Answer::Value(50.0), &[]),
        (
            10,
            Answer::Value(85.0),
            &["performance_degradation/cpu#1 pending"],
        ),
        (
            40,
            Answer::Value(86.0),
            &["performance_degradation/cpu#1 firing!"],
        ),
        (50, Answer::Value(97.0), &[]),
        (60, Answer::Value(98.0), &["service_down/cpu#1 worsened!"]),
        (70, Answer::NoSeries, &[]),
        (80, Answer::Value(f64::NAN), &[]),
        (90, Answer::Value(50.0), &["service_down/cpu#1 resolved!"]),
    ];
    for (secs, answer, want) in steps {
        state.apply(Event::Checked(judged_check(0, *secs, &cpu, *answer)), *secs);
        let events = engine.evaluate(&state.snapshot(at(*secs)), at(*secs));
        assert_eq!(words(&events), *want, "at {secs}s after {answer:?}");
        if *secs == 40 {
            let degraded = engine.active().first().cloned().expect("an active alert");
            assert_eq!(
                degraded.summary, "cpu is DEGRADED: 86% at or above warn 80%",
                "the value, not a latency"
            );
        }
        if *secs == 60 {
            let down = engine.active().first().cloned().expect("an active alert");
            assert_eq!(down.key.to_string(), "service_down/cpu");
            assert_eq!(down.summary, "cpu is DOWN: 98% at or above crit 95%");
        }
        if *secs == 80 {
            let unknown = engine.active().first().cloned().expect("still open");
            assert_eq!(
                unknown.summary,
                "cpu is UNKNOWN: waiting for a check to say how it is"
            );
        }
    }
}

/// Answers without a value say nothing about the service: many of them among good ones
/// raise no `high_error_rate` (a Prometheus outage used to page every target card).
#[test]
fn answers_without_a_value_do_not_count_toward_the_error_rate() {
    let limits = ValueLimits {
        warn: Some(80.0),
        crit: Some(95.0),
        below: false,
    };
    let cpu = query_service("cpu", limits, Some("%"));
    let mut state = State::new(&config(vec![cpu.clone()]));
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    for secs in 0..40u64 {
        let answer = if secs % 3 == 0 {
            Answer::Value(50.0)
        } else {
            Answer::NoSeries
        };
        state.apply(Event::Checked(judged_check(0, secs, &cpu, answer)), secs);
        let events = engine.evaluate(&state.snapshot(at(secs)), at(secs));
        assert!(
            words(&events)
                .iter()
                .all(|w| !w.starts_with("high_error_rate")),
            "at {secs}s: {:?}",
            words(&events)
        );
    }
    let judged = state.snapshot(at(39)).services[0].stats;
    assert_eq!((judged.checks, judged.judged), (40, 14));
}

/// An alert of a scrape target card that left its Prometheus's targets ends saying so;
/// one of a service taken out of the config says that.
#[test]
fn a_target_that_left_ends_its_alert_saying_so() {
    let node = target_service("node/10.0.0.5:9100");
    let web = http_service("web");
    let mut state = State::new(&config(vec![web.clone(), node.clone()]));
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    for secs in 0..3u64 {
        for id in 0..2 {
            state.apply(
                Event::Checked(check(id, secs, 3, fail("scrape failed"))),
                secs,
            );
        }
        engine.evaluate(&state.snapshot(at(secs)), at(secs));
    }
    assert_eq!(engine.active().len(), 2, "both down");
    let mut gone = State::new(&config(Vec::new()));
    let events = engine.evaluate(&gone.snapshot(at(10)), at(10));
    assert_eq!(words(&events).len(), 2, "{:?}", words(&events));
    let ended: Vec<String> = (engine.history().iter())
        .filter_map(|alert| alert.ended.clone())
        .collect();
    assert!(
        ended.contains(&"node/10.0.0.5:9100 left its Prometheus's active targets".to_string()),
        "{ended:?}"
    );
    assert!(
        ended.contains(&"web is no longer in the config (removed or renamed)".to_string()),
        "{ended:?}"
    );
}
