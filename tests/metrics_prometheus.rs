//! A real Prometheus scrapes the real server on loopback (negotiating OpenMetrics) and
//! its query API answers with the snapshot's figures.

mod support;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{Duration, UNIX_EPOCH};

use lookout::config::ServerConfig;
use lookout::contract::ServiceState;
use lookout::server::Server;
use lookout::state::sample::sample_snapshot;
use support::prometheus::Prometheus;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn prometheus_scrapes_the_snapshot() {
    if !support::require("prometheus", "a real Prometheus scrapes /metrics") {
        return;
    }
    let snapshot = sample_snapshot(12, UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let config = ServerConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        token: None,
    };
    let server = Server::bind(&config).await.expect("bind loopback");
    let addr = server.local_addr();
    let (_view, view_rx) = watch::channel(snapshot.clone());
    let (commands_tx, _commands) = mpsc::channel(8);
    let cancel = CancellationToken::new();
    let _stop = cancel.clone().drop_guard();
    let engine = lookout::view::snapshot::EngineInfo::of_this_process("headless");
    let hubs = lookout::server::Hubs::start(view_rx.clone(), engine, &cancel);
    tokio::spawn(server.run(view_rx, commands_tx, hubs, cancel));

    let dir = tempfile::tempdir().expect("tempdir");
    let prometheus = Prometheus::start(dir.path(), "lookout", addr);
    lookout::net::install_crypto_provider();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");

    prometheus.wait_until_up(&client, "lookout").await;

    let up = prometheus
        .query(&client, "lookout_service_up")
        .await
        .expect("query answers");
    let got: BTreeMap<String, f64> = up
        .into_iter()
        .map(|(labels, value)| (labels["service"].clone(), value))
        .collect();
    let want: BTreeMap<String, f64> = snapshot
        .services
        .iter()
        .filter_map(|s| {
            let up = match s.state {
                ServiceState::Up | ServiceState::Degraded => 1.0,
                ServiceState::Down => 0.0,
                ServiceState::Unknown | ServiceState::Paused => return None,
            };
            Some((s.config.name.clone(), up))
        })
        .collect();
    assert_eq!(got, want);

    let checks = prometheus
        .query(&client, "lookout_checks_total")
        .await
        .expect("query answers");
    let got: BTreeMap<(String, String), f64> = checks
        .into_iter()
        .map(|(labels, value)| {
            assert_eq!(labels["job"], "lookout");
            let key = (labels["service"].clone(), labels["outcome"].clone());
            (key, value)
        })
        .collect();
    let want: BTreeMap<(String, String), f64> = snapshot
        .services
        .iter()
        .flat_map(|s| {
            let name = &s.config.name;
            [("pass", s.totals.passed), ("fail", s.totals.failed)]
                .map(|(outcome, n)| ((name.clone(), outcome.to_string()), n as f64))
        })
        .collect();
    assert_eq!(got, want);

    // The histogram arrived whole: `+Inf` equals the count for every service.
    let infinite = prometheus
        .query(
            &client,
            "lookout_check_duration_seconds_bucket{le=\"+Inf\"} - ignoring(le) lookout_check_duration_seconds_count",
        )
        .await
        .expect("query answers");
    assert_eq!(infinite.len(), snapshot.services.len());
    assert!(infinite.iter().all(|(_, v)| *v == 0.0), "{infinite:?}");

    // Prometheus asked for OpenMetrics and read it as such: the counter's family is named
    // without `_total` (the classic format would name it `lookout_checks_total`).
    let metadata = prometheus.metadata(&client).await;
    let types: BTreeMap<&str, &str> = ["lookout_checks", "lookout_check_duration_seconds"]
        .into_iter()
        .map(|name| {
            (
                name,
                metadata[name][0]["type"].as_str().unwrap_or("missing"),
            )
        })
        .collect();
    let want = BTreeMap::from([
        ("lookout_checks", "counter"),
        ("lookout_check_duration_seconds", "histogram"),
    ]);
    assert_eq!(types, want, "metadata: {metadata}");
}
