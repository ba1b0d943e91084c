//! The machine's metrics, from the newest system sample: CPU, load, memory, swap,
//! filesystems, network rates and which thresholds are exceeded. A reading that is
//! n/a (no swap, no network) has no sample rather than a fake zero.

use std::fmt;

use prometheus_client::encoding::{DescriptorEncoder, EncodeMetric};
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

use super::metrics::{family, gauge};
use crate::view::machine::Level;
use crate::view::machine::SystemView;
use crate::view::snapshot::Snapshot;

/// Every machine family, or nothing while no sample has arrived (or `[system]` is off).
pub(super) fn system(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let Some(system) = snapshot.system.as_deref() else {
        return Ok(());
    };
    cpu(system, encoder)?;
    load(system, encoder)?;
    memory(system, encoder)?;
    filesystems(system, encoder)?;
    network(system, encoder)?;
    thresholds(system, encoder)
}

/// A gauge family with a unit suffix (`_bytes`, `_seconds`, `_ratio`).
fn gauge_in<L: prometheus_client::encoding::EncodeLabelSet>(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Unit,
    samples: impl IntoIterator<Item = (L, f64)>,
) -> fmt::Result {
    let samples = samples.into_iter().map(|(l, v)| (l, ConstGauge::new(v)));
    family(encoder, name, help, Some(&unit), MetricType::Gauge, samples)
}

/// A gauge without labels: its descriptor, and its one sample when it has a value.
fn single(
    encoder: &mut DescriptorEncoder,
    name: &str,
    help: &str,
    unit: Option<Unit>,
    value: Option<f64>,
) -> fmt::Result {
    let metric = encoder.encode_descriptor(name, help, unit.as_ref(), MetricType::Gauge)?;
    match value {
        Some(value) => ConstGauge::new(value).encode(metric),
        None => Ok(()),
    }
}

fn cpu(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let sample = &system.latest;
    let cores = (sample.cores > 0).then_some(sample.cores as f64);
    single(
        encoder,
        "lookout_system_cpu_cores",
        "Logical CPU cores of the machine lookout runs on.",
        None,
        cores,
    )?;
    single(
        encoder,
        "lookout_system_cpu_usage",
        "Share of all cores' time spent busy over the last sample interval.",
        Some(Unit::Other("ratio".to_string())),
        sample.cpu.as_ref().map(|cpu| f64::from(cpu.total) / 100.0),
    )?;
    single(
        encoder,
        "lookout_system_uptime",
        "Time since the machine booted.",
        Some(Unit::Seconds),
        sample.uptime.map(|uptime| uptime.as_secs_f64()),
    )
}

fn load(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = system.latest.load.iter().flat_map(|load| {
        [("1m", load.one), ("5m", load.five), ("15m", load.fifteen)]
            .map(|(period, value)| ([("period", period)], value))
    });
    gauge(
        encoder,
        "lookout_system_load_average",
        "Load average over the period (runnable and uninterruptible tasks).",
        samples,
    )
}

fn memory(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let sample = &system.latest;
    for (name, usage, what) in [
        ("memory", sample.memory, "Memory"),
        ("swap", sample.swap, "Swap"),
    ] {
        single(
            encoder,
            &format!("lookout_system_{name}_used"),
            &format!("{what} in use; absent when the machine has none."),
            Some(Unit::Bytes),
            usage.map(|u| u.used as f64),
        )?;
        single(
            encoder,
            &format!("lookout_system_{name}_total"),
            &format!("{what} in all; absent when the machine has none."),
            Some(Unit::Bytes),
            usage.map(|u| u.total as f64),
        )?;
    }
    Ok(())
}

fn filesystems(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let filesystems = &system.latest.filesystems;
    let labels = |mount: &str| [("mount", mount.to_string())];
    gauge_in(
        encoder,
        "lookout_system_filesystem_used",
        "Space in use on a real filesystem, counted as df does (root's reserve is used).",
        Unit::Bytes,
        filesystems
            .iter()
            .map(|fs| (labels(&fs.mount), fs.used as f64)),
    )?;
    gauge_in(
        encoder,
        "lookout_system_filesystem_available",
        "Space an unprivileged user can still write on a real filesystem.",
        Unit::Bytes,
        filesystems
            .iter()
            .map(|fs| (labels(&fs.mount), fs.available as f64)),
    )
}

fn network(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let interfaces = &system.latest.networks;
    for (direction, pick) in [
        (
            "receive",
            (|r: &crate::view::machine_sample::Rates| r.rx) as fn(&_) -> f64,
        ),
        ("transmit", |r: &crate::view::machine_sample::Rates| r.tx),
    ] {
        let samples = interfaces.iter().filter_map(|interface| {
            let rate = pick(interface.rates.as_ref()?);
            Some(([("interface", interface.name.clone())], rate))
        });
        gauge(
            encoder,
            &format!("lookout_system_network_{direction}_bytes_per_second"),
            "Bytes per second over the last sample interval, per non-loopback interface.",
            samples,
        )?;
    }
    Ok(())
}

/// 1 while a `[system]` threshold has been exceeded for its whole `for`, else 0.
fn thresholds(system: &SystemView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let samples = system.rules.iter().map(|rule| {
        let labels = [
            ("resource", rule.resource.as_str().to_string()),
            ("mount", rule.subject.clone().unwrap_or_default()),
        ];
        let exceeded = matches!(rule.level, Level::Exceeded { .. });
        (labels, i64::from(exceeded))
    });
    gauge(
        encoder,
        "lookout_system_threshold_exceeded",
        "1 while a [system] threshold has been crossed for its whole `for` duration.",
        samples,
    )
}
