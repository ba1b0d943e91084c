//! Alerts no watch looks at any more: whether their subject is still watched, why one
//! ends, and whether a snapshot can tell yet (after a start, before the first look).

use super::lifecycle::CONDITION_CHANGED;
use super::rules_system;
use crate::config::AlertsConfig;
use crate::contract::ServiceState;
use crate::view::alert::{AlertKey, AlertKind, AlertView};
use crate::view::snapshot::Snapshot;

/// True when what `key` is about is still watched by `snapshot`'s config (an alert read
/// back at start that no watch took up then resolves rather than ends).
pub(super) fn still_watched(snapshot: &Snapshot, config: &AlertsConfig, key: &AlertKey) -> bool {
    let subject = key.subject.as_str();
    let service = || snapshot.services.iter().any(|s| s.config.name == subject);
    match key.kind {
        AlertKind::CpuSpike | AlertKind::ResourceExhaustion => {
            snapshot.system.as_ref().is_some_and(|view| {
                view.rules
                    .iter()
                    .any(|rule| rules_system::subject(rule) == subject)
            })
        }
        AlertKind::StuckJobs | AlertKind::DatabaseIssue => snapshot
            .jobs
            .as_ref()
            .is_some_and(|jobs| jobs.table == subject),
        AlertKind::AlertmanagerUnreachable => {
            snapshot.alertmanagers.iter().any(|am| am.name == subject)
        }
        AlertKind::AlertStoreFailed => true,
        AlertKind::NotificationFailed => snapshot
            .notices
            .as_deref()
            .is_none_or(|h| h.channels.iter().any(|c| c == subject)),
        AlertKind::Rule => config
            .rules
            .iter()
            .any(|r| key.rule.as_deref() == Some(&r.name)),
        _ => service(),
    }
}

/// Why an alert ends when no watch looks at it any more; `target` when its subject was a
/// scrape target card.
pub(super) fn gone_reason(snapshot: &Snapshot, alert: &AlertView, target: bool) -> String {
    let subject = &alert.key.subject;
    let service = snapshot.services.iter().any(|s| s.config.name == *subject);
    match alert.key.kind {
        AlertKind::CpuSpike | AlertKind::ResourceExhaustion if snapshot.system.is_none() => {
            "the machine is no longer sampled ([system])".to_string()
        }
        AlertKind::CpuSpike | AlertKind::ResourceExhaustion => {
            "its threshold is no longer in the config".to_string()
        }
        AlertKind::StuckJobs | AlertKind::DatabaseIssue => {
            "[jobs] is no longer in the config".to_string()
        }
        AlertKind::AlertmanagerUnreachable => {
            format!("[[alertmanager]] {subject} is no longer in the config")
        }
        AlertKind::AlertStoreFailed => CONDITION_CHANGED.to_string(),
        AlertKind::NotificationFailed => {
            format!("[[notify]] {subject} is no longer in the config")
        }
        AlertKind::Rule if service || snapshot.system.is_some() => {
            let rule = alert.key.rule.as_deref().unwrap_or("?");
            format!("rule {rule} no longer applies to {subject} in the config")
        }
        _ if !service && target => format!("{subject} left its Prometheus's active targets"),
        _ if !service => format!("{subject} is no longer in the config (removed or renamed)"),
        _ => CONDITION_CHANGED.to_string(),
    }
}

/// True when `snapshot` cannot tell yet whether the condition of `alert` holds: its
/// service has not been checked since the start, the machine not sampled, or the job
/// monitor not through its first round.
pub(super) fn unknown(snapshot: &Snapshot, alert: &AlertView) -> bool {
    let machine = snapshot.system.is_none();
    match alert.key.kind {
        AlertKind::CpuSpike | AlertKind::ResourceExhaustion => machine,
        AlertKind::AlertmanagerUnreachable => snapshot
            .alertmanagers
            .iter()
            .find(|am| am.name == alert.key.subject)
            .is_some_and(|am| am.reached.is_none() && am.problem.is_none()),
        AlertKind::StuckJobs | AlertKind::DatabaseIssue => snapshot
            .jobs
            .as_ref()
            .is_some_and(|j| j.running && j.last_pass.is_none() && j.problem.is_none()),
        kind => {
            let subject = &alert.key.subject;
            match snapshot.services.iter().find(|s| s.config.name == *subject) {
                Some(service) => service.state == ServiceState::Unknown,
                None => kind == AlertKind::Rule && machine,
            }
        }
    }
}
