//! `[alerts]`: when conditions become alerts, how alerts remind, flap and age, the
//! `[[alerts.rule]]` entries and the `[[alerts.maintenance]]` windows.

use std::time::{Duration, SystemTime};

use super::Severity;
use super::calendar::{self, DAY_SECS};
use crate::contract::{Resource, ServiceState};

/// `[alerts]`, with the documented defaults filled in.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertsConfig {
    /// How often a firing alert nobody took is notified again; `None` (`false`): never.
    pub reminder: Option<Duration>,
    /// Ring the terminal bell when a critical alert starts firing.
    pub bell: bool,
    /// How long a condition must stay false before its alert resolves, so a flap does
    /// not close and reopen it.
    pub keep_firing_for: Duration,
    /// A service DEGRADED for longer than this raises `performance_degradation`.
    pub degraded_for: Duration,
    /// The failed share of checks in the history window above which a service raises
    /// `high_error_rate` (0.2 = 20 %).
    pub error_rate: f64,
    /// Fewer checks in the window than this say nothing about an error rate.
    pub error_rate_min_checks: usize,
    /// The failed share is taken over the checks of this last stretch (and since the
    /// last recovery), so a service that starts failing after a long good run is seen
    /// within it, not diluted by the whole history.
    pub error_rate_window: Duration,
    /// `flap_transitions` firing/resolved transitions within this window mark an
    /// alert flapping; it settles after a window without one.
    pub flap_window: Duration,
    pub flap_transitions: usize,
    /// Resolved alerts kept, at most this many…
    pub history_max: usize,
    /// …and none older than this.
    pub history_keep: Duration,
    /// The severity of the machine's own alerts, per resource.
    pub system_severity: SystemSeverity,
    pub rules: Vec<AlertRule>,
    pub maintenance: Vec<MaintenanceWindow>,
}

impl Default for AlertsConfig {
    fn default() -> Self {
        Self {
            reminder: Some(Duration::from_secs(30 * 60)),
            bell: true,
            keep_firing_for: Duration::ZERO,
            degraded_for: Duration::from_secs(5 * 60),
            error_rate: 0.2,
            error_rate_min_checks: 10,
            error_rate_window: Duration::from_secs(5 * 60),
            flap_window: Duration::from_secs(10 * 60),
            flap_transitions: 6,
            history_max: 1000,
            history_keep: Duration::from_secs(7 * DAY_SECS),
            system_severity: SystemSeverity::default(),
            rules: Vec::new(),
            maintenance: Vec::new(),
        }
    }
}

/// `system_severity = { cpu = "medium", disk = "high", … }`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemSeverity {
    /// Indexed like [`Resource::ALL`].
    pub by_resource: [Severity; 6],
}

impl Default for SystemSeverity {
    /// A busy CPU or a high load slows things down (medium); a full disk, inode table,
    /// memory or swap makes things fail (high).
    fn default() -> Self {
        use Severity::{High, Medium};
        Self {
            by_resource: [Medium, High, High, High, High, Medium],
        }
    }
}

impl SystemSeverity {
    pub fn of(&self, resource: Resource) -> Severity {
        let index = Resource::ALL.iter().position(|r| *r == resource);
        index.map_or(Severity::High, |i| self.by_resource[i])
    }
}

/// Which services a rule or a maintenance window covers.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    pub services: Vec<String>,
    pub group: Option<String>,
}

impl Selector {
    /// True for every service when nothing is selected; otherwise for the named services
    /// and those of the group (either is enough).
    pub fn matches(&self, name: &str, group: Option<&str>) -> bool {
        if self.is_all() {
            return true;
        }
        self.services.iter().any(|s| s == name)
            || (self.group.is_some() && self.group.as_deref() == group)
    }

    pub fn is_all(&self) -> bool {
        self.services.is_empty() && self.group.is_none()
    }
}

/// One `[[alerts.rule]]`. Several rules may share a name: they are tiers of one alert
/// per subject, and the alert takes the severity of the worst tier that holds.
#[derive(Debug, Clone, PartialEq)]
pub struct AlertRule {
    pub name: String,
    /// For service metrics; machine metrics take no selector.
    pub selector: Selector,
    pub metric: Metric,
    pub op: Op,
    pub threshold: RuleThreshold,
    /// How long the comparison must hold before the alert fires (`for`).
    pub hold: Duration,
    pub severity: Severity,
    /// The alert's one line; `{subject}`, `{value}` and `{threshold}` are filled in.
    pub summary: Option<String>,
}

/// What a rule compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// The service state word.
    State,
    /// Milliseconds, the 95th percentile of passing checks in the window.
    LatencyP95,
    /// The failed share of checks in the window, 0 to 1.
    ErrorRate,
    /// Percent, the machine's total.
    Cpu,
    /// Percent in use.
    Memory,
    /// Percent used, per filesystem (the subject is the mount point).
    Disk,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::State,
        Metric::LatencyP95,
        Metric::ErrorRate,
        Metric::Cpu,
        Metric::Memory,
        Metric::Disk,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Metric::State => "state",
            Metric::LatencyP95 => "latency_p95",
            Metric::ErrorRate => "error_rate",
            Metric::Cpu => "cpu",
            Metric::Memory => "memory",
            Metric::Disk => "disk",
        }
    }

    /// True for the machine's own figures (no service selector).
    pub fn is_system(self) -> bool {
        matches!(self, Metric::Cpu | Metric::Memory | Metric::Disk)
    }
}

/// A comparison written `>`, `<`, `>=`, `<=`, `==` or `!=`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Gt,
    Lt,
    Ge,
    Le,
    Eq,
    Ne,
}

impl Op {
    pub const ALL: [Op; 6] = [Op::Gt, Op::Lt, Op::Ge, Op::Le, Op::Eq, Op::Ne];

    pub fn as_str(self) -> &'static str {
        match self {
            Op::Gt => ">",
            Op::Lt => "<",
            Op::Ge => ">=",
            Op::Le => "<=",
            Op::Eq => "==",
            Op::Ne => "!=",
        }
    }

    pub fn holds<T: PartialOrd>(self, value: T, threshold: T) -> bool {
        match self {
            Op::Gt => value > threshold,
            Op::Lt => value < threshold,
            Op::Ge => value >= threshold,
            Op::Le => value <= threshold,
            Op::Eq => value == threshold,
            Op::Ne => value != threshold,
        }
    }
}

/// What a rule compares its metric with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RuleThreshold {
    /// In the metric's unit (milliseconds, a 0..1 share, percent).
    Number(f64),
    /// For `metric = "state"`.
    State(ServiceState),
}

/// `[[alerts.maintenance]]`: while open, matching alerts are silenced.
#[derive(Debug, Clone, PartialEq)]
pub struct MaintenanceWindow {
    pub name: String,
    /// Nothing selected: every alert, the machine's included.
    pub selector: Selector,
    pub schedule: Schedule,
}

/// When a maintenance window is open (UTC).
#[derive(Debug, Clone, PartialEq)]
pub enum Schedule {
    /// From `start` (inclusive) to `end` (exclusive).
    Once { start: SystemTime, end: SystemTime },
    /// On each listed day (Monday first) from `start` after midnight, for `length`.
    Weekly {
        days: [bool; 7],
        start: Duration,
        length: Duration,
    },
}

impl Schedule {
    /// The opening that contains `now`, as (start, end), if any.
    pub fn open_at(&self, now: SystemTime) -> Option<(SystemTime, SystemTime)> {
        match self {
            Schedule::Once { start, end } => {
                (*start <= now && now < *end).then_some((*start, *end))
            }
            Schedule::Weekly { length, .. } => {
                let back = i64::try_from(length.as_secs() / DAY_SECS)
                    .unwrap_or(7)
                    .min(7)
                    + 1;
                let (today, _) = calendar::day_of(now);
                (today - back..=today).find_map(|day| {
                    let start = self.weekly_start(day)?;
                    let end = start + *length;
                    (start <= now && now < end).then_some((start, end))
                })
            }
        }
    }

    /// The first moment after `now` when the window opens or closes, if it ever does.
    pub fn next_edge(&self, now: SystemTime) -> Option<SystemTime> {
        match self {
            Schedule::Once { start, end } => [*start, *end].into_iter().find(|t| *t > now),
            Schedule::Weekly { length, .. } => {
                let close = self.open_at(now).map(|(_, end)| end);
                let (today, _) = calendar::day_of(now);
                let open = (today..=today + 7)
                    .filter_map(|day| self.weekly_start(day))
                    .find(|start| *start > now);
                match (open, close) {
                    (Some(a), Some(b)) => Some(a.min(b)),
                    (a, b) => a.or(b),
                }
                .filter(|_| !length.is_zero())
            }
        }
    }

    fn weekly_start(&self, day: i64) -> Option<SystemTime> {
        let Schedule::Weekly { days, start, .. } = self else {
            return None;
        };
        (day >= 0 && days[calendar::weekday(day)]).then(|| calendar::midnight(day) + *start)
    }
}
