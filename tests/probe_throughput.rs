//! Load check for the scheduler and HTTP checks (ignored by default; run it in release:
//! `cargo test --release --test probe_throughput -- --ignored --nocapture`). Fresh
//! connections to a loopback server at 6,000 checks/s must keep p99 lag under 100 ms.
//! `LOOKOUT_LOAD_URL=http://127.0.0.1:18080/x` points the HTTP run at an outside server
//! (the bench nginx) instead of the one this test starts in-process.

#[path = "support/probe_server.rs"]
mod probe_server;

use std::sync::Arc;
use std::time::Duration;

use lookout::config::ServiceConfig;
use lookout::event::Event;
use lookout::kinds::{CheckConfig, TcpCheck};
use lookout::probe::{Prober, spawn};
use probe_server::{ProbeServer, http_service};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

/// User and system CPU time so far of this process's threads whose name starts with
/// `prefix` (Linux only).
fn cpu_time(prefix: &str) -> [Duration; 2] {
    let mut ticks = [0u64; 2];
    for task in std::fs::read_dir("/proc/self/task")
        .expect("linux /proc")
        .flatten()
    {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        if !name.starts_with(prefix) {
            continue;
        }
        let stat = std::fs::read_to_string(path.join("stat")).unwrap_or_default();
        let fields: Vec<&str> = stat
            .rsplit(')')
            .next()
            .unwrap()
            .split_whitespace()
            .collect();
        ticks[0] += fields[11].parse::<u64>().unwrap();
        ticks[1] += fields[12].parse::<u64>().unwrap();
    }
    ticks.map(|t| Duration::from_millis(t * 10))
}

/// The loopback server on its own thread and runtime, so its CPU is counted apart.
fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("server".to_string())
        .spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let server = ProbeServer::start().await;
                tx.send(server.url("/ok")).unwrap();
                std::future::pending::<()>().await;
            });
        })
        .unwrap();
    rx.recv().unwrap()
}

const SERVICES: usize = 600;
const INTERVAL: Duration = Duration::from_millis(100);
const RUN: Duration = Duration::from_secs(5);

#[test]
#[ignore = "a load test: run in release with --ignored"]
fn six_thousand_fresh_http_checks_a_second() {
    let url = std::env::var("LOOKOUT_LOAD_URL").unwrap_or_else(|_| start_server());
    run_load(|_| http_service(&url));
}

#[test]
#[ignore = "a load test: run in release with --ignored"]
fn six_thousand_tcp_checks_a_second() {
    let url = start_server();
    let port = url.parse::<reqwest::Url>().unwrap().port().unwrap();
    run_load(|_| ServiceConfig {
        check: CheckConfig::Tcp(TcpCheck {
            host: "127.0.0.1".to_string(),
            port,
        }),
        ..http_service(&url)
    });
}

/// Runs `SERVICES` services every `INTERVAL` for `RUN` on a two-worker runtime.
fn run_load(service: impl Fn(usize) -> ServiceConfig) {
    let services: Vec<_> = (0..SERVICES)
        .map(|i| ServiceConfig {
            interval: INTERVAL,
            timeout: Duration::from_secs(2),
            ..service(i)
        })
        .collect();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("checker")
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(run(services));
}

async fn run(services: Vec<ServiceConfig>) {
    let (tx, mut rx) = mpsc::channel(4096);
    let cancel = CancellationToken::new();
    let prober = Arc::new(Prober::new(&services));
    let (cpu_before, server_before) = (cpu_time("checker"), cpu_time("server"));
    let handle = spawn(&services, prober, 256, tx, cancel.clone());
    let collect = tokio::spawn(async move {
        let mut lags = Vec::new();
        let mut failures = 0usize;
        while let Some(Event::Checked(result)) = rx.recv().await {
            failures += usize::from(!result.outcome.is_pass());
            lags.push(result.lag);
        }
        (lags, failures)
    });
    tokio::time::sleep(RUN).await;
    cancel.cancel();
    handle.stopped().await;
    let [user, system] = cpu_time("checker");
    let (user, system) = (user - cpu_before[0], system - cpu_before[1]);
    let server_cpu = cpu_time("server");
    let server_cpu = server_cpu[0] + server_cpu[1] - server_before[0] - server_before[1];
    let (mut lags, failures) = collect.await.unwrap();
    lags.sort();
    let checks = lags.len();
    let p99 = lags[checks * 99 / 100];
    let rate = checks as f64 / RUN.as_secs_f64();
    let (user_per, system_per) = (user / checks as u32, system / checks as u32);
    println!(
        "{checks} checks, {rate:.0}/s, {failures} failed, p50 lag {:?}, p99 lag {p99:?}, max {:?}, checker CPU per check {user_per:?} user + {system_per:?} system, server CPU {server_cpu:?}",
        lags[checks / 2],
        lags[checks - 1]
    );
    assert_eq!(failures, 0);
    assert!(rate >= 5_900.0, "{rate:.0} checks/s");
    assert!(p99 <= Duration::from_millis(100), "p99 lag {p99:?}");
}
