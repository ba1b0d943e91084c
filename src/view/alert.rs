//! What an alert is, as the engine, the store, the screen, the API and the notifiers
//! all see it: its key, state, severity, acknowledgement, silence and timeline.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Severity;
use crate::view::alertmanager::Remote;

/// The contract's alert types (PRODUCT.md), plus rules written in config.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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
    /// The state directory does not take lookout's writes: acks and silences are held
    /// in memory only, and a restart would lose them.
    AlertStoreFailed,
    /// A `[[notify]]` channel lost a notice (every attempt failed, or its queue was
    /// full) and has not delivered one since.
    NotificationFailed,
    /// An HTTPS service's certificate is close to its expiry (or past it), while the
    /// service itself may be UP.
    CertificateExpiring,
    /// An `[[alerts.rule]]`; its name is in [`AlertKey::rule`].
    Rule,
}

impl AlertKind {
    pub const ALL: [AlertKind; 12] = [
        AlertKind::ServiceDown,
        AlertKind::PerformanceDegradation,
        AlertKind::HighErrorRate,
        AlertKind::CpuSpike,
        AlertKind::ResourceExhaustion,
        AlertKind::StuckJobs,
        AlertKind::DatabaseIssue,
        AlertKind::AlertmanagerUnreachable,
        AlertKind::AlertStoreFailed,
        AlertKind::NotificationFailed,
        AlertKind::CertificateExpiring,
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
            AlertKind::AlertStoreFailed => "alert_store_failed",
            AlertKind::NotificationFailed => "notification_failed",
            AlertKind::CertificateExpiring => "certificate_expiring",
            AlertKind::Rule => "rule",
        }
    }

    /// The kind a contract word names.
    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.as_str() == word)
    }

    /// lookout's own kinds about a service: a service has one incident of these at a
    /// time, which moves between them in place.
    pub fn is_service_incident(self) -> bool {
        matches!(
            self,
            AlertKind::ServiceDown | AlertKind::PerformanceDegradation | AlertKind::HighErrorRate
        )
    }

    /// How bad a kind is beside the others of its incident: slow, then failing now and
    /// then, then down. Kinds with no others rank alike.
    pub fn rank(self) -> u8 {
        match self {
            AlertKind::ServiceDown => 2,
            AlertKind::HighErrorRate => 1,
            _ => 0,
        }
    }
}

/// What an alert is about; two conditions with the same key are the same alert.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct AlertKey {
    pub kind: AlertKind,
    /// The `[[alerts.rule]]` name, for `AlertKind::Rule`.
    pub rule: Option<String>,
    /// The service name, the mount point, `cpu`, `memory`, the jobs table…
    pub subject: String,
}

impl AlertKey {
    /// The key of the incident this alert is part of: lookout's service kinds share one
    /// per service (written with `service_down`), every other key is its own. The book,
    /// silences of one alert and flap records go by it, so an incident that changes
    /// kind stays one alert.
    pub fn incident(&self) -> AlertKey {
        if self.kind.is_service_incident() {
            AlertKey {
                kind: AlertKind::ServiceDown,
                rule: None,
                subject: self.subject.clone(),
            }
        } else {
            self.clone()
        }
    }

    /// True when both keys name the same incident.
    pub fn same_incident(&self, other: &AlertKey) -> bool {
        let family = |k: &AlertKey| k.kind.is_service_incident();
        match (family(self), family(other)) {
            (true, true) => self.subject == other.subject,
            (false, false) => self == other,
            _ => false,
        }
    }
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
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub enum AlertState {
    /// The condition holds but has not lasted its `for` yet.
    Pending,
    Firing,
    /// Firing, and someone has taken it: no reminders.
    Acked,
    /// Firing inside a silence or maintenance window: shown, never notified.
    Silenced,
    /// Its condition cleared (for a service: healthy for `success_threshold` checks).
    Resolved,
    /// Closed without its condition clearing: the service was paused, removed or renamed,
    /// its rule changed, the job monitor was stopped. Never said to be resolved.
    Ended,
}

impl AlertState {
    pub const ALL: [AlertState; 6] = [
        AlertState::Pending,
        AlertState::Firing,
        AlertState::Acked,
        AlertState::Silenced,
        AlertState::Resolved,
        AlertState::Ended,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            AlertState::Pending => "pending",
            AlertState::Firing => "firing",
            AlertState::Acked => "acked",
            AlertState::Silenced => "silenced",
            AlertState::Resolved => "resolved",
            AlertState::Ended => "ended",
        }
    }

    /// Resolved or ended: in the history, no longer in the pane.
    pub fn is_closed(self) -> bool {
        matches!(self, AlertState::Resolved | AlertState::Ended)
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == word)
    }
}

/// Who took an alert, when, and why.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Ack {
    /// `$USER@host` for the keyboard, the API caller's name otherwise.
    pub by: String,
    pub at: SystemTime,
    pub note: Option<String>,
}

/// What a silence covers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SilenceTarget {
    /// One alert, by key.
    Alert(AlertKey),
    /// Every alert about this subject (a service name, a mount).
    Subject(String),
    /// Every alert about a service of this group.
    Group(String),
}

/// A silence: matching alerts are shown, marked, and never notified until it ends.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
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

/// How bad an alert is, to compare two moments of one incident: its severity, then the
/// rank of its kind ([`AlertKind::rank`]).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
pub struct Gravity {
    pub severity: Severity,
    pub rank: u8,
}

impl Gravity {
    pub fn of(severity: Severity, kind: AlertKind) -> Self {
        Self {
            severity,
            rank: kind.rank(),
        }
    }
}

/// One line of an alert's timeline: a transition, an ack, a reminder…
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TimelineEntry {
    pub at: SystemTime,
    /// "pending", "firing", "acked by ana@db1: on it", "reminder", "resolved"…
    pub what: String,
}

/// The most timeline entries an alert keeps (the oldest are dropped).
pub const TIMELINE_LIMIT: usize = 50;

/// An alert as every frontend sees it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
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
    /// When it closed: resolved, or ended (then `ended` says why).
    pub resolved: Option<SystemTime>,
    /// Why it ended without resolving ("paused", "removed from the config"…).
    pub ended: Option<String>,
    /// The worst it has been since it fired or was last acknowledged: going past it is
    /// news (`worsened`, the ack dropped); coming back to it is not.
    pub peak: Gravity,
    pub ack: Option<Ack>,
    /// The silence it is under, if any.
    pub silence: Option<Silence>,
    /// Many transitions inside the flap window: notifications wait until it settles.
    pub flapping: bool,
    /// A page held back by a silence (it fired or worsened while silenced): it goes out
    /// as `firing` when the silence ends with the alert still firing, and only then.
    #[serde(default)]
    pub page_owed: bool,
    /// When the next reminder is due while it fires with nobody on it (kept across a
    /// restart, so restarting does not put reminders off).
    #[serde(default)]
    pub next_reminder: Option<SystemTime>,
    /// Its recent firing and clearing transitions inside the flap window, oldest first
    /// (what flap detection counts; kept across a restart, so a restart neither starts
    /// the count over nor the wait for the flapping to settle).
    #[serde(default)]
    pub flap_marks: Vec<SystemTime>,
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

    /// How bad it is now.
    pub fn gravity(&self) -> Gravity {
        Gravity::of(self.severity, self.key.kind)
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
                "alert_store_failed",
                "notification_failed",
                "certificate_expiring",
                "rule"
            ]
        );
        for kind in AlertKind::ALL {
            assert_eq!(AlertKind::parse(kind.as_str()), Some(kind));
        }
        let states: Vec<&str> = AlertState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            states,
            [
                "pending", "firing", "acked", "silenced", "resolved", "ended"
            ]
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

    #[test]
    fn a_services_kinds_are_one_incident_and_rank_slow_failing_down() {
        let key = |kind, rule: Option<&str>, subject: &str| AlertKey {
            kind,
            rule: rule.map(str::to_string),
            subject: subject.to_string(),
        };
        let down = key(AlertKind::ServiceDown, None, "api");
        let slow = key(AlertKind::PerformanceDegradation, None, "api");
        let errors = key(AlertKind::HighErrorRate, None, "api");
        assert_eq!(slow.incident(), down);
        assert_eq!(errors.incident(), down);
        assert!(slow.same_incident(&errors));
        assert!(!slow.same_incident(&key(AlertKind::ServiceDown, None, "db")));
        let rule = key(AlertKind::Rule, Some("p95"), "api");
        assert_eq!(rule.incident(), rule);
        assert!(!rule.same_incident(&down));
        let cpu = key(AlertKind::CpuSpike, None, "cpu");
        assert!(cpu.same_incident(&cpu.clone()));
        let ranks: Vec<u8> = [slow, errors, down].iter().map(|k| k.kind.rank()).collect();
        assert_eq!(ranks, [0, 1, 2]);
        use crate::config::Severity::{High, Medium};
        assert!(
            Gravity::of(High, AlertKind::ServiceDown) > Gravity::of(High, AlertKind::HighErrorRate)
        );
        assert!(
            Gravity::of(High, AlertKind::PerformanceDegradation)
                > Gravity::of(Medium, AlertKind::ServiceDown)
        );
    }
}
