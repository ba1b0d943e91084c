//! Checks against hostile loopback targets, one prober call each: every one ends in a
//! verdict within its timeout (plus a small margin), a failure with a precise reason
//! unless what the check asks for is there, and a body of 1 GiB is read only up to the
//! cap, with no memory to show for it.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/probe_server.rs"]
mod probe_server;

use std::time::Duration;

use hostile::{Hostile, HostileServer, resident_bytes};
use lookout::config::ServiceConfig;
use lookout::kinds::Outcome;
use lookout::kinds::{CheckConfig, JsonExpectation, TcpCheck};
use lookout::probe::check_all_once;
use lookout::view::check::CheckResult;
use probe_server::{http, http_service};
use serde_json::json;

/// What a verdict may take beyond its timeout on a loaded 2-core machine.
const MARGIN: Duration = Duration::from_millis(300);

async fn check(service: ServiceConfig) -> CheckResult {
    check_all_once(&[service], 1).await.remove(0)
}

fn service(server: &HostileServer, timeout: Duration) -> ServiceConfig {
    ServiceConfig {
        timeout,
        ..http_service(&server.url())
    }
}

/// Adjusts a service for one case of a table.
type Setup = fn(&mut ServiceConfig);

/// `expect_json = { path = "status", equals = "UP" }`.
fn status_up() -> JsonExpectation {
    JsonExpectation {
        path: "status".to_string(),
        equals: json!("UP"),
    }
}

/// A TCP check of a loopback port.
fn tcp_service(port: u16, timeout: Duration) -> ServiceConfig {
    ServiceConfig {
        timeout,
        check: CheckConfig::Tcp(TcpCheck {
            host: "127.0.0.1".to_string(),
            port,
        }),
        ..http_service("http://unused.invalid/")
    }
}

fn failed(status: Option<u16>, reason: &str) -> Outcome {
    Outcome::Fail {
        status,
        reason: reason.to_string(),
    }
}

/// Asserts the outcome and that it came within the service's timeout plus `MARGIN`;
/// prints what was seen (`--nocapture` shows it).
fn assert_verdict(result: &CheckResult, timeout: Duration, expected: &Outcome) {
    eprintln!("seen: {:?} after {:?}", result.outcome, result.latency);
    assert_eq!(&result.outcome, expected);
    assert!(
        result.latency <= timeout + MARGIN,
        "{expected:?} took {:?} (timeout {timeout:?})",
        result.latency
    );
}

/// Asserts a timeout verdict, naming the `stage` it stalled in, that did wait for the
/// whole timeout.
fn assert_timed_out(result: &CheckResult, timeout: Duration, stage: &str) {
    let limit = humantime::format_duration(timeout);
    let reason = format!("timeout after {limit} ({stage})");
    assert_verdict(result, timeout, &failed(None, &reason));
    assert!(result.latency >= timeout, "{:?}", result.latency);
}

#[tokio::test]
async fn a_target_that_accepts_and_never_answers_times_out() {
    let server = HostileServer::start(Hostile::Silent);
    let timeout = Duration::from_millis(500);
    assert_timed_out(
        &check(service(&server, timeout)).await,
        timeout,
        "no response",
    );
    // The same through the full client: a pooled connection, and a TLS handshake
    // that is never answered.
    let mut pooled = service(&server, timeout);
    http(&mut pooled).reuse_connections = true;
    assert_timed_out(&check(pooled).await, timeout, "no response");
    let https = ServiceConfig {
        timeout,
        ..http_service(&format!("https://127.0.0.1:{}/", server.port))
    };
    assert_timed_out(&check(https).await, timeout, "no response");
    assert_eq!(server.connections(), 3);
}

#[tokio::test]
async fn a_port_whose_accept_queue_is_full_times_out_connecting() {
    let server = HostileServer::start_full_backlog();
    let timeout = Duration::from_millis(500);
    assert_timed_out(
        &check(service(&server, timeout)).await,
        timeout,
        "connecting",
    );
    let tcp = tcp_service(server.port, timeout);
    assert_timed_out(&check(tcp).await, timeout, "connecting");
}

#[tokio::test]
async fn headers_trickled_a_byte_a_second_time_out() {
    let server = HostileServer::start(Hostile::SlowHeaders);
    let timeout = Duration::from_millis(2500);
    assert_timed_out(
        &check(service(&server, timeout)).await,
        timeout,
        "no response",
    );
}

#[tokio::test]
async fn headers_that_never_end_are_cut_off() {
    let server = HostileServer::start(Hostile::EndlessHeaders);
    let timeout = Duration::from_secs(2);
    for reuse in [false, true] {
        let mut target = service(&server, timeout);
        http(&mut target).reuse_connections = reuse;
        assert_verdict(
            &check(target).await,
            timeout,
            &failed(None, "response headers too large"),
        );
    }
}

#[tokio::test]
async fn a_body_trickled_a_byte_a_second_times_out_when_the_check_reads_it() {
    let server = HostileServer::start(Hostile::SlowBody);
    let timeout = Duration::from_millis(2500);
    for reuse in [false, true] {
        let mut reading = service(&server, timeout);
        http(&mut reading).expect_body = Some("ok".to_string());
        http(&mut reading).reuse_connections = reuse;
        assert_timed_out(&check(reading).await, timeout, "reading body");
    }
    // Without a body expectation the headers settle the verdict; the body is not awaited.
    let result = check(service(&server, timeout)).await;
    assert_verdict(
        &result,
        Duration::ZERO,
        &Outcome::Pass { status: Some(200) },
    );
}

#[tokio::test]
async fn a_1_gib_body_is_read_only_up_to_the_cap() {
    let server = HostileServer::start(Hostile::HugeBody);
    let timeout = Duration::from_secs(2);
    let before = resident_bytes("self");
    let cases: [(&str, Setup, Outcome); 4] = [
        (
            "expect_body",
            |s| http(s).expect_body = Some("ok".to_string()),
            failed(Some(200), "body lacks \"ok\" in first 64 KiB"),
        ),
        (
            "expect_json",
            |s| http(s).expect_json = Some(status_up()),
            failed(Some(200), "body over 64 KiB (JSON not checked)"),
        ),
        (
            "no expectation",
            |_| {},
            Outcome::Pass { status: Some(200) },
        ),
        (
            "reused connection, body drained",
            |s| http(s).reuse_connections = true,
            Outcome::Pass { status: Some(200) },
        ),
    ];
    for (what, setup, expected) in cases {
        let mut target = service(&server, timeout);
        setup(&mut target);
        let result = check(target).await;
        eprintln!("{what}: {:?} after {:?}", result.outcome, result.latency);
        assert_eq!(result.outcome, expected, "{what}");
        assert!(
            result.latency < Duration::from_secs(1),
            "{what}: {:?}",
            result.latency
        );
    }
    let grown = resident_bytes("self").saturating_sub(before);
    assert!(grown < 32 << 20, "RSS grew by {grown} bytes");
    // Only socket buffers' worth left the server: nobody read the gigabyte.
    let sent = server.body_bytes_sent();
    eprintln!("RSS grew by {grown} bytes; the server sent {sent} body bytes");
    assert!(sent < 64 << 20, "{sent} body bytes sent");
}

#[tokio::test]
async fn a_body_that_is_not_utf8_is_judged_as_bytes() {
    let server = HostileServer::start(Hostile::InvalidUtf8);
    let timeout = Duration::from_secs(2);
    let mut found = service(&server, timeout);
    http(&mut found).expect_body = Some("ok?".to_string());
    assert_verdict(
        &check(found).await,
        timeout,
        &Outcome::Pass { status: Some(200) },
    );
    let mut missing = service(&server, timeout);
    http(&mut missing).expect_body = Some("healthy".to_string());
    let lacks = failed(Some(200), "body lacks \"healthy\"");
    assert_verdict(&check(missing).await, timeout, &lacks);
    let mut json = service(&server, timeout);
    http(&mut json).expect_json = Some(status_up());
    let not_json = failed(
        Some(200),
        "body is not JSON: expected value at line 1 column 1",
    );
    assert_verdict(&check(json).await, timeout, &not_json);
}

#[tokio::test]
async fn json_cut_off_names_where_parsing_failed() {
    let server = HostileServer::start(Hostile::InvalidJson);
    let timeout = Duration::from_secs(2);
    let mut target = service(&server, timeout);
    http(&mut target).expect_json = Some(status_up());
    let column = hostile::INVALID_JSON.len();
    let reason = format!("body is not JSON: EOF while parsing an object at line 1 column {column}");
    assert_verdict(&check(target).await, timeout, &failed(Some(200), &reason));
}

#[tokio::test]
async fn a_redirect_loop_stops_at_the_limit() {
    let server = HostileServer::start(Hostile::RedirectLoop);
    let timeout = Duration::from_secs(2);
    let result = check(service(&server, timeout)).await;
    assert_verdict(&result, timeout, &failed(None, "too many redirects (>5)"));
}

#[tokio::test]
async fn a_name_under_invalid_does_not_resolve() {
    let timeout = Duration::from_secs(2);
    let target = ServiceConfig {
        timeout,
        ..http_service("http://lookout-hostile.invalid/")
    };
    let reason = "DNS: no such host lookout-hostile.invalid";
    assert_verdict(&check(target).await, timeout, &failed(None, reason));
}

#[tokio::test]
async fn connections_reset_or_closed_at_accept_are_told_apart() {
    let timeout = Duration::from_secs(2);
    let reset = HostileServer::start(Hostile::Reset);
    let result = check(service(&reset, timeout)).await;
    assert_verdict(&result, timeout, &failed(None, "connection reset"));
    let closed = HostileServer::start(Hostile::AcceptClose);
    let result = check(service(&closed, timeout)).await;
    let reason = "connection closed before response";
    assert_verdict(&result, timeout, &failed(None, reason));
}

#[tokio::test]
async fn a_tcp_check_passes_on_a_port_that_accepts_then_closes() {
    // A TCP check proves the port accepts; what is said after the handshake is an
    // HTTP check's business.
    let timeout = Duration::from_secs(2);
    let server = HostileServer::start(Hostile::AcceptClose);
    let target = tcp_service(server.port, timeout);
    for _ in 0..5 {
        let result = check(target.clone()).await;
        assert_verdict(&result, timeout, &Outcome::Pass { status: None });
    }
}
