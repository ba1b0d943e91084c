//! Conditions: what each service (and the machine) is watched for, built once per config
//! as [`Watch`]es, and re-checked on every evaluation without allocating.

use std::time::{Duration, SystemTime};

use crate::config::{AlertRule, AlertsConfig, Metric, RuleThreshold, ServiceConfig, Severity};
use crate::contract::ServiceState;
use crate::kinds::Standing;
use crate::view::alert::{AlertKey, AlertKind};
use crate::view::service::ServiceView;

/// What one tier checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    /// The service is DOWN.
    Down,
    /// The service is DEGRADED (its tier holds for `degraded_for`).
    Degraded,
    /// The failed share of checks in the window is above `error_rate`.
    ErrorRate,
    /// `[[alerts.rule]]` number `n`.
    Rule(usize),
    /// A `[system]` threshold is exceeded (it debounced itself).
    Threshold,
    /// The job monitor's latest pass found stuck rows.
    StuckJobs,
    /// The job queue's database keeps failing.
    DatabaseIssue,
    /// An Alertmanager does not answer reads.
    AlertmanagerUnreachable,
    /// The state directory does not take writes.
    AlertStoreFailed,
    /// A notify channel's notices do not get through.
    NotificationFailed,
    /// The service's certificate expires within `certificate_warn`.
    CertificateWarn,
    /// The service's certificate expires within `certificate_critical` (or has).
    CertificateCritical,
}

impl Check {
    /// The kind of a service incident while this tier is what it says; `None` for the
    /// checks of other alerts, whose kind never changes.
    pub(crate) fn service_kind(self) -> Option<AlertKind> {
        match self {
            Check::Down => Some(AlertKind::ServiceDown),
            Check::Degraded => Some(AlertKind::PerformanceDegradation),
            Check::ErrorRate => Some(AlertKind::HighErrorRate),
            _ => None,
        }
    }
}

/// One way an alert's condition can hold, with its own `for` and severity.
#[derive(Debug, Clone)]
pub(crate) struct Tier {
    pub(crate) check: Check,
    pub(crate) severity: Severity,
    pub(crate) hold: Duration,
    /// Since when it has held; `None` while it does not.
    pub(crate) since: Option<SystemTime>,
}

/// One incident's condition: its tiers (a service's DOWN, DEGRADED and error rate;
/// several `[[alerts.rule]]` of one name; or one built-in check) and the alert it
/// currently drives.
#[derive(Debug, Clone)]
pub(crate) struct Watch {
    /// The incident's key ([`AlertKey::incident`]).
    pub(crate) key: AlertKey,
    pub(crate) group: Option<String>,
    pub(crate) tiers: Vec<Tier>,
    /// The id of the alert this watch drives, if any (checked against the book).
    pub(crate) alert: Option<u64>,
    /// Built since the last evaluation: tier times were not seen yet.
    pub(crate) fresh: bool,
    /// When its last alert closed: error rates count the checks after it, so an
    /// incident that ended never opens the next one.
    pub(crate) floor: Option<SystemTime>,
    /// The subject has been healthy long enough for a fired alert to resolve once no
    /// tier holds (a service: `success_threshold` healthy checks in a row).
    pub(crate) healthy: bool,
    /// Why the condition cannot be watched now (the service is paused, the job monitor
    /// stopped): its alert ends with this reason and no new one opens.
    pub(crate) stopped: Option<&'static str>,
}

/// The condition of a watch at one moment, when it holds.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Truth {
    /// When the earliest holding tier began.
    pub(crate) since: SystemTime,
    /// The worst severity among holding tiers.
    pub(crate) severity: Severity,
    /// The worst severity among tiers that held for their `for`; `None`: still pending.
    pub(crate) ripe: Option<Severity>,
    /// When the next holding tier will have held for its `for`.
    pub(crate) ripe_at: Option<SystemTime>,
    /// The tier the summary describes: the worst ripe one, else the worst holding one.
    pub(crate) tier: usize,
}

impl Watch {
    pub(crate) fn new(key: AlertKey, group: Option<String>, tiers: Vec<Tier>) -> Self {
        Self {
            key,
            group,
            tiers,
            alert: None,
            fresh: true,
            floor: None,
            healthy: true,
            stopped: None,
        }
    }

    /// The kind its alert has while `tier` is what it says: a service incident's follows
    /// the tier; any other keeps the key's.
    pub(crate) fn kind_for(&self, tier: usize) -> AlertKind {
        self.tiers
            .get(tier)
            .and_then(|t| t.check.service_kind())
            .filter(|_| self.key.kind.is_service_incident())
            .unwrap_or(self.key.kind)
    }

    /// Re-checks each tier: `holds` answers `None` when it does not hold, `Some(since)`
    /// when it does (with the moment it began, when the source knows it).
    pub(crate) fn update(
        &mut self,
        now: SystemTime,
        mut holds: impl FnMut(Check) -> Option<Option<SystemTime>>,
    ) {
        for tier in &mut self.tiers {
            tier.since = match holds(tier.check) {
                Some(known) => Some(known.or(tier.since).unwrap_or(now).min(now)),
                None => None,
            };
        }
    }

    /// The condition at `now`, from the tiers as last updated.
    pub(crate) fn truth(&self, now: SystemTime) -> Option<Truth> {
        let mut truth: Option<Truth> = None;
        let mut ripe_tier: Option<(Severity, usize)> = None;
        for (i, tier) in self.tiers.iter().enumerate() {
            let Some(since) = tier.since else { continue };
            let ready = since.checked_add(tier.hold).unwrap_or(now + tier.hold);
            let t = truth.get_or_insert(Truth {
                since,
                severity: tier.severity,
                ripe: None,
                ripe_at: None,
                tier: i,
            });
            t.since = t.since.min(since);
            if tier.severity > t.severity {
                t.severity = tier.severity;
                t.tier = i;
            }
            if ready <= now {
                t.ripe = t.ripe.max(Some(tier.severity));
                if ripe_tier.is_none_or(|(s, _)| tier.severity > s) {
                    ripe_tier = Some((tier.severity, i));
                }
            } else {
                t.ripe_at = Some(t.ripe_at.map_or(ready, |at| at.min(ready)));
            }
        }
        if let (Some(t), Some((_, i))) = (truth.as_mut(), ripe_tier) {
            t.tier = i;
        }
        truth
    }

    /// After a restart or a reload the tiers start over; an alert still pending keeps
    /// the time its condition began.
    pub(crate) fn seed(&mut self, started: SystemTime) {
        for tier in &mut self.tiers {
            tier.since = tier.since.map(|since| since.min(started));
        }
    }
}

/// The key of an alert about `subject`.
pub(crate) fn key(kind: AlertKind, rule: Option<&str>, subject: &str) -> AlertKey {
    AlertKey {
        kind,
        rule: rule.map(str::to_string),
        subject: subject.to_string(),
    }
}

/// The watch of one of lookout's own troubles about `subject` (an Alertmanager that does
/// not answer, a channel that loses notices, the state directory): one tier, high, that
/// fires as soon as it holds.
pub(crate) fn trouble_watch(kind: AlertKind, check: Check, subject: &str) -> Watch {
    let tier = Tier {
        check,
        severity: Severity::High,
        hold: Duration::ZERO,
        since: None,
    };
    Watch::new(key(kind, None, subject), None, vec![tier])
}

/// Holds `watch`'s tiers since `since` (kept from when they began), or clears them.
pub(crate) fn hold_since(watch: &mut Watch, since: Option<SystemTime>, now: SystemTime) {
    for tier in &mut watch.tiers {
        tier.since = since.map(|since| tier.since.unwrap_or(since).min(now));
    }
}

/// One step less severe (a slow service is less urgent than a down one).
fn milder(severity: Severity) -> Severity {
    match severity {
        Severity::Critical => Severity::High,
        Severity::High => Severity::Medium,
        Severity::Medium | Severity::Low => Severity::Low,
    }
}

/// The watches of one service: its incident (DOWN, then its error rate, then DEGRADED for
/// `degraded_for`: one alert that moves between the three kinds), then one per rule name
/// (in config order) whose selector takes it.
pub(crate) fn service_watches(service: &ServiceConfig, config: &AlertsConfig) -> Vec<Watch> {
    let name = service.name.as_str();
    let group = service.group.clone();
    let tier = |check, severity, hold| Tier {
        check,
        severity,
        hold,
        since: None,
    };
    // Order breaks ties of severity: DOWN is said before a failure rate of the same one.
    let mut watches = vec![Watch::new(
        key(AlertKind::ServiceDown, None, name),
        group.clone(),
        vec![
            tier(Check::Down, service.severity, Duration::ZERO),
            tier(Check::ErrorRate, service.severity, Duration::ZERO),
            tier(
                Check::Degraded,
                milder(service.severity),
                config.degraded_for,
            ),
        ],
    )];
    if service.check.certificate_limits().is_some() {
        watches.push(Watch::new(
            key(AlertKind::CertificateExpiring, None, name),
            group.clone(),
            vec![
                tier(
                    Check::CertificateCritical,
                    Severity::Critical,
                    Duration::ZERO,
                ),
                tier(Check::CertificateWarn, Severity::Medium, Duration::ZERO),
            ],
        ));
    }
    for (i, rule) in config.rules.iter().enumerate() {
        if rule.metric.is_system() || !rule.selector.matches(name, service.group.as_deref()) {
            continue;
        }
        let tier = tier(Check::Rule(i), rule.severity, rule.hold);
        match watches
            .iter_mut()
            .find(|w| w.key.rule.as_deref() == Some(&rule.name))
        {
            Some(watch) => watch.tiers.push(tier),
            None => watches.push(Watch::new(
                key(AlertKind::Rule, Some(&rule.name), name),
                group.clone(),
                vec![tier],
            )),
        }
    }
    watches
}

/// Whether `check` holds for `service`, counting error rates from `floor` (see
/// [`failures_since`]); see [`Watch::update`].
pub(crate) fn service_holds(
    check: Check,
    service: &ServiceView,
    config: &AlertsConfig,
    floor: Option<SystemTime>,
    now: SystemTime,
) -> Option<Option<SystemTime>> {
    match check {
        Check::CertificateWarn | Check::CertificateCritical => {
            let limits = service.config.check.certificate_limits()?;
            let left = service.certificate.as_ref()?.left(now);
            let standing = limits.standing(left);
            let holds = match check {
                Check::CertificateCritical => standing == Standing::Critical,
                _ => standing != Standing::Fine,
            };
            holds.then_some(None)
        }
        Check::Down => (service.state == ServiceState::Down).then_some(service.since),
        Check::Degraded => (service.state == ServiceState::Degraded).then_some(service.since),
        Check::ErrorRate => {
            let rate = error_rate(service, config, floor)?;
            let counts = service.state != ServiceState::Down;
            (counts && rate > config.error_rate).then_some(None)
        }
        Check::Rule(i) => {
            let rule = config.rules.get(i)?;
            rule_holds(rule, service, config, floor).then_some(None)
        }
        Check::Threshold
        | Check::StuckJobs
        | Check::DatabaseIssue
        | Check::AlertmanagerUnreachable
        | Check::AlertStoreFailed
        | Check::NotificationFailed => None,
    }
}

/// (failed, checks) among the checks that said something of the last `window` (within the history) made after
/// the service last came back from DOWN and after `floor` (when the incident last
/// closed): failures of an outage that is over never count toward the next alert, and a
/// long good run does not hide failures that began a moment ago.
pub(crate) fn failures_since(
    service: &ServiceView,
    floor: Option<SystemTime>,
    window: Duration,
) -> (usize, usize) {
    let samples = &service.samples;
    let stretch = samples
        .last()
        .and_then(|newest| newest.at().checked_sub(window));
    let from = service.recovered.max(floor).max(stretch);
    match from {
        Some(from) if samples.first().is_some_and(|s| s.at() < from) => {
            let tail = &samples[samples.partition_point(|s| s.at() < from)..];
            // A check that said nothing (a Prometheus that did not answer) counts
            // neither way.
            let judged = tail.iter().filter(|s| !s.said_nothing());
            let failed = judged.clone().filter(|s| !s.passed()).count();
            (failed, judged.count())
        }
        // Nothing to leave out: the window's own figures, without walking it.
        _ => {
            let checks = service.stats.judged;
            let failed = service
                .stats
                .uptime
                .map_or(0.0, |up| (1.0 - up) * checks as f64);
            (failed.round() as usize, checks)
        }
    }
}

/// The failed share of the checks [`failures_since`] counts, when there are enough of
/// them and the service is being checked.
pub(crate) fn error_rate(
    service: &ServiceView,
    config: &AlertsConfig,
    floor: Option<SystemTime>,
) -> Option<f64> {
    if service.state == ServiceState::Paused {
        return None;
    }
    let (failed, checks) = failures_since(service, floor, config.error_rate_window);
    (checks >= config.error_rate_min_checks && checks > 0)
        .then(|| (failed as f64 / checks as f64).clamp(0.0, 1.0))
}

/// The value a service rule compares, in its unit; `None` when there is none to compare.
pub(crate) fn service_value(
    metric: Metric,
    service: &ServiceView,
    config: &AlertsConfig,
    floor: Option<SystemTime>,
) -> Option<f64> {
    let checked = service.state != ServiceState::Paused;
    match metric {
        Metric::LatencyP95 => service
            .stats
            .p95
            .filter(|_| checked)
            .map(|p95| p95.as_secs_f64() * 1000.0),
        Metric::ErrorRate => error_rate(service, config, floor),
        Metric::State | Metric::Cpu | Metric::Memory | Metric::Disk => None,
    }
}

fn rule_holds(
    rule: &AlertRule,
    service: &ServiceView,
    config: &AlertsConfig,
    floor: Option<SystemTime>,
) -> bool {
    match rule.threshold {
        RuleThreshold::State(state) => rule.op.holds(service.state == state, true),
        RuleThreshold::Number(threshold) => service_value(rule.metric, service, config, floor)
            .is_some_and(|value| rule.op.holds(value, threshold)),
    }
}
