//! The short phrases a service is summed up by, shared by cards, rows and the detail view.

use std::time::SystemTime;

use ratatui::style::Style;

use crate::contract::ServiceState;
use crate::kinds::Standing;
use crate::kinds::{Level, Outcome};
use crate::tui::view::theme::Theme;
use crate::tui::view::{format, query_facts};
use crate::view::service::ServiceView;

/// Why a DEGRADED service's last reading made it so ("85% at or above warn 80%"), when
/// its kind judges readings rather than latency.
fn warning(view: &ServiceView) -> Option<String> {
    let reading = view.last().and_then(|c| c.reading)?;
    view.config.check.warning(&reading)
}

/// The last response time (a query's last value), or "-" before the first check.
pub fn last_figure(view: &ServiceView) -> String {
    if let Some(facts) = view.config.check.value_card() {
        return query_facts::last_value(view, &facts);
    }
    view.last()
        .map_or_else(|| "-".to_string(), |c| format::latency(c.latency))
}

/// "43ms  p50 41ms  p95 88ms  99.2%  cert 41d" (a query: "97.3%  warn>80%  crit>95%  up
/// 99.2%"): everything numeric on one line, the certificate's days left last.
pub fn stats_line(view: &ServiceView, now: SystemTime) -> String {
    if let Some(facts) = view.config.check.value_card() {
        return format!(
            "{}  {}  up {}",
            query_facts::last_value(view, &facts),
            facts.context,
            format::uptime(view.stats.uptime)
        );
    }
    format!(
        "{}  p50 {}  p95 {}  {}{}",
        last_figure(view),
        optional(view.stats.p50),
        optional(view.stats.p95),
        format::uptime(view.stats.uptime),
        certificate_figure(view, now).map_or_else(String::new, |cert| format!("  {cert}"))
    )
}

/// "cert 41d" for a service whose server presented a certificate, "cert 5h" in its last
/// day, "EXPIRED cert" once it has (the word first, so a narrow card keeps it).
pub fn certificate_figure(view: &ServiceView, now: SystemTime) -> Option<String> {
    let cert = view.certificate.as_ref()?;
    Some(
        certificate_left(cert, now)
            .map_or_else(|| "EXPIRED cert".to_string(), |left| format!("cert {left}")),
    )
}

/// How the certificate's figure is drawn: dim while it has more than `certificate_warn`
/// left, as a warning under it, as a failure under `certificate_critical` (the
/// `certificate_expiring` alert's tiers).
pub fn certificate_style(view: &ServiceView, theme: &Theme, now: SystemTime) -> Style {
    let (Some(cert), Some(limits)) = (&view.certificate, view.config.check.certificate_limits())
    else {
        return theme.dim();
    };
    match limits.standing(cert.left(now)) {
        Standing::Critical => theme.fail(),
        Standing::Warning => theme.warn(),
        Standing::Fine => theme.dim(),
    }
}

/// "41d", or "5h" in the last day (whole units counted down as a timer does); `None`
/// once it has expired.
pub fn certificate_left(cert: &crate::kinds::Certificate, now: SystemTime) -> Option<String> {
    let left = cert.left(now);
    if left.is_zero() {
        return None;
    }
    // Rounded down: never more time than is left.
    let (days, secs) = (cert.days_left(now), left.as_secs());
    Some(match secs {
        _ if days >= 1 => format!("{days}d"),
        3600.. => format!("{}h", secs / 3600),
        60.. => format!("{}m", secs / 60),
        _ => "<1m".to_string(),
    })
}

/// "360 checks", "1 check".
pub fn checks(n: usize) -> String {
    if n == 1 {
        "1 check".to_string()
    } else {
        format!("{n} checks")
    }
}

/// A percentile or "-" when there were no passing checks.
pub fn optional(d: Option<std::time::Duration>) -> String {
    d.map_or_else(|| "-".to_string(), format::latency)
}

/// Why a failing service fails, and how close it is to DOWN: "status 503 · 1/2 failed";
/// for a query UNKNOWN for want of a value, why ("query returned no series").
/// `None` while the service is not failing.
pub fn failure(view: &ServiceView, theme: &Theme) -> Option<String> {
    let unreadable = view.state == ServiceState::Unknown
        && view
            .last()
            .and_then(|c| c.reading)
            .is_some_and(|r| r.level == Level::Unknown);
    let failing = view.state == ServiceState::Down || view.consecutive_failures > 0;
    if !(failing || unreadable) || view.state == ServiceState::Paused {
        return None;
    }
    let reason = view.recent.iter().rev().find_map(|c| match &c.outcome {
        Outcome::Fail { reason, .. } => Some(reason.as_str()),
        Outcome::Pass { .. } => None,
    });
    let reason = reason.unwrap_or("failing");
    if view.state == ServiceState::Down || view.consecutive_failures == 0 {
        return Some(reason.to_string());
    }
    Some(format!(
        "{reason}{}{}/{} failed",
        theme.separator(),
        view.consecutive_failures,
        view.config.failure_threshold
    ))
}

/// The line under the sparkline of a tall card: what is wrong, or how fresh the data is.
pub fn status_line(view: &ServiceView, theme: &Theme, now: SystemTime) -> (String, Style) {
    if let Some(text) = failure(view, theme) {
        return (text, theme.fail());
    }
    let Some(last) = view.last() else {
        return ("not checked yet".to_string(), theme.dim());
    };
    let ago = format::span(format::age(now, last.at));
    match view.state {
        ServiceState::Paused => (format!("paused, last check {ago} ago"), theme.dim()),
        ServiceState::Degraded if let Some(why) = warning(view) => (why, theme.state(view.state)),
        ServiceState::Degraded => {
            let limit = format::span(view.config.degraded_after);
            (format!("slower than {limit}"), theme.state(view.state))
        }
        _ => (format!("checked {ago} ago"), theme.dim()),
    }
}

/// The first line of a compact card: the failure when failing, else the numbers.
pub fn headline(view: &ServiceView, theme: &Theme, now: SystemTime) -> (String, Style) {
    if let Some(text) = failure(view, theme) {
        return (text, theme.fail());
    }
    if view.last().is_none() {
        return ("not checked yet".to_string(), theme.dim());
    }
    (stats_line(view, now), Style::new())
}
