//! What `lookout check` prints for a fixed round of results: the table and the JSON.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use lookout::config::{ServiceConfig, Severity};
use lookout::kinds::Outcome;
use lookout::kinds::{CheckConfig, HttpCheck, TcpCheck};
use lookout::report::Report;
use lookout::view::check::CheckResult;

fn service(name: &str, group: Option<&str>, check: CheckConfig) -> ServiceConfig {
    ServiceConfig {
        name: name.to_string(),
        group: group.map(str::to_string),
        severity: Severity::Medium,
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(5),
        degraded_after: Duration::from_secs(1),
        failure_threshold: 2,
        success_threshold: 1,
        check,
    }
}

fn http(url: &str) -> CheckConfig {
    CheckConfig::Http(HttpCheck {
        headers: vec![("Authorization".to_string(), "Bearer s3cret".to_string())],
        ..HttpCheck::get(url.parse().expect("valid test URL"))
    })
}

fn result(service: usize, latency_ms: u64, outcome: Outcome) -> CheckResult {
    CheckResult {
        service,
        at: checked_at(),
        latency: Duration::from_millis(latency_ms),
        lag: Duration::ZERO,
        outcome,
        reading: None,
        certificate: None,
    }
}

fn failed(status: Option<u16>, reason: &str) -> Outcome {
    Outcome::Fail {
        status,
        reason: reason.to_string(),
    }
}

/// 2023-11-14T22:13:20Z.
fn checked_at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn fixed_report() -> Report {
    let services = [
        service(
            "checkout-api",
            Some("web"),
            http("https://shop:hunter2@shop.example.com/health"),
        ),
        service("search", Some("api"), http("http://10.0.0.7:9200/_health")),
        service(
            "payments",
            Some("api"),
            http("https://pay.example.com/ready"),
        ),
        service(
            "postgres",
            None,
            CheckConfig::Tcp(TcpCheck {
                host: "db.internal".to_string(),
                port: 5432,
            }),
        ),
    ];
    let results = [
        result(0, 43, Outcome::Pass { status: Some(200) }),
        result(1, 1240, Outcome::Pass { status: Some(200) }),
        result(2, 87, failed(Some(503), "status 503")),
        result(3, 5000, failed(None, "timeout after 5s")),
    ];
    Report::new(&services, &results, checked_at())
}

#[test]
fn table_is_aligned_with_a_summary() {
    let want = "\
SERVICE       GROUP  STATE     TIME  STATUS  TARGET                                   REASON
checkout-api  web    UP        43ms  200     https://***:***@shop.example.com/health  -
search        api    DEGRADED  1.2s  200     http://10.0.0.7:9200/_health             slower than 1s
payments      api    DOWN      87ms  503     https://pay.example.com/ready            status 503
postgres      -      DOWN      5.0s  -       tcp://db.internal:5432                   timeout after 5s
4 checked: 1 UP, 1 DEGRADED, 2 DOWN
";
    assert_eq!(fixed_report().table(), want);
}

#[test]
fn json_follows_the_documented_schema() {
    let want = r#"{
  "checked_at": "2023-11-14T22:13:20Z",
  "summary": {
    "up": 1,
    "degraded": 1,
    "down": 2
  },
  "services": [
    {
      "name": "checkout-api",
      "group": "web",
      "state": "UP",
      "latency_ms": 43,
      "status": 200,
      "target": "https://***:***@shop.example.com/health",
      "reason": null
    },
    {
      "name": "search",
      "group": "api",
      "state": "DEGRADED",
      "latency_ms": 1240,
      "status": 200,
      "target": "http://10.0.0.7:9200/_health",
      "reason": "slower than 1s"
    },
    {
      "name": "payments",
      "group": "api",
      "state": "DOWN",
      "latency_ms": 87,
      "status": 503,
      "target": "https://pay.example.com/ready",
      "reason": "status 503"
    },
    {
      "name": "postgres",
      "group": null,
      "state": "DOWN",
      "latency_ms": 5000,
      "status": null,
      "target": "tcp://db.internal:5432",
      "reason": "timeout after 5s"
    }
  ]
}"#;
    assert_eq!(fixed_report().to_json().expect("serializes"), want);
}

#[test]
fn secrets_never_reach_the_output() {
    let report = fixed_report();
    let json = report.to_json().expect("serializes");
    for output in [report.table(), json] {
        assert!(!output.contains("hunter2"), "{output}");
        assert!(!output.contains("s3cret"), "{output}");
    }
}

#[test]
fn exit_code_follows_the_worst_verdict() {
    assert_eq!(fixed_report().exit_code(), 2);
    let empty = Report::new(&[], &[], checked_at());
    assert_eq!(empty.exit_code(), 0);
    assert_eq!(
        empty.table(),
        "SERVICE  GROUP  STATE  TIME  STATUS  TARGET  REASON\n0 checked: 0 UP, 0 DEGRADED, 0 DOWN\n"
    );
}

#[test]
fn results_for_unknown_services_are_skipped() {
    let services = [service("api", None, http("http://127.0.0.1:8080/health"))];
    let results = [
        result(0, 10, Outcome::Pass { status: Some(200) }),
        result(7, 10, failed(None, "connection refused")),
    ];
    let report = Report::new(&services, &results, checked_at());
    assert!(
        report
            .table()
            .ends_with("1 checked: 1 UP, 0 DEGRADED, 0 DOWN\n")
    );
    assert_eq!(report.exit_code(), 0);
}
