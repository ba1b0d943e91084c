//! Selection by identity on the real dashboard in tmux: the alert cursor stays on the
//! alert chosen while a more severe one sorts above it, and a key acts on what is shown
//! selected after a filter comes and goes.

mod support;

use std::time::Duration;

use support::fleet::FastConfig;
use support::{Tmux, ToggleServer, require};

const PATIENCE: Duration = Duration::from_secs(20);

/// The screen line that has `needle` in it.
fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen.lines().find(|l| l.contains(needle)).unwrap_or("")
}

/// The alert pane's rows: each has a state mark and word ("! firing", "✓ acked").
fn alert_rows(screen: &str) -> Vec<&str> {
    screen
        .lines()
        .filter(|l| l.contains("! firing") || l.contains("✓ acked"))
        .collect()
}

/// The alert pane's row about `subject`.
fn alert_row<'a>(screen: &'a str, subject: &str) -> &'a str {
    alert_rows(screen)
        .into_iter()
        .find(|l| l.contains(subject))
        .unwrap_or("")
}

#[test]
fn the_alert_cursor_stays_on_a_low_alert_when_a_critical_one_sorts_above_it() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut minor = ToggleServer::start_new();
    let mut major = ToggleServer::start_new();
    minor.stop();
    let path = FastConfig::new(dir.path(), 300)
        .service("minor", &minor.url("/health"), "severity = \"low\"")
        .service("major", &major.url("/health"), "severity = \"critical\"")
        .write();
    let tmux = Tmux::start("select-alert", 120, 30, &support::dashboard_command(&path));
    tmux.wait_for("minor's alert firing", PATIENCE, |s| {
        alert_row(s, "minor").contains("firing")
    });
    // Into the pane: the cursor is on minor's alert, the only one.
    tmux.keys(&["!"]);
    tmux.wait_for("the pane focused", PATIENCE, |s| s.contains("▸ alerts"));
    major.stop();
    tmux.wait_for("major's critical alert above minor's", PATIENCE, |s| {
        let rows = alert_rows(s);
        rows.len() == 2 && rows[0].contains("major") && rows[1].contains("minor")
    });
    tmux.keys(&["a"]);
    let screen = tmux.wait_for("minor acked", PATIENCE, |s| {
        alert_row(s, "minor").contains("acked")
    });
    assert!(
        alert_row(&screen, "major").contains("firing"),
        "the critical alert was acked in its place:\n{screen}"
    );
    assert!(
        screen.contains("acknowledging service_down/minor") && screen.contains(": done"),
        "the status bar says what was done:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn after_a_filter_is_cleared_p_pauses_the_service_shown_selected() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alpha = ToggleServer::start_new();
    let beta = ToggleServer::start_new();
    let path = FastConfig::new(dir.path(), 300)
        .service("alpha", &alpha.url("/health"), "")
        .service("beta", &beta.url("/health"), "")
        .write();
    let tmux = Tmux::start("select-card", 100, 30, &support::dashboard_command(&path));
    tmux.wait_for("both UP", PATIENCE, |s| {
        line_with(s, "alpha").contains("UP") && line_with(s, "beta").contains("UP")
    });
    // beta selected; a filter hides it, so alpha is the card shown selected.
    tmux.keys(&["l"]);
    tmux.keys(&["/", "a", "l", "p", "Enter"]);
    tmux.wait_for("only alpha", PATIENCE, |s| {
        s.contains("alpha") && !s.contains("beta")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("both again", PATIENCE, |s| {
        s.contains("alpha") && s.contains("beta")
    });
    tmux.keys(&["p"]);
    let screen = tmux.wait_for("alpha PAUSED", PATIENCE, |s| {
        line_with(s, "alpha").contains("PAUSED")
    });
    assert!(
        line_with(&screen, "beta").contains("UP"),
        "beta was paused:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}
