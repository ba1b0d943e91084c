//! Reads `[[prometheus]]` entries: each server's keys, and its queries as services whose
//! names share the namespace of `[[service]]`.

use std::time::Duration;

use reqwest::Url;
use toml::de::DeTable;

use super::alert_section::{self, list};
use super::prometheus::{DEFAULT_INTERVAL, DEFAULT_TIMEOUT, PrometheusConfig, TargetTiming};
use super::prometheus_query;
use super::sections::Defaults;
use super::walk::{Text, Value, Walker};
use super::{ServiceConfig, keys, names};
use crate::document::url_text;

const URL_EXAMPLE: &str = "\"http://127.0.0.1:9090\"";

/// What `[[prometheus]]` entries add to the config: the servers, and one service per
/// query (appended after the `[[service]]` entries).
pub(crate) struct Read {
    pub(crate) servers: Vec<PrometheusConfig>,
    pub(crate) services: Vec<ServiceConfig>,
}

/// Reads `prometheus` (absent: none); `seen` holds the service names read so far, as
/// query names share their namespace.
pub(crate) fn prometheus(
    w: &mut Walker<'_>,
    value: Option<&Value<'_>>,
    defaults: &Defaults,
    seen: &mut Vec<Text>,
) -> Option<Read> {
    let mut read = Read {
        servers: Vec::new(),
        services: Vec::new(),
    };
    let Some(value) = value else {
        return Some(read);
    };
    let items = list(w, value, "prometheus")?;
    let mut servers_seen: Vec<Text> = Vec::new();
    let mut complete = true;
    for item in items {
        match server(w, item, defaults, &mut servers_seen, seen) {
            Some((server, services)) => {
                read.servers.push(server);
                read.services.extend(services);
            }
            None => complete = false,
        }
    }
    complete.then_some(read)
}

fn server(
    w: &mut Walker<'_>,
    item: &Value<'_>,
    defaults: &Defaults,
    servers_seen: &mut Vec<Text>,
    services_seen: &mut Vec<Text>,
) -> Option<(PrometheusConfig, Vec<ServiceConfig>)> {
    let table = w.table(item, "prometheus", "a table with `name` and `url`")?;
    let name = names::name(w, table, item, "[[prometheus]]", "metrics");
    let unique = name
        .as_ref()
        .is_none_or(|name| names::unique(w, name, servers_seen, "prometheus"));
    let place = match &name {
        Some(name) => format!("in [[prometheus]] {:?}", name.value),
        None => "in [[prometheus]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::PROMETHEUS_KEYS, &|key| {
        keys::misplaced_in_prometheus(key, &place)
    });
    let url = url(w, table, item);
    let targets = table
        .get("targets")
        .map_or(Some(false), |v| w.boolean(v, "targets"));
    let mut wait = |key, default, min| match table.get(key) {
        Some(value) => alert_section::duration(w, value, key, min),
        None => Some(default),
    };
    let interval = wait("interval", DEFAULT_INTERVAL, Duration::from_secs(1));
    // Unless written, the timeout is the default or the interval, whichever is shorter.
    let unwritten = interval.map_or(DEFAULT_TIMEOUT, |i| i.min(DEFAULT_TIMEOUT));
    let timeout = wait("timeout", unwritten, Duration::from_millis(100));
    if let (Some(interval), Some(timeout), Some(value)) = (interval, timeout, table.get("timeout"))
        && timeout > interval
    {
        let message = format!(
            "`timeout` {} is longer than `interval` {}: a query must end before the next \
             one starts",
            super::units::show_duration(timeout),
            super::units::show_duration(interval)
        );
        w.report(value.span(), message);
    }
    // Queries are read (and their problems reported) even when the server's own keys
    // are wrong; the stand-in values are never used, as the whole entry is then refused.
    let server = PrometheusConfig {
        name: name.as_ref().map(|n| n.value.clone()).unwrap_or_default(),
        url: url
            .clone()
            .or_else(|| Url::parse("http://127.0.0.1:9090").ok())?,
        interval: interval.unwrap_or(DEFAULT_INTERVAL),
        timeout: timeout.unwrap_or(DEFAULT_TIMEOUT),
        targets: targets.unwrap_or(false),
        target_timing: TargetTiming {
            severity: defaults.timing.severity,
            failure_threshold: defaults.timing.failure_threshold,
            success_threshold: defaults.timing.success_threshold,
        },
    };
    let services = match table.get("query") {
        Some(value) => prometheus_query::queries(w, value, &server, defaults, services_seen),
        None => Some(Vec::new()),
    };
    let complete = unique
        && name.is_some()
        && url.is_some()
        && interval.is_some()
        && timeout.is_some()
        && targets.is_some();
    complete.then_some((server, services?))
}

/// `url`: Prometheus's base URL, http or https, with no query, fragment or API path.
/// Messages quote it with any password masked.
fn url(w: &mut Walker<'_>, table: &DeTable<'_>, item: &Value<'_>) -> Option<Url> {
    let Some(value) = table.get("url") else {
        let message =
            format!("this [[prometheus]] has no `url`; add one, like url = {URL_EXAMPLE}");
        w.report(item.span(), message);
        return None;
    };
    let text = w.text(value, "url")?;
    url_text::hide_password(w, &text);
    let shown = url_text::masked(&text);
    let example = format!("write Prometheus's base URL, like {URL_EXAMPLE}");
    let problem = match Url::parse(&text.value) {
        _ if !text.value.contains("://") => {
            format!("`url` = {shown} has no `http://` or `https://` in front; {example}")
        }
        Err(why) => format!("`url` = {shown} is not a valid URL ({why}); {example}"),
        Ok(url) if !matches!(url.scheme(), "http" | "https") => format!(
            "`url` = {shown} has scheme `{}`; Prometheus's API is http:// or https://",
            url.scheme()
        ),
        Ok(url) if url.query().is_some() || url.fragment().is_some() => {
            format!("`url` = {shown} has a query or a fragment; {example}")
        }
        Ok(url) if url.path().contains("/api/v1") => {
            format!("`url` = {shown} names an API path; {example} (lookout adds /api/v1/…)")
        }
        Ok(url) => return Some(url),
    };
    w.report(text.span, problem);
    None
}
