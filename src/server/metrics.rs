//! The metrics `/metrics` exposes, encoded by prometheus-client (OpenMetrics text) from
//! the newest snapshot at scrape time.
//!
//! Each metric family is one small function in [`FAMILIES`]; the machine's are in
//! `metrics_system.rs`, the job monitor's in `metrics_jobs.rs`, the
//! Alertmanagers' in `metrics_alertmanager.rs`.

use std::fmt;
use std::time::UNIX_EPOCH;

use prometheus_client::collector::Collector;
use prometheus_client::encoding::{DescriptorEncoder, EncodeLabelSet, EncodeMetric, NoLabelSet};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::{Registry, Unit};
use tokio::sync::watch;

use crate::contract::ServiceState;
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;

/// A registry whose collector reads the newest snapshot from `view` at each scrape.
pub fn registry(view: watch::Receiver<Snapshot>) -> Registry {
    let mut registry = Registry::default();
    registry.register_collector(Box::new(SnapshotCollector { view }));
    registry
}

/// The exposition of `registry`, ending with `# EOF`.
pub fn encode(registry: &Registry) -> Result<String, fmt::Error> {
    let mut text = String::new();
    prometheus_client::encoding::text::encode(&mut text, registry)?;
    Ok(text)
}

/// Encodes the service metrics from the snapshot that is newest when a scrape starts.
#[derive(Debug)]
struct SnapshotCollector {
    view: watch::Receiver<Snapshot>,
}

impl Collector for SnapshotCollector {
    fn encode(&self, mut encoder: DescriptorEncoder) -> fmt::Result {
        // Cloning copies `Arc`s; the watch lock is released before encoding.
        let snapshot = self.view.borrow().clone();
        for family in FAMILIES {
            family(&snapshot, &mut encoder)?;
        }
        Ok(())
    }
}

/// Writes one metric family (descriptor and samples) from a snapshot.
type Family = fn(&Snapshot, &mut DescriptorEncoder) -> fmt::Result;

/// Every family, in exposition order.
const FAMILIES: &[Family] = &[
    build_info,
    services,
    scheduler_lag,
    check_start_lag,
    service_up,
    service_state,
    service_consecutive_failures,
    checks_total,
    check_duration,
    certificate_expiry,
    super::metrics_system::system,
    alerts,
    super::metrics_jobs::jobs,
    super::metrics_alertmanager::alertmanagers,
];

/// Every state-and-severity pair, with 0 where no alert is: a series that vanishes
/// cannot be told from a scrape that failed.
fn alerts(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    use crate::config::Severity;
    use crate::view::alert::AlertState;
    let severities = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    let active = [
        AlertState::Pending,
        AlertState::Firing,
        AlertState::Acked,
        AlertState::Silenced,
    ];
    let samples = active.into_iter().flat_map(|state| {
        severities.map(|severity| {
            let count = snapshot
                .alerts
                .iter()
                .filter(|a| a.is_own() && a.state == state && a.severity == severity)
                .count();
            let labels = [("state", state.as_str()), ("severity", severity.as_str())];
            (labels, count)
        })
    });
    gauge(
        encoder,
        "lookout_alerts",
        "Alerts not resolved, by state and severity.",
        samples,
    )
}

/// `{service, group}`; `group` is "" for a service without one. Never a URL or header.
fn service_labels(service: &ServiceView) -> [(&'static str, &str); 2] {
    let group = service.config.group.as_deref().unwrap_or("");
    [("service", service.config.name.as_str()), ("group", group)]
}

/// Writes the descriptor of a family and one sample per `(labels, metric)`.
pub(super) fn family<L: EncodeLabelSet, M: EncodeMetric>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<&Unit>,
    metric_type: MetricType,
    samples: impl IntoIterator<Item = (L, M)>,
) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(name, help, unit, metric_type)?;
    for (labels, value) in samples {
        value.encode(metric.encode_family(&labels)?)?;
    }
    Ok(())
}

pub(super) fn gauge<L: EncodeLabelSet, V>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    samples: impl IntoIterator<Item = (L, V)>,
) -> fmt::Result
where
    ConstGauge<V>: EncodeMetric,
{
    let samples = samples.into_iter().map(|(l, v)| (l, ConstGauge::new(v)));
    family(encoder, name, help, None, MetricType::Gauge, samples)
}

fn build_info(_: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let labels = [("version", env!("CARGO_PKG_VERSION"))];
    gauge(
        encoder,
        "lookout_build_info",
        "The running lookout's version; always 1.",
        [(labels, 1i64)],
    )
}

fn services(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let count = |state| {
        snapshot
            .services
            .iter()
            .filter(|s| s.state == state)
            .count()
    };
    let samples = ServiceState::ALL.map(|state| ([("state", state.as_str())], count(state)));
    gauge(
        encoder,
        "lookout_services",
        "Configured services in each state.",
        samples,
    )
}

fn scheduler_lag(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let metric = encoder.encode_descriptor(
        "lookout_scheduler_lag",
        "The worst start lag among the most recent check of each service.",
        Some(&Unit::Seconds),
        MetricType::Gauge,
    )?;
    ConstGauge::new(snapshot.max_lag.as_secs_f64()).encode(metric)
}

/// 1 when UP or DEGRADED (it answers), 0 when DOWN. UNKNOWN (not yet decided) and PAUSED
/// (not checked on purpose) services have no sample: a 0 would page someone for a
/// service nobody claims is down. `lookout_service_state` shows them.
fn service_up(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = snapshot.services.iter().filter_map(|s| {
        let up: i64 = match s.state {
            ServiceState::Up | ServiceState::Degraded => 1,
            ServiceState::Down => 0,
            ServiceState::Unknown | ServiceState::Paused => return None,
        };
        Some((service_labels(s), up))
    });
    gauge(
        encoder,
        "lookout_service_up",
        "1 when the service answers (UP or DEGRADED), 0 when DOWN; absent when UNKNOWN or PAUSED.",
        samples,
    )
}

/// The "enum as gauge" pattern: one series per state, 1 for the current one.
fn service_state(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = snapshot.services.iter().flat_map(|s| {
        ServiceState::ALL.map(|state| {
            let labels = (service_labels(s), [("state", state.as_str())]);
            (labels, i64::from(s.state == state))
        })
    });
    gauge(
        encoder,
        "lookout_service_state",
        "1 for the state the service is in, 0 for the others.",
        samples,
    )
}

fn service_consecutive_failures(
    snapshot: &Snapshot,
    encoder: &mut DescriptorEncoder,
) -> fmt::Result {
    let samples = snapshot
        .services
        .iter()
        .map(|s| (service_labels(s), s.consecutive_failures));
    gauge(
        encoder,
        "lookout_service_consecutive_failures",
        "Failed checks in a row; 0 after a pass.",
        samples,
    )
}

/// When the certificate each HTTPS service last presented expires, as blackbox_exporter
/// names it (`probe_ssl_earliest_cert_expiry`), so alert rules can do the arithmetic.
fn certificate_expiry(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = snapshot.services.iter().filter_map(|s| {
        let expires = s.certificate.as_ref()?.not_after;
        let seconds = expires.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
        Some((service_labels(s), seconds))
    });
    gauge(
        encoder,
        "lookout_tls_certificate_expiry_timestamp_seconds",
        "When the certificate the service's server last presented expires (Unix time); absent for a service with none.",
        samples,
    )
}

/// The encoder appends `_total`: the family is named `lookout_checks`.
fn checks_total(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = snapshot.services.iter().flat_map(|s| {
        [("pass", s.totals.passed), ("fail", s.totals.failed)].map(|(outcome, n)| {
            let labels = (service_labels(s), [("outcome", outcome)]);
            (labels, ConstCounter::new(n))
        })
    });
    family(
        encoder,
        "lookout_checks",
        "Checks run since the service was configured, by outcome.",
        None,
        MetricType::Counter,
        samples,
    )
}

/// How late checks started against their plan, across every service: a p99 above a
/// fraction of the shortest interval means the machine or the concurrency limit cannot
/// keep up.
fn check_start_lag(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(
        "lookout_check_start_lag",
        "How late each check started against its schedule, since lookout started.",
        Some(&Unit::Seconds),
        MetricType::Histogram,
    )?;
    let lag = &snapshot.start_lag.0;
    metric.encode_histogram::<NoLabelSet>(
        lag.sum.as_secs_f64(),
        lag.count,
        &per_bucket(lag.cumulative()),
        None,
    )
}

fn check_duration(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let mut metric = encoder.encode_descriptor(
        "lookout_check_duration",
        "Response time of checks since the service was configured.",
        Some(&Unit::Seconds),
        MetricType::Histogram,
    )?;
    for service in &snapshot.services {
        let totals = &service.totals;
        let labels = service_labels(service);
        metric
            .encode_family(&labels)?
            .encode_histogram::<NoLabelSet>(
                totals.latency.sum.as_secs_f64(),
                totals.count(),
                &per_bucket(totals.cumulative()),
                None,
            )?;
    }
    Ok(())
}

/// Checks in each bucket alone, ending with `+Inf`: prometheus-client's text encoder
/// adds the buckets up itself, so it must not be handed `cumulative()` as is.
fn per_bucket(cumulative: Vec<(f64, u64)>) -> Vec<(f64, u64)> {
    let mut below = 0;
    cumulative
        .into_iter()
        .map(|(le, at_or_below)| {
            let own = at_or_below.saturating_sub(below);
            below = at_or_below;
            (le, own)
        })
        .collect()
}
