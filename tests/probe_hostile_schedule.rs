//! Hostile targets through the real scheduler: while their checks hang until their
//! timeout, a healthy service beside them keeps its interval and starts on time.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/probe_server.rs"]
mod probe_server;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use hostile::{Hostile, HostileServer};
use lookout::config::ServiceConfig;
use lookout::event::Event;
use lookout::kinds::Outcome;
use lookout::probe::{Prober, spawn};
use lookout::view::check::CheckResult;
use probe_server::{ProbeServer, http, http_service};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

const HEALTHY_INTERVAL: Duration = Duration::from_millis(100);
const HOSTILE_TIMEOUT: Duration = Duration::from_millis(400);
/// How long the scheduler runs.
const RUN: Duration = Duration::from_secs(3);
/// The most a check may start late, and its interval may stretch, on a loaded machine
/// (the soak target for p99 scheduling lag).
const SLACK: Duration = Duration::from_millis(100);

fn hostile_service(server: &HostileServer, reads_body: bool) -> ServiceConfig {
    let mut service = ServiceConfig {
        interval: Duration::from_millis(500),
        timeout: HOSTILE_TIMEOUT,
        ..http_service(&server.url())
    };
    if reads_body {
        http(&mut service).expect_body = Some("ok".to_string());
    }
    service
}

/// Runs the scheduler over `services` for `RUN` and returns every result, per service.
async fn run(services: &[ServiceConfig]) -> Vec<Vec<CheckResult>> {
    let (events, mut received) = mpsc::channel(1024);
    let cancel = CancellationToken::new();
    let prober = Arc::new(Prober::new(services));
    let handle = spawn(services, prober, 64, events, cancel.clone());
    let mut results = vec![Vec::new(); services.len()];
    let deadline = tokio::time::Instant::now() + RUN;
    while let Ok(Some(event)) = tokio::time::timeout_at(deadline, received.recv()).await {
        if let Event::Checked(result) = event {
            results[result.service].push(result);
        }
    }
    cancel.cancel();
    handle.stopped().await;
    results
}

fn gap(earlier: SystemTime, later: SystemTime) -> Duration {
    later.duration_since(earlier).unwrap_or_default()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_service_keeps_its_schedule_beside_hanging_targets() {
    let healthy = ProbeServer::start().await;
    // Each kind, whether its check reads the body, and its reason.
    let kinds = [
        (Hostile::Silent, false, "timeout after 400ms (no response)"),
        (
            Hostile::SlowHeaders,
            false,
            "timeout after 400ms (no response)",
        ),
        (
            Hostile::SlowBody,
            true,
            "timeout after 400ms (reading body)",
        ),
        (Hostile::HugeBody, true, "body lacks \"ok\" in first 64 KiB"),
    ];
    let servers: Vec<HostileServer> = kinds
        .iter()
        .map(|(kind, _, _)| HostileServer::start(*kind))
        .collect();
    let mut services = vec![ServiceConfig {
        interval: HEALTHY_INTERVAL,
        ..http_service(&healthy.url("/ok"))
    }];
    for (server, (_, reads_body, _)) in servers.iter().zip(kinds) {
        services.push(hostile_service(server, reads_body));
    }

    let results = run(&services).await;

    let checks = &results[0];
    let expected = (RUN.as_millis() / HEALTHY_INTERVAL.as_millis()) as usize;
    assert!(checks.len() + 2 >= expected, "{} checks", checks.len());
    for check in checks {
        assert_eq!(check.outcome, Outcome::Pass { status: Some(200) });
        assert!(check.lag <= SLACK, "started {:?} late", check.lag);
    }
    let widest = checks
        .windows(2)
        .map(|pair| gap(pair[0].at, pair[1].at))
        .max()
        .expect("several checks");
    assert!(widest <= HEALTHY_INTERVAL + SLACK, "a gap of {widest:?}");
    eprintln!(
        "healthy: {} checks, widest gap {widest:?}, worst lag {:?}",
        checks.len(),
        checks.iter().map(|c| c.lag).max().unwrap_or_default()
    );

    for (checks, (kind, _, expected)) in results[1..].iter().zip(kinds) {
        assert!(checks.len() >= 2, "{kind:?}: {checks:?}");
        for check in checks {
            let Outcome::Fail { reason, .. } = &check.outcome else {
                panic!("{kind:?} passed: {check:?}");
            };
            assert_eq!(reason, expected, "{kind:?}");
            assert!(
                check.latency <= HOSTILE_TIMEOUT + SLACK,
                "{kind:?}: {:?}",
                check.latency
            );
        }
    }
}
