//! Alertmanager's alerts and silences as lookout holds them: owned, typed, times as
//! `SystemTime`, independent of the API's JSON (`wire.rs` translates).

use crate::view::alertmanager::{LabelSet, Matcher};
use std::time::SystemTime;

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
