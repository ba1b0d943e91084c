//! Alertmanager's alerts and silences as lookout holds them: owned, typed, times as
//! `SystemTime`, independent of the API's JSON (`wire.rs` translates).

use std::collections::BTreeMap;
use std::time::SystemTime;

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

/// A silence to create (`POST /api/v2/silences`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewSilence {
    /// At least one; Alertmanager refuses a silence without matchers.
    pub matchers: Vec<Matcher>,
    pub starts_at: SystemTime,
    pub ends_at: SystemTime,
    pub created_by: String,
    pub comment: String,
}

impl NewSilence {
    /// A silence of exactly the alerts with every one of `labels` (equality matchers).
    pub fn of_labels(
        labels: &LabelSet,
        starts_at: SystemTime,
        ends_at: SystemTime,
        created_by: &str,
        comment: &str,
    ) -> Self {
        Self {
            matchers: labels
                .iter()
                .map(|(name, value)| Matcher::equal(name, value))
                .collect(),
            starts_at,
            ends_at,
            created_by: created_by.to_string(),
            comment: comment.to_string(),
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

/// An alert to send (`POST /api/v2/alerts`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingAlert {
    /// Its identity in Alertmanager: an alert with other labels is another alert.
    pub labels: LabelSet,
    pub annotations: LabelSet,
    pub starts_at: SystemTime,
    /// In the past: resolved. In the future: resolved then unless sent again. `None`:
    /// Alertmanager's `resolve_timeout` decides.
    pub ends_at: Option<SystemTime>,
    pub generator_url: Option<String>,
}
