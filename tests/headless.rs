//! The real binary headless against loopback services: JSON lines for state changes, the
//! same lines in the rolling file, SIGTERM, SIGHUP reloads (good and bad), a watched
//! config file, and the note when stdout is not a terminal.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::headless::Headless;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);

fn service(name: &str, url: &str) -> String {
    format!("[[service]]\nname = \"{name}\"\nurl = \"{url}\"\n\n")
}

/// Fast checks, one failure makes DOWN, logs in `dir/logs` and on stdout.
fn config(dir: &Path, general: &str, services: &[String]) -> String {
    format!(
        "[general]\nstate_dir = \"{}\"\n{general}\n\n[defaults]\ninterval = \"200ms\"\n\
         timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n\
         [log]\nstdout = true\n\n{}",
        dir.join("state").display(),
        services.concat()
    )
}

fn log_files(dir: &Path) -> Vec<Value> {
    let logs = dir.join("state/logs");
    let mut lines = Vec::new();
    for entry in std::fs::read_dir(&logs).expect("log dir exists") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.starts_with("lookout.") && name.ends_with(".log"),
            "{name}"
        );
        for line in std::fs::read_to_string(&path).unwrap().lines() {
            lines.push(serde_json::from_str(line).expect("JSON line in the file"));
        }
    }
    lines
}

#[test]
fn state_changes_are_logged_and_sigterm_stops_cleanly() {
    let mut web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(dir.path(), "", &[service("web", &web.url("/"))]),
    );
    let mut lookout = Headless::start(&path, &[]);

    let started = lookout.wait_event("started", None, LIMIT);
    assert_eq!(started["mode"], "headless");
    assert_eq!(started["services"], 1);
    let up = lookout.seen_or_wait("service_state_changed", Some("web"), LIMIT);
    assert_eq!(
        (up["from"].as_str(), up["to"].as_str()),
        (Some("UNKNOWN"), Some("UP"))
    );
    assert_eq!(up["level"], "info");

    web.stop();
    let down = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(
        (down["from"].as_str(), down["to"].as_str()),
        (Some("UP"), Some("DOWN"))
    );
    assert_eq!(down["level"], "warn");
    assert!(
        down["reason"]
            .as_str()
            .is_some_and(|r| r.contains("refused")),
        "{down}"
    );
    assert!(down["check_id"].as_u64().is_some(), "{down}");

    web.start();
    let back = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(back["to"], "UP");
    assert!(back["check_id"].as_u64() > down["check_id"].as_u64());

    lookout.signal("TERM");
    let status = lookout
        .wait_exit(Duration::from_secs(2))
        .expect("exits within 2 s");
    assert_eq!(status.code(), Some(0));
    let last = lookout.seen.last().cloned().unwrap();
    assert_eq!(last["event"], "shutdown", "{last}");
    assert_eq!(last["reason"], "SIGTERM");
    assert_eq!(last["clean"], true);

    // Every line on stdout is in the file too, in the same order: nothing is dropped.
    for line in &lookout.seen {
        for key in ["ts", "level", "event"] {
            assert!(line.get(key).is_some(), "{key} missing: {line}");
        }
        assert!(
            humantime::parse_rfc3339(line["ts"].as_str().unwrap()).is_ok(),
            "{line}"
        );
    }
    assert_eq!(log_files(dir.path()), lookout.seen);
}

#[test]
fn sighup_reloads_a_good_config_and_rejects_a_bad_one() {
    let mut web = ToggleServer::start_new();
    let api = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(dir.path(), "", &[service("web", &web.url("/"))]),
    );
    let mut lookout = Headless::start(&path, &[]);
    lookout.wait_event("service_state_changed", Some("web"), LIMIT);

    write_config(
        dir.path(),
        &config(
            dir.path(),
            "",
            &[service("web", &web.url("/")), service("api", &api.url("/"))],
        ),
    );
    lookout.signal("HUP");
    let reloaded = lookout.wait_event("config_reloaded", None, LIMIT);
    assert_eq!(reloaded["trigger"], "SIGHUP");
    assert_eq!(reloaded["added"], "api");
    assert_eq!(reloaded["kept"], 1);
    assert_eq!(reloaded["services"], 2);
    let api_up = lookout.wait_event("service_state_changed", Some("api"), LIMIT);
    assert_eq!(api_up["to"], "UP");

    std::fs::write(&path, "[general]\nhistory = \"soon\"\n").unwrap();
    lookout.signal("HUP");
    let rejected = lookout.wait_event("config_rejected", None, LIMIT);
    assert_eq!(rejected["level"], "error");
    let errors = rejected["errors"].as_str().unwrap();
    assert!(errors.contains("lookout.toml:2:11"), "{errors}");
    assert!(errors.contains("\"soon\""), "{errors}");

    // The old config keeps running: `web` still has its history (no UNKNOWN) and its checks.
    web.stop();
    let down = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(
        (down["from"].as_str(), down["to"].as_str()),
        (Some("UP"), Some("DOWN"))
    );
    lookout.signal("INT");
    let status = lookout
        .wait_exit(Duration::from_secs(2))
        .expect("exits on SIGINT");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn a_watched_config_reloads_when_the_file_changes() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let text = |names: &[&str]| {
        let services: Vec<String> = names.iter().map(|n| service(n, &web.url("/"))).collect();
        config(dir.path(), "watch = true", &services)
    };
    let path = write_config(dir.path(), &text(&["one"]));
    let mut lookout = Headless::start(&path, &[]);
    lookout.wait_event("service_state_changed", Some("one"), LIMIT);
    write_config(dir.path(), &text(&["one", "two"]));
    let reloaded = lookout.wait_event("config_reloaded", None, LIMIT);
    assert_eq!(reloaded["trigger"], "file changed");
    assert_eq!(reloaded["added"], "two");
}

#[test]
fn without_a_terminal_it_says_so_and_runs_headless() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &config(dir.path(), "", &[]));
    let mut lookout = Headless::spawn(&["--config", &path.display().to_string()], &[]);
    lookout.wait_event("started", None, LIMIT);
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    let stderr = lookout.stderr();
    assert!(
        stderr.contains("stdout is not a terminal, so running headless"),
        "{stderr}"
    );
}

#[test]
fn a_bad_log_filter_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &config(dir.path(), "", &[]));
    let mut lookout = Headless::start(&path, &[("LOOKOUT_LOG", "lookout=loud")]);
    let status = lookout.wait_exit(LIMIT).expect("exits");
    assert_eq!(status.code(), Some(2));
    let stderr = lookout.stderr();
    assert!(stderr.contains("`lookout=loud`"), "{stderr}");
    assert!(stderr.contains("LOOKOUT_LOG"), "{stderr}");
}

#[test]
fn debug_lines_tie_each_check_to_the_state_change_it_caused() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(dir.path(), "", &[service("web", &web.url("/"))]),
    );
    let mut lookout = Headless::start(&path, &[("LOOKOUT_LOG", "lookout=debug")]);
    let up = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    let check = lookout
        .seen
        .iter()
        .find(|line| line["event"] == "check_completed" && line["check_id"] == up["check_id"])
        .cloned()
        .expect("the check that moved the service is logged before the change");
    assert_eq!(check["service"], "web");
    assert_eq!(check["passed"], true);
    assert_eq!(check["status"], 200);
    assert_eq!(check["level"], "debug");
}

#[test]
fn the_demo_headless_prints_its_lines_and_leaves_no_state_behind() {
    let mut lookout = Headless::spawn(&["demo", "--headless"], &[]);
    let started = lookout.wait_event("started", None, LIMIT);
    assert_eq!(started["config"], "<demo>");
    let log_dir = std::path::PathBuf::from(started["log_dir"].as_str().expect("log_dir"));
    let state_dir = log_dir.parent().expect("state dir").to_path_buf();
    lookout.wait_event("service_state_changed", None, LIMIT);
    assert!(
        state_dir.join("lookout.db").is_file(),
        "alert store in {state_dir:?}"
    );
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    assert!(!state_dir.exists(), "{state_dir:?} left behind");
}
