//! The local API on the real binary in headless mode: reads, token-guarded writes whose
//! effects show in the log, a token that never leaks, and a real Prometheus scraping it.

mod support;

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::headless::Headless;
use support::prometheus::Prometheus;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);
const TOKEN: &str = "planted-secret-token-5f0c2e9a71";

/// One fast service, the API on a port the system picks, the token from the environment.
fn config(dir: &Path, web: &ToggleServer) -> std::path::PathBuf {
    write_config(
        dir,
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"200ms\"\n\
             timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n[log]\nstdout = true\n\n\
             [server]\nlisten = \"127.0.0.1:0\"\ntoken = \"${{LOOKOUT_TEST_TOKEN}}\"\n\n\
             [[service]]\nname = \"web\"\nurl = \"{}\"\n",
            dir.join("state").display(),
            web.url("/health")
        ),
    )
}

/// Starts lookout and returns it with the API's base URL, once `web` is UP.
fn start(dir: &Path, web: &ToggleServer) -> (Headless, String) {
    let path = config(dir, web);
    let mut lookout = Headless::start(&path, &[("LOOKOUT_TEST_TOKEN", TOKEN)]);
    let listening = lookout.seen_or_wait("server_listening", None, LIMIT);
    let address = listening["address"].as_str().expect("address").to_string();
    let up = lookout.seen_or_wait("service_state_changed", Some("web"), LIMIT);
    assert_eq!(up["to"], "UP");
    (lookout, format!("http://{address}"))
}

fn client() -> reqwest::Client {
    lookout::net::install_crypto_provider();
    reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(5))
        .build()
        .expect("client")
}

async fn post(client: &reqwest::Client, url: String, token: Option<&str>) -> (u16, Value) {
    let mut request = client
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json");
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("POST");
    let status = response.status().as_u16();
    (status, response.json().await.expect("JSON body"))
}

/// `/api/v1/status` once its first service is in `state` (bounded wait).
async fn wait_status(client: &reqwest::Client, base: &str, state: &str) -> Value {
    let deadline = Instant::now() + LIMIT;
    loop {
        let status: Value = client
            .get(format!("{base}/api/v1/status"))
            .send()
            .await
            .expect("GET status")
            .json()
            .await
            .expect("status JSON");
        if status["services"][0]["state"] == state {
            return status;
        }
        assert!(Instant::now() < deadline, "never {state}: {status}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reads_and_token_guarded_writes_on_the_real_binary() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let (mut lookout, base) = start(dir.path(), &web);
    let client = client();

    let health = client.get(format!("{base}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.text().await.unwrap(), "ok\n");
    // The API shows the newest snapshot, published at most 100 ms after the log line.
    let status = wait_status(&client, &base, "UP").await;
    assert_eq!(status["services"][0]["name"], "web");
    assert_eq!(status["counts"]["UP"], 1);

    let pause = format!("{base}/api/v1/services/web/pause");
    for token in [None, Some("not-the-token-at-all-0000")] {
        let (code, body) = post(&client, pause.clone(), token).await;
        assert_eq!(code, 401, "{body}");
    }
    let (code, body) = post(&client, pause, Some(TOKEN)).await;
    assert_eq!(
        (code, &body["changed"]),
        (202, &Value::Bool(true)),
        "{body}"
    );
    lookout.wait_event("service_paused", Some("web"), LIMIT);

    let (code, _) = post(&client, format!("{base}/api/v1/reload"), Some(TOKEN)).await;
    assert_eq!(code, 202);
    let reloaded = lookout.wait_event("config_reloaded", None, LIMIT);
    assert_eq!(reloaded["trigger"], "api");
    assert_eq!(reloaded["kept"], 1);

    // Still paused after the reload, and the API says so.
    wait_status(&client, &base, "PAUSED").await;

    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    // The planted token is in no log line, on stdout or in the files.
    let stdout: String = lookout
        .seen
        .iter()
        .map(|line| format!("{line}\n"))
        .collect();
    assert!(!stdout.contains(TOKEN));
    for entry in std::fs::read_dir(dir.path().join("state/logs")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(!text.is_empty() && !text.contains(TOKEN));
    }
    assert!(!lookout.stderr().contains(TOKEN));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_real_prometheus_scrapes_the_real_binary_and_sees_a_service_go_down() {
    if !support::require("prometheus", "a real Prometheus scrapes lookout's /metrics") {
        return;
    }
    let mut web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let (mut lookout, base) = start(dir.path(), &web);
    let target = base.trim_start_matches("http://").parse().expect("address");
    let prometheus = Prometheus::start(dir.path(), "lookout", target);
    let client = client();
    prometheus.wait_until_up(&client, "lookout").await;

    let value = |samples: Option<Vec<(_, f64)>>| samples.and_then(|s| s.first().map(|(_, v)| *v));
    let query = "lookout_service_up{service=\"web\"}";
    assert_eq!(value(prometheus.query(&client, query).await), Some(1.0));

    web.stop();
    lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    // Prometheus scrapes every second: wait (bounded) for a scrape after the change.
    let deadline = Instant::now() + Duration::from_secs(20);
    while value(prometheus.query(&client, query).await) != Some(0.0) {
        assert!(
            Instant::now() < deadline,
            "up never 0:\n{}",
            prometheus.diagnosis(&client).await
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let failed = "lookout_checks_total{service=\"web\",outcome=\"fail\"}";
    assert!(value(prometheus.query(&client, failed).await).is_some_and(|n| n >= 1.0));
}
