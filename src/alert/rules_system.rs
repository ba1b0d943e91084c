//! The machine's conditions: `[system]` thresholds that are exceeded (`cpu_spike`,
//! `resource_exhaustion`) and `[[alerts.rule]]` entries on `cpu`, `memory` and `disk`.
//! Watches come and go with what the machine shows; finding one allocates nothing.

use std::time::{Duration, SystemTime};

use super::rules::{Check, Tier, Watch, key};
use crate::config::{AlertsConfig, Metric, RuleThreshold};
use crate::contract::Resource;
use crate::view::alert::{AlertKey, AlertKind};
use crate::view::machine::Level;
use crate::view::machine::{RuleView, SystemView};

/// The subject of a threshold's alert: the resource word, the mount point for `disk`,
/// `inodes:<mount>` for `inodes` (so a mount's space and inodes are two alerts).
pub(crate) fn subject(rule: &RuleView) -> String {
    match (rule.resource, &rule.subject) {
        (Resource::Inodes, Some(mount)) => format!("inodes:{mount}"),
        (_, Some(mount)) => mount.clone(),
        (resource, None) => resource.as_str().to_string(),
    }
}

/// True when `subject` is what [`subject`] gives for `rule`, without building it.
fn names(rule: &RuleView, subject: &str) -> bool {
    match (rule.resource, &rule.subject) {
        (Resource::Inodes, Some(mount)) => subject.strip_prefix("inodes:") == Some(mount),
        (_, Some(mount)) => subject == mount,
        (resource, None) => subject == resource.as_str(),
    }
}

fn kind_of(resource: Resource) -> AlertKind {
    match resource {
        Resource::Cpu => AlertKind::CpuSpike,
        _ => AlertKind::ResourceExhaustion,
    }
}

/// Adds watches for what newly shows on the machine and re-checks every watch.
/// `open` says whether an alert is open for a key: a threshold's machine starts anew at
/// a restart (or a reload), and while it is above again but not yet for its `for`, an
/// open alert (read back at start) still holds, so a restart neither resolves it nor
/// pages it anew.
pub(crate) fn update(
    watches: &mut Vec<Watch>,
    view: Option<&SystemView>,
    config: &AlertsConfig,
    now: SystemTime,
    open: &dyn Fn(&AlertKey) -> bool,
) {
    if let Some(view) = view {
        for rule in view.rules.iter().filter(|r| match r.level {
            Level::Exceeded { .. } => true,
            Level::Pending { .. } => open(&key(kind_of(r.resource), None, &subject(r))),
            Level::Clear => false,
        }) {
            let kind = kind_of(rule.resource);
            let known = watches
                .iter()
                .any(|w| w.key.kind == kind && w.key.rule.is_none() && names(rule, &w.key.subject));
            if !known {
                let tier = Tier {
                    check: Check::Threshold,
                    severity: config.system_severity.of(rule.resource),
                    hold: Duration::ZERO,
                    since: None,
                };
                watches.push(Watch::new(
                    key(kind, None, &subject(rule)),
                    None,
                    vec![tier],
                ));
            }
        }
        for (i, rule) in config.rules.iter().enumerate() {
            match rule.metric {
                Metric::Disk => {
                    for fs in &view.latest.filesystems {
                        consider(watches, config, i, &fs.mount, view);
                    }
                }
                metric if metric.is_system() => consider(watches, config, i, metric.as_str(), view),
                _ => {}
            }
        }
    }
    for watch in watches.iter_mut() {
        let subject = watch.key.subject.as_str();
        let kind = watch.key.kind;
        let open = watch.alert.is_some() || open(&watch.key);
        for tier in &mut watch.tiers {
            let held = match (tier.check, view) {
                (_, None) => None,
                (Check::Threshold, Some(view)) => view.rules.iter().find_map(|r| match r.level {
                    Level::Exceeded { since }
                        if kind_of(r.resource) == kind && names(r, subject) =>
                    {
                        Some(since)
                    }
                    Level::Pending { since }
                        if open && kind_of(r.resource) == kind && names(r, subject) =>
                    {
                        Some(since)
                    }
                    _ => None,
                }),
                (Check::Rule(i), Some(view)) => config
                    .rules
                    .get(i)
                    .and_then(|rule| value(rule.metric, subject, view))
                    .filter(|v| holds(config, i, *v))
                    .map(|_| tier.since.unwrap_or(now)),
                _ => None,
            };
            tier.since = held.map(|since| since.min(now));
        }
    }
}

/// Drops watches that hold nothing and drive no alert.
pub(crate) fn prune(watches: &mut Vec<Watch>) {
    watches.retain(|w| w.alert.is_some() || w.tiers.iter().any(|t| t.since.is_some()));
}

/// Adds the watch of rule `index` about `subject` when the rule holds and none exists.
fn consider(
    watches: &mut Vec<Watch>,
    config: &AlertsConfig,
    index: usize,
    subject: &str,
    view: &SystemView,
) {
    let Some(rule) = config.rules.get(index) else {
        return;
    };
    if !value(rule.metric, subject, view).is_some_and(|v| holds(config, index, v)) {
        return;
    }
    let exists = watches
        .iter()
        .any(|w| w.key.rule.as_deref() == Some(&rule.name) && w.key.subject == subject);
    if exists {
        return;
    }
    let tiers = config
        .rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.name == rule.name && r.metric == rule.metric)
        .map(|(i, r)| Tier {
            check: Check::Rule(i),
            severity: r.severity,
            hold: r.hold,
            since: None,
        })
        .collect();
    watches.push(Watch::new(
        key(AlertKind::Rule, Some(&rule.name), subject),
        None,
        tiers,
    ));
}

fn holds(config: &AlertsConfig, index: usize, value: f64) -> bool {
    match config.rules.get(index).map(|r| (r.op, r.threshold)) {
        Some((op, RuleThreshold::Number(threshold))) => op.holds(value, threshold),
        _ => false,
    }
}

/// The machine figure a rule compares, in percent.
pub(crate) fn value(metric: Metric, subject: &str, view: &SystemView) -> Option<f64> {
    let latest = &view.latest;
    match metric {
        Metric::Cpu => latest.cpu.as_ref().map(|cpu| f64::from(cpu.total)),
        Metric::Memory => latest.memory.and_then(|m| m.percent()),
        Metric::Disk => latest
            .filesystems
            .iter()
            .find(|fs| fs.mount == subject)
            .and_then(|fs| fs.percent()),
        Metric::State | Metric::LatencyP95 | Metric::ErrorRate => None,
    }
}
