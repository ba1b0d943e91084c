//! A deterministic sample `Snapshot`: every state, groups, failures and full histories,
//! derived from index arithmetic so tests, benches and screenshots never depend on luck.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::{ServiceConfig, Severity};
use crate::contract::ServiceState;
use crate::kinds::Outcome;
use crate::kinds::{CheckConfig, HttpCheck, JsonExpectation, TcpCheck};
use crate::state::history::History;
use crate::view::check::CheckResult;
use crate::view::service::RECENT_CHECKS;
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;
use crate::view::totals::CheckTotals;

const NAMES: [&str; 16] = [
    "gateway",
    "auth",
    "billing",
    "search",
    "checkout",
    "inventory",
    "payments",
    "profile",
    "notify",
    "reports",
    "media",
    "geo",
    "ledger",
    "orders",
    "status-page",
    "queue",
];
const GROUPS: [Option<&str>; 4] = [Some("edge"), Some("core"), Some("data"), None];
const INTERVAL: Duration = Duration::from_secs(10);
const WINDOW: Duration = Duration::from_secs(3600);

/// The role a sample service plays; the pattern repeats every 12 services so that any
/// five consecutive ones show all five states.
#[derive(Clone, Copy, PartialEq)]
enum Role {
    Healthy,
    Slow,
    DownTimeout,
    NeverChecked,
    Paused,
    /// UP but the last check failed: "1/2 failed".
    Wobbling,
    DownStatus,
    /// Failing from the start, not yet past its threshold: UNKNOWN with "1/3 failed".
    FailingFromStart,
}

const PATTERN: [Role; 12] = [
    Role::Healthy,
    Role::Slow,
    Role::DownTimeout,
    Role::NeverChecked,
    Role::Paused,
    Role::Wobbling,
    Role::Healthy,
    Role::Healthy,
    Role::DownStatus,
    Role::Healthy,
    Role::Slow,
    Role::FailingFromStart,
];

/// A snapshot of `services` services as seen at `now`, the same on every call; the config
/// source is `lookout.toml` and `max_lag` is zero (set it to test the lag warning).
pub fn sample_snapshot(services: usize, now: SystemTime) -> Snapshot {
    Snapshot {
        services: (0..services).map(|i| Arc::new(service(i, now))).collect(),
        config_source: PathBuf::from("lookout.toml"),
        history: Duration::from_secs(3600),
        max_lag: Duration::ZERO,
        start_lag: crate::view::snapshot::StartLag::default(),
        alerts: Vec::new(),
        alert_history: Vec::new(),
        reload: None,
        system: None,
        jobs: None,
        alertmanagers: Vec::new(),
        notice: None,
        store: None,
        notices: None,
        acted: 0,
        link: None,
    }
}

fn service(i: usize, now: SystemTime) -> ServiceView {
    let role = PATTERN[i % PATTERN.len()];
    let config = Arc::new(config(i, role));
    let planned = match role {
        Role::NeverChecked => 0,
        Role::FailingFromStart => 1,
        Role::Paused => 300,
        _ => 360,
    };
    // A paused service stopped being checked ten minutes ago.
    let end = if role == Role::Paused {
        now.checked_sub(Duration::from_secs(600)).unwrap_or(now)
    } else {
        now
    };
    let mut history = History::new(WINDOW, INTERVAL);
    let mut recent = Vec::with_capacity(RECENT_CHECKS);
    let mut failures_in_row = 0u32;
    let mut totals = CheckTotals::default();
    for k in 0..planned {
        let back = INTERVAL * u32::try_from(planned - 1 - k).unwrap_or(0);
        let at = end.checked_sub(back).unwrap_or(end);
        let (latency, outcome) = check(i, k, planned, role);
        failures_in_row = if outcome.is_pass() {
            0
        } else {
            failures_in_row + 1
        };
        history.push(at, latency, outcome.is_pass(), None);
        totals.record(latency, outcome.is_pass());
        if planned - k <= RECENT_CHECKS {
            recent.push(CheckResult {
                service: i,
                at,
                latency,
                lag: Duration::ZERO,
                outcome,
                reading: None,
                certificate: None,
            });
        }
    }
    let state = match role {
        Role::Healthy | Role::Wobbling => ServiceState::Up,
        Role::Slow => ServiceState::Degraded,
        Role::DownTimeout | Role::DownStatus => ServiceState::Down,
        Role::NeverChecked | Role::FailingFromStart => ServiceState::Unknown,
        Role::Paused => ServiceState::Paused,
    };
    // Deterministic: the state began with the oldest check the view keeps.
    let since = match state {
        ServiceState::Unknown => None,
        _ => recent.first().map(|check: &CheckResult| check.at),
    };
    let healthy_in_row = recent
        .iter()
        .rev()
        .take_while(|c| c.outcome.is_pass() && c.latency <= config.degraded_after)
        .count();
    ServiceView {
        id: i,
        config,
        state,
        recent,
        samples: history.in_window(now).copied().collect(),
        stats: history.stats(now, &mut Vec::new()),
        consecutive_failures: failures_in_row,
        totals,
        since,
        recovered: None,
        healthy_in_row: u32::try_from(healthy_in_row).unwrap_or(u32::MAX),
        certificate: None,
    }
}

/// Latency and verdict of check `k` of `planned` for service `i`.
fn check(i: usize, k: usize, planned: usize, role: Role) -> (Duration, Outcome) {
    let from_end = planned - 1 - k;
    let base = 20 + (i * 37) % 180;
    let wave = (k * 7 + i * 13) % 23 + (k % 60) / 4;
    let mut ms = base + wave * (1 + i % 3);
    if role == Role::Slow && from_end < 40 {
        ms = 1100 + (k * 53) % 700;
    }
    let failing = match role {
        Role::DownTimeout => from_end < 6,
        Role::DownStatus => from_end < 3,
        Role::Wobbling | Role::FailingFromStart => from_end == 0,
        _ => false,
    };
    // A sprinkling of old failures so uptime varies between services.
    let sporadic = from_end > 10 && (k + i * 11).is_multiple_of(97);
    let latency = Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX));
    if role == Role::DownTimeout && failing {
        let outcome = Outcome::Fail {
            status: None,
            reason: "timeout after 5s".to_string(),
        };
        return (Duration::from_secs(5), outcome);
    }
    if role == Role::FailingFromStart && failing {
        let reason = "connection refused".to_string();
        return (
            Duration::from_millis(1),
            Outcome::Fail {
                status: None,
                reason,
            },
        );
    }
    if failing || sporadic {
        let status = if i.is_multiple_of(2) { 503 } else { 502 };
        let outcome = Outcome::Fail {
            status: Some(status),
            reason: format!("status {status}"),
        };
        return (latency, outcome);
    }
    (latency, Outcome::Pass { status: Some(200) })
}

/// The name of sample service `i`: "gateway", "auth"…, then "gateway-1"…
pub fn sample_name(i: usize) -> String {
    let base = NAMES[i % NAMES.len()];
    match i / NAMES.len() {
        0 => base.to_string(),
        round => format!("{base}-{round}"),
    }
}

fn config(i: usize, role: Role) -> ServiceConfig {
    let name = sample_name(i);
    let tcp = || {
        CheckConfig::Tcp(TcpCheck {
            host: format!("{name}.internal"),
            port: 5432,
        })
    };
    // Names come from a fixed list, so the URL always parses; TCP is only a fallback.
    let check = match i % 6 {
        4 => tcp(),
        _ => http_check(i, &name).unwrap_or_else(tcp),
    };
    ServiceConfig {
        group: GROUPS[(i / 3) % GROUPS.len()].map(str::to_string),
        severity: [
            Severity::Low,
            Severity::Medium,
            Severity::High,
            Severity::Critical,
        ][i % 4],
        interval: INTERVAL,
        timeout: Duration::from_secs(5),
        degraded_after: Duration::from_secs(1),
        failure_threshold: if role == Role::FailingFromStart { 3 } else { 2 },
        success_threshold: 1,
        check,
        name,
    }
}

fn http_check(i: usize, name: &str) -> Option<CheckConfig> {
    let secret = i.is_multiple_of(4);
    let text = if secret {
        format!("https://monitor:s3cret@{name}.example.com/health")
    } else {
        format!("https://{name}.example.com/health")
    };
    let url = reqwest::Url::parse(&text).ok()?;
    let headers = if secret {
        vec![
            ("Authorization".to_string(), "Bearer s3cret".to_string()),
            ("X-Team".to_string(), "on-call".to_string()),
        ]
    } else {
        Vec::new()
    };
    Some(CheckConfig::Http(HttpCheck {
        method: if i % 5 == 1 {
            reqwest::Method::HEAD
        } else {
            reqwest::Method::GET
        },
        headers,
        expect_status: if i.is_multiple_of(3) {
            vec![200, 204]
        } else {
            Vec::new()
        },
        expect_body: (i % 4 == 1).then(|| "ok".to_string()),
        expect_json: i.is_multiple_of(8).then(|| JsonExpectation {
            path: "status.healthy".to_string(),
            equals: serde_json::Value::Bool(true),
        }),
        ..HttpCheck::get(url)
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    #[test]
    fn five_services_show_every_state_and_the_fleet_is_consistent() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let snapshot = sample_snapshot(40, now);
        let first_five: Vec<ServiceState> =
            snapshot.services[..5].iter().map(|s| s.state).collect();
        assert_eq!(first_five, ServiceState::ALL);
        for (id, service) in snapshot.services.iter().enumerate() {
            assert_eq!(service.id, id);
            assert!(service.recent.len() <= RECENT_CHECKS);
            assert_eq!(service.stats.checks, service.samples.len(), "{id}");
            let failing_now = service.last().is_some_and(|c| !c.outcome.is_pass());
            assert_eq!(failing_now, service.consecutive_failures > 0, "{id}");
            if service.state == ServiceState::Down {
                assert!(service.consecutive_failures >= service.config.failure_threshold);
            }
        }
        let names: std::collections::HashSet<&str> = snapshot
            .services
            .iter()
            .map(|s| s.config.name.as_str())
            .collect();
        assert_eq!(names.len(), 40, "names are unique");
    }

    #[test]
    fn the_same_inputs_give_the_same_fleet() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (a, b) = (sample_snapshot(24, now), sample_snapshot(24, now));
        for (x, y) in a.services.iter().zip(&b.services) {
            assert_eq!(
                (x.state, &x.samples, &x.recent),
                (y.state, &y.samples, &y.recent)
            );
            assert_eq!((x.stats, &x.config), (y.stats, &y.config));
        }
    }
}
