//! A real Prometheus scrapes the real server on loopback (negotiating OpenMetrics) and
//! its query API answers with the snapshot's figures.

mod support;

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant, UNIX_EPOCH};

use lookout::config::ServerConfig;
use lookout::server::Server;
use lookout::state::ServiceState;
use lookout::state::sample::sample_snapshot;
use serde_json::Value;
use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

/// How long Prometheus gets to start and scrape once.
const FIRST_SCRAPE: Duration = Duration::from_secs(30);

/// A Prometheus process scraping one target every second; killed on drop, also when
/// the test panics.
struct Prometheus {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Prometheus {
    /// Starts Prometheus on a free loopback port, storing its data under `dir`.
    fn start(dir: &Path, job: &str, target: SocketAddr) -> Self {
        let port = free_port();
        let config = dir.join("prometheus.yml");
        let text = format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n\
             scrape_configs:\n  - job_name: {job}\n    static_configs:\n      \
             - targets: ['{target}']\n"
        );
        std::fs::write(&config, text).expect("write prometheus.yml");
        let log = dir.join("prometheus.log");
        let log_file = std::fs::File::create(&log).expect("create log");
        let child = Process::new("prometheus")
            .arg(format!("--config.file={}", config.display()))
            .arg(format!(
                "--storage.tsdb.path={}",
                dir.join("data").display()
            ))
            .arg(format!("--web.listen-address=127.0.0.1:{port}"))
            .stdin(Stdio::null())
            .stdout(log_file.try_clone().expect("log handle"))
            .stderr(log_file)
            .spawn()
            .expect("start prometheus");
        Self { child, port, log }
    }

    /// The instant vector `query` evaluates to, as `(labels, value)` pairs; `None` while
    /// Prometheus is not answering yet.
    async fn query(
        &self,
        client: &reqwest::Client,
        query: &str,
    ) -> Option<Vec<(BTreeMap<String, String>, f64)>> {
        let url = format!("http://127.0.0.1:{}/api/v1/query", self.port);
        let response = client
            .get(url)
            .query(&[("query", query)])
            .send()
            .await
            .ok()?;
        let body: Value = response.json().await.ok()?;
        let result = body["data"]["result"].as_array()?;
        let samples = result
            .iter()
            .map(|series| {
                let labels = serde_json::from_value(series["metric"].clone()).expect("labels");
                let value = series["value"][1].as_str().expect("value").parse();
                (labels, value.expect("number"))
            })
            .collect();
        Some(samples)
    }

    /// Every metric family's metadata, as `/api/v1/metadata` lists it.
    async fn metadata(&self, client: &reqwest::Client) -> Value {
        let url = format!("http://127.0.0.1:{}/api/v1/metadata", self.port);
        let response = client.get(url).send().await.expect("metadata");
        let body: Value = response.json().await.expect("metadata JSON");
        body["data"].clone()
    }

    /// Prometheus's log and its view of its targets, for a failure message.
    async fn diagnosis(&self, client: &reqwest::Client) -> String {
        let url = format!("http://127.0.0.1:{}/api/v1/targets", self.port);
        let targets = match client.get(url).send().await {
            Ok(response) => response.text().await.unwrap_or_default(),
            Err(err) => err.to_string(),
        };
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        format!("targets: {targets}\nlog:\n{log}")
    }
}

impl Drop for Prometheus {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A loopback port nothing listens on (bound, then released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

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
    tokio::spawn(server.run(view_rx, commands_tx, cancel));

    let dir = tempfile::tempdir().expect("tempdir");
    let prometheus = Prometheus::start(dir.path(), "lookout", addr);
    lookout::probe::install_crypto_provider();
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client");

    // Waits on an external process: polling with a short sleep, bounded.
    let deadline = Instant::now() + FIRST_SCRAPE;
    loop {
        let up = prometheus.query(&client, "up{job=\"lookout\"}").await;
        if up.is_some_and(|samples| samples.iter().any(|(_, v)| *v == 1.0)) {
            break;
        }
        if Instant::now() > deadline {
            let diagnosis = prometheus.diagnosis(&client).await;
            panic!("no successful scrape within {FIRST_SCRAPE:?}\n{diagnosis}");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

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
