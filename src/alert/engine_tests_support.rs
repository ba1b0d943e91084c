//! What the engine tests share: a fleet built from a few words per service, a runner of
//! (time, fleet, expected events) steps, and events written as short words.

use std::sync::Arc;
use std::time::Duration;

use super::engine::AlertEngine;
use super::events::AlertEvent;
use crate::config::{AlertRule, AlertsConfig, Metric, Op, RuleThreshold, Selector, Severity};
use crate::contract::ServiceState;
use crate::kinds::Outcome;
use crate::test_support::{at, check, fail, http_service};
use crate::view::alert::{Ack, AlertView};
use crate::view::check::CheckResult;
use crate::view::service::{HistorySample, ServiceView, WindowStats};
use crate::view::snapshot::Snapshot;
use crate::view::totals::CheckTotals;

/// One service as a step sees it.
#[derive(Clone)]
pub(super) struct Svc {
    pub(super) name: &'static str,
    pub(super) group: Option<&'static str>,
    pub(super) state: ServiceState,
    /// Seconds (as `at`) when the state began.
    pub(super) since: u64,
    pub(super) p95_ms: Option<u64>,
    /// (failed, checks) in the window.
    pub(super) failed: (usize, usize),
    /// Seconds (as `at`) when it last came back from DOWN.
    pub(super) recovered: Option<u64>,
    /// Healthy checks in a row.
    pub(super) healthy: u32,
    /// The checks in the window, (seconds, passed), oldest first; when given, `failed`
    /// is taken from them.
    pub(super) checks: Vec<(u64, bool)>,
    /// When its server's certificate expires (seconds, as `at`), if it presented one.
    pub(super) cert_expires: Option<u64>,
}

pub(super) fn svc(name: &'static str, state: ServiceState, since: u64) -> Svc {
    Svc {
        name,
        group: None,
        state,
        since,
        p95_ms: Some(100),
        failed: (0, 30),
        recovered: None,
        healthy: u32::from(state == UP),
        checks: Vec::new(),
        cert_expires: None,
    }
}

impl Svc {
    /// With these checks in its window (`P` passed, `F` failed), one per second ending
    /// at `last`.
    pub(super) fn checked(mut self, last: u64, pattern: &str) -> Self {
        let n = pattern.len() as u64;
        self.checks = pattern
            .chars()
            .enumerate()
            .map(|(i, c)| (last + 1 - n + i as u64, c == 'P'))
            .collect();
        let failed = self.checks.iter().filter(|(_, ok)| !ok).count();
        self.failed = (failed, self.checks.len());
        self.healthy = pattern.chars().rev().take_while(|c| *c == 'P').count() as u32;
        self
    }

    /// Back from DOWN at `secs`.
    pub(super) fn recovered_at(mut self, secs: u64) -> Self {
        self.recovered = Some(secs);
        self
    }
}

pub(super) use ServiceState::{Degraded as DEGRADED, Down as DOWN, Up as UP};

/// The fleet at one moment; configs are built once per name so they keep their `Arc`.
#[derive(Default)]
pub(super) struct Fleet {
    configs: Vec<Arc<crate::config::ServiceConfig>>,
}

impl Fleet {
    /// The config of service `name`, made the first time (severity high).
    fn config(&mut self, name: &str, group: Option<&str>) -> Arc<crate::config::ServiceConfig> {
        match self.configs.iter().find(|c| c.name == name) {
            Some(config) => Arc::clone(config),
            None => {
                let mut config = http_service(name);
                config.group = group.map(str::to_string);
                config.severity = Severity::High;
                self.configs.push(Arc::new(config));
                Arc::clone(self.configs.last().expect("just pushed"))
            }
        }
    }

    /// Changes service `name`'s config from the next snapshot on, as a reload does.
    pub(super) fn configure(
        &mut self,
        name: &str,
        change: impl FnOnce(&mut crate::config::ServiceConfig),
    ) {
        let mut config = (*self.config(name, None)).clone();
        change(&mut config);
        self.configs.retain(|c| c.name != name);
        self.configs.push(Arc::new(config));
    }

    pub(super) fn snapshot(&mut self, services: &[Svc]) -> Snapshot {
        let views = services.iter().enumerate().map(|(id, s)| {
            let config = self.config(s.name, s.group);
            let recent: Vec<CheckResult> = match s.state {
                DOWN => vec![check(id, s.since, 5, fail("connection refused"))],
                // Slower than `degraded_after` (1 s), as a DEGRADED service's last check.
                DEGRADED => vec![check(
                    id,
                    s.since,
                    1500,
                    Outcome::Pass { status: Some(200) },
                )],
                _ => Vec::new(),
            };
            let (failed, checks) = s.failed;
            let samples = (s.checks.iter())
                .map(|(secs, passed)| {
                    let ms = at(*secs)
                        .duration_since(std::time::UNIX_EPOCH)
                        .map_or(0, |d| d.as_millis() as u64);
                    HistorySample::new(ms, Duration::from_millis(20), *passed, None)
                })
                .collect();
            Arc::new(ServiceView {
                id,
                config,
                state: s.state,
                recent,
                samples,
                stats: WindowStats {
                    p50: None,
                    p95: s.p95_ms.map(Duration::from_millis),
                    uptime: (checks > 0).then(|| 1.0 - failed as f64 / checks as f64),
                    checks,
                    judged: checks,
                },
                consecutive_failures: 0,
                totals: CheckTotals::default(),
                since: Some(at(s.since)),
                recovered: s.recovered.map(at),
                healthy_in_row: s.healthy,
                certificate: s.cert_expires.map(|secs| {
                    Arc::new(crate::kinds::Certificate {
                        not_before: std::time::UNIX_EPOCH,
                        not_after: at(secs),
                        subject: format!("CN={}", s.name),
                        issuer: "CN=ca".into(),
                        names: vec![s.name.to_string()],
                        chain: Vec::new(),
                    })
                }),
            })
        });
        Snapshot {
            services: views.collect(),
            ..Snapshot::default()
        }
    }
}

/// "service_down/api#1 firing!" per alert change (`!` when it notifies), or the
/// silence event.
pub(super) fn words(events: &[AlertEvent]) -> Vec<String> {
    events
        .iter()
        .map(|event| match event {
            AlertEvent::Changed { alert, change } => {
                let bang = if change.notifies(alert) { "!" } else { "" };
                format!("{}#{} {}{bang}", alert.key, alert.id, change.as_str())
            }
            AlertEvent::SilenceAdded(s) => format!("silence#{} added", s.id),
            AlertEvent::SilenceEnded(s) => format!("silence#{} ended", s.id),
        })
        .collect()
}

/// Runs `(secs, services, expected words)` steps through `engine`.
pub(super) fn run(engine: &mut AlertEngine, steps: &[(u64, Vec<Svc>, &[&str])]) {
    let mut fleet = Fleet::default();
    for (secs, services, want) in steps {
        let events = engine.evaluate(&fleet.snapshot(services), at(*secs));
        assert_eq!(words(&events), *want, "at {secs}s");
    }
}

pub(super) fn only(engine: &AlertEngine) -> Arc<AlertView> {
    let active = engine.active();
    assert_eq!(active.len(), 1, "{active:#?}");
    Arc::clone(&active[0])
}

pub(super) fn ack(by: &str, secs: u64) -> Ack {
    Ack {
        by: by.to_string(),
        at: at(secs),
        note: None,
    }
}

pub(super) fn rule(name: &str, metric: Metric, op: Op, threshold: f64, hold: u64) -> AlertRule {
    AlertRule {
        name: name.to_string(),
        selector: Selector::default(),
        metric,
        op,
        threshold: RuleThreshold::Number(threshold),
        hold: Duration::from_secs(hold),
        severity: Severity::Medium,
        summary: None,
    }
}

/// Evaluates each `(secs, seen, words)` step on the snapshot `snapshot` makes of `seen`
/// and checks the changes' words.
pub(super) fn steps<S>(
    engine: &mut AlertEngine,
    steps: &[(u64, S, &[&str])],
    snapshot: impl Fn(&S) -> Snapshot,
) {
    for (secs, seen, want) in steps {
        let events = engine.evaluate(&snapshot(seen), at(*secs));
        assert_eq!(words(&events), *want, "at {secs}s");
    }
}

/// The default alert config without `keep_firing_for`: a condition that ends resolves.
pub(super) fn quick() -> AlertsConfig {
    AlertsConfig {
        keep_firing_for: Duration::ZERO,
        ..AlertsConfig::default()
    }
}
