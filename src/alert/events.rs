//! What the alert engine reports: each change of an alert (for the log, the store and
//! the notifiers), silences that start and end, and why a command was refused.

use std::sync::Arc;

use crate::view::alert::{AlertState, AlertView, Silence};

/// One thing that changed in an `evaluate` or a command.
#[derive(Debug, Clone, PartialEq)]
pub enum AlertEvent {
    /// `alert` is the alert as it is after the change (and after any other change made
    /// in the same step, so `flapping` and `silence` are already current).
    Changed {
        alert: Arc<AlertView>,
        change: AlertChange,
    },
    SilenceAdded(Silence),
    /// A silence expired or was lifted (then `until` is the moment it was lifted).
    SilenceEnded(Silence),
}

/// How an alert changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AlertChange {
    /// A new alert: the condition holds, waiting its `for`.
    Pending,
    Firing,
    Acked,
    Unacked,
    /// A silence or an open maintenance window now covers it.
    Silenced,
    /// No silence covers it any more.
    Unsilenced,
    /// The page a silence held back goes out: the silence ended with it still firing.
    Released,
    /// Its condition cleared.
    Resolved,
    /// It closed without its condition clearing (`AlertView::ended` says why): paused,
    /// removed or renamed, its rule changed, its monitor stopped.
    Ended,
    /// Still firing, nobody took it: another `reminder` period passed.
    Reminder,
    /// It got worse than it has been since it fired or was acknowledged (a higher
    /// severity, or DOWN after DEGRADED): an acknowledgement is dropped, it fires again.
    Worsened,
    /// Its kind or severity changed in place, no worse than it has been since it fired
    /// or was acknowledged (DOWN back to DEGRADED, or DOWN again after that).
    Shifted,
    FlapStarted,
    /// No firing/resolved transition for a whole `flap_window`.
    FlapEnded,
}

impl AlertChange {
    /// The word logged with the change: `alert_firing`, `alert_acked`… use `alert_` and this.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertChange::Pending => "pending",
            AlertChange::Firing => "firing",
            AlertChange::Acked => "acked",
            AlertChange::Unacked => "unacked",
            AlertChange::Silenced => "silenced",
            AlertChange::Unsilenced => "unsilenced",
            AlertChange::Resolved => "resolved",
            AlertChange::Ended => "ended",
            AlertChange::Reminder => "reminder",
            AlertChange::Worsened => "worsened",
            AlertChange::Shifted => "shifted",
            AlertChange::FlapStarted => "flap_started",
            AlertChange::FlapEnded => "flap_ended",
            AlertChange::Released => "released",
        }
    }

    /// Whether this change is worth a notice on the `[[notify]]` channels: `Firing`,
    /// `Reminder` and `Worsened` of an alert nobody has taken, `Resolved` and `Ended` of
    /// one that fired; and, so that a page held back is not lost, `Released` when its
    /// silence ends with the alert still firing (an alert that had paged before its
    /// silence does not page again when it ends: its reminders go on). A silence holds back pages, never the close of an alert
    /// that fired: a receiver must not keep an incident open for a service that is
    /// fine. A flapping alert is one incident held open until it settles, so its
    /// flapping holds nothing back.
    pub fn notifies(self, alert: &AlertView) -> bool {
        let closes = matches!(self, AlertChange::Resolved | AlertChange::Ended);
        if alert.silence.is_some() && !closes {
            return false;
        }
        let firing = alert.state == AlertState::Firing;
        match self {
            AlertChange::Firing | AlertChange::Reminder | AlertChange::Worsened => firing,
            AlertChange::Released => firing,
            AlertChange::Resolved | AlertChange::Ended => alert.fired.is_some(),
            AlertChange::Pending
            | AlertChange::Acked
            | AlertChange::Unacked
            | AlertChange::Silenced
            | AlertChange::Unsilenced
            | AlertChange::Shifted
            | AlertChange::FlapStarted
            | AlertChange::FlapEnded => false,
        }
    }
}

/// Why an ack, unack or unsilence was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AlertError {
    #[error("no alert has id {0}; it may have resolved and aged out of the history")]
    UnknownAlert(u64),
    #[error("alert {0} is already resolved; a new outage raises a new alert")]
    Resolved(u64),
    #[error("alert {0} is not acknowledged")]
    NotAcked(u64),
    #[error("no active silence has id {0}; it may have expired")]
    UnknownSilence(u64),
}
