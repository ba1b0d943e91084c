//! The metrics families, read back from the exposition as a scraper would.

use std::collections::BTreeMap;
use std::time::Duration;

use tokio::sync::watch;

use super::now;
use crate::contract::ServiceState;
use crate::server::exposition::to_classic;
use crate::server::metrics;
use crate::state::sample::sample_snapshot;
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;

/// One sample line: name, labels, value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sample {
    pub(super) name: String,
    pub(super) labels: BTreeMap<String, String>,
    pub(super) value: f64,
}

impl Sample {
    pub(super) fn label(&self, key: &str) -> &str {
        self.labels.get(key).map_or("", String::as_str)
    }
}

/// The sample lines of an exposition (comments skipped). Label values are unescaped.
pub(super) fn parse(text: &str) -> Vec<Sample> {
    text.lines()
        .filter(|line| !line.starts_with('#') && !line.is_empty())
        .map(|line| {
            let (series, value) = line.rsplit_once(' ').expect("value");
            let value = match value {
                "+Inf" => f64::INFINITY,
                v => v.parse().expect("number"),
            };
            let (name, labels) = match series.split_once('{') {
                Some((name, rest)) => (name, parse_labels(rest.strip_suffix('}').expect("}"))),
                None => (series, BTreeMap::new()),
            };
            Sample {
                name: name.to_string(),
                labels,
                value,
            }
        })
        .collect()
}

fn parse_labels(mut text: &str) -> BTreeMap<String, String> {
    let mut labels = BTreeMap::new();
    while !text.is_empty() {
        let (key, rest) = text.split_once("=\"").expect("key=\"");
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let end = loop {
            match chars.next().expect("closing quote") {
                (i, '"') => break i,
                (_, '\\') => match chars.next().expect("escape").1 {
                    'n' => value.push('\n'),
                    c => value.push(c),
                },
                (_, c) => value.push(c),
            }
        };
        labels.insert(key.to_string(), value);
        text = rest[end + 1..].trim_start_matches(',');
    }
    labels
}

pub(super) fn encode(snapshot: Snapshot) -> String {
    let (_keep, view) = watch::channel(snapshot);
    metrics::encode(&metrics::registry(view)).expect("encodes")
}

/// The samples called `name` of `service`.
fn of<'a>(samples: &'a [Sample], name: &str, service: &ServiceView) -> Vec<&'a Sample> {
    samples
        .iter()
        .filter(|s| s.name == name && s.label("service") == service.config.name)
        .collect()
}

#[test]
fn every_service_has_its_state_up_counters_and_histogram() {
    let snapshot = sample_snapshot(12, now());
    let samples = parse(&encode(snapshot.clone()));
    for service in &snapshot.services {
        let name = &service.config.name;
        let group = service.config.group.as_deref().unwrap_or("");
        for sample in samples.iter().filter(|s| s.label("service") == name) {
            assert_eq!(sample.label("group"), group, "{sample:?}");
        }

        let up: Vec<f64> = of(&samples, "lookout_service_up", service)
            .iter()
            .map(|s| s.value)
            .collect();
        let want: &[f64] = match service.state {
            ServiceState::Up | ServiceState::Degraded => &[1.0],
            ServiceState::Down => &[0.0],
            ServiceState::Unknown | ServiceState::Paused => &[],
        };
        assert_eq!(up, want, "{name} is {}", service.state);

        let states = of(&samples, "lookout_service_state", service);
        assert_eq!(states.len(), ServiceState::ALL.len());
        for sample in states {
            let current = sample.label("state") == service.state.as_str();
            assert_eq!(sample.value, f64::from(u8::from(current)), "{sample:?}");
        }

        let failures = of(&samples, "lookout_service_consecutive_failures", service);
        assert_eq!(failures[0].value, f64::from(service.consecutive_failures));

        let checks = of(&samples, "lookout_checks_total", service);
        let outcomes: Vec<(&str, f64)> = checks
            .iter()
            .map(|s| (s.label("outcome"), s.value))
            .collect();
        let totals = service.totals;
        assert_eq!(
            outcomes,
            [
                ("pass", totals.passed as f64),
                ("fail", totals.failed as f64)
            ],
            "{name}"
        );

        let count = of(&samples, "lookout_check_duration_seconds_count", service)[0].value;
        assert_eq!(count, totals.count() as f64, "{name}");
        let sum = of(&samples, "lookout_check_duration_seconds_sum", service)[0].value;
        assert!(
            (sum - totals.latency.sum.as_secs_f64()).abs() < 1e-6,
            "{name}: {sum}"
        );
        let buckets = of(&samples, "lookout_check_duration_seconds_bucket", service);
        let got: Vec<(String, f64)> = buckets
            .iter()
            .map(|s| (s.label("le").to_string(), s.value))
            .collect();
        let want: Vec<(String, f64)> = totals
            .cumulative()
            .into_iter()
            .map(|(le, n)| {
                let le = if le.is_infinite() {
                    "+Inf".to_string()
                } else {
                    format!("{le:?}")
                };
                (le, n as f64)
            })
            .collect();
        assert_eq!(
            got, want,
            "{name}: buckets are cumulative, as the totals say"
        );
        assert!(got.windows(2).all(|w| w[0].1 <= w[1].1), "{name}: {got:?}");
        assert_eq!(
            got.last().map(|b| b.1),
            Some(count),
            "{name}: +Inf is the count"
        );
    }
}

#[test]
fn fleet_figures_and_build_info() {
    let mut snapshot = sample_snapshot(12, now());
    snapshot.max_lag = Duration::from_millis(1500);
    let samples = parse(&encode(snapshot.clone()));
    let value = |name: &str, key: &str, label: &str| {
        samples
            .iter()
            .find(|s| s.name == name && s.label(key) == label)
            .map(|s| s.value)
    };
    for state in ServiceState::ALL {
        let want = snapshot
            .services
            .iter()
            .filter(|s| s.state == state)
            .count();
        assert_eq!(
            value("lookout_services", "state", state.as_str()),
            Some(want as f64)
        );
    }
    assert_eq!(value("lookout_scheduler_lag_seconds", "", ""), Some(1.5));
    let version = env!("CARGO_PKG_VERSION");
    assert_eq!(value("lookout_build_info", "version", version), Some(1.0));
    assert!(samples.iter().all(|s| s.name.starts_with("lookout_")));
}

#[test]
fn no_target_or_secret_reaches_a_label() {
    let text = encode(sample_snapshot(12, now()));
    for secret in [
        "s3cret",
        "example.com",
        "monitor",
        "on-call",
        "https",
        "5432",
    ] {
        assert!(!text.contains(secret), "metrics mention {secret:?}");
    }
}

#[test]
fn label_values_are_escaped() {
    let mut snapshot = sample_snapshot(1, now());
    let mut service = (*snapshot.services[0]).clone();
    let mut config = (*service.config).clone();
    config.name = "odd \"name\"\\\nsecond line".to_string();
    service.config = config.into();
    snapshot.services[0] = service.into();
    let samples = parse(&encode(snapshot));
    let up: Vec<&Sample> = samples
        .iter()
        .filter(|s| s.name == "lookout_service_up")
        .collect();
    assert_eq!(up[0].label("service"), "odd \"name\"\\\nsecond line");
}

#[test]
fn an_empty_fleet_still_encodes() {
    let samples = parse(&encode(Snapshot::default()));
    let names: Vec<&str> = samples.iter().map(|s| s.name.as_str()).collect();
    assert!(names.contains(&"lookout_build_info"), "{names:?}");
    assert!(names.iter().filter(|n| **n == "lookout_services").count() == 5);
}

#[test]
fn exposition_of_three_services() {
    let mut snapshot = sample_snapshot(3, now());
    snapshot.max_lag = Duration::from_millis(250);
    let openmetrics = encode(snapshot);
    insta::assert_snapshot!("openmetrics", openmetrics);
    insta::assert_snapshot!("classic", to_classic(&openmetrics));
}

#[test]
fn the_machine_has_its_gauges_and_n_a_has_no_sample() {
    use crate::state::sample_system::{bare_system_view, sample_system_view};
    use std::sync::Arc;

    let mut snapshot = sample_snapshot(2, now());
    let system = sample_system_view(now());
    snapshot.system = Some(Arc::new(system.clone()));
    let samples = parse(&encode(snapshot.clone()));
    let one = |name: &str| -> Vec<&Sample> { samples.iter().filter(|s| s.name == name).collect() };
    let latest = &system.latest;
    assert_eq!(
        one("lookout_system_cpu_cores")[0].value,
        latest.cores as f64
    );
    let cpu = one("lookout_system_cpu_usage_ratio")[0].value;
    let want = f64::from(latest.cpu.as_ref().unwrap().total) / 100.0;
    assert!(
        (cpu - want).abs() < 1e-6 && (0.0..=1.0).contains(&cpu),
        "{cpu}"
    );
    assert_eq!(one("lookout_system_load_average").len(), 3);
    assert_eq!(
        one("lookout_system_memory_used_bytes")[0].value,
        latest.memory.unwrap().used as f64
    );
    let mounts: Vec<&str> = one("lookout_system_filesystem_used_bytes")
        .iter()
        .map(|s| s.label("mount"))
        .collect();
    let want: Vec<&str> = latest
        .filesystems
        .iter()
        .map(|f| f.mount.as_str())
        .collect();
    assert_eq!(mounts, want);
    assert_eq!(
        one("lookout_system_network_receive_bytes_per_second").len(),
        latest.networks.iter().filter(|n| n.rates.is_some()).count()
    );
    let exceeded = one("lookout_system_threshold_exceeded");
    assert_eq!(exceeded.len(), system.rules.len());
    assert!(exceeded.iter().all(|s| s.value == 0.0 || s.value == 1.0));

    snapshot.system = Some(Arc::new(bare_system_view(now())));
    let bare = parse(&encode(snapshot));
    for absent in [
        "lookout_system_swap_used_bytes",
        "lookout_system_filesystem_used_bytes",
        "lookout_system_network_receive_bytes_per_second",
    ] {
        assert!(!bare.iter().any(|s| s.name == absent), "{absent} is n/a");
    }
}

#[test]
fn the_job_monitor_has_its_counts_ages_and_totals() {
    use crate::state::sample_jobs::{failing_jobs_view, sample_jobs_view, stopped_jobs_view};
    use std::sync::Arc;

    let mut snapshot = sample_snapshot(1, now());
    assert!(
        !encode(snapshot.clone()).contains("lookout_jobs"),
        "no [jobs], no families"
    );
    let view = sample_jobs_view(now());
    snapshot.jobs = Some(Arc::new(view.clone()));
    let samples = parse(&encode(snapshot.clone()));
    let one = |name: &str| -> Vec<&Sample> { samples.iter().filter(|s| s.name == name).collect() };
    assert_eq!(one("lookout_jobs_monitor_running")[0].value, 1.0);
    assert_eq!(one("lookout_jobs_database_up")[0].value, 1.0);
    let census = view.census.as_ref().unwrap();
    let counts: Vec<(&str, f64)> = one("lookout_jobs")
        .iter()
        .map(|s| (s.label("state"), s.value))
        .collect();
    assert_eq!(counts[0], ("pending", census.pending as f64));
    assert_eq!(counts[4], ("failed", census.failed as f64));
    assert_eq!(counts.len(), 6);
    assert!(
        one("lookout_jobs")
            .iter()
            .all(|s| s.label("table") == view.table)
    );
    let ages = one("lookout_jobs_oldest_age_seconds");
    assert_eq!(ages[0].label("state"), "claimed");
    assert_eq!(
        ages[0].value,
        census.oldest_claimed.map_or(0.0, |a| a.as_secs_f64())
    );
    let rescued: Vec<(&str, f64)> = one("lookout_jobs_rescued_total")
        .iter()
        .map(|s| (s.label("action"), s.value))
        .collect();
    assert_eq!(
        rescued,
        [
            ("requeued", view.totals.requeued as f64),
            ("retried", view.totals.retried as f64),
            ("failed", view.totals.failed as f64),
        ]
    );
    assert_eq!(
        one("lookout_jobs_passes_total")[0].value,
        view.totals.passes as f64
    );

    snapshot.jobs = Some(Arc::new(failing_jobs_view(now())));
    let failing = parse(&encode(snapshot.clone()));
    let up: Vec<f64> = failing
        .iter()
        .filter(|s| s.name == "lookout_jobs_database_up")
        .map(|s| s.value)
        .collect();
    assert_eq!(up, [0.0]);

    snapshot.jobs = Some(Arc::new(stopped_jobs_view(now())));
    let stopped = parse(&encode(snapshot));
    assert!(
        stopped
            .iter()
            .any(|s| s.name == "lookout_jobs_monitor_running" && s.value == 0.0)
    );
    assert!(
        !stopped.iter().any(|s| s.name == "lookout_jobs_database_up"),
        "unknown while off"
    );
}

#[test]
fn a_certificate_is_exported_as_when_it_expires() {
    let mut snapshot = sample_snapshot(2, now());
    let expires = std::time::UNIX_EPOCH + Duration::from_secs(1_900_000_000);
    let view = std::sync::Arc::make_mut(&mut snapshot.services[0]);
    view.certificate = Some(std::sync::Arc::new(crate::kinds::Certificate {
        not_before: std::time::UNIX_EPOCH,
        not_after: expires,
        subject: "CN=shop".into(),
        issuer: "CN=ca".into(),
        names: vec!["shop".into()],
        chain: Vec::new(),
    }));
    let samples = parse(&encode(snapshot.clone()));
    let name = "lookout_tls_certificate_expiry_timestamp_seconds";
    let found = of(&samples, name, &snapshot.services[0]);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].value, 1_900_000_000.0);
    // A service whose server presented none has no series.
    assert!(of(&samples, name, &snapshot.services[1]).is_empty());
}
