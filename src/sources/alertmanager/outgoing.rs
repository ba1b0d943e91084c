//! Which of lookout's alerts are forwarded, and the labels and annotations they carry
//! there: `alertname`, `service`, `severity`, `instance`, `lookout_alert_id`, `group`;
//! `summary`.

use crate::view::alert::{AlertState, AlertView};

use super::model::OutgoingAlert;
use crate::view::alertmanager::LabelSet;

/// True for alerts Alertmanager hears about: firing, whether or not someone took it or
/// silenced it here (routing and silences there are Alertmanager's). Pending alerts have
/// not fired yet; resolved ones are sent once with their end.
pub(crate) fn forwarded(alert: &AlertView) -> bool {
    matches!(
        alert.state,
        AlertState::Firing | AlertState::Acked | AlertState::Silenced
    )
}

/// `alert` as Alertmanager gets it, without `endsAt` (the forwarder sets it). `instance`
/// is this machine's name, left out when it cannot be found.
pub(crate) fn outgoing(alert: &AlertView, instance: Option<&str>) -> OutgoingAlert {
    let name = match &alert.key.rule {
        Some(rule) => rule.clone(),
        None => alert.key.kind.as_str().to_string(),
    };
    let mut labels = LabelSet::new();
    labels.insert("alertname".to_string(), name);
    labels.insert("service".to_string(), alert.key.subject.clone());
    labels.insert("severity".to_string(), alert.severity.as_str().to_string());
    labels.insert("lookout_alert_id".to_string(), alert.id.to_string());
    if let Some(instance) = instance {
        labels.insert("instance".to_string(), instance.to_string());
    }
    if let Some(group) = &alert.group {
        labels.insert("group".to_string(), group.clone());
    }
    let mut annotations = LabelSet::new();
    annotations.insert("summary".to_string(), alert.summary.clone());
    OutgoingAlert {
        labels,
        annotations,
        starts_at: alert.fired.unwrap_or(alert.started),
        ends_at: None,
        generator_url: None,
    }
}
