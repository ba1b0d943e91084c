//! An Alertmanager's alert as the alert pane shows it beside lookout's own: an
//! [`AlertView`] whose `origin` keeps what Alertmanager says of it (labels,
//! annotations, state, the silences and alerts that suppress it).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use crate::config::Severity;
use crate::view::alert::{AlertKey, AlertKind, AlertState, AlertView, Gravity, TimelineEntry};
use crate::view::alertmanager::Remote;
use crate::view::alertmanager::{AmAlert, AmAlertState, AmSilence, LabelSet, SilenceState};

/// The label that names what an alert is about, first found wins.
const SUBJECT_LABELS: [&str; 4] = ["service", "instance", "job", "namespace"];

/// lookout's severity for an Alertmanager alert's `severity` label: `critical`,
/// `page` → critical; `high`, `error` → high; `low`, `info`, `none` → low; anything
/// else (`warning`, `medium`, no label) → medium.
pub fn severity_of(labels: &LabelSet) -> Severity {
    let word = labels
        .get("severity")
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    match word.as_str() {
        "critical" | "page" | "fatal" | "emergency" => Severity::Critical,
        "high" | "error" | "major" => Severity::High,
        "low" | "info" | "informational" | "none" | "minor" => Severity::Low,
        _ => Severity::Medium,
    }
}

/// lookout's state word for Alertmanager's: active → firing; suppressed (silenced or
/// inhibited) → silenced; not yet processed → pending.
fn state_of(state: AmAlertState) -> AlertState {
    match state {
        AmAlertState::Active => AlertState::Firing,
        AmAlertState::Suppressed => AlertState::Silenced,
        AmAlertState::Unprocessed => AlertState::Pending,
    }
}

/// The pane's row for `alert` read from `source`, under the synthetic `id`; `silences`
/// are the Alertmanager's silences by id.
pub fn view(
    source: &str,
    id: u64,
    alert: AmAlert,
    silences: &HashMap<&str, &AmSilence>,
) -> AlertView {
    let name = alert
        .labels
        .get("alertname")
        .cloned()
        .unwrap_or_else(|| "(no alertname)".to_string());
    let subject = SUBJECT_LABELS
        .iter()
        .find_map(|label| alert.labels.get(*label))
        .cloned()
        .unwrap_or_else(|| source.to_string());
    let summary = ["summary", "description", "message"]
        .iter()
        .find_map(|key| alert.annotations.get(*key))
        .map(|text| first_line(text))
        .unwrap_or_else(|| format!("{name} on {subject}"));
    let mut timeline = vec![TimelineEntry {
        at: alert.starts_at,
        what: format!("firing in Alertmanager {source}"),
    }];
    let found: Vec<AmSilence> = alert
        .silenced_by
        .iter()
        .filter_map(|id| silences.get(id.as_str()).map(|s| (*s).clone()))
        .collect();
    for silence in &found {
        timeline.push(TimelineEntry {
            at: silence.starts_at,
            what: format!("silenced by {} ({})", silence.created_by, silence.id),
        });
    }
    timeline.sort_by_key(|entry| entry.at);
    AlertView {
        id,
        key: AlertKey {
            kind: AlertKind::Rule,
            rule: Some(name),
            subject,
        },
        group: None,
        severity: severity_of(&alert.labels),
        state: state_of(alert.state),
        summary,
        started: alert.starts_at,
        fired: Some(alert.starts_at),
        resolved: None,
        ended: None,
        peak: Gravity::of(severity_of(&alert.labels), AlertKind::Rule),
        ack: None,
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline,
        origin: Some(Arc::new(Remote {
            source: source.to_string(),
            alert,
            silences: found,
        })),
    }
}

/// An annotation's first line (descriptions run to paragraphs).
fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|line| !line.is_empty())
        .unwrap_or_default()
        .to_string()
}

/// When the newest of these silences ends (for the row's "silenced, 45m left").
pub fn silenced_until(remote: &Remote) -> Option<SystemTime> {
    remote
        .silences
        .iter()
        .filter(|s| s.state == SilenceState::Active)
        .map(|s| s.ends_at)
        .max()
}
