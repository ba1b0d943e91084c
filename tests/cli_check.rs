//! The real binary's `check` and `validate` against loopback servers and config files.

mod support;

use std::process::{Command, Output};
use std::time::Duration;

use support::{ToggleServer, closed_port, write_config};

fn lookout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(args)
        .env_remove("NO_COLOR")
        .output()
        .expect("run lookout")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn service(name: &str, target: &str) -> String {
    format!("[[service]]\nname = \"{name}\"\n{target}\n\n")
}

fn config(services: &[String]) -> String {
    format!(
        "[defaults]\ntimeout = \"2s\"\ndegraded_after = \"300ms\"\n\n{}",
        services.concat()
    )
}

#[test]
fn check_exits_0_when_everything_is_up() {
    let up = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(&[
            service("web", &format!("url = \"{}\"", up.url("/health"))),
            service("port", &format!("tcp = \"127.0.0.1:{}\"", up.port)),
        ]),
    );
    let out = lookout(&["check", "--config", path.to_str().unwrap()]);
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("SERVICE"), "{stdout}");
    assert!(stdout.contains("2 checked: 2 UP"), "{stdout}");
}

#[test]
fn check_exits_1_when_something_is_slow() {
    let slow = ToggleServer::start_new();
    slow.set_delay(Duration::from_millis(600));
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(&[service("slow", &format!("url = \"{}\"", slow.url("/")))]),
    );
    let out = lookout(&["check", "--config", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("DEGRADED"));
}

#[test]
fn check_json_reports_down_services_and_exits_2() {
    let up = ToggleServer::start_new();
    let failing = ToggleServer::start_new();
    failing.set_status(503);
    let refused = closed_port();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &config(&[
            service("up", &format!("url = \"{}\"", up.url("/"))),
            service("failing", &format!("url = \"{}\"", failing.url("/"))),
            service("refused", &format!("tcp = \"127.0.0.1:{refused}\"")),
        ]),
    );
    let out = lookout(&["check", "--json", "--config", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["summary"]["up"], 1);
    assert_eq!(json["summary"]["down"], 2);
    let services = json["services"].as_array().expect("services");
    let by_name = |name: &str| {
        services
            .iter()
            .find(|s| s["name"] == name)
            .unwrap_or_else(|| panic!("{name} in {json}"))
    };
    assert_eq!(by_name("up")["state"], "UP");
    assert_eq!(by_name("failing")["state"], "DOWN");
    assert_eq!(by_name("failing")["status"], 503);
    assert!(
        by_name("failing")["reason"]
            .as_str()
            .unwrap()
            .contains("503"),
        "{json}"
    );
    assert_eq!(by_name("refused")["reason"], "connection refused");
}

#[test]
fn validate_accepts_the_example_config() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/config.example.toml");
    let out = lookout(&["validate", "--config", example]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("valid"));
}

#[test]
fn validate_reports_every_problem_with_its_place_and_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        "[defaults]\ntimeout = \"5 parsecs\"\n\n[[service]]\nname = \"a\"\nurl = \"http://127.0.0.1/\"\nintervall = \"10s\"\n",
    );
    let out = lookout(&["validate", "--config", path.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("lookout.toml:2:11"), "{stderr}");
    assert!(stderr.contains("5 parsecs"), "{stderr}");
    assert!(stderr.contains("lookout.toml:7:1"), "{stderr}");
    assert!(stderr.contains("interval"), "{stderr}");
}

#[test]
fn an_explicit_config_that_cannot_be_read_is_an_error() {
    for command in [&["validate"][..], &["check"][..], &[][..]] {
        let mut args = command.to_vec();
        args.extend(["--config", "/nonexistent/lookout.toml"]);
        let out = lookout(&args);
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(
            text(&out.stderr).contains("/nonexistent/lookout.toml"),
            "{args:?}"
        );
    }
}

#[test]
fn bad_usage_exits_2() {
    let out = lookout(&["check", "--no-such-flag"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_port_that_cannot_be_bound_is_one_line_on_stderr_and_exit_1() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n[server]\nlisten = \"127.0.0.1:{port}\"\n",
            dir.path().join("state").display()
        ),
    );
    let out = lookout(&["--headless", "--config", path.to_str().unwrap()]);
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("cannot start the local API"), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(
        !stderr.contains("BACKTRACE"),
        "an operational error, not a crash: {stderr}"
    );
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
}
