//! TCP checks against real loopback ports.

#[path = "support/probe_server.rs"]
mod probe_server;

use std::time::Duration;

use lookout::config::ServiceConfig;
use lookout::kinds::Outcome;
use lookout::kinds::{CheckConfig, TcpCheck};
use lookout::probe::check_all_once;
use probe_server::{closed_port, http_service};
use tokio::net::TcpListener;

fn tcp_service(host: &str, port: u16) -> ServiceConfig {
    ServiceConfig {
        check: CheckConfig::Tcp(TcpCheck {
            host: host.to_string(),
            port,
        }),
        ..http_service("http://unused.invalid/")
    }
}

async fn outcome(service: ServiceConfig) -> Outcome {
    check_all_once(&[service], 1).await.remove(0).outcome
}

fn failed(reason: &str) -> Outcome {
    Outcome::Fail {
        status: None,
        reason: reason.to_string(),
    }
}

#[tokio::test]
async fn an_open_port_passes_by_address_and_by_name() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let pass = Outcome::Pass { status: None };
    assert_eq!(outcome(tcp_service("127.0.0.1", port)).await, pass);
    assert_eq!(outcome(tcp_service("localhost", port)).await, pass);
    // Both checks really connected.
    for _ in 0..2 {
        tokio::time::timeout(Duration::from_secs(1), listener.accept())
            .await
            .expect("a connection is waiting")
            .expect("accept");
    }
}

#[tokio::test]
async fn a_closed_port_is_refused() {
    let port = closed_port();
    assert_eq!(
        outcome(tcp_service("127.0.0.1", port)).await,
        failed("connection refused")
    );
}

#[tokio::test]
async fn an_unknown_host_is_a_dns_failure() {
    match outcome(tcp_service("nonexistent.invalid", 80)).await {
        Outcome::Fail { reason, .. } => {
            assert!(reason.starts_with("DNS: "), "{reason}");
            assert!(reason.contains("nonexistent.invalid"), "{reason}");
        }
        other => panic!("passed: {other:?}"),
    }
}
