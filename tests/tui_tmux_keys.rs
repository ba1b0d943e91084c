//! `[keys]` on the real dashboard in tmux: remapped keys act, the old ones do not, the
//! help shows the keys in use, and Ctrl-C quits whatever the map says.

mod support;

use std::time::Duration;

use support::{Tmux, ToggleServer, require, write_config};

const PATIENCE: Duration = Duration::from_secs(15);

/// The screen line with alpha's card title (the status bar counts PAUSED too).
fn alpha_card(screen: &str) -> &str {
    screen.lines().find(|l| l.contains("alpha")).unwrap_or("")
}

#[test]
fn remapped_keys_pause_open_help_and_quit() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alpha = ToggleServer::start_new();
    let path = write_config(
        dir.path(),
        &format!(
            r#"[general]
state_dir = "{state}"

[defaults]
interval = "300ms"
timeout = "250ms"
degraded_after = "200ms"

[[service]]
name = "alpha"
url = "{alpha}"

[keys]
pause = "x"
help = "f1"
quit = "ctrl-q"
back = "backspace"
"#,
            state = dir.path().join("state").display(),
            alpha = alpha.url("/health"),
        ),
    );
    let command = support::dashboard_command(&path);
    let tmux = Tmux::start("remap", 100, 30, &command);
    tmux.wait_for("alpha UP", PATIENCE, |s| alpha_card(s).contains("UP"));

    // `q` no longer quits and `p` no longer pauses: `x` pauses, and the dashboard that
    // shows it is the one `q` left running.
    tmux.keys(&["q", "p", "x"]);
    tmux.wait_for("alpha PAUSED by x", PATIENCE, |s| {
        alpha_card(s).contains("PAUSED")
    });
    assert!(!tmux.exited(), "q quit despite [keys]");
    tmux.keys(&["x"]);
    tmux.wait_for("alpha resumed", PATIENCE, |s| {
        !alpha_card(s).contains("PAUSED")
    });

    // F1 opens the help, which names the keys in use; Backspace (back) closes it.
    tmux.keys(&["F1"]);
    // Its bottom border is drawn last: once it shows, the whole box is there.
    let help = tmux.wait_for("the help", PATIENCE, |s| s.contains("Esc or F1 closes"));
    let line = |what: &str| {
        help.lines()
            .find(|l| l.contains(what))
            .unwrap_or_default()
            .to_string()
    };
    assert!(line("pause / resume").contains(" x "), "{help}");
    assert!(line("this help").contains("F1"), "{help}");
    assert!(line("quit").contains("Ctrl-Q Ctrl-C"), "{help}");
    tmux.keys(&["BSpace"]);
    tmux.wait_for("the help closed", PATIENCE, |s| !s.contains("this help"));

    tmux.keys(&["C-q"]);
    tmux.wait_for("the dashboard to quit on Ctrl-Q", PATIENCE, |_| {
        tmux.exited()
    });
    assert!(!tmux.alternate_screen(), "terminal not restored");
}

#[test]
fn ctrl_c_quits_whatever_the_keys_say() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[keys]\nquit = []\n",
            dir.path().join("state").display()
        ),
    );
    let command = support::dashboard_command(&path);
    let tmux = Tmux::start("ctrlc", 80, 24, &command);
    tmux.wait_for("the dashboard", PATIENCE, |s| s.contains("no services"));
    tmux.keys(&["C-c"]);
    tmux.wait_for("the dashboard to quit on Ctrl-C", PATIENCE, |_| {
        tmux.exited()
    });
    assert!(!tmux.alternate_screen(), "terminal not restored");
}
