//! One engine per state directory: a second headless lookout on a state directory
//! another one holds stops at once with exit 1, naming the holder, and touches nothing;
//! a dashboard attaches to the holder instead; the directory is free again once the
//! holder is gone, however it ended.

mod support;

use std::process::{Command, Stdio};
use std::time::Duration;

use support::headless::Headless;
use support::{Tmux, require, write_config};

const PATIENCE: Duration = Duration::from_secs(20);

fn config(dir: &std::path::Path) -> std::path::PathBuf {
    write_config(
        dir,
        &format!(
            r#"[general]
state_dir = "{state}"

[system]
enabled = false

[log]
stdout = true
"#,
            state = dir.join("state").display(),
        ),
    )
}

fn started(headless: &mut Headless) {
    headless.wait_for("started", PATIENCE, |line| line["event"] == "started");
}

#[test]
fn a_second_headless_engine_exits_at_once_naming_the_first() {
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let mut first = Headless::start(&config, &[]);
    started(&mut first);

    let second = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["--headless", "--config"])
        .arg(&config)
        .stdin(Stdio::null())
        .output()
        .expect("run a second lookout");
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "stderr: {stderr}");
    for part in [
        "is in use by another lookout",
        &format!("pid {}, headless", first.pid()),
        &format!("config {}", config.display()),
        &format!(
            "--unix-socket {}",
            dir.path().join("state/lookout.sock").display()
        ),
        "[general] state_dir",
    ] {
        assert!(stderr.contains(part), "{part:?} missing from: {stderr}");
    }
    assert!(
        second.stdout.is_empty(),
        "the second wrote log lines: {}",
        String::from_utf8_lossy(&second.stdout)
    );

    // Killed without a chance to clean up, the first lets go all the same.
    first.signal("KILL");
    assert!(
        first.wait_exit(PATIENCE).is_some(),
        "kill -9 did not stop it"
    );
    let mut third = Headless::start(&config, &[]);
    started(&mut third);
}

#[test]
fn a_dashboard_beside_a_headless_engine_attaches_to_it_rather_than_starting_a_second() {
    if !require("tmux", "dashboard beside a headless engine") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let mut headless = Headless::start(&config, &[]);
    started(&mut headless);
    let lock = dir.path().join("state").join("lookout.lock");
    let holder = std::fs::read_to_string(&lock).unwrap_or_default();

    let tmux = Tmux::start("lock", 120, 30, &support::dashboard_command(&config));
    let attached = format!("attached to pid {} (headless", headless.pid());
    tmux.wait_for("the dashboard attached", PATIENCE, |s| {
        s.contains(&attached)
    });
    assert_eq!(
        std::fs::read_to_string(&lock).unwrap_or_default(),
        holder,
        "the state directory changed hands"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
    assert!(
        headless.wait_exit(Duration::from_millis(500)).is_none(),
        "quitting the dashboard stopped the engine"
    );
}
