//! One `[[service]]`: its name, what it checks, and its timing over `[defaults]`.

use std::time::Duration;

use toml::de::DeTable;

use super::keys;
use super::sections::Defaults;
use super::settings::{Origin, Setting};
use super::walk::{Text, Value, Walker};
use super::{CheckConfig, ServiceConfig, http, target};

/// Reads one service; `seen` holds the names read so far, to catch duplicates.
pub(crate) fn service(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    defaults: &Defaults,
    history: &Setting<Duration>,
    seen: &mut Vec<Text>,
) -> Option<ServiceConfig> {
    let Some(table) = value.get_ref().as_table() else {
        w.wrong_type(
            value,
            "service",
            "a table with a `name` and a `url` or `tcp`",
        );
        return None;
    };
    let name = name(w, table, value, seen);
    let place = match &name {
        Some(name) => format!("in [[service]] {name:?}"),
        None => "in [[service]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::service_keys(), &|key| {
        keys::misplaced(key, "in a [[service]]")
    });
    let check = check(w, table, value, defaults);
    let group = match table.get("group") {
        Some(value) => w.text(value, "group").map(|text| Some(text.value)),
        None => Some(None),
    };
    let timing = defaults.timing.read(w, table, Origin::Service, history);
    Some(ServiceConfig {
        name: name?,
        group: group?,
        severity: timing.severity,
        interval: timing.interval.value,
        timeout: timing.timeout.value,
        degraded_after: timing.degraded_after.value,
        failure_threshold: timing.failure_threshold,
        success_threshold: timing.success_threshold,
        check: check?,
    })
}

fn name(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    service: &Value<'_>,
    seen: &mut Vec<Text>,
) -> Option<String> {
    let Some(value) = table.get("name") else {
        let message = "this [[service]] has no `name`; add one, like name = \"api\"";
        w.report(service.span(), message);
        return None;
    };
    let text = w.text(value, "name")?;
    if text.value.trim().is_empty() {
        let message = "`name` is empty; give the service a name to show on screen";
        w.report(text.span, message);
        return None;
    }
    super::names::unique(w, &text, seen, "service").then_some(text.value)
}

/// Exactly one of `url` and `tcp`; a `tcp` service rejects the HTTP-only keys.
fn check(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    service: &Value<'_>,
    defaults: &Defaults,
) -> Option<CheckConfig> {
    match (table.get_key_value("url"), table.get_key_value("tcp")) {
        (Some((url, _)), Some((tcp, _))) => {
            let later = if url.span().start > tcp.span().start {
                url
            } else {
                tcp
            };
            let message = "a service checks either `url` or `tcp`, not both; keep one";
            w.report(later.span(), message);
            None
        }
        (None, None) => {
            let message = "this [[service]] has neither `url` nor `tcp`; add `url = \
                           \"http://…\"` for an HTTP check or `tcp = \"host:port\"` for a \
                           TCP connect";
            w.report(service.span(), message);
            None
        }
        (Some((_, url)), None) => {
            let url = target::url(w, url);
            http::check(w, table, url, &defaults.http).map(CheckConfig::Http)
        }
        (None, Some((_, tcp))) => {
            for key in table.keys().filter(|k| keys::is_http_only(k.get_ref())) {
                let message = format!(
                    "`{}` only applies to HTTP checks, and this service checks `tcp`; remove \
                     it, or use `url` instead",
                    key.get_ref()
                );
                w.report(key.span(), message);
            }
            target::tcp(w, tcp).map(CheckConfig::Tcp)
        }
    }
}
