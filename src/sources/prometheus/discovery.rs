//! Scrape targets as cards. The targets of a `[[prometheus]]` with `targets = true` are
//! found at run time and change, while services come from the config: a watcher asks
//! each such Prometheus for its targets every `interval` and publishes the set when it
//! changes; the core then adds one service per target ([`with_targets`]) in a group named
//! "<name> targets" to the config in use, and restarts only the target cards' checks.
//! A Prometheus that does not answer keeps the targets last found.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, PrometheusConfig, ServiceConfig};
use crate::kinds::{CheckConfig, TargetCheck};

use crate::kinds::target::list::{ActiveTarget, fetch};

/// One target's identity and the name its card gets.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FoundTarget {
    pub scrape_pool: String,
    pub scrape_url: String,
    /// "job/instance".
    pub name: String,
}

/// The targets found, by `[[prometheus]]` name.
pub type TargetSets = BTreeMap<String, Vec<FoundTarget>>;

impl FoundTarget {
    fn of(target: &ActiveTarget) -> Self {
        Self {
            scrape_pool: target.scrape_pool.clone(),
            scrape_url: target.scrape_url.clone(),
            name: format!("{}/{}", target.job(), target.instance()),
        }
    }
}

/// The group target cards of `prometheus` are shown in.
pub fn group_of(prometheus: &PrometheusConfig) -> String {
    format!("{} targets", prometheus.name)
}

/// `config` with one service per target in `found`, after its own services. A name
/// already taken gets " @<prometheus>" and, if need be, a number.
pub fn with_targets(mut config: Config, found: &TargetSets) -> Config {
    let mut taken: Vec<String> = config.services.iter().map(|s| s.name.clone()).collect();
    let mut added = Vec::new();
    for prometheus in config.prometheus.iter().filter(|p| p.targets) {
        let Some(targets) = found.get(&prometheus.name) else {
            continue;
        };
        for target in targets {
            let name = unique_name(&target.name, &prometheus.name, &taken);
            taken.push(name.clone());
            added.push(service(prometheus, target, name));
        }
    }
    config.services.extend(added);
    config
}

fn unique_name(wanted: &str, prometheus: &str, taken: &[String]) -> String {
    let free = |name: &str| !taken.iter().any(|t| t == name);
    if free(wanted) {
        return wanted.to_string();
    }
    let marked = format!("{wanted} @{prometheus}");
    (1..)
        .map(|n| match n {
            1 => marked.clone(),
            n => format!("{marked} #{n}"),
        })
        .find(|name| free(name))
        .unwrap_or(marked)
}

fn service(prometheus: &PrometheusConfig, target: &FoundTarget, name: String) -> ServiceConfig {
    let timing = prometheus.target_timing;
    ServiceConfig {
        name,
        group: Some(group_of(prometheus)),
        severity: timing.severity,
        interval: prometheus.interval,
        timeout: prometheus.timeout,
        degraded_after: prometheus.timeout,
        failure_threshold: timing.failure_threshold,
        success_threshold: timing.success_threshold,
        check: CheckConfig::Target(TargetCheck {
            prometheus: prometheus.name.clone(),
            url: prometheus.url.clone(),
            scrape_pool: target.scrape_pool.clone(),
            scrape_url: target.scrape_url.clone(),
        }),
    }
}

/// Where the scrape target cards start among `services`: [`with_targets`] puts them
/// after the config's own services.
pub fn first_target(services: &[ServiceConfig]) -> usize {
    (services.iter())
        .position(|service| matches!(service.check, CheckConfig::Target(_)))
        .unwrap_or(services.len())
}

/// `config` without its scrape target cards: the services its file names.
pub fn without_targets(mut config: Config) -> Config {
    let first = first_target(&config.services);
    config.services.truncate(first);
    config
}

/// Asks every `targets = true` Prometheus of `config` once (for `lookout check`); one
/// that does not answer contributes no targets and a line saying why.
pub async fn discover_once(config: &Config) -> (TargetSets, Vec<String>) {
    let mut sets = TargetSets::new();
    let mut problems = Vec::new();
    let servers: Vec<&PrometheusConfig> = config.prometheus.iter().filter(|p| p.targets).collect();
    if servers.is_empty() {
        return (sets, problems);
    }
    let client = match crate::kinds::prometheus::client() {
        Ok(client) => client,
        Err(error) => {
            problems.push(format!("cannot ask for scrape targets: {error}"));
            return (sets, problems);
        }
    };
    for prometheus in servers {
        let asked = tokio::time::timeout(prometheus.timeout, fetch(&client, &prometheus.url));
        let why = match asked.await {
            Ok(Ok(list)) => {
                record(&mut sets, &prometheus.name, &list);
                continue;
            }
            Ok(Err(reason)) => reason,
            Err(_) => crate::net::reason::timeout(prometheus.timeout),
        };
        problems.push(format!(
            "prometheus {:?}: scrape targets not read: {why}",
            prometheus.name
        ));
    }
    (sets, problems)
}

/// Keeps `list` as the targets of `prometheus`. An empty list changes nothing: a
/// Prometheus just started lists no targets until its discovery has run, and taking it
/// at its word would remove every card (and end its alerts) to add them back moments
/// later with no history.
fn record(sets: &mut TargetSets, prometheus: &str, list: &[ActiveTarget]) {
    let found = identities(list);
    if !found.is_empty() {
        sets.insert(prometheus.to_string(), found);
    }
}

fn identities(list: &[ActiveTarget]) -> Vec<FoundTarget> {
    let mut found: Vec<FoundTarget> = list.iter().map(FoundTarget::of).collect();
    found.sort();
    found.dedup();
    found
}

/// Starts the watcher of `config`'s `targets = true` Prometheus servers (none: nothing
/// runs, and the receiver hears of no set). Each change of a set is published.
pub fn watch_targets(
    config: &Config,
    cancel: &CancellationToken,
) -> watch::Receiver<Arc<TargetSets>> {
    let (publish, sets) = watch::channel(Arc::new(TargetSets::new()));
    let servers: Vec<PrometheusConfig> = config
        .prometheus
        .iter()
        .filter(|p| p.targets)
        .cloned()
        .collect();
    if servers.is_empty() {
        return sets;
    }
    let cancel = cancel.clone();
    tokio::spawn(async move {
        let Ok(client) = crate::kinds::prometheus::client() else {
            return;
        };
        let every = servers
            .iter()
            .map(|p| p.interval)
            .min()
            .unwrap_or(Duration::from_secs(15));
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                () = cancel.cancelled() => return,
                _ = tick.tick() => {}
            }
            let mut sets = TargetSets::clone(&publish.borrow());
            for prometheus in &servers {
                let asked =
                    tokio::time::timeout(prometheus.timeout, fetch(&client, &prometheus.url));
                // Not answering keeps what was found: cards do not vanish on a blip.
                if let Ok(Ok(list)) = asked.await {
                    record(&mut sets, &prometheus.name, &list);
                }
            }
            if *publish.borrow().as_ref() != sets {
                publish.send_replace(Arc::new(sets));
            }
        }
    });
    sets
}
