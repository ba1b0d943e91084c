//! The real dashboard in tmux, driven as a person would: keys in with `send-keys`, the
//! screen read back with `capture-pane`, against loopback servers switched off and on.

mod support;

use std::time::Duration;

use support::fleet::FastConfig;
use support::{Tmux, ToggleServer, require, write_config};

const PATIENCE: Duration = Duration::from_secs(15);

fn fleet_config(dir: &std::path::Path, alpha: &ToggleServer, beta: &ToggleServer) -> String {
    let path = FastConfig::new(dir, 300)
        .service("alpha", &alpha.url("/health"), "group = \"web\"")
        .service("beta", &beta.url("/health"), "group = \"db\"")
        .write();
    support::dashboard_command(&path)
}

/// The screen line that mentions `name`.
fn line_of<'a>(screen: &'a str, name: &str) -> &'a str {
    screen.lines().find(|l| l.contains(name)).unwrap_or("")
}

#[test]
fn cards_follow_a_service_going_down_and_coming_back() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let mut alpha = ToggleServer::start_new();
    let beta = ToggleServer::start_new();
    let tmux = Tmux::start("updown", 40, 12, &fleet_config(dir.path(), &alpha, &beta));

    tmux.wait_for("both services UP", PATIENCE, |s| {
        line_of(s, "alpha").contains("UP") && line_of(s, "beta").contains("UP")
    });
    alpha.stop();
    tmux.wait_for("alpha DOWN", PATIENCE, |s| {
        line_of(s, "alpha").contains("DOWN")
    });
    alpha.start();
    tmux.wait_for("alpha UP again", PATIENCE, |s| {
        line_of(s, "alpha").contains("UP")
    });

    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn keys_filter_detail_help_and_quit_restore_the_terminal() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alpha = ToggleServer::start_new();
    let mut beta = ToggleServer::start_new();
    beta.stop();
    let tmux = Tmux::start("keys", 100, 30, &fleet_config(dir.path(), &alpha, &beta));
    tmux.wait_for("beta DOWN with its reason", PATIENCE, |s| {
        s.contains("DOWN") && s.contains("connection refused")
    });

    // A live filter hides what does not match; Esc clears it.
    tmux.keys(&["/", "b", "e", "t"]);
    tmux.wait_for("only beta", PATIENCE, |s| {
        s.contains("beta") && !s.contains("alpha")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("both again", PATIENCE, |s| {
        s.contains("beta") && s.contains("alpha")
    });

    // Detail of the selected service shows its target; Esc returns.
    tmux.keys(&["Enter"]);
    let detail = tmux.wait_for("the detail view", PATIENCE, |s| s.contains("/health"));
    assert!(
        detail.contains("beta") || detail.contains("alpha"),
        "{detail}"
    );
    tmux.keys(&["Escape"]);

    // Pause shows PAUSED; resume takes it away.
    tmux.keys(&["p"]);
    tmux.wait_for("a paused service", PATIENCE, |s| s.contains("PAUSED"));
    tmux.keys(&["p"]);

    tmux.keys(&["?"]);
    tmux.wait_for("the help overlay", PATIENCE, |s| {
        s.contains("filter") && s.contains("pause")
    });
    tmux.keys(&["Escape"]);

    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
    // The alternate screen is gone: the pane shows the normal screen again, not cards.
    let after = tmux.screen();
    assert!(!tmux.alternate_screen(), "terminal not restored:\n{after}");
    assert!(
        !after.contains("connection refused"),
        "terminal not restored:\n{after}"
    );
}

#[test]
fn sighup_reloads_while_sigterm_and_sigint_restore_the_terminal() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let alpha = ToggleServer::start_new();
    let beta = ToggleServer::start_new();
    for stop in ["INT", "TERM"] {
        let dir = tempfile::tempdir().unwrap();
        let command = fleet_config(dir.path(), &alpha, &beta);
        let tmux = Tmux::start(&format!("sig{stop}"), 80, 24, &command);
        tmux.wait_for("the dashboard", PATIENCE, |s| s.contains("alpha"));
        let kill = |signal: &str| {
            let pid = tmux.pane_pid().to_string();
            let status = std::process::Command::new("kill")
                .args([format!("-{signal}"), pid])
                .status()
                .unwrap();
            assert!(status.success());
        };
        // SIGHUP reads the config again, as headless does; the dashboard stays.
        let config = dir.path().join("lookout.toml");
        let mut text = std::fs::read_to_string(&config).unwrap();
        text.push_str(&format!(
            "\n[[service]]\nname = \"gamma\"\nurl = \"{}\"\n",
            alpha.url("/gamma")
        ));
        std::fs::write(&config, text).unwrap();
        kill("HUP");
        tmux.wait_for("gamma after the reload", PATIENCE, |s| s.contains("gamma"));
        assert!(!tmux.exited(), "SIGHUP ended the dashboard");
        kill(stop);
        tmux.wait_for("the dashboard to exit", PATIENCE, |_| tmux.exited());
        let after = tmux.screen();
        assert!(
            !tmux.alternate_screen(),
            "SIG{stop}: not restored:\n{after}"
        );
        assert!(
            !after.contains("alpha"),
            "SIG{stop}: not restored:\n{after}"
        );
    }
}

#[test]
fn a_resize_is_followed_live_down_to_one_line_per_service() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alpha = ToggleServer::start_new();
    let beta = ToggleServer::start_new();
    let tmux = Tmux::start("resize", 160, 48, &fleet_config(dir.path(), &alpha, &beta));
    // Cards: the name sits in a bordered title.
    tmux.wait_for("cards", PATIENCE, |s| {
        s.contains("┌") && line_of(s, "alpha").contains("UP")
    });
    tmux.resize(40, 12);
    let small = tmux.wait_for("one line per service", PATIENCE, |s| {
        !s.contains("┌") && line_of(s, "beta").contains("UP")
    });
    assert!(small.lines().all(|l| l.chars().count() <= 40), "{small}");
    tmux.resize(100, 30);
    tmux.wait_for("cards again", PATIENCE, |s| s.contains("┌"));
    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn the_demo_shows_its_fleet_failing_and_passing() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let command = format!("exec {} demo", env!("CARGO_BIN_EXE_lookout"));
    let tmux = Tmux::start("demo", 160, 48, &command);
    // `reports` starts down on its script; the rest start healthy.
    let screen = tmux.wait_for("a DOWN service among UP ones", PATIENCE, |s| {
        line_of(s, "reports").contains("DOWN") && line_of(s, "storefront").contains("UP")
    });
    assert!(
        screen.contains("<demo>"),
        "the status bar names the demo:\n{screen}"
    );
    tmux.keys(&["q"]);
    tmux.wait_for("the demo to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn capital_r_reloads_the_config_and_a_bad_one_is_refused_on_screen() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let alpha = ToggleServer::start_new();
    let beta = ToggleServer::start_new();
    let tmux = Tmux::start("reload", 100, 24, &fleet_config(dir.path(), &alpha, &beta));
    tmux.wait_for("alpha UP", PATIENCE, |s| line_of(s, "alpha").contains("UP"));

    let path = dir.path().join("lookout.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let gamma = format!(
        "{text}\n[[service]]\nname = \"gamma\"\ngroup = \"web\"\nurl = \"{}\"\n",
        alpha.url("/gamma")
    );
    std::fs::write(&path, gamma).unwrap();
    tmux.keys(&["R"]);
    let screen = tmux.wait_for("gamma UP after the reload", PATIENCE, |s| {
        line_of(s, "gamma").contains("UP")
    });
    assert!(
        screen.contains("reloaded") && screen.contains("1 added"),
        "{screen}"
    );
    assert!(line_of(&screen, "alpha").contains("UP"), "{screen}");

    std::fs::write(&path, format!("{text}\n[defaults]\ntimeout = \"soon\"\n")).unwrap();
    tmux.keys(&["R"]);
    let screen = tmux.wait_for("the rejection", PATIENCE, |s| s.contains("config rejected"));
    assert!(
        line_of(&screen, "gamma").contains("UP"),
        "still running: {screen}"
    );

    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn the_machine_panel_toggles_opens_its_detail_and_follows_resizes() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[system]\ninterval = \"1s\"\n",
            dir.path().join("state").display()
        ),
    );
    let command = support::dashboard_command(&path);
    let tmux = Tmux::start("machine", 160, 48, &command);
    let rows = ["cpu", "load", "mem", "swap", "disk", "net"];
    let has_panel = |s: &str| s.contains(" cores ") && rows.iter().all(|row| s.contains(row));
    let screen = tmux.wait_for("the machine panel", PATIENCE, has_panel);
    assert!(screen.contains("up "), "uptime in the title: {screen}");

    tmux.keys(&["m"]);
    tmux.wait_for("the panel hidden", PATIENCE, |s| !s.contains(" cores "));
    tmux.keys(&["m"]);
    tmux.wait_for("the panel back", PATIENCE, has_panel);

    tmux.keys(&["M"]);
    tmux.wait_for("the machine detail", PATIENCE, |s| {
        s.contains("machine ") && s.contains("cpu %") && s.contains("memory %")
    });
    tmux.keys(&["Escape"]);
    tmux.wait_for("back on the dashboard", PATIENCE, |s| !s.contains("cpu %"));

    tmux.resize(80, 24);
    tmux.wait_for("the 80x24 strip", PATIENCE, |s| {
        s.lines().any(|line| line.starts_with("cpu ")) && s.contains("mem")
    });
    tmux.resize(40, 12);
    tmux.wait_for("one line at 40x12", PATIENCE, |s| {
        s.lines()
            .any(|line| line.contains("cpu") && line.contains("mem"))
    });

    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
}

#[test]
fn an_alert_appears_in_time_is_acknowledged_and_the_ack_survives_kill_9() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let payments = ToggleServer::start_new();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"300ms\"\n\
             timeout = \"250ms\"\ndegraded_after = \"200ms\"\nfailure_threshold = 1\n\n\
             [alerts]\nbell = false\n\n\
             [[service]]\nname = \"payments\"\nseverity = \"critical\"\nurl = \"{}\"\n",
            dir.path().join("state").display(),
            payments.url("/health")
        ),
    );
    let command = support::dashboard_command(&path);
    let firing_row = |s: &str| {
        s.lines()
            .any(|line| line.contains("firing") && line.contains("payments is DOWN"))
    };
    let tmux = Tmux::start("alert", 120, 30, &command);
    tmux.wait_for("payments UP", PATIENCE, |s| {
        line_of(s, "payments").contains("UP")
    });

    payments.set_status(503);
    let down = std::time::Instant::now();
    tmux.wait_for("the alert firing", PATIENCE, firing_row);
    // interval × failure_threshold + 1 s, and one screen poll of the test.
    let budget = Duration::from_millis(300 + 1000 + 100);
    assert!(down.elapsed() <= budget, "took {:?}", down.elapsed());

    tmux.keys(&["!"]);
    tmux.keys(&["a"]);
    let acked = |s: &str| {
        s.lines()
            .any(|line| line.contains("acked by") && line.contains("payments"))
    };
    tmux.wait_for("the alert acknowledged", PATIENCE, acked);

    // kill -9: no chance to save anything on the way out.
    let pid = tmux.pane_pid().to_string();
    let status = std::process::Command::new("kill")
        .args(["-9", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    tmux.wait_for("the dashboard killed", PATIENCE, |_| tmux.exited());

    let again = Tmux::start("alert-again", 120, 30, &command);
    again.wait_for("the ack after the restart", PATIENCE, acked);
    again.keys(&["q"]);
    again.wait_for("the dashboard to quit", PATIENCE, |_| again.exited());
}

/// `lookout --headless` started by hand in a terminal, its log lines going to files only,
/// says on the terminal that it runs and where the lines go; Ctrl-C stops it.
#[test]
fn a_headless_lookout_in_a_terminal_says_where_its_logs_go() {
    if !require("tmux", "a headless lookout in a terminal") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state");
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[[service]]\nname = \"web\"\n\
             url = \"http://127.0.0.1:9/\"\n",
            state.display()
        ),
    );
    let command = format!(
        "exec {} --headless --config {}",
        env!("CARGO_BIN_EXE_lookout"),
        path.display()
    );
    let tmux = Tmux::start("headless-terminal", 160, 10, &command);
    let logs = state.join("logs").display().to_string();
    tmux.wait_for("where the log lines go", PATIENCE, |s| {
        let joined = s.replace('\n', "");
        joined.contains("running headless") && joined.contains(&logs)
    });
    tmux.keys(&["C-c"]);
    let deadline = std::time::Instant::now() + PATIENCE;
    while !tmux.exited() {
        assert!(
            std::time::Instant::now() < deadline,
            "Ctrl-C did not stop it"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}
