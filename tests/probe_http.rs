//! HTTP checks against real loopback servers: verdicts, reasons and connection use.

#[path = "support/probe_server.rs"]
mod probe_server;

use std::time::Duration;

use lookout::config::ServiceConfig;
use lookout::kinds::JsonExpectation;
use lookout::kinds::Outcome;
use lookout::probe::{Checker, Prober, check_all_once};
use lookout::view::check::CheckResult;
use probe_server::{BIG, ProbeServer, closed_port, http, http_service};
use serde_json::json;

async fn check(service: ServiceConfig) -> CheckResult {
    check_all_once(&[service], 1).await.remove(0)
}

fn failed(status: Option<u16>, reason: &str) -> Outcome {
    Outcome::Fail {
        status,
        reason: reason.to_string(),
    }
}

fn passed(status: u16) -> Outcome {
    Outcome::Pass {
        status: Some(status),
    }
}

#[tokio::test]
async fn a_2xx_answer_passes() {
    let server = ProbeServer::start().await;
    let result = check(http_service(&server.url("/ok"))).await;
    assert_eq!(result.outcome, passed(200));
    assert!(result.latency < Duration::from_millis(200));
}

#[tokio::test]
async fn other_statuses_fail_naming_what_was_expected() {
    let server = ProbeServer::start().await;
    let result = check(http_service(&server.url("/status/503"))).await;
    assert_eq!(
        result.outcome,
        failed(Some(503), "status 503 (expected 2xx)")
    );
    let mut service = http_service(&server.url("/ok"));
    http(&mut service).expect_status = vec![201, 204];
    let result = check(service).await;
    assert_eq!(
        result.outcome,
        failed(Some(200), "status 200 (expected 201, 204)")
    );
    let mut service = http_service(&server.url("/status/503"));
    http(&mut service).expect_status = vec![503];
    assert_eq!(check(service).await.outcome, passed(503));
}

#[tokio::test]
async fn slow_and_silent_targets_time_out() {
    let server = ProbeServer::start().await;
    for path in ["/slow", "/hang"] {
        let mut service = http_service(&server.url(path));
        service.timeout = Duration::from_millis(200);
        let result = check(service).await;
        assert_eq!(
            result.outcome,
            failed(None, "timeout after 200ms (no response)"),
            "{path}"
        );
        let latency = result.latency;
        assert!(latency >= Duration::from_millis(200), "{path}: {latency:?}");
        assert!(latency < Duration::from_millis(400), "{path}: {latency:?}");
    }
}

#[tokio::test]
async fn body_expectations_read_only_what_they_need() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/ok"));
    http(&mut service).expect_body = Some("ok".to_string());
    assert_eq!(check(service.clone()).await.outcome, passed(200));
    http(&mut service).expect_body = Some("healthy".to_string());
    assert_eq!(
        check(service).await.outcome,
        failed(Some(200), "body lacks \"healthy\"")
    );
}

#[tokio::test]
async fn body_matches_beyond_the_cap_are_not_seen() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/big"));
    http(&mut service).expect_body = Some("ok".to_string());
    assert_eq!(
        check(service.clone()).await.outcome,
        failed(Some(200), "body lacks \"ok\" in first 64 KiB")
    );
    http(&mut service).max_body_bytes = BIG + 2;
    assert_eq!(check(service.clone()).await.outcome, passed(200));
    http(&mut service).expect_body = Some("xxxx".to_string());
    http(&mut service).max_body_bytes = 1024;
    assert_eq!(check(service).await.outcome, passed(200), "found early");
}

#[tokio::test]
async fn json_paths_are_compared() {
    let server = ProbeServer::start().await;
    let cases = [
        ("/json", "status", json!("UP"), None),
        ("/json", "checks.0.name", json!("db"), None),
        (
            "/json",
            "checks.0.status",
            json!("UP"),
            Some("json path checks.0.status = \"DOWN\" (expected \"UP\")"),
        ),
        ("/json", "a.b", json!(1), Some("json path a.b missing")),
    ];
    for (path, json_path, equals, reason) in cases {
        let mut service = http_service(&server.url(path));
        http(&mut service).expect_json = Some(JsonExpectation {
            path: json_path.to_string(),
            equals,
        });
        let expected = match reason {
            None => passed(200),
            Some(reason) => failed(Some(200), reason),
        };
        assert_eq!(check(service).await.outcome, expected, "{json_path}");
    }
}

#[tokio::test]
async fn a_body_that_is_not_json_says_so() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/html"));
    http(&mut service).expect_json = Some(JsonExpectation {
        path: "status".to_string(),
        equals: json!("UP"),
    });
    let result = check(service).await;
    match result.outcome {
        Outcome::Fail { reason, .. } => {
            assert!(
                reason.starts_with("body is not JSON: expected value"),
                "{reason}"
            )
        }
        other => panic!("passed: {other:?}"),
    }
}

#[tokio::test]
async fn redirects_are_followed_up_to_the_limit() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/hop"));
    http(&mut service).expect_body = Some("all ok".to_string());
    assert_eq!(check(service).await.outcome, passed(200));
    let result = check(http_service(&server.url("/loop"))).await;
    assert_eq!(result.outcome, failed(None, "too many redirects (>5)"));
    // The first answer is seen by the direct way, which hands any redirect to the full
    // client; that starts again from the service's URL and follows up to the limit,
    // deciding at each hop which headers go along: 1 + 1 + 5.
    assert_eq!(
        server.seen().iter().filter(|s| s.path == "/loop").count(),
        7
    );
    let mut service = http_service(&server.url("/hop"));
    http(&mut service).max_redirects = 0;
    assert_eq!(
        check(service).await.outcome,
        failed(Some(302), "status 302 (expected 2xx)")
    );
}

#[tokio::test]
async fn configured_headers_do_not_follow_a_redirect_to_another_origin() {
    let origin = ProbeServer::start().await;
    let other = ProbeServer::start().await;
    let secret = ("x-api-key".to_string(), "s3cret".to_string());
    let with_key = |url: String| {
        let mut service = http_service(&url);
        http(&mut service).headers = vec![("X-Api-Key".to_string(), "s3cret".to_string())];
        service
    };
    // Another port is another origin: the key stays home.
    let away = origin.url(&format!("/away/{}/ok", other.addr));
    assert_eq!(check(with_key(away)).await.outcome, passed(200));
    let first = origin.seen();
    assert!(
        first.iter().all(|s| s.headers.contains(&secret)),
        "{first:?}"
    );
    let landed = other.seen();
    assert_eq!(landed.len(), 1, "{landed:?}");
    assert!(!landed[0].headers.contains(&secret), "{landed:?}");
    assert!(
        !landed[0]
            .headers
            .iter()
            .any(|(name, _)| name == "authorization"),
        "{landed:?}"
    );

    // A failure past the redirect names where it happened.
    let gone = probe_server::closed_port();
    let away = origin.url(&format!("/away/127.0.0.1:{gone}/ok"));
    let result = check(with_key(away)).await;
    assert_eq!(
        result.outcome,
        failed(
            None,
            &format!("redirected to http://127.0.0.1:{gone}/ok: connection refused")
        )
    );

    // A redirect within the origin keeps it.
    let home = ProbeServer::start().await;
    assert_eq!(check(with_key(home.url("/hop"))).await.outcome, passed(200));
    let seen = home.seen();
    assert!(
        seen.iter()
            .any(|s| s.path == "/ok" && s.headers.contains(&secret)),
        "{seen:?}"
    );
}

#[tokio::test]
async fn a_request_body_is_sent_and_follows_only_a_307() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/ok"));
    http(&mut service).method = reqwest::Method::POST;
    http(&mut service).body = Some(r#"{"probe": true}"#.to_string());
    assert_eq!(check(service).await.outcome, passed(200));
    let seen = server.seen();
    assert_eq!(seen[0].method, "POST");
    assert_eq!(seen[0].body, br#"{"probe": true}"#);

    // A 302 turns the POST into a GET without the body, as browsers do.
    let hop = ProbeServer::start().await;
    let mut service = http_service(&hop.url("/hop"));
    http(&mut service).method = reqwest::Method::POST;
    http(&mut service).body = Some("payload".to_string());
    assert_eq!(check(service).await.outcome, passed(200));
    let landed = hop
        .seen()
        .into_iter()
        .find(|s| s.path == "/ok")
        .expect("followed");
    assert_eq!((landed.method.as_str(), landed.body.len()), ("GET", 0));
}

#[tokio::test]
async fn ip_keeps_connections_to_one_address_family() {
    let server = ProbeServer::start().await;
    let mut v4 = http_service(&server.url("/ok"));
    http(&mut v4).ip = Some(lookout::kinds::http::IpFamily::V4);
    assert_eq!(check(v4).await.outcome, passed(200));
    // The server is on 127.0.0.1: kept to IPv6, the check cannot reach it.
    let mut v6 = http_service(&server.url("/ok"));
    http(&mut v6).ip = Some(lookout::kinds::http::IpFamily::V6);
    let result = check(v6).await;
    assert!(!result.outcome.is_pass(), "{:?}", result.outcome);
}

#[tokio::test]
async fn method_and_headers_reach_the_server() {
    let server = ProbeServer::start().await;
    let mut service = http_service(&server.url("/ok"));
    http(&mut service).method = reqwest::Method::HEAD;
    http(&mut service).headers = vec![("X-Token".to_string(), "s3cret".to_string())];
    assert_eq!(check(service).await.outcome, passed(200));
    let seen = server.seen();
    assert_eq!(seen[0].method, "HEAD");
    assert!(
        seen[0]
            .headers
            .contains(&("x-token".to_string(), "s3cret".to_string()))
    );
    // Credentials in the URL travel as basic auth, not in the request line.
    let url = format!("http://user:pa%20ss@{}/ok", server.addr);
    assert_eq!(check(http_service(&url)).await.outcome, passed(200));
    let basic = (
        "authorization".to_string(),
        "Basic dXNlcjpwYSBzcw==".to_string(),
    );
    assert!(
        server.seen()[1].headers.contains(&basic),
        "{:?}",
        server.seen()
    );
}

#[tokio::test]
async fn unreachable_targets_name_the_cause() {
    let port = closed_port();
    let result = check(http_service(&format!("http://127.0.0.1:{port}/"))).await;
    assert_eq!(result.outcome, failed(None, "connection refused"));
    match check(http_service("http://nonexistent.invalid/"))
        .await
        .outcome
    {
        Outcome::Fail { reason, .. } => {
            assert!(reason.starts_with("DNS: "), "{reason}");
            assert!(reason.contains("nonexistent.invalid"), "{reason}");
        }
        other => panic!("passed: {other:?}"),
    }
}

#[tokio::test]
async fn dropped_connections_are_told_apart() {
    let server = ProbeServer::start().await;
    let result = check(http_service(&server.url("/reset"))).await;
    assert_eq!(result.outcome, failed(None, "connection reset"));
    let result = check(http_service(&server.url("/close"))).await;
    assert_eq!(
        result.outcome,
        failed(None, "connection closed before response")
    );
}

#[tokio::test]
async fn every_check_connects_afresh_unless_reuse_is_asked() {
    let server = ProbeServer::start().await;
    let fresh = http_service(&server.url("/ok"));
    let mut reused = http_service(&server.url("/ok"));
    http(&mut reused).reuse_connections = true;
    let prober = Prober::new(&[fresh, reused]);
    for _ in 0..3 {
        assert_eq!(prober.check(0).await, passed(200));
    }
    assert_eq!(server.connections(), 3);
    for _ in 0..3 {
        assert_eq!(prober.check(1).await, passed(200));
    }
    assert_eq!(server.connections(), 4);
}

#[tokio::test]
async fn results_come_back_in_config_order() {
    let server = ProbeServer::start().await;
    let mut services: Vec<ServiceConfig> = ["/slow", "/ok", "/status/503"]
        .iter()
        .map(|path| http_service(&server.url(path)))
        .collect();
    services[0].timeout = Duration::from_millis(500);
    let results = check_all_once(&services, 8).await;
    let ids: Vec<usize> = results.iter().map(|r| r.service).collect();
    assert_eq!(ids, [0, 1, 2]);
    assert_eq!(
        results[0].outcome,
        failed(None, "timeout after 500ms (no response)")
    );
    assert_eq!(results[1].outcome, passed(200));
    assert_eq!(results[2].outcome.status(), Some(503));
}
