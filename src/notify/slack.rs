//! The Slack incoming-webhook payload: a one-line `text` (the fallback shown in
//! notifications) and `blocks` (a header, the summary with its facts, a context line).
//! Alert text is escaped, so it can never become a mention or a link.

use serde_json::{Value, json};

use super::payload::age;
use super::{Notice, NoticeKind};
use crate::config::Severity;
use crate::words::short_age;

/// Slack's limit for a section's text is 3000 characters; a summary is one line.
const SUMMARY_LIMIT: usize = 1000;

/// The JSON body posted to the incoming webhook.
pub(crate) fn payload(notice: &Notice, host: Option<&str>) -> Value {
    let alert = &notice.alert;
    let resolved = notice.kind == NoticeKind::Resolved;
    let ended = notice.kind == NoticeKind::Ended;
    let mark = match notice.kind {
        NoticeKind::Resolved => ":large_green_circle:",
        NoticeKind::Ended => ":white_circle:",
        _ => severity_mark(alert.severity),
    };
    let severity = alert.severity.as_str().to_uppercase();
    let summary = escape(&truncate(&alert.summary, SUMMARY_LIMIT));
    let age = short_age(age(alert, notice.at));
    let why = escape(alert.ended.as_deref().unwrap_or("no reason given"));
    let (label, how_long) = if resolved {
        (
            "RESOLVED".to_string(),
            format!("{}, lasted {age}", alert.severity.as_str()),
        )
    } else if ended {
        (
            "ENDED".to_string(),
            format!(
                "{}, not resolved: {why}, after {age}",
                alert.severity.as_str()
            ),
        )
    } else {
        (severity.clone(), format!("{}{age}", lead_in(notice.kind)))
    };
    let text = format!("{mark} [{label}] {summary} ({how_long})");
    let header = match notice.kind {
        NoticeKind::Resolved => format!("{mark} RESOLVED ({})", alert.severity.as_str()),
        NoticeKind::Ended => format!("{mark} ENDED, not resolved ({why})"),
        kind => format!("{mark} {severity}: {}", kind.as_str()),
    };
    let mut fields = vec![
        field("Severity", alert.severity.as_str()),
        field("State", alert.state.as_str()),
        field("Subject", &escape(&alert.key.subject)),
        field(if resolved || ended { "Lasted" } else { "Age" }, &age),
    ];
    if let Some(group) = &alert.group {
        fields.push(field("Group", &escape(group)));
    }
    let context = format!(
        "lookout on {} · {} · alert {}",
        escape(host.unwrap_or("unknown host")),
        escape(&alert.key.to_string()),
        alert.id
    );
    json!({
        "text": text,
        "blocks": [
            {
                "type": "header",
                "text": { "type": "plain_text", "text": header, "emoji": true }
            },
            {
                "type": "section",
                "text": { "type": "mrkdwn", "text": format!("*{summary}*") },
                "fields": fields
            },
            {
                "type": "context",
                "elements": [{ "type": "mrkdwn", "text": context }]
            }
        ]
    })
}

/// What comes before the age in the fallback text.
fn lead_in(kind: NoticeKind) -> &'static str {
    match kind {
        NoticeKind::Firing => "firing ",
        NoticeKind::Reminder => "still firing after ",
        NoticeKind::Worsened => "worsened, firing ",
        NoticeKind::Resolved | NoticeKind::Ended => "lasted ",
    }
}

fn field(name: &str, value: &str) -> Value {
    json!({ "type": "mrkdwn", "text": format!("*{name}*\n{value}") })
}

/// A coloured mark per severity; the word is always next to it.
fn severity_mark(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => ":red_circle:",
        Severity::High => ":large_orange_circle:",
        Severity::Medium => ":large_yellow_circle:",
        Severity::Low => ":large_blue_circle:",
    }
}

/// Slack's mrkdwn escaping: `&`, `<` and `>` are the only control characters.
pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// At most `limit` characters, an ellipsis marking a cut.
fn truncate(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}
