//! `[[prometheus]]`: the Prometheus servers lookout reads, and their
//! `[[prometheus.query]]` entries, each of which becomes a service whose check asks one
//! PromQL query (`prometheus_query.rs`). A password in `url` is a secret: masked in
//! every message and never logged.

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use toml::de::DeTable;

use super::alert_section::{self, list};
use super::prometheus_query;
use super::sections::Defaults;
use super::walk::{Text, Value, Walker};
use super::{ServiceConfig, Severity, keys, names, target};

/// `[[prometheus]]`: one Prometheus server (HTTP API v1).
#[derive(Clone, PartialEq)]
pub struct PrometheusConfig {
    /// Unique; names the server in logs, and is the default group of its queries.
    pub name: String,
    /// The base URL, without `/api/v1` (`http://127.0.0.1:9090`, or with the route
    /// prefix). A password in it is sent as basic auth and never shown.
    pub url: Url,
    /// How often each of its queries is asked.
    pub interval: Duration,
    /// The limit of one request.
    pub timeout: Duration,
    /// Show its scrape targets (`GET /api/v1/targets`) as cards.
    pub targets: bool,
    /// What its target cards get from `[defaults]`.
    pub target_timing: TargetTiming,
}

/// The `[defaults]` a `[[prometheus]]`'s target cards are made with (they are found at
/// run time, after the config is read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TargetTiming {
    pub severity: Severity,
    pub failure_threshold: u32,
    pub success_threshold: u32,
}

/// A scrape target of a `[[prometheus]]` with `targets = true`, shown as a card: its
/// health as Prometheus last saw it.
#[derive(Clone, PartialEq)]
pub struct TargetCheck {
    /// The `[[prometheus]]` asked, by name.
    pub prometheus: String,
    /// That server's base URL; a password in it is basic auth, never shown.
    pub url: Url,
    /// Prometheus's `scrapePool` and `scrapeUrl`: together they name the target.
    pub scrape_pool: String,
    pub scrape_url: String,
}

/// A `[[prometheus.query]]` check: one instant query and the limits its value is held to.
#[derive(Clone, PartialEq)]
pub struct QueryCheck {
    /// The `[[prometheus]]` asked, by name.
    pub prometheus: String,
    /// That server's base URL; a password in it is basic auth, never shown.
    pub url: Url,
    /// The PromQL expression, as written.
    pub query: String,
    pub limits: ValueLimits,
    /// Shown after the value: "%", "s", "req/s", "B".
    pub unit: Option<String>,
}

/// `warn` and `crit` of a query. A value at or past `crit` is critical, at or past `warn`
/// a warning; "past" is above, or below when `below` is set (for values where low is bad,
/// like free space or a success ratio).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ValueLimits {
    pub warn: Option<f64>,
    pub crit: Option<f64>,
    pub below: bool,
}

/// `interval` unless the config says otherwise (Prometheus's own default scrape interval).
pub(crate) const DEFAULT_INTERVAL: Duration = Duration::from_secs(15);
/// `timeout` unless the config says otherwise.
pub(crate) const DEFAULT_TIMEOUT: Duration = Duration::from_secs(5);

const URL_EXAMPLE: &str = "\"http://127.0.0.1:9090\"";

/// The URL as it may be shown or logged: a password is replaced by `***`.
pub(crate) fn display_url(url: &Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        // Setting a password only fails for URLs that cannot have one.
        let _ = url.set_password(Some("***"));
    }
    url.to_string()
}

impl PrometheusConfig {
    /// The documented defaults for `url`: queried every 15s, 5s timeout, no targets.
    pub fn new(name: &str, url: Url) -> Self {
        Self {
            name: name.to_string(),
            url,
            interval: DEFAULT_INTERVAL,
            timeout: DEFAULT_TIMEOUT,
            targets: false,
            target_timing: TargetTiming {
                severity: Severity::Medium,
                failure_threshold: 2,
                success_threshold: 1,
            },
        }
    }

    /// The URL as it may be shown or logged: a password is replaced by `***`.
    pub fn display_url(&self) -> String {
        display_url(&self.url)
    }
}

impl QueryCheck {
    /// The query's URL as it may be shown or logged (password masked):
    /// `…/api/v1/query?query=…`, which a person can open to see the same answer.
    pub fn display_target(&self) -> String {
        let mut url = self.url.clone();
        if url.password().is_some() {
            let _ = url.set_password(Some("***"));
        }
        let path = format!("{}/api/v1/query", url.path().trim_end_matches('/'));
        url.set_path(&path);
        url.query_pairs_mut().append_pair("query", &self.query);
        url.to_string()
    }
}

impl fmt::Debug for PrometheusConfig {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrometheusConfig")
            .field("name", &self.name)
            .field("url", &self.display_url())
            .field("interval", &self.interval)
            .field("timeout", &self.timeout)
            .field("targets", &self.targets)
            .field("target_timing", &self.target_timing)
            .finish()
    }
}

impl fmt::Debug for TargetCheck {
    /// Shows Prometheus's URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TargetCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &display_url(&self.url))
            .field("scrape_pool", &self.scrape_pool)
            .field("scrape_url", &self.scrape_url)
            .finish()
    }
}

impl fmt::Debug for QueryCheck {
    /// Shows the URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("QueryCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &display_url(&self.url))
            .field("query", &self.query)
            .field("limits", &self.limits)
            .field("unit", &self.unit)
            .finish()
    }
}

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
    let timeout = wait("timeout", DEFAULT_TIMEOUT, Duration::from_millis(100));
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
    target::hide_password(w, &text);
    let shown = target::masked(&text);
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
