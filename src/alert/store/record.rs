//! How alerts and silences look on disk: the private serde mirrors of the JSON
//! columns, times as epoch milliseconds, and the words of kinds, states and
//! severities. Conversions both ways; a value that does not read back is a `String`
//! saying why, which the store turns into its "damaged database" error.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::config::Severity;
use crate::view::alert::{
    Ack, AlertKey, AlertKind, AlertState, AlertView, Gravity, Silence, SilenceTarget, TimelineEntry,
};

/// Epoch milliseconds, negative before 1970; sub-millisecond parts are dropped.
pub fn to_ms(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_millis()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_millis()).map_or(i64::MIN, |ms| -ms),
    }
}

pub fn from_ms(ms: i64) -> SystemTime {
    let span = Duration::from_millis(ms.unsigned_abs());
    let time = if ms >= 0 {
        UNIX_EPOCH.checked_add(span)
    } else {
        UNIX_EPOCH.checked_sub(span)
    };
    time.unwrap_or(UNIX_EPOCH)
}

/// The store's word for a severity is the config's (`Severity::as_str`).
pub fn parse_severity(word: &str) -> Option<Severity> {
    match word {
        "low" => Some(Severity::Low),
        "medium" => Some(Severity::Medium),
        "high" => Some(Severity::High),
        "critical" => Some(Severity::Critical),
        _ => None,
    }
}

/// An alert's `body` column: everything no query filters on.
#[derive(Serialize, Deserialize)]
struct AlertBody {
    group: Option<String>,
    summary: String,
    fired_ms: Option<i64>,
    ack: Option<AckRecord>,
    silence: Option<SilenceRecord>,
    #[serde(default)]
    flapping: bool,
    /// Absent in rows written before pages were owed.
    #[serde(default)]
    page_owed: bool,
    /// Absent in rows written before reminders were kept (then due a period from the
    /// start).
    #[serde(default)]
    next_reminder_ms: Option<i64>,
    /// Absent in rows written before flap transitions were kept.
    #[serde(default)]
    flap_marks_ms: Vec<i64>,
    #[serde(default)]
    timeline: Vec<EntryRecord>,
    /// Why it ended without resolving; absent in rows written before there was ending.
    #[serde(default)]
    ended: Option<String>,
    /// The worst it has been since it fired or was acked; absent in older rows (then
    /// it is taken as it is now).
    #[serde(default)]
    peak: Option<PeakRecord>,
}

#[derive(Serialize, Deserialize)]
struct PeakRecord {
    severity: String,
    rank: u8,
}

#[derive(Serialize, Deserialize)]
struct AckRecord {
    by: String,
    at_ms: i64,
    note: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct EntryRecord {
    at_ms: i64,
    what: String,
}

#[derive(Serialize, Deserialize)]
struct SilenceRecord {
    id: u64,
    target: TargetRecord,
    created_ms: i64,
    until_ms: i64,
    by: String,
    comment: Option<String>,
}

/// A silence's `target` column, and the target inside an alert's silence.
#[derive(Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
enum TargetRecord {
    Alert {
        kind: String,
        rule: Option<String>,
        subject: String,
    },
    Subject {
        name: String,
    },
    Group {
        name: String,
    },
}

/// One `alerts` row, as bound on write and read back on load.
pub struct AlertRow {
    pub id: i64,
    pub kind: String,
    pub rule: Option<String>,
    pub subject: String,
    pub state: String,
    pub severity: String,
    pub started_ms: i64,
    pub resolved_ms: Option<i64>,
    pub body: String,
}

/// One `silences` row.
pub struct SilenceRow {
    pub id: i64,
    pub target: String,
    pub created_ms: i64,
    pub until_ms: i64,
    pub by: String,
    pub comment: Option<String>,
}

/// Ids are `u64` in the model and `INTEGER` (i64) on disk.
pub fn id_to_db(id: u64) -> Result<i64, String> {
    i64::try_from(id).map_err(|_| format!("id {id} is larger than the store holds ({})", i64::MAX))
}

fn id_from_db(id: i64) -> Result<u64, String> {
    u64::try_from(id).map_err(|_| format!("negative id {id}"))
}

impl AlertRow {
    pub fn from_view(alert: &AlertView) -> Result<Self, String> {
        let body = AlertBody {
            group: alert.group.clone(),
            summary: alert.summary.clone(),
            fired_ms: alert.fired.map(to_ms),
            ack: alert.ack.as_ref().map(|ack| AckRecord {
                by: ack.by.clone(),
                at_ms: to_ms(ack.at),
                note: ack.note.clone(),
            }),
            silence: alert.silence.as_ref().map(SilenceRecord::from_model),
            flapping: alert.flapping,
            page_owed: alert.page_owed,
            next_reminder_ms: alert.next_reminder.map(to_ms),
            flap_marks_ms: alert.flap_marks.iter().copied().map(to_ms).collect(),
            timeline: alert
                .timeline
                .iter()
                .map(|entry| EntryRecord {
                    at_ms: to_ms(entry.at),
                    what: entry.what.clone(),
                })
                .collect(),
            ended: alert.ended.clone(),
            peak: Some(PeakRecord {
                severity: alert.peak.severity.as_str().to_owned(),
                rank: alert.peak.rank,
            }),
        };
        Ok(AlertRow {
            id: id_to_db(alert.id)?,
            kind: alert.key.kind.as_str().to_owned(),
            rule: alert.key.rule.clone(),
            subject: alert.key.subject.clone(),
            state: alert.state.as_str().to_owned(),
            severity: alert.severity.as_str().to_owned(),
            started_ms: to_ms(alert.started),
            resolved_ms: alert.resolved.map(to_ms),
            body: serde_json::to_string(&body).map_err(|err| err.to_string())?,
        })
    }

    pub fn into_view(self) -> Result<AlertView, String> {
        let body: AlertBody = serde_json::from_str(&self.body)
            .map_err(|err| format!("alert {}: body is not the expected JSON: {err}", self.id))?;
        let key = alert_key(&self.kind, self.rule, self.subject)?;
        let severity = parse_severity(&self.severity)
            .ok_or_else(|| format!("alert {}: unknown severity {:?}", self.id, self.severity))?;
        let peak = match body.peak {
            Some(peak) => Gravity {
                severity: parse_severity(&peak.severity).ok_or_else(|| {
                    format!(
                        "alert {}: unknown peak severity {:?}",
                        self.id, peak.severity
                    )
                })?,
                rank: peak.rank,
            },
            None => Gravity::of(severity, key.kind),
        };
        Ok(AlertView {
            id: id_from_db(self.id)?,
            key,
            group: body.group,
            severity,
            state: AlertState::parse(&self.state)
                .ok_or_else(|| format!("alert {}: unknown state {:?}", self.id, self.state))?,
            summary: body.summary,
            started: from_ms(self.started_ms),
            fired: body.fired_ms.map(from_ms),
            resolved: self.resolved_ms.map(from_ms),
            ended: body.ended,
            peak,
            ack: body.ack.map(|ack| Ack {
                by: ack.by,
                at: from_ms(ack.at_ms),
                note: ack.note,
            }),
            silence: body.silence.map(SilenceRecord::into_model).transpose()?,
            flapping: body.flapping,
            page_owed: body.page_owed,
            next_reminder: body.next_reminder_ms.map(from_ms),
            flap_marks: body.flap_marks_ms.into_iter().map(from_ms).collect(),
            timeline: body
                .timeline
                .into_iter()
                .map(|entry| TimelineEntry {
                    at: from_ms(entry.at_ms),
                    what: entry.what,
                })
                .collect(),
            origin: None,
        })
    }
}

fn alert_key(kind: &str, rule: Option<String>, subject: String) -> Result<AlertKey, String> {
    let kind = AlertKind::parse(kind).ok_or_else(|| format!("unknown alert kind {kind:?}"))?;
    Ok(AlertKey {
        kind,
        rule,
        subject,
    })
}

impl SilenceRecord {
    fn from_model(silence: &Silence) -> Self {
        SilenceRecord {
            id: silence.id,
            target: TargetRecord::from_model(&silence.target),
            created_ms: to_ms(silence.created),
            until_ms: to_ms(silence.until),
            by: silence.by.clone(),
            comment: silence.comment.clone(),
        }
    }

    fn into_model(self) -> Result<Silence, String> {
        Ok(Silence {
            id: self.id,
            target: self.target.into_model()?,
            created: from_ms(self.created_ms),
            until: from_ms(self.until_ms),
            by: self.by,
            comment: self.comment,
        })
    }
}

impl TargetRecord {
    fn from_model(target: &SilenceTarget) -> Self {
        match target {
            SilenceTarget::Alert(key) => TargetRecord::Alert {
                kind: key.kind.as_str().to_owned(),
                rule: key.rule.clone(),
                subject: key.subject.clone(),
            },
            SilenceTarget::Subject(name) => TargetRecord::Subject { name: name.clone() },
            SilenceTarget::Group(name) => TargetRecord::Group { name: name.clone() },
        }
    }

    fn into_model(self) -> Result<SilenceTarget, String> {
        Ok(match self {
            TargetRecord::Alert {
                kind,
                rule,
                subject,
            } => SilenceTarget::Alert(alert_key(&kind, rule, subject)?),
            TargetRecord::Subject { name } => SilenceTarget::Subject(name),
            TargetRecord::Group { name } => SilenceTarget::Group(name),
        })
    }
}

impl SilenceRow {
    pub fn from_model(silence: &Silence) -> Result<Self, String> {
        let target = TargetRecord::from_model(&silence.target);
        Ok(SilenceRow {
            id: id_to_db(silence.id)?,
            target: serde_json::to_string(&target).map_err(|err| err.to_string())?,
            created_ms: to_ms(silence.created),
            until_ms: to_ms(silence.until),
            by: silence.by.clone(),
            comment: silence.comment.clone(),
        })
    }

    pub fn into_model(self) -> Result<Silence, String> {
        let target: TargetRecord = serde_json::from_str(&self.target).map_err(|err| {
            format!(
                "silence {}: target is not the expected JSON: {err}",
                self.id
            )
        })?;
        Ok(Silence {
            id: id_from_db(self.id)?,
            target: target.into_model()?,
            created: from_ms(self.created_ms),
            until: from_ms(self.until_ms),
            by: self.by,
            comment: self.comment,
        })
    }
}
