//! The short words an alert is shown with, shared by the pane, its one-line summary, the
//! history and the detail view: severity, kind, age, what someone did about it.

use std::time::{Duration, SystemTime};

use crate::config::Severity;
use crate::tui::view::format;
use crate::tui::view::theme::Theme;
use crate::view::alert::{AlertKey, AlertKind, AlertState, AlertView};
use crate::view::alertmanager::{Remote, SilenceState};

/// Four cells at most: "crit", "high", "med", "low".
pub fn severity_short(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "crit",
        Severity::High => "high",
        Severity::Medium => "med",
        Severity::Low => "low",
    }
}

/// What is wrong, in a word or two after the subject: "DOWN", "DEGRADED", "spike" (cpu),
/// "full" (/var), "stuck" (jobs), or the rule's name.
pub fn kind_label(key: &AlertKey) -> &str {
    match key.kind {
        AlertKind::ServiceDown => "DOWN",
        AlertKind::PerformanceDegradation => "DEGRADED",
        AlertKind::HighErrorRate => "errors",
        AlertKind::CpuSpike => "spike",
        AlertKind::ResourceExhaustion => "full",
        AlertKind::StuckJobs => "stuck",
        AlertKind::DatabaseIssue => "db issue",
        AlertKind::AlertmanagerUnreachable => "unreachable",
        AlertKind::AlertStoreFailed => "not saving",
        AlertKind::NotificationFailed => "not sent",
        AlertKind::CertificateExpiring => "cert",
        AlertKind::Rule => key.rule.as_deref().unwrap_or("rule"),
    }
}

/// At most six cells: "45s", "4m", "3h12m", "2d3h", "120d".
pub fn age(d: Duration) -> String {
    let secs = d.as_secs();
    let (days, hours, minutes) = (secs / 86_400, (secs % 86_400) / 3600, (secs % 3600) / 60);
    match (days, hours, minutes) {
        (0, 0, 0) => format!("{secs}s"),
        (0, 0, m) => format!("{m}m"),
        (0, h, 0) => format!("{h}h"),
        (0, h, m) => format!("{h}h{m}m"),
        (d, 0, _) | (d @ 10.., _, _) => format!("{d}d"),
        (d, h, _) => format!("{d}d{h}h"),
    }
}

/// "45m left", or "ended" once `until` has passed. Counted down as a timer is: up to the
/// next whole second under a minute, the next whole minute above (a 15m silence just
/// made shows "15m left", not "14m left").
pub fn left(until: SystemTime, now: SystemTime) -> String {
    match until.duration_since(now) {
        Ok(rest) if !rest.is_zero() => {
            let secs = rest.as_secs() + u64::from(rest.subsec_nanos() > 0);
            let shown = match secs {
                0..=60 => secs,
                _ => secs.div_ceil(60) * 60,
            };
            format!("{} left", age(Duration::from_secs(shown)))
        }
        _ => "ended".to_string(),
    }
}

/// How long a resolved alert lasted, from its start.
pub fn lasted(alert: &AlertView) -> Option<Duration> {
    alert.resolved?.duration_since(alert.started).ok()
}

/// What was done about an alert, for the end of its row: "acked by ana@db1",
/// "silenced, 45m left", "flapping", "lasted 17m"; joined by the theme's separator.
pub fn remark(alert: &AlertView, theme: &Theme, now: SystemTime) -> String {
    let mut parts = Vec::new();
    let closed = alert.state.is_closed();
    if let Some(why) = &alert.ended {
        parts.push(format!("ended: {why}"));
    }
    if closed && let Some(d) = lasted(alert) {
        parts.push(format!("lasted {}", age(d)));
    }
    if let Some(ack) = &alert.ack {
        parts.push(format!("acked by {}", ack.by));
    }
    if let Some(silence) = &alert.silence
        && !closed
    {
        parts.push(format!("silenced, {}", left(silence.until, now)));
    }
    if alert.flapping && !closed {
        parts.push("flapping".to_string());
    }
    if let Some(remote) = &alert.origin {
        parts.extend(remote_remark(remote, now));
    }
    parts.join(theme.separator())
}

/// What holds an Alertmanager's alert back: "silenced 3f2a9c1e, 45m left",
/// "inhibited".
fn remote_remark(remote: &Remote, now: SystemTime) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(silence) = remote
        .silences
        .iter()
        .find(|s| s.state == SilenceState::Active)
    {
        let more = remote.silences.len().saturating_sub(1);
        let more = if more > 0 {
            format!(" +{more}")
        } else {
            String::new()
        };
        parts.push(format!(
            "silenced {}{more}, {}",
            short_id(&silence.id),
            left(silence.ends_at, now)
        ));
    } else if !remote.alert.silenced_by.is_empty() {
        parts.push("silenced".to_string());
    }
    if !remote.alert.inhibited_by.is_empty() {
        parts.push("inhibited".to_string());
    }
    parts
}

/// The first block of an Alertmanager id (a UUID): enough to tell silences apart.
pub fn short_id(id: &str) -> &str {
    id.split('-').next().unwrap_or(id)
}

/// "≥high", "critical only", or `None` when every severity is shown.
pub fn filter_label(min: Option<Severity>, theme: &Theme) -> Option<String> {
    match min? {
        Severity::Critical => Some("critical only".to_string()),
        other => Some(format!("{}{}", theme.at_least(), other.as_str())),
    }
}

/// "crit billing DOWN 4m": the one-glance form of an alert.
pub fn glance(alert: &AlertView, now: SystemTime) -> String {
    format!(
        "{} {} {} {}",
        severity_short(alert.severity),
        alert.key.subject,
        kind_label(&alert.key),
        age(alert.age(now))
    )
}

/// How many active alerts are in each state, in the order the screen lists them:
/// firing, acked, silenced, pending.
pub fn state_counts(alerts: &[std::sync::Arc<AlertView>]) -> [(AlertState, usize); 4] {
    let mut counts = [
        (AlertState::Firing, 0),
        (AlertState::Acked, 0),
        (AlertState::Silenced, 0),
        (AlertState::Pending, 0),
    ];
    for alert in alerts {
        if let Some(slot) = counts.iter_mut().find(|(state, _)| *state == alert.state) {
            slot.1 += 1;
        }
    }
    counts
}

/// "2 firing · 1 acked": the non-zero counts, at most `limit` of them.
pub fn counts_text(counts: &[(AlertState, usize)], limit: usize, theme: &Theme) -> String {
    let parts: Vec<String> = counts
        .iter()
        .filter(|(_, n)| *n > 0)
        .take(limit)
        .map(|(state, n)| format!("{n} {}", state.as_str()))
        .collect();
    parts.join(theme.separator())
}

/// "22:09:10 (4m ago)".
pub fn when(at: SystemTime, now: SystemTime) -> String {
    format!("{} ({} ago)", format::clock(at), age(format::age(now, at)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_stay_short() {
        let cases = [
            (0, "0s"),
            (45, "45s"),
            (240, "4m"),
            (3600, "1h"),
            (3 * 3600 + 12 * 60, "3h12m"),
            (86_400, "1d"),
            (2 * 86_400 + 3 * 3600, "2d3h"),
            (120 * 86_400 + 3600, "120d"),
        ];
        for (secs, want) in cases {
            assert_eq!(age(Duration::from_secs(secs)), want, "{secs}");
        }
    }

    #[test]
    fn silences_count_down_then_end() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        assert_eq!(left(now + Duration::from_secs(2700), now), "45m left");
        let just_made = now + Duration::from_secs(900) - Duration::from_millis(300);
        assert_eq!(left(just_made, now), "15m left");
        assert_eq!(left(now + Duration::from_secs(841), now), "15m left");
        assert_eq!(left(now + Duration::from_millis(59_200), now), "1m left");
        assert_eq!(left(now + Duration::from_millis(1_500), now), "2s left");
        assert_eq!(left(now, now), "ended");
        assert_eq!(left(now - Duration::from_secs(5), now), "ended");
    }
}
