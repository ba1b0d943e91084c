//! The v2 API's JSON, as its OpenAPI spec describes it, and its translation to and from
//! lookout's own types (`model.rs`). Fields the spec adds later are ignored; a field it
//! requires that is missing, or a time that is not RFC 3339, is an error naming it.

use std::time::SystemTime;

use serde::Deserialize;
use serde_json::{Value, json};

use super::model::{NewSilence, OutgoingAlert};
use crate::config::calendar;
use crate::view::alertmanager::{
    AmAlert, AmAlertState, AmSilence, LabelSet, Matcher, SilenceState,
};
use crate::words::rfc3339;

/// Characters of a refusal's explanation kept.
const REASON_LIMIT: usize = 200;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GettableAlert {
    labels: LabelSet,
    #[serde(default)]
    annotations: LabelSet,
    fingerprint: String,
    starts_at: String,
    ends_at: String,
    updated_at: String,
    status: AlertStatus,
    #[serde(default)]
    receivers: Vec<Receiver>,
    #[serde(rename = "generatorURL", default)]
    generator_url: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AlertStatus {
    state: String,
    #[serde(default)]
    silenced_by: Vec<String>,
    #[serde(default)]
    inhibited_by: Vec<String>,
}

#[derive(Deserialize)]
struct Receiver {
    name: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct GettableSilence {
    id: String,
    status: SilenceStatus,
    updated_at: String,
    matchers: Vec<WireMatcher>,
    starts_at: String,
    ends_at: String,
    created_by: String,
    comment: String,
}

#[derive(Deserialize)]
struct SilenceStatus {
    state: String,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireMatcher {
    name: String,
    value: String,
    is_regex: bool,
    /// Absent in answers of Alertmanager before 0.22, which had no negative matchers.
    #[serde(default = "equal_by_default")]
    is_equal: bool,
}

fn equal_by_default() -> bool {
    true
}

#[derive(Deserialize)]
struct SilenceCreated {
    #[serde(rename = "silenceID")]
    silence_id: String,
}

/// The answer of `GET /api/v2/alerts`.
pub(crate) fn decode_alerts(body: &[u8]) -> Result<Vec<AmAlert>, String> {
    let alerts: Vec<GettableAlert> = parse(body)?;
    alerts
        .into_iter()
        .enumerate()
        .map(|(index, alert)| {
            let place = format!("alert {} (fingerprint {})", index + 1, alert.fingerprint);
            let state = AmAlertState::parse(&alert.status.state).ok_or_else(|| {
                format!(
                    "{place}: status.state {:?} is none of unprocessed, active, suppressed",
                    alert.status.state
                )
            })?;
            Ok(AmAlert {
                starts_at: time(&alert.starts_at, "startsAt", &place)?,
                ends_at: time(&alert.ends_at, "endsAt", &place)?,
                updated_at: time(&alert.updated_at, "updatedAt", &place)?,
                fingerprint: alert.fingerprint,
                labels: alert.labels,
                annotations: alert.annotations,
                state,
                silenced_by: alert.status.silenced_by,
                inhibited_by: alert.status.inhibited_by,
                generator_url: alert.generator_url.filter(|url| !url.is_empty()),
                receivers: alert.receivers.into_iter().map(|r| r.name).collect(),
            })
        })
        .collect()
}

/// The answer of `GET /api/v2/silences`.
pub(crate) fn decode_silences(body: &[u8]) -> Result<Vec<AmSilence>, String> {
    let silences: Vec<GettableSilence> = parse(body)?;
    silences
        .into_iter()
        .map(|silence| {
            let place = format!("silence {}", silence.id);
            let state = SilenceState::parse(&silence.status.state).ok_or_else(|| {
                format!(
                    "{place}: status.state {:?} is none of pending, active, expired",
                    silence.status.state
                )
            })?;
            Ok(AmSilence {
                starts_at: time(&silence.starts_at, "startsAt", &place)?,
                ends_at: time(&silence.ends_at, "endsAt", &place)?,
                updated_at: time(&silence.updated_at, "updatedAt", &place)?,
                id: silence.id,
                matchers: silence
                    .matchers
                    .into_iter()
                    .map(|m| Matcher {
                        name: m.name,
                        value: m.value,
                        is_regex: m.is_regex,
                        is_equal: m.is_equal,
                    })
                    .collect(),
                created_by: silence.created_by,
                comment: silence.comment,
                state,
            })
        })
        .collect()
}

/// The answer of `POST /api/v2/silences`: the new silence's id.
pub(crate) fn decode_silence_id(body: &[u8]) -> Result<String, String> {
    let created: SilenceCreated = parse(body)?;
    if created.silence_id.is_empty() {
        return Err("silenceID is empty".to_string());
    }
    Ok(created.silence_id)
}

/// The body of `POST /api/v2/alerts`.
pub(crate) fn encode_alerts(alerts: &[OutgoingAlert]) -> Vec<u8> {
    let list: Vec<Value> = alerts
        .iter()
        .map(|alert| {
            let mut body = json!({
                "labels": alert.labels,
                "annotations": alert.annotations,
                "startsAt": rfc3339(alert.starts_at),
            });
            if let Some(ends_at) = alert.ends_at {
                body["endsAt"] = json!(rfc3339(ends_at));
            }
            if let Some(url) = &alert.generator_url {
                body["generatorURL"] = json!(url);
            }
            body
        })
        .collect();
    Value::Array(list).to_string().into_bytes()
}

/// The body of `POST /api/v2/silences`.
pub(crate) fn encode_silence(silence: &NewSilence) -> Vec<u8> {
    let matchers: Vec<Value> = silence
        .matchers
        .iter()
        .map(|m| {
            json!({
                "name": m.name,
                "value": m.value,
                "isRegex": m.is_regex,
                "isEqual": m.is_equal,
            })
        })
        .collect();
    json!({
        "matchers": matchers,
        "startsAt": rfc3339(silence.starts_at),
        "endsAt": rfc3339(silence.ends_at),
        "createdBy": silence.created_by,
        "comment": silence.comment,
    })
    .to_string()
    .into_bytes()
}

/// Alertmanager's explanation of a refusal: a JSON string (`"silence not found"`), an
/// object's `message` (`{"code":601,"message":"…"}`), or the first line of the text;
/// control characters dropped, at most `REASON_LIMIT` characters.
pub(crate) fn refusal_reason(body: &[u8]) -> String {
    let text = match serde_json::from_slice::<Value>(body) {
        Ok(Value::String(reason)) => reason,
        Ok(Value::Object(object)) => match object.get("message") {
            Some(Value::String(message)) => message.clone(),
            _ => String::from_utf8_lossy(body).into_owned(),
        },
        _ => String::from_utf8_lossy(body).into_owned(),
    };
    let line = text.lines().next().unwrap_or_default().trim();
    line.chars()
        .filter(|c| !c.is_control())
        .take(REASON_LIMIT)
        .collect()
}

fn parse<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    serde_json::from_slice(body).map_err(|err| {
        let start = String::from_utf8_lossy(&body[..body.len().min(60)]).into_owned();
        let start: String = start.chars().filter(|c| !c.is_control()).collect();
        format!("{err} (the answer starts {start:?})")
    })
}

fn time(text: &str, field: &str, place: &str) -> Result<SystemTime, String> {
    calendar::parse_rfc3339(text).map_err(|why| format!("{place}: {field} {text:?}: {why}"))
}
