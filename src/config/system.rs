//! `[system]`: whether and how often the machine itself is sampled, and the thresholds
//! that turn its readings into resource alerts.

use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::keys;
use super::settings::{self, Order, Origin, Setting};
use super::walk::{Value, Walker, found};
use crate::contract::Resource;

/// `[system]`, with the documented defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemConfig {
    /// Sample the machine at all (the panel and the resource thresholds need it).
    pub enabled: bool,
    /// Time between two samples.
    pub interval: Duration,
    /// Also list the top processes by CPU: walking /proc is the costly part of every
    /// system monitor, so it is off unless asked for.
    pub processes: bool,
    /// How often a `system_sample` log line is written.
    pub log_every: Duration,
    pub thresholds: SystemThresholds,
}

/// Each resource threshold; `None` turns one off.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SystemThresholds {
    /// Total CPU use, in percent (`cpu_spike`).
    pub cpu: Option<Threshold>,
    /// Memory in use, in percent (`resource_exhaustion`, as are the rest).
    pub memory: Option<Threshold>,
    pub swap: Option<Threshold>,
    /// Space used on each real filesystem, in percent.
    pub disk: Option<Threshold>,
    /// Inodes used on each real filesystem, in percent.
    pub inodes: Option<Threshold>,
    /// The one-minute load average divided by the number of cores.
    pub load: Option<Threshold>,
}

/// "Above this for that long", and how far back down before it clears.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Threshold {
    /// A percentage (0 to 100), or a load per core for `load`.
    pub above: f64,
    /// Once exceeded, the threshold clears only when a reading is at or below this
    /// (at most `above`), so a reading that hovers at the line does not clear and
    /// exceed it again and again.
    pub clear_below: f64,
    /// How long the reading must stay above `above` before the threshold is exceeded;
    /// shorter spikes are only shown as pending.
    pub hold: Duration,
}

const fn threshold(above: f64, clear_below: f64, secs: u64) -> Option<Threshold> {
    Some(Threshold {
        above,
        clear_below,
        hold: Duration::from_secs(secs),
    })
}

impl SystemThresholds {
    /// What an operator would pick: CPU over 90 % for 2 minutes, memory over 90 % for a
    /// minute, swap over 80 % for 5 minutes, a disk's space or inodes over 90 % for a
    /// minute, and a load of twice the cores for 5 minutes.
    /// Each clears 5 points (a load, 10 %) below its `above`.
    pub const BUILTIN: Self = Self {
        cpu: threshold(90.0, 85.0, 120),
        memory: threshold(90.0, 85.0, 60),
        swap: threshold(80.0, 75.0, 300),
        disk: threshold(90.0, 85.0, 60),
        inodes: threshold(90.0, 85.0, 60),
        load: threshold(2.0, 1.8, 300),
    };

    /// `resource`'s threshold, when one is set.
    pub fn of(&self, resource: Resource) -> Option<Threshold> {
        match resource {
            Resource::Cpu => self.cpu,
            Resource::Memory => self.memory,
            Resource::Swap => self.swap,
            Resource::Disk => self.disk,
            Resource::Inodes => self.inodes,
            Resource::Load => self.load,
        }
    }
}

/// Sampled every 2 s unless `interval` says otherwise (1 s is supported and is what the
/// benchmarks use).
pub const DEFAULT_SYSTEM_INTERVAL: Duration = Duration::from_secs(2);

impl Default for SystemConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            interval: DEFAULT_SYSTEM_INTERVAL,
            processes: false,
            log_every: Duration::from_secs(60),
            thresholds: SystemThresholds::BUILTIN,
        }
    }
}

/// The shortest `interval`: CPU use is a difference of two readings, which needs them
/// at least `MIN_CPU_GAP` (200 ms) apart.
const MIN_INTERVAL: Duration = Duration::from_millis(500);

/// Which kind of number a threshold's `above` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Percent,
    LoadPerCore,
}

impl Unit {
    /// Where a threshold set at `above` clears unless `clear_below` says otherwise: 5
    /// points lower for a percentage (never below half of it), 10 % lower for a load.
    fn clear_below(self, above: f64) -> f64 {
        match self {
            Unit::Percent => (above - 5.0).max(above / 2.0),
            Unit::LoadPerCore => above * 0.9,
        }
    }
}

/// Reads `[system]` (absent: all defaults); `history` is `[general] history`, which must
/// hold at least one sample.
pub(crate) fn system(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    history: &Setting<Duration>,
) -> Option<SystemConfig> {
    let defaults = SystemConfig::default();
    let enabled = flag(w, table, "enabled", defaults.enabled);
    let processes = flag(w, table, "processes", defaults.processes);
    let base = Setting::builtin(defaults.interval);
    let interval = settings::duration(w, table, "interval", Origin::Service, &base, MIN_INTERVAL);
    let rule = Order {
        low: ("interval", &interval),
        high: ("history", history),
        strict: false,
        why: "the history must hold at least one sample",
    };
    settings::check_order(w, &[Origin::Service], rule);
    let base = Setting::builtin(defaults.log_every);
    let log_every = settings::duration(
        w,
        table,
        "log_every",
        Origin::Service,
        &base,
        Duration::from_secs(1),
    );
    let builtin = SystemThresholds::BUILTIN;
    let mut read = |key, base, unit| rule_for(w, table, key, base, unit);
    let thresholds = SystemThresholds {
        cpu: read("cpu", builtin.cpu, Unit::Percent),
        memory: read("memory", builtin.memory, Unit::Percent),
        swap: read("swap", builtin.swap, Unit::Percent),
        disk: read("disk", builtin.disk, Unit::Percent),
        inodes: read("inodes", builtin.inodes, Unit::Percent),
        load: read("load", builtin.load, Unit::LoadPerCore),
    };
    let broken = [&interval, &log_every]
        .iter()
        .any(|s| s.origin == Origin::Broken);
    if broken {
        return None;
    }
    Some(SystemConfig {
        enabled: enabled?,
        interval: interval.value,
        processes: processes?,
        log_every: log_every.value,
        thresholds,
    })
}

fn flag(w: &mut Walker<'_>, table: &DeTable<'_>, key: &str, base: bool) -> Option<bool> {
    table.get(key).map_or(Some(base), |v| w.boolean(v, key))
}

/// A threshold key: an inline table `{ above = …, for = "…", clear_below = … }` (any may
/// be left out and keeps its default; a new `above` moves the default `clear_below`
/// with it), or `false` to turn it off. A mistake is reported and the default kept, so
/// the walk goes on (the config is refused all the same).
fn rule_for(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    key: &str,
    base: Option<Threshold>,
    unit: Unit,
) -> Option<Threshold> {
    let Some(value) = table.get(key) else {
        return base;
    };
    if value.get_ref().as_bool() == Some(false) {
        return None;
    }
    let example = match unit {
        Unit::Percent => "{ above = 90, for = \"2m\" }",
        Unit::LoadPerCore => "{ above = 2.0, for = \"5m\" }",
    };
    let Some(inner) = value.get_ref().as_table() else {
        let found = found(value.get_ref());
        let message = format!(
            "`{key}` expects a table like {example}, or false to turn it off, found {found}"
        );
        w.report(value.span(), message);
        return base;
    };
    let place = format!("in `{key}` of [system]");
    w.unknown_keys(inner, &place, &keys::THRESHOLD_KEYS, &|_| None);
    let default = base.or(builtin(key))?;
    // `None` when `above` was written wrong: nothing to compare `clear_below` with.
    let written_above = match inner.get("above") {
        Some(v) => level(w, v, &format!("{key}.above"), unit),
        None => Some(default.above),
    };
    let above = written_above.unwrap_or(default.above);
    let hold = match inner.get("for") {
        Some(v) => w.duration(v, &format!("{key}.for")).unwrap_or(default.hold),
        None => default.hold,
    };
    let clear_below = match inner.get("clear_below") {
        Some(v) => clear_level(w, v, key, written_above, unit).unwrap_or(unit.clear_below(above)),
        None if inner.contains_key("above") => unit.clear_below(above),
        None => default.clear_below,
    };
    Some(Threshold {
        above,
        clear_below,
        hold,
    })
}

/// `clear_below`: a level like `above`'s, and no higher than it (a threshold must be
/// left to clear); `above` is `None` when it was itself written wrong.
fn clear_level(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    key: &str,
    above: Option<f64>,
    unit: Unit,
) -> Option<f64> {
    let clear = level(w, value, &format!("{key}.clear_below"), unit)?;
    let Some(above) = above else {
        return Some(clear);
    };
    if clear > above {
        let message = format!(
            "`{key}.clear_below` = {clear} is above `{key}.above` = {above}: a reading \
             must fall back below the threshold to clear it; use at most {above} \
             (the default is {})",
            unit.clear_below(above)
        );
        w.report(value.span(), message);
        return None;
    }
    Some(clear)
}

fn builtin(key: &str) -> Option<Threshold> {
    let b = SystemThresholds::BUILTIN;
    match key {
        "cpu" => b.cpu,
        "memory" => b.memory,
        "swap" => b.swap,
        "disk" => b.disk,
        "inodes" => b.inodes,
        _ => b.load,
    }
}

/// `above`: a percentage (90, 92.5 or "90%") or a load per core (2, 1.5).
fn level(w: &mut Walker<'_>, value: &Value<'_>, key: &str, unit: Unit) -> Option<f64> {
    let number = match value.get_ref() {
        DeValue::Integer(i) => i64::from_str_radix(i.as_str(), i.radix())
            .ok()
            .map(|n| n as f64),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::String(s) if unit == Unit::Percent => s
            .trim()
            .strip_suffix('%')
            .and_then(|n| n.trim().parse::<f64>().ok()),
        _ => None,
    };
    let (what, valid) = match unit {
        Unit::Percent => (
            "a percentage like 90 or \"90%\"",
            "a percentage above 0 and below 100",
        ),
        Unit::LoadPerCore => (
            "a load per core like 2 or 1.5",
            "a load per core above 0 and at most 100",
        ),
    };
    let Some(number) = number.filter(|n| n.is_finite()) else {
        w.wrong_type(value, key, what);
        return None;
    };
    let fits = match unit {
        Unit::Percent => number > 0.0 && number < 100.0,
        Unit::LoadPerCore => number > 0.0 && number <= 100.0,
    };
    if !fits {
        let message = format!("`{key}` = {number} is out of range: use {valid}");
        w.report(value.span(), message);
        return None;
    }
    Some(number)
}
