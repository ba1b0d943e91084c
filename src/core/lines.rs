//! The log lines the core writes: one function per event, so every line of a kind has
//! the same fields (docs/LOGGING.md lists them).

use std::time::Duration;

use tracing::{Level, debug, error, info, warn};

use crate::config::{Config, ConfigErrors, ServiceConfig};
use crate::event::CheckResult;
use crate::log::events;
use crate::state::ServiceState;
use crate::state::store::{ReloadSummary, Transition};

/// Milliseconds to the microsecond, so lines stay short.
fn millis(duration: Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
}

/// Debug level: one line per check, tied to any state change by `check_id`.
pub(super) fn check_completed(check_id: u64, service: &ServiceConfig, result: &CheckResult) {
    if !tracing::enabled!(Level::DEBUG) {
        return;
    }
    let (status, reason) = match &result.outcome {
        crate::event::Outcome::Pass { status } => (*status, None),
        crate::event::Outcome::Fail { status, reason } => (*status, Some(reason.as_str())),
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

pub(super) fn rejected(trigger: &str, source: &std::path::Path, errors: &ConfigErrors) {
    error!(
        event = events::CONFIG_REJECTED,
        config = %source.display(),
        trigger,
        problems = errors.problems().len().max(1),
        errors = %errors,
    );
}
