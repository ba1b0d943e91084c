//! The log lines of alerts: one per change (with the alert's id tying its lines
//! together), one per silence added or ended, and a store that could not be written.

use tracing::{error, info, warn};

use crate::alert::AlertChange;
use crate::alert::store::StoreError;
use crate::log::events;
use crate::view::alert::{AlertView, Silence};

fn event_name(change: AlertChange) -> &'static str {
    match change {
        AlertChange::Pending => events::ALERT_PENDING,
        AlertChange::Firing => events::ALERT_FIRING,
        AlertChange::Acked => events::ALERT_ACKED,
        AlertChange::Unacked => events::ALERT_UNACKED,
        AlertChange::Silenced => events::ALERT_SILENCED,
        AlertChange::Unsilenced => events::ALERT_UNSILENCED,
        AlertChange::Resolved => events::ALERT_RESOLVED,
        AlertChange::Reminder => events::ALERT_REMINDER,
        AlertChange::Worsened => events::ALERT_WORSENED,
        AlertChange::Shifted => events::ALERT_SHIFTED,
        AlertChange::Ended => events::ALERT_ENDED,
        AlertChange::FlapStarted => events::ALERT_FLAP_STARTED,
        AlertChange::FlapEnded => events::ALERT_FLAP_ENDED,
        AlertChange::Released => events::ALERT_RELEASED,
    }
}

/// One line per change, with the alert's id tying its lines together.
pub(super) fn log_change(alert: &AlertView, change: AlertChange) {
    let event = event_name(change);
    let ack = alert.ack.as_ref();
    macro_rules! line {
        ($level:ident) => {
            $level!(
                event,
                alert_id = alert.id,
                alert_type = alert.key.kind.as_str(),
                rule = alert.key.rule.as_deref(),
                subject = alert.key.subject.as_str(),
                group = alert.group.as_deref(),
                severity = alert.severity.as_str(),
                state = alert.state.as_str(),
                summary = alert.summary.as_str(),
                acked_by = ack.map(|a| a.by.as_str()),
                note = ack.and_then(|a| a.note.as_deref()),
                flapping = alert.flapping,
                reason = alert.ended.as_deref(),
            )
        };
    }
    match change {
        AlertChange::Firing | AlertChange::Worsened | AlertChange::Reminder => line!(warn),
        _ => line!(info),
    }
}

pub(super) fn log_silence(event: &str, silence: &Silence) {
    let (scope, matches) = match &silence.target {
        crate::view::alert::SilenceTarget::Alert(key) => ("alert", key.to_string()),
        crate::view::alert::SilenceTarget::Subject(subject) => ("subject", subject.clone()),
        crate::view::alert::SilenceTarget::Group(group) => ("group", group.clone()),
    };
    info!(
        event,
        silence_id = silence.id,
        scope,
        matches = matches.as_str(),
        until = %humantime::format_rfc3339_seconds(silence.until),
        by = silence.by.as_str(),
        comment = silence.comment.as_deref(),
    );
}

pub(super) fn store_failed(err: &StoreError) {
    error!(event = events::ALERT_STORE_FAILED, error = %err);
}
