//! The JSON a webhook receives (and a command reads on stdin), and the environment
//! variables a command gets: the alert's fields, nothing of lookout's config.

use std::time::SystemTime;

use serde::Serialize;

use super::Notice;
pub(crate) use crate::alert::json::{AlertJson, age};
pub(crate) use crate::words::rfc3339;

/// The whole body: `{"notice", "notice_id", "alert", "sent_at", "lookout"}`.
#[derive(Debug, Serialize)]
pub(crate) struct Payload<'a> {
    pub notice: &'static str,
    /// The same for a notice sent again after a restart: a receiver may drop repeats.
    pub notice_id: u64,
    pub alert: AlertJson<'a>,
    pub sent_at: String,
    pub lookout: Source<'a>,
}

/// Who sent it.
#[derive(Debug, Serialize)]
pub(crate) struct Source<'a> {
    pub version: &'static str,
    pub host: Option<&'a str>,
}

impl<'a> Payload<'a> {
    pub(crate) fn new(notice: &'a Notice, host: Option<&'a str>, sent_at: SystemTime) -> Self {
        Self {
            notice: notice.kind.as_str(),
            notice_id: notice.id,
            alert: AlertJson::new(&notice.alert, notice.at),
            sent_at: rfc3339(sent_at),
            lookout: Source {
                version: env!("CARGO_PKG_VERSION"),
                host,
            },
        }
    }

    /// The body bytes; serializing these plain structs cannot fail.
    pub(crate) fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }
}

/// The environment a command gets: `LOOKOUT_NOTICE`, `LOOKOUT_ALERT_*`. NUL bytes,
/// which no environment can hold, are left out.
pub(crate) fn env_vars(notice: &Notice) -> Vec<(&'static str, String)> {
    let alert = &notice.alert;
    let vars = [
        ("LOOKOUT_NOTICE", notice.kind.as_str().to_string()),
        ("LOOKOUT_NOTICE_ID", notice.id.to_string()),
        ("LOOKOUT_ALERT_ID", alert.id.to_string()),
        ("LOOKOUT_ALERT_KEY", alert.key.to_string()),
        ("LOOKOUT_ALERT_INCIDENT", alert.key.incident().to_string()),
        ("LOOKOUT_ALERT_TYPE", alert.key.kind.as_str().to_string()),
        (
            "LOOKOUT_ALERT_RULE",
            alert.key.rule.clone().unwrap_or_default(),
        ),
        ("LOOKOUT_ALERT_SUBJECT", alert.key.subject.clone()),
        (
            "LOOKOUT_ALERT_GROUP",
            alert.group.clone().unwrap_or_default(),
        ),
        (
            "LOOKOUT_ALERT_SEVERITY",
            alert.severity.as_str().to_string(),
        ),
        ("LOOKOUT_ALERT_STATE", alert.state.as_str().to_string()),
        ("LOOKOUT_ALERT_SUMMARY", alert.summary.clone()),
        (
            "LOOKOUT_ALERT_ENDED",
            alert.ended.clone().unwrap_or_default(),
        ),
    ];
    vars.into_iter()
        .map(|(name, value)| (name, value.replace('\0', "")))
        .collect()
}
