//! Reads: `/healthz`, `/api/v1/status`, `/api/v1/machine`, `/metrics` over HTTP, unknown
//! routes, shutdown.

use std::net::TcpListener;
use std::time::Duration;

use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use serde_json::{Value, json};

use super::{Running, bind, json, now};
use crate::config::ServerConfig;
use crate::contract::ServiceState;
use crate::server::exposition::{CLASSIC, OPENMETRICS};
use crate::server::{Server, ServerError};
use crate::state::sample::sample_snapshot;
use crate::state::sample_system::sample_system_view;

#[tokio::test]
async fn healthz_says_ok() {
    let running = Running::start(None).await;
    let response = running.get("/healthz").await;
    assert_eq!(response.status(), 200);
    let content_type = response.headers()[CONTENT_TYPE].to_str().expect("ascii");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    assert_eq!(response.text().await.expect("body"), "ok\n");
    running.stop().await;
}

#[tokio::test]
async fn the_machine_is_its_newest_sample_and_the_thresholds_not_clear() {
    let mut snapshot = sample_snapshot(2, now());
    let view = sample_system_view(now());
    snapshot.system = Some(std::sync::Arc::new(view.clone()));
    let running = Running::with(snapshot, None, 16).await;
    let body = json(running.get("/api/v1/machine").await, 200).await;
    let sample = &view.latest;
    assert_eq!(body["host"], json!(sample.hostname));
    assert_eq!(body["cores"], sample.cores);
    let cpu = f64::from(sample.cpu.as_ref().expect("a CPU reading").total);
    assert_eq!(body["cpu_pct"], (cpu * 10.0).round() / 10.0);
    let disks = body["disks"].as_array().expect("disks");
    assert_eq!(disks.len(), sample.filesystems.len());
    assert_eq!(disks[0]["mount"], "/");
    let thresholds = body["thresholds"].as_array().expect("thresholds");
    assert_eq!(thresholds.len(), view.rules.len());
    assert!(!thresholds.is_empty(), "the sample host is busy: {body}");
    for rule in thresholds {
        assert!(["pending", "exceeded"].contains(&rule["level"].as_str().unwrap_or("")));
        humantime::parse_rfc3339(rule["since"].as_str().expect("since")).expect("RFC 3339");
    }
    running.stop().await;

    let unsampled = Running::start(None).await;
    let body = json(unsampled.get("/api/v1/machine").await, 404).await;
    assert!(
        body["error"].as_str().unwrap_or("").contains("[system]"),
        "{body}"
    );
    unsampled.stop().await;
}

#[tokio::test]
async fn status_lists_every_service_with_its_figures() {
    let running = Running::start(None).await;
    let snapshot = sample_snapshot(12, now());
    let body = json(running.get("/api/v1/status").await, 200).await;

    assert_eq!(body["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(body["config"], "lookout.toml");
    let generated = body["generated_at"].as_str().expect("string");
    humantime::parse_rfc3339(generated).expect("RFC 3339");
    for state in ServiceState::ALL {
        let want = snapshot
            .services
            .iter()
            .filter(|s| s.state == state)
            .count();
        assert_eq!(body["counts"][state.as_str()], want, "{state}");
    }
    let services = body["services"].as_array().expect("array");
    assert_eq!(services.len(), 12);
    for (got, want) in services.iter().zip(&snapshot.services) {
        assert_eq!(got["name"], want.config.name.as_str());
        assert_eq!(got["state"], want.state.as_str());
        assert_eq!(got["severity"], want.config.severity.as_str());
        assert_eq!(got["interval_ms"], 10_000);
        assert_eq!(got["checks_in_window"], want.stats.checks);
        assert_eq!(got["consecutive_failures"], want.consecutive_failures);
        assert_eq!(got["target"], want.config.check.display_target());
    }

    // gateway: UP, a password in its URL, secret headers.
    let gateway = &services[0];
    assert_eq!(gateway["group"], "edge");
    assert_eq!(
        gateway["target"],
        "https://***:***@gateway.example.com/health"
    );
    assert_eq!(
        gateway["last_check"],
        json!({
            "at": "2023-11-14T22:13:20.000Z",
            "latency_ms": snapshot.services[0].recent.last().expect("checked").latency.as_secs_f64() * 1000.0,
            "passed": true,
            "status": 200,
            "reason": null,
        })
    );
    assert!(gateway["p50_ms"].as_f64().expect("p50") > 0.0);
    assert!(gateway["p95_ms"].as_f64().expect("p95") >= gateway["p50_ms"].as_f64().expect("p50"));
    let uptime = gateway["uptime"].as_f64().expect("uptime");
    assert!((0.0..=1.0).contains(&uptime), "{uptime}");

    // billing: DOWN on timeouts.
    let billing = &services[2]["last_check"];
    assert_eq!(billing["passed"], false);
    assert_eq!(billing["status"], Value::Null);
    assert_eq!(billing["reason"], "timeout after 5s");
    assert_eq!(billing["latency_ms"], 5000.0);

    // search: never checked.
    let search = &services[3];
    assert_eq!(search["state"], "UNKNOWN");
    for key in ["last_check", "p50_ms", "p95_ms", "uptime"] {
        assert_eq!(search[key], Value::Null, "{key}");
    }

    // reports (index 9) has no group.
    assert_eq!(services[9]["group"], Value::Null);

    let text = body.to_string();
    for secret in ["s3cret", "on-call", "Authorization"] {
        assert!(!text.contains(secret), "status leaks {secret:?}");
    }
}

#[tokio::test]
async fn metrics_speak_classic_text_unless_openmetrics_is_asked_for() {
    let running = Running::start(None).await;

    let classic = running.get("/metrics").await;
    assert_eq!(classic.status(), 200);
    assert_eq!(classic.headers()[CONTENT_TYPE], CLASSIC);
    let text = classic.text().await.expect("body");
    assert!(
        text.contains("# TYPE lookout_checks_total counter\n"),
        "{text}"
    );
    assert!(!text.contains("# EOF"));

    let openmetrics = running
        .client
        .get(running.url("/metrics"))
        .header(
            ACCEPT,
            "application/openmetrics-text;version=1.0.0,text/plain;q=0.5",
        )
        .send()
        .await
        .expect("GET");
    assert_eq!(openmetrics.status(), 200);
    assert_eq!(openmetrics.headers()[CONTENT_TYPE], OPENMETRICS);
    let text = openmetrics.text().await.expect("body");
    assert!(text.contains("# TYPE lookout_checks counter\n"), "{text}");
    assert!(text.ends_with("# EOF\n"));
}

#[tokio::test]
async fn metrics_follow_the_newest_snapshot() {
    let running = Running::start(None).await;
    for services in [12, 3] {
        running.view.send_replace(sample_snapshot(services, now()));
        let snapshot = sample_snapshot(services, now());
        let up = snapshot
            .services
            .iter()
            .filter(|s| s.state == ServiceState::Up);
        let want = format!("lookout_services{{state=\"UP\"}} {}\n", up.count());
        let text = running.get("/metrics").await.text().await.expect("body");
        assert!(text.contains(&want), "{want} in {text}");
    }
}

#[tokio::test]
async fn unknown_routes_and_wrong_methods_answer_json() {
    let running = Running::start(None).await;
    let body = json(running.get("/nope").await, 404).await;
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("/api/v1/status"))
    );
    json(running.post("/api/v1/nope", None).await, 404).await;

    let wrong = running.get("/api/v1/services/auth/check").await;
    assert_eq!(wrong.headers()[ALLOW], "POST");
    json(wrong, 405).await;
    let wrong = running.post("/api/v1/status", None).await;
    assert!(
        wrong.headers()[ALLOW]
            .to_str()
            .expect("ascii")
            .contains("GET")
    );
    json(wrong, 405).await;
}

#[tokio::test]
async fn a_taken_port_is_an_error_that_names_the_address() {
    let taken = TcpListener::bind("127.0.0.1:0").expect("bind");
    let listen = taken.local_addr().expect("addr");
    let config = ServerConfig {
        listen,
        token: Some("never-shown-token-123".to_string()),
    };
    let err = Server::bind(&config).await.expect_err("port is taken");
    assert!(matches!(err, ServerError::Bind { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&listen.to_string()), "{message}");
    assert!(message.contains("in use"), "{message}");
}

#[tokio::test]
async fn debug_hides_the_token() {
    let config = ServerConfig {
        listen: "127.0.0.1:0".parse().expect("addr"),
        token: Some("never-shown-token-123".to_string()),
    };
    let server = Server::bind(&config).await.expect("bind");
    let shown = format!("{server:?}");
    assert!(!shown.contains("never-shown"), "{shown}");
    assert!(shown.contains("***"), "{shown}");
}

#[tokio::test]
async fn cancelling_stops_the_server_and_frees_the_port() {
    let running = Running::start(None).await;
    let addr = running.addr;
    assert_eq!(running.get("/healthz").await.status(), 200);
    running.stop().await;
    let refused =
        tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect(addr))
            .await
            .expect("answers at once");
    assert!(refused.is_err(), "nothing listens after stop");
}

#[tokio::test]
async fn a_stalled_client_does_not_hold_up_shutdown() {
    use tokio::io::AsyncWriteExt;

    let mut server = bind(None).await;
    server.limits.grace = Duration::from_millis(300);
    let running = Running::serve(server, sample_snapshot(1, now()), 1);
    let mut stalled = tokio::net::TcpStream::connect(running.addr)
        .await
        .expect("connect");
    // Headers begun, never finished.
    stalled
        .write_all(b"GET /healthz HTTP/1.1\r\nHost: lookout\r\n")
        .await
        .expect("write");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    running.stop().await;
    let took = started.elapsed();
    eprintln!("stop took {took:?}");
    assert!(
        took < crate::server::SHUTDOWN_GRACE + Duration::from_secs(2),
        "{took:?}"
    );
}

#[tokio::test]
async fn no_token_means_loopback_only() {
    for (listen, refused) in [
        ("0.0.0.0:0", true),
        ("[::]:0", true),
        ("127.0.0.1:0", false),
    ] {
        let config = ServerConfig {
            listen: listen.parse().expect("addr"),
            token: None,
        };
        match Server::bind(&config).await {
            Err(ServerError::NoToken { addr }) => {
                assert!(refused, "{listen}");
                assert_eq!(addr.to_string(), listen);
            }
            Ok(_) => assert!(!refused, "{listen}"),
            Err(err) => panic!("{listen}: {err}"),
        }
    }
}

#[test]
fn a_service_with_a_certificate_says_when_it_expires() {
    let mut snapshot = sample_snapshot(1, now());
    let view = std::sync::Arc::make_mut(&mut snapshot.services[0]);
    let status =
        serde_json::to_value(crate::server::status::ServiceStatus::new(view)).expect("JSON");
    assert!(status.get("certificate").is_none(), "none seen: {status}");
    view.certificate = Some(std::sync::Arc::new(crate::kinds::Certificate {
        not_before: now(),
        not_after: now() + std::time::Duration::from_secs(86_400),
        subject: "CN=gateway".into(),
        issuer: "CN=ca".into(),
        names: vec!["gateway.example.com".into()],
        chain: Vec::new(),
    }));
    let status =
        serde_json::to_value(crate::server::status::ServiceStatus::new(view)).expect("JSON");
    assert_eq!(
        status["certificate"],
        json!({
            "expires_at": "2023-11-15T22:13:20.000Z",
            "subject": "CN=gateway",
            "issuer": "CN=ca",
            "names": ["gateway.example.com"],
            "chain": [],
        })
    );
}
