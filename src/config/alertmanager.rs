//! `[[alertmanager]]`: the Alertmanagers lookout reads alerts from (every `poll`) and
//! writes its own to (`forward`), with the defaults of the silences it makes there.
//! A password in `url` is a secret: masked in every message and never logged.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use toml::de::DeTable;

use super::alert_section::{self, list};
use super::walk::{Text, Value, Walker};
use super::{keys, names};
use crate::document::url_text;

/// `[[alertmanager]]`: one Alertmanager (v2 API).
#[derive(Clone, PartialEq)]
pub struct AlertmanagerConfig {
    /// Unique; names the Alertmanager in logs and on screen.
    pub name: String,
    /// The base URL, without `/api/v2` (`http://127.0.0.1:9093`, or with the route
    /// prefix). A password in it is sent as basic auth and never shown.
    pub url: Url,
    /// Push lookout's own alerts (firing, acknowledged or silenced) to it.
    pub forward: bool,
    /// How often active alerts are sent again, so Alertmanager keeps them open.
    pub resend: Duration,
    /// The limit of one request.
    pub timeout: Duration,
    /// How often its alerts are read.
    pub poll: Duration,
    /// `createdBy` of the silences lookout makes there; `None`: the person's `user@host`.
    pub silence_by: Option<String>,
}

/// `resend` unless the config says otherwise (Prometheus's default resend delay).
const DEFAULT_RESEND: Duration = Duration::from_secs(60);
/// `timeout` unless the config says otherwise.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);
/// `poll` unless the config says otherwise.
const DEFAULT_POLL: Duration = Duration::from_secs(15);

const URL_EXAMPLE: &str = "\"http://127.0.0.1:9093\"";

impl AlertmanagerConfig {
    /// The documented defaults for `url`: no forwarding, no `silence_by`.
    pub fn new(name: &str, url: Url) -> Self {
        Self {
            name: name.to_string(),
            url,
            forward: false,
            resend: DEFAULT_RESEND,
            timeout: DEFAULT_TIMEOUT,
            poll: DEFAULT_POLL,
            silence_by: None,
        }
    }

    /// The URL as it may be shown or logged (`net::display_url`).
    pub fn display_url(&self) -> String {
        crate::net::display_url(&self.url)
    }
}

impl fmt::Debug for AlertmanagerConfig {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AlertmanagerConfig")
            .field("name", &self.name)
            .field("url", &self.display_url())
            .field("forward", &self.forward)
            .field("resend", &self.resend)
            .field("timeout", &self.timeout)
            .field("poll", &self.poll)
            .field("silence_by", &self.silence_by)
            .finish()
    }
}

/// Reads `alertmanager` (absent: none).
pub(crate) fn alertmanagers(
    w: &mut Walker<'_>,
    value: Option<&Value<'_>>,
) -> Option<Vec<AlertmanagerConfig>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let items = list(w, value, "alertmanager")?;
    let mut seen: Vec<Text> = Vec::new();
    let read: Vec<_> = items
        .iter()
        .map(|item| alertmanager(w, item, &mut seen))
        .collect();
    read.into_iter().collect()
}

fn alertmanager(
    w: &mut Walker<'_>,
    item: &Value<'_>,
    seen: &mut Vec<Text>,
) -> Option<AlertmanagerConfig> {
    let table = w.table(item, "alertmanager", "a table with `name` and `url`")?;
    let name = names::name(w, table, item, "[[alertmanager]]", "team-am");
    let unique = name
        .as_ref()
        .is_none_or(|name| names::unique(w, name, seen, "alertmanager"));
    let place = match &name {
        Some(name) => format!("in [[alertmanager]] {:?}", name.value),
        None => "in [[alertmanager]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::ALERTMANAGER_KEYS, &|_| None);
    let url = url(w, table, item);
    let forward = table
        .get("forward")
        .map_or(Some(false), |v| w.boolean(v, "forward"));
    let mut wait = |key, default, min| match table.get(key) {
        Some(value) => alert_section::duration(w, value, key, min),
        None => Some(default),
    };
    let second = Duration::from_secs(1);
    let resend = wait("resend", DEFAULT_RESEND, second);
    let timeout = wait("timeout", DEFAULT_TIMEOUT, Duration::from_millis(100));
    let poll = wait("poll", DEFAULT_POLL, second);
    let silence_by = match table.get("silence_by") {
        Some(value) => silence_by(w, value).map(Some),
        None => Some(None),
    };
    if !unique {
        return None;
    }
    Some(AlertmanagerConfig {
        name: name?.value,
        url: url?,
        forward: forward?,
        resend: resend?,
        timeout: timeout?,
        poll: poll?,
        silence_by: silence_by?,
    })
}

/// `url`: Alertmanager's base URL, http or https, with no query, fragment or API path.
/// Messages quote it with any password masked.
fn url(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<Url> {
    let Some(value) = table.get("url") else {
        let message =
            format!("this [[alertmanager]] has no `url`; add one, like url = {URL_EXAMPLE}");
        w.report(item.span(), message);
        return None;
    };
    let text = w.text(value, "url")?;
    url_text::hide_password(w, &text);
    let shown = url_text::masked(&text);
    let example = format!("write Alertmanager's base URL, like {URL_EXAMPLE}");
    let problem = match Url::parse(&text.value) {
        _ if !text.value.contains("://") => {
            format!("`url` = {shown} has no `http://` or `https://` in front; {example}")
        }
        Err(why) => format!("`url` = {shown} is not a valid URL ({why}); {example}"),
        Ok(url) if !matches!(url.scheme(), "http" | "https") => format!(
            "`url` = {shown} has scheme `{}`; Alertmanager's API is http:// or https://",
            url.scheme()
        ),
        Ok(url) if url.query().is_some() || url.fragment().is_some() => {
            format!("`url` = {shown} has a query or a fragment; {example}")
        }
        Ok(url)
            if ["/api/v1", "/api/v2"]
                .iter()
                .any(|api| url.path().contains(api)) =>
        {
            format!("`url` = {shown} names an API path; {example} (lookout adds /api/v2/…)")
        }
        Ok(url) => return Some(url),
    };
    w.report(text.span, problem);
    None
}

fn silence_by(w: &mut Walker<'_>, value: &Value<'_>) -> Option<String> {
    let text = w.text(value, "silence_by")?;
    if text.value.trim().is_empty() {
        let message = "`silence_by` is empty; name who the silences are by, like \
                       \"oncall@ops\", or leave it out for the person's user@host";
        w.report(text.span, message);
        return None;
    }
    Some(text.value)
}
