//! The log lines the core writes: one function per event, so every line of a kind has
//! the same fields (docs/LOGGING.md lists them).

use tracing::{Level, debug, error, info, warn};

use crate::config::{Config, ConfigErrors, ServiceConfig};
use crate::contract::ServiceState;
use crate::log::{events, millis};
use crate::state::store::{ReloadSummary, Transition};
use crate::state::system::ThresholdChange;
use crate::state::threshold::Crossing;
use crate::view::check::CheckResult;
use crate::view::machine_sample::SystemSample;

/// Debug level: one line per check, tied to any state change by `check_id`.
pub(super) fn check_completed(check_id: u64, service: &ServiceConfig, result: &CheckResult) {
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let (status, reason) = match &result.outcome {
        crate::kinds::Outcome::Pass { status } => (*status, None),
        crate::kinds::Outcome::Fail { status, reason } => (*status, Some(reason.as_str())),
    };
    debug!(
        event = events::CHECK_COMPLETED,
        service = service.name.as_str(),
        check_id,
        passed = result.outcome.is_pass(),
        latency_ms = millis(result.latency),
        lag_ms = millis(result.lag),
        status,
        reason,
        value = result
            .reading
            .and_then(|reading| reading.value)
            .filter(|value| value.is_finite()),
    );
}

/// Warn when a service gets worse than UP, info when it gets better.
pub(super) fn state_changed(transition: &Transition) {
    let service = &transition.service;
    let group = service.group.as_deref().unwrap_or("");
    let worse = matches!(transition.to, ServiceState::Down | ServiceState::Degraded);
    macro_rules! line {
        ($level:ident) => {
            $level!(
                event = events::SERVICE_STATE_CHANGED,
                service = service.name.as_str(),
                group,
                severity = service.severity.as_str(),
                from = transition.from.as_str(),
                to = transition.to.as_str(),
                check_id = transition.check_id,
                latency_ms = millis(transition.latency),
                reason = transition.reason.as_deref(),
                value = transition.value.filter(|value| value.is_finite()),
            )
        };
    }
    if worse {
        line!(warn);
    } else {
        line!(info);
    }
}

pub(super) fn paused(service: &ServiceConfig, paused: bool) {
    let event = if paused {
        events::SERVICE_PAUSED
    } else {
        events::SERVICE_RESUMED
    };
    info!(event, service = service.name.as_str());
}

pub(super) fn reloaded(trigger: &str, config: &Config, summary: &ReloadSummary, restart: &[&str]) {
    info!(
        event = events::CONFIG_RELOADED,
        config = %config.source.display(),
        trigger,
        services = config.services.len(),
        added = summary.added.join(","),
        removed = summary.removed.join(","),
        changed = summary.changed.join(","),
        kept = summary.kept,
    );
    if !restart.is_empty() {
        warn!(
            event = events::CONFIG_RELOADED,
            config = %config.source.display(),
            needs_restart = restart.join(","),
            message = "these sections changed but apply only after a restart",
        );
    }
}

pub(super) fn targets_changed(config: &Config, summary: &ReloadSummary) {
    info!(
        event = events::TARGETS_CHANGED,
        services = config.services.len(),
        added = summary.added.join(","),
        removed = summary.removed.join(","),
        kept = summary.kept,
    );
}

pub(super) fn rejected(trigger: &str, source: &std::path::Path, errors: &ConfigErrors) {
    error!(
        event = events::CONFIG_REJECTED,
        config = %source.display(),
        trigger,
        problems = errors.problems().len().max(1),
        errors = %errors,
    );
}

/// One decimal: enough for percentages and loads, and lines stay short.
fn tenths(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Info level, every `[system] log_every`: the machine's main figures. Missing data
/// (no swap, no disks) leaves its field out rather than logging a zero.
pub(super) fn system_sample(sample: &SystemSample) {
    let fullest = sample
        .filesystems
        .iter()
        .filter_map(|fs| fs.percent().map(|p| (p, fs.mount.as_str())))
        .max_by(|a, b| a.0.total_cmp(&b.0));
    let rates: Vec<_> = sample.networks.iter().filter_map(|n| n.rates).collect();
    let (rx, tx) = match rates.is_empty() {
        true => (None, None),
        false => (
            Some(rates.iter().map(|r| r.rx).sum::<f64>().round()),
            Some(rates.iter().map(|r| r.tx).sum::<f64>().round()),
        ),
    };
    let load = sample.load;
    info!(
        event = events::SYSTEM_SAMPLE,
        host = sample.hostname.as_deref(),
        cpu_pct = sample.cpu.as_ref().map(|c| tenths(f64::from(c.total))),
        cores = sample.cores,
        load1 = load.map(|l| tenths(l.one)),
        load5 = load.map(|l| tenths(l.five)),
        load15 = load.map(|l| tenths(l.fifteen)),
        mem_used_pct = sample.memory.and_then(|m| m.percent()).map(tenths),
        mem_used_bytes = sample.memory.map(|m| m.used),
        swap_used_pct = sample.swap.and_then(|s| s.percent()).map(tenths),
        disk_used_pct_max = fullest.map(|(p, _)| tenths(p)),
        disk_fullest = fullest.map(|(_, mount)| mount),
        net_rx_bytes_per_s = rx,
        net_tx_bytes_per_s = tx,
        uptime_s = sample.uptime.map(|u| u.as_secs()),
    );
}

/// Warn when a threshold starts being exceeded, info when it clears.
pub(super) fn threshold_crossed(change: &ThresholdChange) {
    let resource = change.resource;
    macro_rules! line {
        ($level:ident, $state:expr) => {
            $level!(
                event = events::SYSTEM_THRESHOLD,
                alert_type = resource.alert_type(),
                resource = resource.as_str(),
                mount = change.subject.as_deref(),
                state = $state,
                value = change.value.map(tenths),
                above = change.threshold.above,
                clear_below = change.threshold.clear_below,
                for_s = change.threshold.hold.as_secs(),
            )
        };
    }
    match change.crossing {
        Crossing::Exceeded => line!(warn, "exceeded"),
        Crossing::Cleared => line!(info, "cleared"),
    }
}
