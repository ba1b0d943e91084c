//! What an alert is, as the engine, the store, the screen, the API and the notifiers
//! all see it: its key, state, severity, acknowledgement, silence and timeline.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Severity;
use crate::sources::alertmanager::Remote;

/// The contract's alert types (PRODUCT.md), plus rules written in config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertKind {
    ServiceDown,
    PerformanceDegradation,
    HighErrorRate,
    CpuSpike,
    ResourceExhaustion,
    StuckJobs,
    DatabaseIssue,
    /// An `[[alertmanager]]` does not answer.
    AlertmanagerUnreachable,
    /// An `[[alerts.rule]]`; its name is in [`AlertKey::rule`].
    Rule,
}

impl AlertKind {
    pub const ALL: [AlertKind; 9] = [
        AlertKind::ServiceDown,
        AlertKind::PerformanceDegradation,
        AlertKind::HighErrorRate,
        AlertKind::CpuSpike,
        AlertKind::ResourceExhaustion,
        AlertKind::StuckJobs,
        AlertKind::DatabaseIssue,
        AlertKind::AlertmanagerUnreachable,
        AlertKind::Rule,
    ];

    /// The contract word, used on screen, in logs, in JSON and in the store.
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::ServiceDown => "service_down",
            AlertKind::PerformanceDegradation => "performance_degradation",
            AlertKind::HighErrorRate => "high_error_rate",
            AlertKind::CpuSpike => "cpu_spike",
            AlertKind::ResourceExhaustion => "resource_exhaustion",
            AlertKind::StuckJobs => "stuck_jobs",
            AlertKind::DatabaseIssue => "database_issue",
            AlertKind::AlertmanagerUnreachable => "alertmanager_unreachable",
            AlertKind::Rule => "rule",
        }
    }

    /// The kind a contract word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }
}

/// What an alert is about; two conditions with the same key are the same alert.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AlertKey {
    pub kind: AlertKind,
    /// The `[[alerts.rule]]` name, for `AlertKind::Rule`.
    pub rule: Option<String>,
    /// The service name, the mount point, `cpu`, `memory`, the jobs table…
    pub subject: String,
}

impl fmt::Display for AlertKey {
    /// `service_down/payments`, `rule:slow-checkout/checkout-api`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.rule {
            Some(rule) => write!(f, "rule:{rule}/{}", self.subject),
            None => write!(f, "{}/{}", self.kind.as_str(), self.subject),
        }
    }
}

/// Where an alert is in its life (PRODUCT.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AlertState {
    /// The condition holds but has not lasted its `for` yet.
    Pending,
    Firing,
    /// Firing, and someone has taken it: no reminders.
    Acked,
    /// Firing inside a silence or maintenance window: shown, never notified.
    Silenced,
    Resolved,
}

impl AlertState {
    pub const ALL: [AlertState; 5] = [
        AlertState::Pending,
        AlertState::Firing,
        AlertState::Acked,
        AlertState::Silenced,
        AlertState::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
            AlertState::Acked => "acked",
            AlertState::Silenced => "silenced",
            AlertState::Resolved => "resolved",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == word)
    }
}

/// Who took an alert, when, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ack {
    /// `$USER@host` for the keyboard, the API caller's name otherwise.
    pub by: String,
    pub at: SystemTime,
    pub note: Option<String>,
}

/// What a silence covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum SilenceTarget {
    /// One alert, by key.
    Alert(AlertKey),
    /// Every alert about this subject (a service name, a mount).
    Subject(String),
    /// Every alert about a service of this group.
    Group(String),
}

/// A silence: matching alerts are shown, marked, and never notified until it ends.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Silence {
    /// Unique for the life of the state directory.
    pub id: u64,
    pub target: SilenceTarget,
    pub created: SystemTime,
    pub until: SystemTime,
    pub by: String,
    pub comment: Option<String>,
}

impl Silence {
    pub fn active_at(&self, now: SystemTime) -> bool {
        self.created <= now && now < self.until
    }
}

/// One line of an alert's timeline: a transition, an ack, a reminder…
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineEntry {
    pub at: SystemTime,
    /// "pending", "firing", "acked by ana@db1: on it", "reminder", "resolved"…
    pub what: String,
}

/// The most timeline entries an alert keeps (the oldest are dropped).
pub const TIMELINE_LIMIT: usize = 50;

/// An alert as every frontend sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertView {
    /// Unique for the life of the state directory (a new incarnation after a resolve
    /// gets a new id).
    pub id: u64,
    pub key: AlertKey,
    /// The group of the service it is about, for silences by group and the pane.
    pub group: Option<String>,
    pub severity: Severity,
    pub state: AlertState,
    /// One line: "payments is DOWN: connection refused".
    pub summary: String,
    /// When the condition was first seen true (start of pending).
    pub started: SystemTime,
    pub fired: Option<SystemTime>,
    pub resolved: Option<SystemTime>,
    pub ack: Option<Ack>,
    /// The silence it is under, if any.
    pub silence: Option<Silence>,
    /// Many transitions inside the flap window: notifications wait until it settles.
    pub flapping: bool,
    /// Oldest first, at most `TIMELINE_LIMIT`.
    pub timeline: Vec<TimelineEntry>,
    /// `None` for lookout's own alerts; an Alertmanager's alert shown in the pane keeps
    /// what Alertmanager says of it here.
    pub origin: Option<Arc<Remote>>,
}

impl AlertView {
    /// True for lookout's own alerts, false for an Alertmanager's shown in the pane.
    pub fn is_own(&self) -> bool {
        self.origin.is_none()
    }

    /// How long it has been in trouble at `now` (since `started`).
    pub fn age(&self, now: SystemTime) -> Duration {
        now.duration_since(self.started).unwrap_or_default()
    }

    /// Active alerts order: most severe first, then oldest first.
    pub fn pane_order(a: &AlertView, b: &AlertView) -> std::cmp::Ordering {
        b.severity
            .cmp(&a.severity)
            .then(a.started.cmp(&b.started))
            .then(a.id.cmp(&b.id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_the_contract_and_parse_back() {
        let kinds: Vec<&str> = AlertKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "service_down",
                "performance_degradation",
                "high_error_rate",
                "cpu_spike",
                "resource_exhaustion",
                "stuck_jobs",
                "database_issue",
                "alertmanager_unreachable",
                "rule"
            ]
        );
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
        }
        let states: Vec<&str> = AlertState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            states,
            ["pending", "firing", "acked", "silenced", "resolved"]
        );
        for state in AlertState::ALL {
            assert_eq!(AlertState::parse(state.as_str()), Some(state));
        }
    }

    #[test]
    fn keys_read_as_kind_and_subject() {
        let down = AlertKey {
            kind: AlertKind::ServiceDown,
            rule: None,
            subject: "payments".into(),
        };
        assert_eq!(down.to_string(), "service_down/payments");
        let rule = AlertKey {
            kind: AlertKind::Rule,
            rule: Some("slow-checkout".into()),
            subject: "checkout-api".into(),
        };
        assert_eq!(rule.to_string(), "rule:slow-checkout/checkout-api");
    }
}
