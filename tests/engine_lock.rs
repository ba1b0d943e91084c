//! One engine per state directory: a second lookout (headless or dashboard) on a state
//! directory another one holds stops at once with exit 1, naming the holder, and
//! touches nothing; the directory is free again once the holder is gone, however it
//! ended.

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
fn a_dashboard_beside_a_headless_engine_says_so_before_taking_the_terminal() {
    if !require("tmux", "dashboard beside a headless engine") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let config = config(dir.path());
    let mut headless = Headless::start(&config, &[]);
    started(&mut headless);

    // What the dashboard says goes to a file too: the pane is for seeing that the
    // terminal was never taken.
    let said = dir.path().join("stderr.txt");
    let command = format!(
        "{} --config {} 2> {said}; status=$?; cat {said}; echo exit status $status",
        env!("CARGO_BIN_EXE_lookout"),
        config.display(),
        said = said.display()
    );
    let tmux = Tmux::start("lock", 120, 30, &format!("bash -c '{command}'"));
    tmux.wait_for("the dashboard to exit", PATIENCE, |_| tmux.exited());
    let screen = tmux.screen();
    assert!(screen.contains("exit status 1"), "{screen}");
    assert!(
        !tmux.alternate_screen(),
        "the terminal was taken:\n{screen}"
    );
    let stderr = std::fs::read_to_string(&said).expect("stderr was kept");
    assert!(
        stderr.contains(&format!("pid {}, headless", headless.pid())),
        "{stderr}"
    );
}
