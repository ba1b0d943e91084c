//! Turns config text into a [`Config`], walking the spanned document so that every
//! problem is found at once, each with its place in the file.

use std::path::Path;
use std::time::Duration;

use toml::de::DeTable;

use super::errors::{Found, Problem};
use super::keymap;
use super::keys;
use super::observe;
use super::sections::{self, Defaults, Timing};
use super::service;
use super::settings::{Origin, Setting};
use super::system;
use super::walk::Text;
use super::walk::Walker;
use super::{Config, ServiceConfig};
use super::{alert_section, alertmanager, jobs_section, notify, prometheus_read};
use crate::kinds::KindDefaults;

/// Reads the whole document; on failure, every problem found (never none).
pub(crate) fn document(
    text: &str,
    source: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Config, Found> {
    let root = match DeTable::parse(text) {
        Ok(root) => root.into_inner(),
        Err(error) => {
            return Err(Found {
                problems: vec![syntax(text, &error)],
                secrets: Vec::new(),
            });
        }
    };
    let mut w = Walker::new(text, source, env);
    w.unknown_keys(&root, "at the top level", &keys::ROOT_KEYS, &|key| {
        keys::misplaced(key, "at the top level")
    });
    let empty = DeTable::new();
    let general_table = section(&mut w, &root, "general").unwrap_or(&empty);
    w.unknown_keys(general_table, "in [general]", &keys::GENERAL_KEYS, &|key| {
        keys::misplaced(key, "in [general]")
    });
    let defaults_table = section(&mut w, &root, "defaults").unwrap_or(&empty);
    w.unknown_keys(
        defaults_table,
        "in [defaults]",
        &keys::defaults_keys(),
        &|key| keys::misplaced(key, "in [defaults]"),
    );
    let log_table = section(&mut w, &root, "log").unwrap_or(&empty);
    w.unknown_keys(log_table, "in [log]", &keys::LOG_KEYS, &|key| {
        keys::misplaced(key, "in [log]")
    });
    let server_table = section(&mut w, &root, "server").unwrap_or(&empty);
    w.unknown_keys(server_table, "in [server]", &keys::SERVER_KEYS, &|key| {
        keys::misplaced(key, "in [server]")
    });
    let system_table = section(&mut w, &root, "system").unwrap_or(&empty);
    w.unknown_keys(system_table, "in [system]", &keys::SYSTEM_KEYS, &|key| {
        keys::misplaced(key, "in [system]")
    });
    let (general, history) = sections::general(&mut w, general_table);
    let system = system::system(&mut w, system_table, &history);
    let state_dir = general.as_ref().map(|g| g.state_dir.as_path());
    let log = observe::log(&mut w, log_table, state_dir);
    let server = observe::server(&mut w, server_table);
    let socket_group = super::socket_group::socket_group(&mut w, server_table);
    let defaults = Defaults {
        timing: Timing::builtin().read(&mut w, defaults_table, Origin::Defaults, &history),
        kinds: KindDefaults::default().read(&mut w, defaults_table),
    };
    let mut names_seen = Vec::new();
    let services = services(&mut w, &root, &defaults, &history, &mut names_seen);
    let prometheus =
        prometheus_read::prometheus(&mut w, root.get("prometheus"), &defaults, &mut names_seen);
    // Queries are services too: rules and maintenance windows may name them.
    let services = match (services, &prometheus) {
        (Some(mut services), Some(read)) => {
            services.extend(read.services.iter().cloned());
            Some(services)
        }
        _ => None,
    };
    let alerts_table = section(&mut w, &root, "alerts").unwrap_or(&empty);
    let alerts = alert_section::alerts(&mut w, alerts_table, services.as_deref());
    let notify = notify::channels(&mut w, root.get("notify"));
    let jobs_table = section(&mut w, &root, "jobs");
    let jobs = jobs_section::jobs(&mut w, jobs_table, source);
    let alertmanagers = alertmanager::alertmanagers(&mut w, root.get("alertmanager"));
    let keys_table = section(&mut w, &root, "keys").unwrap_or(&empty);
    let keys = keymap::keys(&mut w, keys_table);
    match (
        general,
        log,
        server,
        socket_group,
        system,
        services,
        alerts,
        notify,
        jobs,
        alertmanagers,
        prometheus,
        keys,
    ) {
        (
            Some(general),
            Some(log),
            Some(server),
            Some(socket_group),
            Some(system),
            Some(services),
            Some(alerts),
            Some(notify),
            Some(jobs),
            Some(alertmanagers),
            Some(prometheus),
            Some(keys),
        ) if w.problems.is_empty() => Ok(Config {
            source: source.to_path_buf(),
            general,
            log,
            server,
            socket_group,
            system,
            services,
            alerts,
            notify,
            jobs,
            alertmanagers,
            prometheus: prometheus.servers,
            keys,
        }),
        _ => {
            debug_assert!(!w.problems.is_empty(), "every failure reports a problem");
            Err(w.into_found())
        }
    }
}

/// A TOML syntax error, at the place the parser stopped.
fn syntax(text: &str, error: &toml::de::Error) -> Problem {
    let span = error.span().unwrap_or(text.len()..text.len());
    let what = match error.message() {
        "duplicate key" => {
            let key = text.get(span.clone()).unwrap_or_default();
            format!("`{key}` is set twice in the same table; keep one")
        }
        message => message.to_string(),
    };
    Problem::at(span, format!("TOML syntax error: {what}"))
}

fn section<'t, 'i>(
    w: &mut Walker<'_>,
    root: &'t DeTable<'i>,
    key: &str,
) -> Option<&'t DeTable<'i>> {
    let value = root.get(key)?;
    w.table(value, key, &format!("a table, written [{key}]"))
}

fn services(
    w: &mut Walker<'_>,
    root: &DeTable<'_>,
    defaults: &Defaults,
    history: &Setting<Duration>,
    seen: &mut Vec<Text>,
) -> Option<Vec<ServiceConfig>> {
    let Some(value) = root.get("service") else {
        return Some(Vec::new());
    };
    let Some(items) = value.get_ref().as_array() else {
        let message = match value.get_ref().is_table() {
            true => "write [[service]] with double brackets: each service is one entry of a \
                     list of tables"
                .to_string(),
            false => format!(
                "`service` expects a list of tables, written [[service]], found {}",
                super::walk::found(value.get_ref())
            ),
        };
        w.report(value.span(), message);
        return None;
    };
    let services: Vec<_> = items
        .iter()
        .map(|item| service::service(w, item, defaults, history, seen))
        .collect();
    services.into_iter().collect()
}
