//! `SystemState`: the machine's part of the core's state. Each sample goes into a bounded
//! history and through one threshold machine per resource (per filesystem for disk and
//! inodes); the view is rebuilt only when a sample arrives.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use crate::config::{SystemConfig, Threshold};
use crate::contract::Resource;
use crate::state::history::MAX_SAMPLES;
use crate::state::threshold::{Crossing, ThresholdMachine};
use crate::view::machine::Level;
use crate::view::machine::{RuleView, SystemPoint, SystemView};
use crate::view::machine_sample::SystemSample;
use crate::view::service::epoch_millis;

/// A threshold started or stopped being exceeded, for the log (and later the alerts).
#[derive(Debug, Clone, PartialEq)]
pub struct ThresholdChange {
    pub resource: Resource,
    pub subject: Option<String>,
    pub crossing: Crossing,
    /// The reading that crossed (`None` when the resource is gone, like an unmounted disk).
    pub value: Option<f64>,
    pub threshold: Threshold,
}

/// What applying a sample asks of the core.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Applied {
    pub changes: Vec<ThresholdChange>,
    /// True when a `system_sample` line is due (`[system] log_every`).
    pub log_sample: bool,
}

#[derive(Debug, Clone)]
struct RuleEntry {
    resource: Resource,
    subject: Option<String>,
    threshold: Threshold,
    machine: ThresholdMachine,
    value: f64,
}

/// The machine's history and thresholds.
#[derive(Debug, Clone)]
pub struct SystemState {
    settings: SystemConfig,
    window: Duration,
    capacity: usize,
    history: VecDeque<SystemPoint>,
    rules: Vec<RuleEntry>,
    latest: Option<SystemSample>,
    last_logged: Option<SystemTime>,
}

impl SystemState {
    pub fn new(settings: &SystemConfig, window: Duration) -> Self {
        let capacity = capacity(window, settings.interval);
        Self {
            settings: settings.clone(),
            window,
            capacity,
            history: VecDeque::with_capacity(capacity),
            rules: Vec::new(),
            latest: None,
            last_logged: None,
        }
    }

    /// Takes new settings: the history is kept (its newest points, if it shrinks); the
    /// thresholds start again, and any that was exceeded is reported cleared.
    pub fn reconfigure(
        &mut self,
        settings: &SystemConfig,
        window: Duration,
    ) -> Vec<ThresholdChange> {
        self.settings = settings.clone();
        self.window = window;
        self.capacity = capacity(window, settings.interval);
        while self.history.len() > self.capacity {
            self.history.pop_front();
        }
        let gone = std::mem::take(&mut self.rules);
        gone.into_iter().filter_map(retire).collect()
    }

    /// Records one sample and runs every threshold on it.
    pub fn apply(&mut self, sample: SystemSample) -> Applied {
        let at = sample.at;
        if self.history.len() == self.capacity {
            self.history.pop_front();
        }
        self.history.push_back(point(&sample));
        let mut changes = Vec::new();
        let mut kept = Vec::with_capacity(self.rules.len());
        for (resource, subject, value) in readings(&sample) {
            let Some(threshold) = self.settings.thresholds.of(resource) else {
                continue;
            };
            let found = self
                .rules
                .iter()
                .position(|r| r.resource == resource && r.subject == subject);
            let mut entry = match found {
                Some(index) => self.rules.swap_remove(index),
                None => RuleEntry {
                    resource,
                    subject,
                    threshold,
                    machine: ThresholdMachine::new(threshold.hold),
                    value,
                },
            };
            entry.value = value;
            let crossing =
                entry
                    .machine
                    .observe_reading(value, threshold.above, threshold.clear_below, at);
            if let Some(crossing) = crossing {
                changes.push(ThresholdChange {
                    resource,
                    subject: entry.subject.clone(),
                    crossing,
                    value: Some(value),
                    threshold,
                });
            }
            kept.push(entry);
        }
        // Whatever had no reading this time (a disk unmounted, swap turned off) is gone.
        changes.extend(self.rules.drain(..).filter_map(retire));
        self.rules = kept;
        let log_sample = self.last_logged.is_none_or(|then| {
            at.duration_since(then)
                .map_or(true, |d| d >= self.settings.log_every)
        });
        if log_sample {
            self.last_logged = Some(at);
        }
        self.latest = Some(sample);
        Applied {
            changes,
            log_sample,
        }
    }

    /// The newest sample, if one arrived.
    pub fn latest(&self) -> Option<&SystemSample> {
        self.latest.as_ref()
    }

    /// The view for frontends; `None` until the first sample.
    pub fn view(&self) -> Option<SystemView> {
        let latest = self.latest.clone()?;
        let cutoff = epoch_millis(latest.at).saturating_sub(self.window.as_millis() as u64);
        let mut rules: Vec<RuleView> = self
            .rules
            .iter()
            .filter(|r| r.machine.level() != Level::Clear)
            .map(|r| RuleView {
                resource: r.resource,
                subject: r.subject.clone(),
                value: r.value,
                threshold: r.threshold,
                level: r.machine.level(),
            })
            .collect();
        let pending = |r: &RuleView| matches!(r.level, Level::Pending { .. });
        rules.sort_by(|a, b| {
            (pending(a), a.resource, &a.subject).cmp(&(pending(b), b.resource, &b.subject))
        });
        Some(SystemView {
            latest,
            history: self
                .history
                .iter()
                .filter(|p| p.at_ms >= cutoff)
                .copied()
                .collect(),
            rules,
            thresholds: self.settings.thresholds,
            interval: self.settings.interval,
            window: self.window,
        })
    }
}

/// A rule with no reading any more: cleared if it was exceeded.
fn retire(mut entry: RuleEntry) -> Option<ThresholdChange> {
    entry.machine.clear().map(|crossing| ThresholdChange {
        resource: entry.resource,
        subject: entry.subject,
        crossing,
        value: None,
        threshold: entry.threshold,
    })
}

/// Room for one window of samples, within the same bound as service histories.
fn capacity(window: Duration, interval: Duration) -> usize {
    let per_window = window.as_millis() / interval.as_millis().max(1);
    usize::try_from(per_window)
        .unwrap_or(MAX_SAMPLES)
        .saturating_add(1)
        .clamp(2, MAX_SAMPLES)
}

/// The figures a threshold can watch, as (resource, mount point, value).
fn readings(sample: &SystemSample) -> Vec<(Resource, Option<String>, f64)> {
    let mut out = Vec::with_capacity(4 + 2 * sample.filesystems.len());
    if let Some(cpu) = &sample.cpu {
        out.push((Resource::Cpu, None, f64::from(cpu.total)));
    }
    if let Some(percent) = sample.memory.and_then(|m| m.percent()) {
        out.push((Resource::Memory, None, percent));
    }
    if let Some(percent) = sample.swap.and_then(|s| s.percent()) {
        out.push((Resource::Swap, None, percent));
    }
    if let Some(per_core) = sample.load.and_then(|l| l.per_core(sample.cores)) {
        out.push((Resource::Load, None, per_core));
    }
    for fs in &sample.filesystems {
        if let Some(percent) = fs.percent() {
            out.push((Resource::Disk, Some(fs.mount.clone()), percent));
        }
        if let Some(percent) = fs.inodes.and_then(|i| i.percent()) {
            out.push((Resource::Inodes, Some(fs.mount.clone()), percent));
        }
    }
    out
}

/// The charted figures of one sample.
fn point(sample: &SystemSample) -> SystemPoint {
    let rates: Vec<_> = sample.networks.iter().filter_map(|n| n.rates).collect();
    let (rx, tx) = match rates.is_empty() {
        true => (None, None),
        false => (
            Some(rates.iter().map(|r| r.rx).sum::<f64>() as f32),
            Some(rates.iter().map(|r| r.tx).sum::<f64>() as f32),
        ),
    };
    SystemPoint {
        at_ms: epoch_millis(sample.at),
        cpu: sample.cpu.as_ref().map(|c| c.total),
        memory: sample.memory.and_then(|m| m.percent()).map(|p| p as f32),
        swap: sample.swap.and_then(|s| s.percent()).map(|p| p as f32),
        load: sample.load.map(|l| l.one as f32),
        rx,
        tx,
    }
}

#[cfg(test)]
#[path = "system_tests.rs"]
mod tests;
