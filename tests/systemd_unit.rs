//! `assets/lookout.service`: systemd accepts it without a warning, and the command line it
//! starts runs the real binary headless and stops cleanly on its kill signal.

mod support;

use std::path::Path;
use std::process::Command;
use std::time::Duration;

use support::headless::Headless;
use support::write_config;

const UNIT: &str = include_str!("../assets/lookout.service");

fn setting<'u>(key: &str) -> &'u str {
    UNIT.lines()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
        .unwrap_or_else(|| panic!("the unit sets {key}"))
}

#[test]
fn systemd_verifies_the_unit_without_a_warning() {
    if !support::require("systemd-analyze", "verifies the shipped systemd unit") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // verify wants ExecStart's program to exist: point it at the binary under test.
    let unit = UNIT.replace("/usr/local/bin/lookout", env!("CARGO_BIN_EXE_lookout"));
    let path = dir.path().join("lookout.service");
    std::fs::write(&path, unit).unwrap();
    let out = Command::new("systemd-analyze")
        .args(["verify", path.to_str().unwrap()])
        .output()
        .expect("run systemd-analyze");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let ours: Vec<&str> = stderr
        .lines()
        .filter(|line| line.contains("lookout.service"))
        .collect();
    assert!(ours.is_empty(), "systemd complains:\n{}", ours.join("\n"));
}

#[test]
fn the_units_command_runs_headless_and_stops_on_its_kill_signal() {
    let exec = setting("ExecStart");
    let mut words = exec.split_whitespace();
    assert_eq!(words.next(), Some("/usr/local/bin/lookout"));
    let args: Vec<&str> = words.collect();
    assert_eq!(args, ["--headless", "--config", "/etc/lookout/config.toml"]);
    assert_eq!(setting("KillSignal"), "SIGTERM");
    assert_eq!(setting("ExecReload"), "/bin/kill -HUP $MAINPID");
    assert_eq!(setting("RestartPreventExitStatus"), "2");

    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let config = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n[log]\nstdout = true\n",
            state.display()
        ),
    );
    let args: Vec<String> = args
        .iter()
        .map(|arg| match *arg {
            "/etc/lookout/config.toml" => config.display().to_string(),
            other => other.to_string(),
        })
        .collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut lookout = Headless::spawn(&args, &[]);
    lookout.wait_event("started", None, Duration::from_secs(10));
    lookout.signal("HUP");
    lookout.wait_event("config_reloaded", None, Duration::from_secs(10));
    lookout.signal("TERM");
    let status = lookout
        .wait_exit(Duration::from_secs(2))
        .expect("stops within 2 s");
    assert_eq!(status.code(), Some(0));
    assert!(Path::new(&state).join("logs").is_dir());
}
