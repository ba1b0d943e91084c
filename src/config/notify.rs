//! `[[notify]]`: the channels alert notices go to (a webhook, Slack, a command), their
//! severity floor and their retry policy. URLs and header values are secrets.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use toml::de::DeTable;

use super::alert_section::{self, list};
use super::names;
use super::walk::{Text, Value, Walker};
use super::{Severity, keys, suggest};

const TYPES: [&str; 3] = ["webhook", "slack", "command"];
const ARGV_EXAMPLE: &str = "[\"/usr/local/bin/page\", \"--team\", \"ops\"]";

/// `[[notify]]`: one channel alert notices go to.
#[derive(Clone, PartialEq)]
pub struct NotifyConfig {
    /// Unique; names the channel in logs (`notification_sent`, `notification_failed`).
    pub name: String,
    pub channel: NotifyChannel,
    /// Notices go out for alerts at least this severe.
    pub min_severity: Severity,
    /// The limit of one attempt (a request, or a command's run).
    pub timeout: Duration,
    /// Attempts after a failed first one.
    pub retries: u32,
    /// The wait before the first retry; it doubles for each later one.
    pub backoff: Duration,
}

/// How a notice is delivered.
#[derive(Clone, PartialEq)]
pub enum NotifyChannel {
    /// A JSON POST of the alert's fields. Header values are secrets.
    Webhook {
        url: reqwest::Url,
        headers: Vec<(String, String)>,
    },
    /// A Slack incoming webhook; its URL is a secret.
    Slack { url: reqwest::Url },
    /// A program run with the alert in environment variables and as JSON on stdin;
    /// an argv list, never a shell string.
    Command { argv: Vec<String> },
}

impl NotifyChannel {
    /// `webhook`, `slack` or `command`.
    pub fn kind(&self) -> &'static str {
        match self {
            NotifyChannel::Webhook { .. } => "webhook",
            NotifyChannel::Slack { .. } => "slack",
            NotifyChannel::Command { .. } => "command",
        }
    }
}

impl fmt::Debug for NotifyConfig {
    /// Never shows a URL path, a header value or an argument: they may hold secrets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("NotifyConfig")
            .field("name", &self.name)
            .field("channel", &self.channel.kind())
            .field("min_severity", &self.min_severity)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("backoff", &self.backoff)
            .finish()
    }
}

/// Reads `notify` (absent: no channels).
pub(crate) fn channels(w: &mut Walker<'_>, value: Option<&Value<'_>>) -> Option<Vec<NotifyConfig>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let items = list(w, value, "notify")?;
    let mut seen: Vec<Text> = Vec::new();
    let channels: Vec<_> = items
        .iter()
        .map(|item| channel(w, item, &mut seen))
        .collect();
    channels.into_iter().collect()
}

fn channel(w: &mut Walker<'_>, item: &Value<'_>, seen: &mut Vec<Text>) -> Option<NotifyConfig> {
    let table = w.table(item, "notify", "a table with `name` and `type`")?;
    let name = names::name(w, table, item, "[[notify]]", "oncall-webhook");
    let unique = name
        .as_ref()
        .is_none_or(|name| names::unique(w, name, seen, "channel"));
    let place = match &name {
        Some(name) => format!("in [[notify]] {:?}", name.value),
        None => "in [[notify]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::NOTIFY_KEYS, &|_| None);
    hide_secrets(w, table);
    let kind = kind(w, table, item);
    let channel = kind.and_then(|kind| delivery(w, table, item, kind));
    let min_severity = match table.get("min_severity") {
        Some(value) => alert_section::severity(w, value, "min_severity"),
        None => Some(Severity::High),
    };
    let mut wait = |key, default, min| match table.get(key) {
        Some(value) => alert_section::duration(w, value, key, min),
        None => Some(default),
    };
    let timeout = wait(
        "timeout",
        Duration::from_secs(10),
        Duration::from_millis(100),
    );
    let backoff = wait("backoff", Duration::from_secs(1), Duration::from_millis(10));
    let retries = match table.get("retries") {
        Some(value) => w
            .integer(value, "retries", 0..=20)
            .and_then(|n| u32::try_from(n).ok()),
        None => Some(3),
    };
    if !unique {
        return None;
    }
    Some(NotifyConfig {
        name: name?.value,
        channel: channel?,
        min_severity: min_severity?,
        timeout: timeout?,
        retries: retries?,
        backoff: backoff?,
    })
}

/// Masks `url` and header values in every quoted line, whatever the channel type (a
/// misplaced URL is still a secret).
fn hide_secrets(w: &mut Walker<'_>, table: &DeTable<'_>) {
    if let Some(url) = table.get("url") {
        w.hide(url.span());
    }
    if let Some(headers) = table.get("headers").and_then(|h| h.get_ref().as_table()) {
        for (_, value) in headers.iter() {
            w.hide(value.span());
        }
    }
}

fn kind(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<&'static str> {
    let Some(value) = table.get("type") else {
        let message = "this [[notify]] has no `type`; add one: \"webhook\", \"slack\" or \
                       \"command\"";
        w.report(item.span(), message);
        return None;
    };
    let text = w.text(value, "type")?;
    let found = TYPES.iter().find(|t| **t == text.value).copied();
    if found.is_none() {
        let valid = format!("valid types are {}", suggest::list(&TYPES));
        let hint = match suggest::closest(&text.value, &TYPES) {
            Some(close) => format!("did you mean `{close}`? ({valid})"),
            None => valid,
        };
        let message = format!("unknown channel type {}; {hint}", text.quoted());
        w.report(text.span, message);
    }
    found
}

/// The keys of one channel type; keys of another type are reported.
fn delivery(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    item: &Value<'_>,
    kind: &str,
) -> Option<NotifyChannel> {
    let allowed: &[&str] = match kind {
        "webhook" => &["url", "headers"],
        "slack" => &["url"],
        _ => &["command"],
    };
    let mut foreign = false;
    for key in ["url", "headers", "command"] {
        if let Some((written, _)) = table.get_key_value(key)
            && !allowed.contains(&key)
        {
            let message = format!(
                "`{key}` does not apply to a {kind} channel, which takes {}; remove it",
                suggest::list(allowed)
            );
            w.report(written.span(), message);
            foreign = true;
        }
    }
    let channel = match kind {
        "webhook" => {
            let url = url(w, table, item, kind);
            let headers = table.get("headers").map_or(Some(Vec::new()), |v| {
                crate::kinds::http::read::headers(w, v)
            });
            Some(NotifyChannel::Webhook {
                url: url?,
                headers: headers?,
            })
        }
        "slack" => url(w, table, item, kind).map(|url| NotifyChannel::Slack { url }),
        _ => command(w, table, item).map(|argv| NotifyChannel::Command { argv }),
    };
    channel.filter(|_| !foreign)
}

/// `url`, a secret: http or https; never quoted in a message.
fn url(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>, kind: &str) -> Option<Url> {
    let Some(value) = table.get("url") else {
        let message = format!(
            "this {kind} channel has no `url`; add one, like url = \"${{SLACK_WEBHOOK_URL}}\""
        );
        w.report(item.span(), message);
        return None;
    };
    let text = w.secret(value, "url")?;
    let problem = match Url::parse(&text) {
        Ok(url) if matches!(url.scheme(), "http" | "https") => return Some(url),
        Ok(url) => format!(
            "`url` has scheme `{}`; a {kind} channel posts to http:// or https:// (the value \
             is not shown: it is a secret)",
            url.scheme()
        ),
        Err(why) => format!(
            "`url` is not a valid URL ({why}); write it like \"https://hooks.example.com/…\" \
             (the value is not shown: it is a secret)"
        ),
    };
    w.report(value.span(), problem);
    None
}

/// `command`: an argv list, never a shell string.
fn command(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<Vec<String>> {
    let Some(value) = table.get("command") else {
        let message = format!(
            "this command channel has no `command`; add one, like command = {ARGV_EXAMPLE}"
        );
        w.report(item.span(), message);
        return None;
    };
    if value.get_ref().is_str() {
        let message = format!(
            "`command` expects an argv list, never a shell string: write each argument as \
             its own string, like {ARGV_EXAMPLE}"
        );
        w.report(value.span(), message);
        return None;
    }
    let Some(items) = value.get_ref().as_array() else {
        w.wrong_type(
            value,
            "command",
            &format!("an argv list like {ARGV_EXAMPLE}"),
        );
        return None;
    };
    if items.is_empty() {
        let message = format!("`command` is empty; name the program to run, like {ARGV_EXAMPLE}");
        w.report(value.span(), message);
        return None;
    }
    let argv: Vec<Option<String>> = items
        .iter()
        .map(|item| w.text(item, "command").map(|t| t.value))
        .collect();
    let argv: Vec<String> = argv.into_iter().collect::<Option<_>>()?;
    if argv[0].trim().is_empty() {
        let message = "the program (the first item of `command`) is empty";
        w.report(items[0].span(), message);
        return None;
    }
    Some(argv)
}
