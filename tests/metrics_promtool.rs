//! `/metrics`, fetched from the real server over loopback, passes `promtool check
//! metrics`: it parses, and Prometheus' own linter finds nothing to complain about.

mod support;

use std::io::Write;
use std::net::SocketAddr;
use std::process::{Command as Process, Stdio};
use std::time::{Duration, UNIX_EPOCH};

use lookout::config::ServerConfig;
use lookout::server::Server;
use lookout::state::sample::sample_snapshot;
use lookout::state::sample_jobs::sample_jobs_view;
use lookout::state::sample_system::sample_system_view;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn promtool_accepts_the_metrics_without_lint() {
    if !support::require("promtool", "it lints /metrics as Prometheus would") {
        return;
    }
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    // Two rounds of the sample pattern: every state, services with and without a group.
    let mut snapshot = sample_snapshot(24, now);
    snapshot.max_lag = Duration::from_millis(120);
    // The machine's families too (CPU, load, memory, filesystems, network, thresholds).
    snapshot.system = Some(std::sync::Arc::new(sample_system_view(now)));
    // And the job monitor's (counts, ages, rows rescued).
    snapshot.jobs = Some(std::sync::Arc::new(sample_jobs_view(now)));
    let config = ServerConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: None,
    };
    let server = Server::bind(&config).await.expect("bind loopback");
    let addr = server.local_addr();
    let (_view, view_rx) = watch::channel(snapshot);
    let (commands_tx, _commands) = mpsc::channel(8);
    let cancel = CancellationToken::new();
    let _stop = cancel.clone().drop_guard();
    let engine = lookout::view::snapshot::EngineInfo::of_this_process("headless");
    let hubs = lookout::server::Hubs::start(view_rx.clone(), engine, &cancel);
    tokio::spawn(server.run(view_rx, commands_tx, hubs, cancel));

    lookout::net::install_crypto_provider();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client");
    // No Accept header, as curl sends: the classic text format. promtool 2.42 parses only
    // that format (it reads OpenMetrics counters' `_total` samples as a second, untyped
    // family "without help"), so the OpenMetrics variant is checked by a real Prometheus
    // in metrics_prometheus.rs instead.
    let response = client
        .get(format!("http://{addr}/metrics"))
        .send()
        .await
        .expect("GET /metrics");
    assert_eq!(response.status(), 200);
    let text = response.text().await.expect("body");
    assert!(text.contains("lookout_checks_total{"), "{text}");
    assert!(text.contains("lookout_jobs_rescued_total{"), "{text}");

    let mut promtool = Process::new("promtool")
        .args(["check", "metrics"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run promtool");
    promtool
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write to promtool");
    let output = promtool.wait_with_output().expect("promtool finishes");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    // promtool exits 1 on a parse error and 3 on lint problems, which it prints.
    assert!(
        output.status.success() && stdout.trim().is_empty() && stderr.trim().is_empty(),
        "promtool: {}\nstdout:\n{stdout}\nstderr:\n{stderr}\nmetrics:\n{text}",
        output.status
    );
}
