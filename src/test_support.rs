//! Builders for configs and check results shared by unit tests across modules.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::config::{Config, GeneralConfig, ServiceConfig, Severity};
use crate::kinds::Outcome;
use crate::kinds::{CheckConfig, HttpCheck, QueryCheck, TargetCheck, TcpCheck, ValueLimits};
use crate::view::check::{CheckResult, ServiceId};

/// An HTTP service with the documented defaults, pointing at 127.0.0.1.
pub fn http_service(name: &str) -> ServiceConfig {
    ServiceConfig {
        name: name.to_string(),
        group: None,
        severity: Severity::Medium,
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(5),
        degraded_after: Duration::from_secs(1),
        failure_threshold: 2,
        success_threshold: 1,
        check: CheckConfig::Http(HttpCheck::get(
            reqwest::Url::parse(&format!("http://127.0.0.1:9/{name}/health"))
                .expect("test URL is valid"),
        )),
    }
}

/// A TCP service with the documented defaults.
pub fn tcp_service(name: &str, port: u16) -> ServiceConfig {
    ServiceConfig {
        check: CheckConfig::Tcp(TcpCheck {
            host: "127.0.0.1".to_string(),
            port,
        }),
        ..http_service(name)
    }
}

/// A `[[prometheus.query]]` service asking `query` of 127.0.0.1:9090, with `limits`
/// and `unit`, grouped under the server `prom`.
pub fn query_service(name: &str, limits: ValueLimits, unit: Option<&str>) -> ServiceConfig {
    ServiceConfig {
        group: Some("prom".to_string()),
        check: CheckConfig::Query(QueryCheck {
            prometheus: "prom".to_string(),
            url: reqwest::Url::parse("http://127.0.0.1:9090").expect("test URL is valid"),
            query: format!("{name}_value"),
            limits,
            unit: unit.map(str::to_string),
        }),
        ..http_service(name)
    }
}

/// A scrape target card of Prometheus `prom` at 127.0.0.1:9090, as discovery makes it.
pub fn target_service(name: &str) -> ServiceConfig {
    let (job, instance) = name.split_once('/').unwrap_or((name, name));
    ServiceConfig {
        group: Some("prom targets".to_string()),
        check: CheckConfig::Target(TargetCheck {
            prometheus: "prom".to_string(),
            url: reqwest::Url::parse("http://127.0.0.1:9090").expect("test URL is valid"),
            scrape_pool: job.to_string(),
            scrape_url: format!("http://{instance}/metrics"),
        }),
        ..http_service(name)
    }
}

/// A config holding `services`, with a one-hour history.
pub fn config(services: Vec<ServiceConfig>) -> Config {
    Config {
        source: PathBuf::from("lookout.toml"),
        general: GeneralConfig {
            state_dir: PathBuf::from("/tmp/lookout-test-state"),
            history: Duration::from_secs(3600),
            max_concurrent_checks: 64,
            watch: false,
        },
        log: crate::config::LogConfig::defaults(Path::new("/tmp/lookout-test-state")),
        server: None,
        socket_group: None,
        alerts: crate::config::AlertsConfig::default(),
        notify: Vec::new(),
        jobs: None,
        alertmanagers: Vec::new(),
        prometheus: Vec::new(),
        keys: crate::keymap::KeyMap::default(),
        system: crate::config::SystemConfig::default(),
        services,
    }
}

/// A fixed instant, `secs` after a round base, so tests never read the clock.
pub fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

/// A check result started at `at(secs)`.
pub fn check(service: ServiceId, secs: u64, latency_ms: u64, outcome: Outcome) -> CheckResult {
    CheckResult {
        service,
        at: at(secs),
        latency: Duration::from_millis(latency_ms),
        lag: Duration::ZERO,
        outcome,
        reading: None,
        certificate: None,
    }
}

pub fn pass() -> Outcome {
    Outcome::Pass { status: Some(200) }
}

pub fn fail(reason: &str) -> Outcome {
    Outcome::Fail {
        status: None,
        reason: reason.to_string(),
    }
}

/// A query check of service `id` (configured as `service`) at `at(secs)` that got
/// `answer`, judged as the prober judges it.
pub fn judged_check(
    id: crate::view::check::ServiceId,
    secs: u64,
    service: &crate::config::ServiceConfig,
    answer: crate::kinds::query::Answer,
) -> crate::view::check::CheckResult {
    let crate::kinds::CheckConfig::Query(query) = &service.check else {
        panic!("{} is not a query service", service.name);
    };
    let (outcome, reading) = crate::kinds::query::judge(query, 200, answer);
    crate::view::check::CheckResult {
        reading: Some(reading),
        ..check(id, secs, 3, outcome)
    }
}
