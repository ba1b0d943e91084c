//! An Alertmanager as the pane sees it: its alerts and silences, owned and typed, and
//! where a remote alert in the pane comes from.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use crate::view::alert::{AlertKey, AlertView};

/// Label or annotation names and values, sorted by name.
pub type LabelSet = BTreeMap<String, String>;

/// One alert as Alertmanager holds it (`GET /api/v2/alerts`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AmAlert {
    /// Alertmanager's hash of the labels: the alert's identity there.
    pub fingerprint: String,
    pub labels: LabelSet,
    pub annotations: LabelSet,
    pub starts_at: SystemTime,
    /// When it ends, or (for an alert still being re-sent) when it would if no sender
    /// renewed it.
    pub ends_at: SystemTime,
    pub updated_at: SystemTime,
    pub state: AmAlertState,
    /// Ids of the silences that suppress it.
    pub silenced_by: Vec<String>,
    /// Fingerprints of the alerts that inhibit it.
    pub inhibited_by: Vec<String>,
    /// The back-link to what raised it, when the sender gave one.
    pub generator_url: Option<String>,
    /// Names of the receivers its route leads to.
    pub receivers: Vec<String>,
}

/// `status.state` of an Alertmanager alert.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum AmAlertState {
    /// Received, not yet through the routing pipeline.
    Unprocessed,
    Active,
    /// Silenced or inhibited (`silenced_by`, `inhibited_by` say which).
    Suppressed,
}

impl AmAlertState {
    pub const ALL: [AmAlertState; 3] = [
        AmAlertState::Unprocessed,
        AmAlertState::Active,
        AmAlertState::Suppressed,
    ];

    /// The API's word, also shown on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            AmAlertState::Unprocessed => "unprocessed",
            AmAlertState::Active => "active",
            AmAlertState::Suppressed => "suppressed",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == word)
    }
}

/// A label matcher of a silence.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Matcher {
    pub name: String,
    pub value: String,
    pub is_regex: bool,
    /// False for a negative matcher (`!=`, `!~`).
    pub is_equal: bool,
}

impl Matcher {
    /// `name="value"`: the label must have exactly this value.
    pub fn equal(name: &str, value: &str) -> Self {
        Self {
            name: name.to_string(),
            value: value.to_string(),
            is_regex: false,
            is_equal: true,
        }
    }
}

/// A silence as Alertmanager holds it (`GET /api/v2/silences`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AmSilence {
    pub id: String,
    pub matchers: Vec<Matcher>,
    pub starts_at: SystemTime,
    pub ends_at: SystemTime,
    pub updated_at: SystemTime,
    pub created_by: String,
    pub comment: String,
    pub state: SilenceState,
}

/// `status.state` of a silence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum SilenceState {
    /// Starts later.
    Pending,
    Active,
    /// Ended (or expired early by `DELETE`).
    Expired,
}

impl SilenceState {
    pub const ALL: [SilenceState; 3] = [
        SilenceState::Pending,
        SilenceState::Active,
        SilenceState::Expired,
    ];

    /// The API's word, also shown on screen.
    pub fn as_str(self) -> &'static str {
        match self {
            SilenceState::Pending => "pending",
            SilenceState::Active => "active",
            SilenceState::Expired => "expired",
        }
    }

    pub fn parse(word: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == word)
    }
}

/// Where an alert in the pane comes from, when not from lookout itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Remote {
    /// The `[[alertmanager]]` it was read from.
    pub source: String,
    pub alert: AmAlert,
    /// The silences of `alert.silenced_by` that were read with it, in that order.
    pub silences: Vec<AmSilence>,
}

impl Remote {
    /// The silences `u` may expire: active or pending ones whose matchers are exactly
    /// this alert's labels, as `a` makes them. A wider silence (a whole cluster, an
    /// alertname everywhere) is someone else's and is left alone.
    pub fn own_silences(&self) -> impl Iterator<Item = &AmSilence> {
        self.silences.iter().filter(|silence| {
            silence.state != SilenceState::Expired
                && silence.matchers.len() == self.alert.labels.len()
                && silence.matchers.iter().all(|m| {
                    m.is_equal && !m.is_regex && self.alert.labels.get(&m.name) == Some(&m.value)
                })
        })
    }
}

impl Remote {
    /// Why `u` on this alert has nothing to end: no silence at all, or only one that
    /// covers more than this alert (named, so the person can end it in Alertmanager).
    pub fn nothing_to_expire(&self, key: &AlertKey) -> String {
        let source = &self.source;
        match self.silences.first() {
            Some(wider) => format!(
                "{key} is silenced by {} ({}), which covers more than this alert: end it in \
                 Alertmanager {source}",
                wider.id, wider.created_by
            ),
            None => format!("{key} has no silence in Alertmanager {source}"),
        }
    }
}

/// One Alertmanager as the screen and the alert engine see it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AlertmanagerView {
    pub name: String,
    /// The URL with any password masked.
    pub url: String,
    /// Its unresolved alerts as of the last good read, in pane order.
    pub alerts: Vec<Arc<AlertView>>,
    /// Silences in force there.
    pub active_silences: usize,
    /// When it last answered a read.
    pub reached: Option<SystemTime>,
    /// While reads fail: since when, how many in a row, and the latest error.
    pub problem: Option<ReadProblem>,
}

/// Reads of an Alertmanager failing.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ReadProblem {
    pub since: SystemTime,
    pub failures: u32,
    pub error: String,
}
