//! A real Prometheus (Debian's package) on a free loopback port, scraping one target
//! every second; killed on drop, also when the test panics.

use std::collections::BTreeMap;
use std::net::{SocketAddr, TcpListener};
use std::path::Path;
use std::process::{Child, Command as Process, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// How long Prometheus gets to start and scrape once.
pub const FIRST_SCRAPE: Duration = Duration::from_secs(30);

/// A Prometheus process scraping one target every second; killed on drop, also when
/// the test panics.
pub struct Prometheus {
    child: Child,
    port: u16,
    log: std::path::PathBuf,
}

impl Prometheus {
    /// Starts Prometheus on a free loopback port, storing its data under `dir`.
    pub fn start(dir: &Path, job: &str, target: SocketAddr) -> Self {
        Self::start_jobs(dir, &[(job, target)])
    }

    /// Starts Prometheus scraping one target per `(job, address)`.
    pub fn start_jobs(dir: &Path, jobs: &[(&str, SocketAddr)]) -> Self {
        let port = free_port();
        let config = dir.join("prometheus.yml");
        let scrape: String = jobs
            .iter()
            .map(|(job, target)| {
                format!("  - job_name: {job}\n    static_configs:\n      - targets: ['{target}']\n")
            })
            .collect();
        let text = format!(
            "global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\nscrape_configs:\n{scrape}"
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

    /// The port its API listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The instant vector `query` evaluates to, as `(labels, value)` pairs; `None` while
    /// Prometheus is not answering yet.
    pub async fn query(
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
    pub async fn metadata(&self, client: &reqwest::Client) -> Value {
        let url = format!("http://127.0.0.1:{}/api/v1/metadata", self.port);
        let response = client.get(url).send().await.expect("metadata");
        let body: Value = response.json().await.expect("metadata JSON");
        body["data"].clone()
    }

    /// Prometheus's log and its view of its targets, for a failure message.
    pub async fn diagnosis(&self, client: &reqwest::Client) -> String {
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
pub fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

impl Prometheus {
    /// Waits (polling an external process, bounded by `FIRST_SCRAPE`) until the target
    /// of `job` has been scraped successfully; panics with Prometheus's view otherwise.
    pub async fn wait_until_up(&self, client: &reqwest::Client, job: &str) {
        let deadline = Instant::now() + FIRST_SCRAPE;
        let query = format!("up{{job=\"{job}\"}}");
        loop {
            let up = self.query(client, &query).await;
            if up.is_some_and(|samples| samples.iter().any(|(_, v)| *v == 1.0)) {
                return;
            }
            if Instant::now() > deadline {
                let diagnosis = self.diagnosis(client).await;
                panic!("no successful scrape within {FIRST_SCRAPE:?}\n{diagnosis}");
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}
