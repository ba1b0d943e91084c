//! A Prometheus query service goes through the alert engine like any service: readings
//! fed through the state make `service_down` fire with the crit reason in its summary,
//! a value held at `warn` raise `performance_degradation`, and an UNKNOWN answer resolve
//! nothing into DOWN.

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::words;
use crate::config::{AlertsConfig, ValueLimits};
use crate::event::Event;
use crate::sources::prometheus::Answer;
use crate::state::State;
use crate::test_support::{at, config, query_service, reading};

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
        (
            60,
            Answer::Value(98.0),
            &[
                "service_down/cpu#2 firing!",
                "performance_degradation/cpu#1 resolved!",
            ],
        ),
        (70, Answer::NoSeries, &["service_down/cpu#2 resolved!"]),
        (80, Answer::Value(f64::NAN), &[]),
    ];
    for (secs, answer, want) in steps {
        state.apply(Event::Checked(reading(0, *secs, &cpu, *answer)), *secs);
        let events = engine.evaluate(&state.snapshot(at(*secs)), at(*secs));
        assert_eq!(words(&events), *want, "at {secs}s after {answer:?}");
        if *secs == 40 {
            let degraded = engine.active().first().cloned().expect("an active alert");
            assert_eq!(
                degraded.summary, "cpu is DEGRADED for 30s: 86% at or above warn 80%",
                "the value, not a latency"
            );
        }
        if *secs == 60 {
            let down = engine
                .active()
                .iter()
                .find(|a| a.key.to_string().starts_with("service_down"))
                .cloned()
                .expect("service_down is active");
            assert_eq!(down.summary, "cpu is DOWN: 98% at or above crit 95%");
        }
    }
}
