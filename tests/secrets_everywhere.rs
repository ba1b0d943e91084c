//! A secret planted in every place a config holds one (a service URL's password and its
//! header, the API token, a notifier's URL and header, an Alertmanager's password, the
//! job database's password) never shows in anything lookout writes: the headless log on
//! stdout and in its files, stderr, `/metrics` and the JSON API, `lookout check --json`,
//! `lookout jobs check`, and the dashboard with the service's detail open. Every part
//! is made to fail, so the URLs are in the messages that could leak them.

mod support;

use std::path::Path;
use std::time::Duration;

use support::headless::Headless;
use support::{Tmux, ToggleServer, closed_port, require, write_config};

const LIMIT: Duration = Duration::from_secs(20);

/// In every secret; nothing lookout writes may contain it.
const MARK: &str = "PLANTED";
const TOKEN: &str = "PLANTED-api-token-7c1d0e93b5a24f68";

fn config(dir: &Path, web: &ToggleServer) -> std::path::PathBuf {
    let closed = closed_port();
    let web_url = web
        .url("/health")
        .replace("http://", "http://ops:PLANTED-url-pass@");
    write_config(
        dir,
        &format!(
            "[general]\nstate_dir = \"{state}\"\n\n[defaults]\ninterval = \"300ms\"\n\
             timeout = \"250ms\"\ndegraded_after = \"200ms\"\nfailure_threshold = 1\n\n[log]\nstdout = true\n\n\
             [server]\nlisten = \"127.0.0.1:0\"\ntoken = \"{TOKEN}\"\n\n\
             [[service]]\nname = \"web\"\nurl = \"{web_url}\"\n\
             headers = {{ Authorization = \"Bearer PLANTED-header\" }}\n\n\
             [[notify]]\nname = \"hook\"\ntype = \"webhook\"\nmin_severity = \"low\"\n\
             url = \"http://hook:PLANTED-hook-pass@127.0.0.1:{closed}/x\"\n\
             headers = {{ X-Key = \"PLANTED-hook-header\" }}\nretries = 0\n\n\
             [[alertmanager]]\nname = \"am\"\nforward = true\npoll = \"1s\"\n\
             url = \"http://am:PLANTED-am-pass@127.0.0.1:{closed}\"\n\n\
             [jobs]\nenabled = true\ninterval = \"1s\"\nquery_timeout = \"500ms\"\n\
             database = \"postgres://lookout:PLANTED-db-pass@127.0.0.1:{closed}/queue\"\n",
            state = dir.join("state").display(),
        ),
    )
}

/// Everything `text` reveals of the mark, for the failure message.
fn leaks(what: &str, text: &str) -> Vec<String> {
    text.lines()
        .filter(|line| line.contains(MARK))
        .map(|line| format!("{what}: {line}"))
        .collect()
}

fn run(args: &[&str]) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(args)
        .output()
        .expect("run lookout");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn get(base: &str, path: &str) -> String {
    lookout::net::install_crypto_provider();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let answer = reqwest::Client::new()
            .get(format!("{base}{path}"))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("the API answers");
        answer.text().await.expect("a body")
    })
}

#[test]
fn no_secret_reaches_any_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    let web = ToggleServer::start_new();
    web.set_status(503);
    let path = config(dir.path(), &web);
    let mut outputs: Vec<(String, String)> = Vec::new();

    let mut lookout = Headless::start(&path, &[]);
    let listening = lookout.seen_or_wait("server_listening", None, LIMIT);
    let base = format!("http://{}", listening["address"].as_str().expect("address"));
    // Every part fails, each with its URL in reach of its message.
    for event in [
        "alert_firing",
        "notification_failed",
        "alertmanager_read_failed",
        "alertmanager_failed",
        "jobs_database_failed",
    ] {
        lookout.seen_or_wait(event, None, LIMIT);
    }
    for path in [
        "/metrics",
        "/api/v1/status",
        "/api/v1/alerts",
        "/api/v1/jobs",
    ] {
        outputs.push((path.to_string(), get(&base, path)));
    }
    lookout.signal("TERM");
    assert!(lookout.wait_exit(LIMIT).is_some_and(|s| s.success()));
    let stdout: Vec<String> = lookout.seen.iter().map(|v| v.to_string()).collect();
    let stdout = stdout.join("\n");
    assert!(
        stdout.contains("***"),
        "masked URLs are in the log:\n{stdout}"
    );
    outputs.push(("headless stdout".into(), stdout));
    outputs.push(("headless stderr".into(), lookout.stderr()));
    let logs = dir.path().join("state").join("logs");
    for entry in std::fs::read_dir(&logs).expect("the log directory") {
        let file = entry.expect("an entry").path();
        let text = std::fs::read_to_string(&file).expect("a log file");
        outputs.push((file.display().to_string(), text));
    }

    let config = path.display().to_string();
    outputs.push((
        "check --json".into(),
        run(&["check", "--json", "--config", &config]),
    ));
    outputs.push(("check".into(), run(&["check", "--config", &config])));
    outputs.push((
        "jobs check".into(),
        run(&["jobs", "check", "--config", &config]),
    ));
    outputs.push(("validate".into(), run(&["validate", "--config", &config])));

    if require("tmux", "the dashboard's screens") {
        let tmux = Tmux::start(
            "lookout-secrets",
            160,
            48,
            &format!("exec {} --config {config}", env!("CARGO_BIN_EXE_lookout")),
        );
        let card = tmux.wait_for("web DOWN", LIMIT, |s| {
            s.contains("web") && s.contains("DOWN")
        });
        outputs.push(("dashboard".into(), card));
        tmux.keys(&["Enter"]);
        let detail = tmux.wait_for("web's detail", LIMIT, |s| s.contains("127.0.0.1"));
        outputs.push(("detail".into(), detail));
        tmux.keys(&["Escape", "!", "Enter"]);
        outputs.push(("alert detail".into(), tmux.screen()));
        tmux.keys(&["q"]);
    }

    let found: Vec<String> = outputs
        .iter()
        .flat_map(|(what, text)| leaks(what, text))
        .collect();
    assert!(found.is_empty(), "secrets leaked:\n{}", found.join("\n"));
    let total: usize = outputs.iter().map(|(_, text)| text.len()).sum();
    assert!(total > 10_000, "the outputs hold something ({total} bytes)");
}
