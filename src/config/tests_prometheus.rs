//! `[[prometheus]]` and its queries: the defaults, the services queries become, and the
//! message each mistake gives, placed at file:line:column, with a URL's password never
//! shown.

use std::path::Path;
use std::time::Duration;

use super::{Config, PrometheusConfig, Severity, TargetTiming, parse};
use crate::kinds::{CheckConfig, QueryCheck, ValueLimits};

fn env(name: &str) -> Option<String> {
    match name {
        "PROM_URL" => Some("https://ops:s3cret@prom.example.com/prometheus".to_string()),
        _ => super::tests_parse::env(name),
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("lookout.toml"), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

/// Each problem as `line:column: message`, and the whole report as printed.
fn rendered(text: &str) -> (Vec<String>, String) {
    match parse(text, Path::new("x.toml"), &env) {
        Ok(config) => panic!(
            "should be invalid:\n{text}\nparsed as {:?}",
            config.prometheus
        ),
        Err(errors) => {
            let listed = errors
                .problems()
                .iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect();
            (listed, errors.to_string())
        }
    }
}

fn query(config: &Config, name: &str) -> QueryCheck {
    let service = config
        .services
        .iter()
        .find(|s| s.name == name)
        .unwrap_or_else(|| panic!("no service {name}"));
    match &service.check {
        CheckConfig::Query(query) => query.clone(),
        other => panic!("{name} is not a query: {other:?}"),
    }
}

#[test]
fn queries_become_services_after_the_others() {
    let config = parsed(
        r#"
[defaults]
failure_threshold = 3
severity = "high"

[[service]]
name = "api"
url = "http://127.0.0.1:8080"

[[prometheus]]
name = "local"
url = "http://127.0.0.1:9090"

[[prometheus.query]]
name = "error-rate"
query = 'sum(rate(http_requests_total{code=~"5.."}[5m]))'
warn = 1
crit = 5.5
unit = "req/s"

[[prometheus]]
name = "team"
url = "${PROM_URL}"
interval = "30s"
timeout = "2s"
targets = true

[[prometheus.query]]
name = "free-disk"
query = "node_filesystem_avail_bytes"
warn = 10_000_000_000
crit = 2e9
below = true
unit = "B"
group = "storage"
severity = "critical"
"#,
    );
    let names: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["api", "error-rate", "free-disk"]);
    let [local, team] = config.prometheus.as_slice() else {
        panic!("two servers: {:?}", config.prometheus);
    };
    assert_eq!(
        local,
        &PrometheusConfig {
            target_timing: TargetTiming {
                severity: Severity::High,
                failure_threshold: 3,
                success_threshold: 1,
            },
            ..PrometheusConfig::new("local", "http://127.0.0.1:9090".parse().expect("url"))
        },
        "target cards take [defaults]"
    );
    assert_eq!(
        (local.interval, local.timeout, local.targets),
        (Duration::from_secs(15), Duration::from_secs(5), false)
    );
    assert_eq!(
        (team.interval, team.timeout, team.targets),
        (Duration::from_secs(30), Duration::from_secs(2), true)
    );
    assert_eq!(
        team.display_url(),
        "https://***:***@prom.example.com/prometheus"
    );

    let errors = &config.services[1];
    assert_eq!(errors.group.as_deref(), Some("local"), "grouped by server");
    assert_eq!(errors.severity, Severity::High, "from [defaults]");
    assert_eq!(errors.failure_threshold, 3);
    assert_eq!(errors.interval, Duration::from_secs(15));
    let rate = query(&config, "error-rate");
    assert_eq!(rate.prometheus, "local");
    assert_eq!(
        rate.limits,
        ValueLimits {
            warn: Some(1.0),
            crit: Some(5.5),
            below: false
        }
    );
    assert_eq!(rate.unit.as_deref(), Some("req/s"));

    let disk_service = &config.services[2];
    assert_eq!(disk_service.group.as_deref(), Some("storage"));
    assert_eq!(disk_service.severity, Severity::Critical);
    assert_eq!(
        (disk_service.interval, disk_service.timeout),
        (Duration::from_secs(30), Duration::from_secs(2))
    );
    let disk = query(&config, "free-disk");
    assert_eq!(
        disk.limits,
        ValueLimits {
            warn: Some(1e10),
            crit: Some(2e9),
            below: true
        }
    );
    assert_eq!(
        disk_service.check.display_target(),
        "https://***:***@prom.example.com/prometheus/api/v1/query?query=node_filesystem_avail_bytes"
    );
    assert!(!format!("{config:?}").contains("s3cret"), "Debug masks it");
}

#[test]
fn the_timeout_never_outlasts_a_short_interval() {
    let config = parsed(
        r#"
[[prometheus]]
name = "fast"
url = "http://127.0.0.1:9090"
interval = "2s"
"#,
    );
    assert_eq!(config.prometheus[0].timeout, Duration::from_secs(2));
}

#[test]
fn none_is_the_default_and_limits_are_optional() {
    assert!(parsed("").prometheus.is_empty());
    let config = parsed(
        r#"
[[prometheus]]
name = "p"
url = "http://127.0.0.1:9090/"

[[prometheus.query]]
name = "requests"
query = "sum(rate(x[1m]))"
"#,
    );
    let requests = query(&config, "requests");
    assert_eq!(
        requests.limits,
        ValueLimits {
            warn: None,
            crit: None,
            below: false
        }
    );
    assert_eq!(requests.unit, None);
}

#[test]
fn rules_may_name_queries() {
    let config = parsed(
        r#"
[[prometheus]]
name = "p"
url = "http://127.0.0.1:9090"

[[prometheus.query]]
name = "load"
query = "node_load1"
crit = 8

[[alerts.rule]]
name = "load-high"
services = ["load"]
metric = "state"
op = "=="
threshold = "DOWN"
"#,
    );
    assert_eq!(config.alerts.rules.len(), 1);
}

#[test]
fn mistakes_are_placed_and_passwords_never_shown() {
    let (found, shown) = rendered(
        r#"
[[service]]
name = "api"
url = "http://127.0.0.1:8080"

[[prometheus]]
name = "p"
url = "ftp://ops:hunter2@prom:9090"
interval = "500ms"
target = true

[[prometheus.query]]
name = "api"
query = ""
warn = 90
crit = 80
unit = ""

[[prometheus.query]]
name = "ratio"
query = "x"
warn = 0.5
crit = 0.9
below = true
interval = "1m"
failure_threshold = 3

[[prometheus]]
name = "p"
url = "http://prom:9090/api/v1/query"
timeout = "20s"

[[prometheus.query]]
query = "up"
crit = "high"
"#,
    );
    assert_eq!(
        found,
        [
            "8:7: `url` = \"ftp://***:***@prom:9090\" has scheme `ftp`; Prometheus's API is \
             http:// or https://",
            "9:12: `interval` 500ms is too short: use at least 1s",
            "10:1: unknown key `target` in [[prometheus]] \"p\"; did you mean `targets`?",
            "13:8: service name \"api\" is already used by the service at line 3; names must \
             be unique",
            "14:9: `query` is empty; write the PromQL expression to ask, like query = 'up'",
            "15:8: `warn` = 90 is not below `crit` = 80: a value over `crit` is critical, so \
             `warn` must be the lower limit (or set `below = true` when low values are bad)",
            "17:8: `unit` is empty; write a unit to show after the value, like \"%\", or \
             leave it out",
            "22:8: `warn` = 0.5 is not above `crit` = 0.9: with `below = true` a value under \
             `crit` is critical, so `warn` must be the higher limit",
            "25:1: `interval` belongs in [[prometheus]], not in [[prometheus.query]] \"ratio\"",
            "26:1: `failure_threshold` belongs in [defaults] (or a [[service]]), not in \
             [[prometheus.query]] \"ratio\"",
            "29:8: prometheus name \"p\" is already used by the prometheus at line 7; names \
             must be unique",
            "30:7: `url` = \"http://prom:9090/api/v1/query\" names an API path; write \
             Prometheus's base URL, like \"http://127.0.0.1:9090\" (lookout adds /api/v1/…)",
            "31:11: `timeout` 20s is longer than `interval` 15s: a query must end before the \
             next one starts",
            "33:1: this [[prometheus.query]] has no `name`; add one, like name = \"error-rate\"",
            "35:8: `crit` expects a number like 90 or 0.5, found string \"high\"",
        ]
    );
    assert!(!shown.contains("hunter2"), "{shown}");
}
