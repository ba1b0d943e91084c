//! The one line an alert shows: "payments is DOWN: connection refused". Made at each
//! evaluation of an alert that is open, so it says how things are now, never what they
//! were when it fired (the timeline keeps that).

use std::time::{Duration, SystemTime};

use super::rules::{self, Check, Watch};
use super::rules_system;
use crate::config::{AlertRule, AlertsConfig, Metric, RuleThreshold};
use crate::contract::{Resource, ServiceState};
use crate::kinds::Outcome;
use crate::view::alert::AlertKind;
use crate::view::machine::Level;
use crate::view::machine::SystemView;
use crate::view::service::ServiceView;

/// The line for the alert of `watch` on `service`, from the tier it describes now
/// (`check`), or, for a service incident whose condition cleared, how it is getting
/// better; `None` keeps the line shown. Made anew at each evaluation, so it is about now:
/// the timeline keeps what was said at each change.
pub(crate) fn service(
    check: Option<Check>,
    watch: &Watch,
    service: &ServiceView,
    config: &AlertsConfig,
    now: SystemTime,
) -> Option<String> {
    let name = &service.config.name;
    let Some(check) = check else {
        // What is true now, for the line an alert resolves with: how the service is
        // getting better, or the certificate that ended the alert (renewed).
        return match watch.key.kind {
            kind if kind.is_service_incident() => Some(recovering(service)),
            AlertKind::CertificateExpiring => Some(certificate_line(service, now)),
            _ => None,
        };
    };
    Some(match check {
        Check::Down => {
            let reason = service.recent.iter().rev().find_map(|c| match &c.outcome {
                Outcome::Fail { reason, .. } => Some(reason.as_str()),
                Outcome::Pass { .. } => None,
            });
            match reason {
                Some(reason) => format!("{name} is DOWN: {reason}"),
                None => format!("{name} is DOWN"),
            }
        }
        Check::Degraded => {
            let reading = service.last().and_then(|c| c.reading);
            if let Some(why) = reading.and_then(|r| service.config.check.warning(&r)) {
                return Some(format!("{name} is DEGRADED: {why}"));
            }
            // What made it DEGRADED: its last check's time, not the window's p95 (which
            // a long fast history keeps low).
            let limit = latency(service.config.degraded_after);
            match service
                .last()
                .filter(|c| c.latency > service.config.degraded_after)
            {
                Some(check) => format!(
                    "{name} is DEGRADED: its last check took {} (slower than {limit})",
                    latency(check.latency)
                ),
                None => format!("{name} is DEGRADED: slower than {limit}"),
            }
        }
        Check::ErrorRate => {
            let (failed, checks) =
                rules::failures_since(service, watch.floor, config.error_rate_window);
            let rate = if checks == 0 {
                0.0
            } else {
                failed as f64 / checks as f64
            };
            format!(
                "{name} failed {failed} of its last {checks} checks ({}, above {})",
                percent(rate * 100.0),
                percent(config.error_rate * 100.0)
            )
        }
        Check::Rule(i) => match config.rules.get(i) {
            Some(rule) => {
                let value = match rule.metric {
                    Metric::State => Some(service.state.as_str().to_string()),
                    metric => rules::service_value(metric, service, config, watch.floor)
                        .map(|v| shown(metric, v)),
                };
                rule_line(rule, name, value)
            }
            None => format!("{name}: a rule holds"),
        },
        Check::CertificateWarn | Check::CertificateCritical => certificate_line(service, now),
        Check::Threshold
        | Check::StuckJobs
        | Check::DatabaseIssue
        | Check::AlertmanagerUnreachable
        | Check::AlertStoreFailed
        | Check::NotificationFailed => {
            format!("{name}: a threshold is exceeded")
        }
    })
}

/// "shop's certificate expires in 12 days (2027-01-17)", "… in 5h", "… expired on …".
fn certificate_line(service: &ServiceView, now: SystemTime) -> String {
    let name = &service.config.name;
    let Some(cert) = service.certificate.as_ref() else {
        return format!("{name}'s certificate expires soon");
    };
    let date = cert.expiry_day();
    let left = cert.left(now);
    match cert.days_left(now) {
        _ if left.is_zero() => format!("{name}'s certificate expired on {date}"),
        0 => {
            let left = crate::words::short_age(left);
            format!("{name}'s certificate expires in {left} ({date})")
        }
        1 => format!("{name}'s certificate expires in 1 day ({date})"),
        days => format!("{name}'s certificate expires in {days} days ({date})"),
    }
}

/// What comes before a recovering service's countdown in its line.
const COUNTDOWN: &str = ": resolves after ";

/// A recovering service's line without its countdown ("api is UP again"): a flapping
/// alert held open resolves once it settles, not after those checks.
pub(crate) fn without_countdown(line: &str) -> &str {
    line.split_once(COUNTDOWN)
        .map_or(line, |(before, _)| before)
}

/// A service incident whose condition cleared, before it resolves: "api is UP again:
/// resolves after 2 more healthy checks".
fn recovering(service: &ServiceView) -> String {
    let name = &service.config.name;
    let state = service.state;
    if state == ServiceState::Unknown {
        return format!("{name} is UNKNOWN: waiting for a check to say how it is");
    }
    let wanted = service.config.success_threshold;
    match wanted.saturating_sub(service.healthy_in_row) {
        0 => format!("{name} is {state} again"),
        1 => format!("{name} is {state} again{COUNTDOWN}1 more healthy check"),
        more => format!("{name} is {state} again{COUNTDOWN}{more} more healthy checks"),
    }
}

/// The line for a machine alert about `subject`.
pub(crate) fn system(
    check: Check,
    subject: &str,
    view: Option<&SystemView>,
    config: &AlertsConfig,
) -> String {
    match check {
        Check::Rule(i) => match config.rules.get(i) {
            Some(rule) => {
                let value = view
                    .and_then(|v| rules_system::value(rule.metric, subject, v))
                    .map(|v| shown(rule.metric, v));
                rule_line(rule, subject, value)
            }
            None => format!("{subject}: a rule holds"),
        },
        _ => {
            let found =
                view.and_then(|v| v.rules.iter().find(|r| rules_system::subject(r) == subject));
            // Only thresholds above their line are listed.
            let Some(rule) = found else {
                return format!("{subject} back under its threshold");
            };
            let exceeded = matches!(rule.level, Level::Exceeded { .. });
            let (value, above, clears) = match rule.resource {
                Resource::Load => (
                    format!("{:.2} per core", rule.value),
                    format!("{:.2}", rule.threshold.above),
                    format!("{:.2}", rule.threshold.clear_below),
                ),
                _ => (
                    percent(rule.value),
                    percent(rule.threshold.above),
                    percent(rule.threshold.clear_below),
                ),
            };
            let what = match (&rule.subject, rule.resource) {
                (Some(mount), Resource::Inodes) => format!("inodes on {mount}"),
                (Some(mount), _) => format!("disk {mount}"),
                (None, resource) => resource.as_str().to_string(),
            };
            let lasted = short(rule.threshold.hold);
            if !exceeded {
                format!("{what} at {value} (above {above}, not yet for {lasted})")
            } else if rule.value > rule.threshold.above {
                format!("{what} at {value} (above {above} for {lasted})")
            } else {
                // Back under the line, not yet at the clear line: still exceeded.
                format!("{what} at {value} (exceeded {above}, clears at {clears})")
            }
        }
    }
}

/// The rule's own `summary` with `{subject}`, `{value}` and `{threshold}` filled in, or
/// "checkout: latency_p95 1.3s > 500ms".
fn rule_line(rule: &AlertRule, subject: &str, value: Option<String>) -> String {
    let value = value.unwrap_or_else(|| "n/a".to_string());
    let threshold = match rule.threshold {
        RuleThreshold::State(state) => state.as_str().to_string(),
        RuleThreshold::Number(n) => shown(rule.metric, n),
    };
    match &rule.summary {
        Some(template) => template
            .replace("{subject}", subject)
            .replace("{value}", &value)
            .replace("{threshold}", &threshold),
        None => format!(
            "{subject}: {} {value} {} {threshold}",
            rule.metric.as_str(),
            rule.op.as_str()
        ),
    }
}

/// A figure in its metric's unit.
fn shown(metric: Metric, value: f64) -> String {
    match metric {
        Metric::LatencyP95 => latency(Duration::from_secs_f64(value.max(0.0) / 1000.0)),
        Metric::ErrorRate => percent(value * 100.0),
        _ => percent(value),
    }
}

fn percent(value: f64) -> String {
    match value.fract() == 0.0 {
        true => format!("{value:.0}%"),
        false => format!("{value:.1}%"),
    }
}

/// "850ms", "1.3s".
fn latency(d: Duration) -> String {
    match d.as_millis() {
        ms if ms < 1000 => format!("{ms}ms"),
        ms if ms % 1000 == 0 => format!("{}s", ms / 1000),
        _ => format!("{:.1}s", d.as_secs_f64()),
    }
}

/// "45s", "6m", "1h 5m": whole seconds, the two largest units.
pub(crate) fn short(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 if secs.is_multiple_of(60) => format!("{}m", secs / 60),
        60..3600 => format!("{}m {}s", secs / 60, secs % 60),
        _ if secs % 3600 / 60 == 0 => format!("{}h", secs / 3600),
        _ => format!("{}h {}m", secs / 3600, secs % 3600 / 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_open_line_drops_only_the_countdown() {
        assert_eq!(
            without_countdown("api is UP again: resolves after 2 more healthy checks"),
            "api is UP again"
        );
        assert_eq!(without_countdown("api is UP again"), "api is UP again");
        assert_eq!(
            without_countdown("api is DEGRADED: slower than 1s"),
            "api is DEGRADED: slower than 1s"
        );
    }
}
