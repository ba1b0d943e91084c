//! Evaluation cost: 1,000 services under the three built-in conditions and five
//! `[[alerts.rule]]` entries each. The budget is 1 ms per evaluation, so the core can
//! evaluate after every batch of check results.

use std::hint::black_box;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use lookout::alert::AlertEngine;
use lookout::config::{AlertRule, AlertsConfig, Metric, Op, RuleThreshold, Selector, Severity};
use lookout::contract::ServiceState;
use lookout::state::sample::sample_snapshot;

const SERVICES: usize = 1_000;

fn rule(name: &str, metric: Metric, op: Op, threshold: RuleThreshold, hold: u64) -> AlertRule {
    AlertRule {
        name: name.to_string(),
        selector: Selector::default(),
        metric,
        op,
        threshold,
        hold: Duration::from_secs(hold),
        severity: Severity::High,
        summary: None,
    }
}

fn config() -> AlertsConfig {
    use RuleThreshold::{Number, State};
    AlertsConfig {
        rules: vec![
            rule("slow", Metric::LatencyP95, Op::Gt, Number(800.0), 60),
            rule("very-slow", Metric::LatencyP95, Op::Gt, Number(1500.0), 0),
            rule("failing", Metric::ErrorRate, Op::Ge, Number(0.05), 120),
            rule(
                "paused",
                Metric::State,
                Op::Eq,
                State(ServiceState::Paused),
                600,
            ),
            rule(
                "not-up",
                Metric::State,
                Op::Ne,
                State(ServiceState::Up),
                300,
            ),
        ],
        ..AlertsConfig::default()
    }
}

fn evaluations(c: &mut Criterion) {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let snapshot = sample_snapshot(SERVICES, now);
    let config = config();

    // The steady state: hundreds of alerts open, nothing changes between evaluations.
    let mut engine = AlertEngine::new(&config);
    engine.evaluate(&snapshot, now);
    let mut tick = 0u64;
    c.bench_function("evaluate 1000 services x 5 rules, steady", |b| {
        b.iter(|| {
            tick += 1;
            let at = now + Duration::from_millis(tick);
            black_box(engine.evaluate(black_box(&snapshot), at))
        });
    });
    println!("open alerts in the steady state: {}", engine.active().len());

    // The first evaluation: watches built, every alert opened.
    c.bench_function("evaluate 1000 services x 5 rules, first", |b| {
        b.iter_batched(
            || AlertEngine::new(&config),
            |mut engine| black_box(engine.evaluate(&snapshot, now)),
            BatchSize::SmallInput,
        );
    });
}

criterion_group!(benches, evaluations);
criterion_main!(benches);
