//! One engine, many viewers, on the real binary in tmux: dashboards opened on a config
//! whose state directory a headless engine holds attach to it, share its alerts, say
//! when it is gone and come back by themselves when it restarts; quitting one leaves
//! the engine running. `lookout attach --url` does the same over TCP with the token.

mod support;

use std::time::{Duration, Instant};

use support::api::{self, TOKEN};
use support::fleet::FastConfig;
use support::{Tmux, ToggleServer, require};

const PATIENCE: Duration = Duration::from_secs(20);

/// The alert pane's row about `subject`.
fn alert_row<'a>(screen: &'a str, subject: &str) -> &'a str {
    (screen.lines())
        .find(|l| (l.contains("! firing") || l.contains("✓ acked")) && l.contains(subject))
        .unwrap_or("")
}

/// A headless engine with its API, checking one healthy service, `shop`.
struct ShopEngine {
    engine: support::headless::Headless,
    base: String,
    path: std::path::PathBuf,
    _shop: ToggleServer,
    _dir: tempfile::TempDir,
}

impl ShopEngine {
    fn start() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let shop = ToggleServer::start_new();
        let path = FastConfig::new(dir.path(), 300)
            .headless_api()
            .service("shop", &shop.url("/health"), "")
            .write();
        let (engine, base) = api::start(&path);
        Self {
            engine,
            base,
            path,
            _shop: shop,
            _dir: dir,
        }
    }
}

#[test]
fn two_dashboards_share_the_headless_engine_and_outlive_its_restart() {
    if !require("tmux", "end-to-end attach test") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let shop = ToggleServer::start_new();
    let mut db = ToggleServer::start_new();
    db.stop();
    let path = FastConfig::new(dir.path(), 300)
        .headless_api()
        .service("shop", &shop.url("/health"), "")
        .service("db", &db.url("/health"), "")
        .write();
    let (engine, base) = api::start(&path);
    let attached = format!("attached to pid {}", engine.pid());
    let one = Tmux::start("attach-one", 120, 30, &support::dashboard_command(&path));
    let two = Tmux::start("attach-two", 100, 30, &support::dashboard_command(&path));
    for viewer in [&one, &two] {
        viewer.wait_for("attached, db's alert firing", PATIENCE, |s| {
            s.contains(&attached) && alert_row(s, "db").contains("firing")
        });
    }

    // An ack on one viewer is the engine's: the other viewer and the API see it.
    one.keys(&["!"]);
    one.wait_for("the pane focused", PATIENCE, |s| s.contains("▸ alerts"));
    one.keys(&["a"]);
    one.wait_for("the ack done", PATIENCE, |s| {
        s.contains("acknowledging service_down/db") && s.contains(": done")
    });
    let done = Instant::now();
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let client = api::client();
    let alert = runtime.block_on(api::alert_about(&client, &base, "db"));
    assert_eq!(alert["state"], "acked", "the API: {alert}");
    two.wait_for("the ack on the other viewer", PATIENCE, |s| {
        alert_row(s, "db").contains("acked")
    });
    eprintln!(
        "the ack reached the other viewer {:?} after it was done",
        done.elapsed()
    );

    // The engine is killed: both viewers say so, keeping the last picture.
    engine.signal("KILL");
    drop(engine);
    for viewer in [&one, &two] {
        viewer.wait_for("reconnecting", PATIENCE, |s| {
            s.contains("reconnecting") && s.contains("db")
        });
    }
    // It comes back (the ack kept in its state directory); both viewers follow.
    let (engine, base) = api::start(&path);
    let attached = format!("attached to pid {}", engine.pid());
    for viewer in [&one, &two] {
        viewer.wait_for(
            "attached to the new engine, db still acked",
            PATIENCE,
            |s| {
                s.contains(&attached)
                    && !s.contains("reconnecting")
                    && alert_row(s, "db").contains("acked")
            },
        );
    }

    // `q` on a viewer quits the viewer only.
    one.keys(&["q"]);
    one.wait_for("the first viewer to quit", PATIENCE, |_| one.exited());
    let alert = runtime.block_on(api::alert_about(&client, &base, "db"));
    assert_eq!(alert["state"], "acked", "the engine still answers: {alert}");
    // The other viewer still follows it: a check made now shows there.
    two.keys(&["r"]);
    two.wait_for("still attached", PATIENCE, |s| s.contains(&attached));
    two.keys(&["q"]);
    two.wait_for("the second viewer to quit", PATIENCE, |_| two.exited());
    drop(engine);
}

#[test]
fn attach_over_tcp_needs_the_right_token_and_then_shows_the_engine() {
    if !require("tmux", "end-to-end attach test") {
        return;
    }
    let shop = ShopEngine::start();
    let (engine, base) = (&shop.engine, &shop.base);
    let bin = env!("CARGO_BIN_EXE_lookout");

    let wrong = std::process::Command::new(bin)
        .args(["attach", "--url", base, "--token", "not-the-token"])
        .env_remove("LOOKOUT_TOKEN")
        .output()
        .expect("run lookout attach");
    let said = String::from_utf8_lossy(&wrong.stderr);
    assert_eq!(wrong.status.code(), Some(1), "{said}");
    assert!(
        said.contains("cannot attach") && said.contains("401") && !said.contains("not-the-token"),
        "the refusal is said, the token is not: {said}"
    );
    let none = std::process::Command::new(bin)
        .args(["attach", "--url", base])
        .env_remove("LOOKOUT_TOKEN")
        .output()
        .expect("run lookout attach");
    assert_eq!(none.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&none.stderr).contains("LOOKOUT_TOKEN"));

    let command = format!("LOOKOUT_TOKEN={TOKEN} exec {bin} attach --url {base}");
    let viewer = Tmux::start("attach-tcp", 80, 24, &command);
    let attached = format!("attached to pid {}", engine.pid());
    viewer.wait_for("attached over TCP, shop UP", PATIENCE, |s| {
        s.contains(&attached) && s.contains("shop") && s.contains("UP 1")
    });
    // A key that writes goes through with the token: pause shop.
    viewer.keys(&["p"]);
    viewer.wait_for("shop PAUSED", PATIENCE, |s| s.contains("PAUSED 1"));
    viewer.keys(&["q"]);
    viewer.wait_for("the viewer to quit", PATIENCE, |_| viewer.exited());
}

#[test]
fn a_dashboard_running_the_engine_says_who_follows_it_and_asks_before_quitting() {
    if !require("tmux", "end-to-end attach test") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let shop = ToggleServer::start_new();
    let path = FastConfig::new(dir.path(), 300)
        .service("shop", &shop.url("/health"), "")
        .write();
    let engine = Tmux::start("attach-engine", 120, 30, &support::dashboard_command(&path));
    engine.wait_for("the engine's dashboard", PATIENCE, |s| s.contains("UP 1"));
    let viewer = Tmux::start("attach-viewer", 100, 30, &support::dashboard_command(&path));
    let pid = engine.pane_pid();
    viewer.wait_for("attached to the dashboard's engine", PATIENCE, |s| {
        s.contains(&format!("attached to pid {pid} (dashboard"))
    });
    engine.wait_for("the engine's screen counts it", PATIENCE, |s| {
        s.contains("1 screen attached here")
    });
    // `q` warns once: the viewer would lose its engine.
    engine.keys(&["q"]);
    engine.wait_for("the warning", PATIENCE, |s| s.contains("q again to quit"));
    assert!(!engine.exited(), "one q stopped an engine others follow");
    engine.keys(&["q"]);
    engine.wait_for("the engine's dashboard to quit", PATIENCE, |_| {
        engine.exited()
    });
    viewer.wait_for("the viewer says the engine is gone", PATIENCE, |s| {
        s.contains("reconnecting")
    });
    viewer.keys(&["q"]);
    viewer.wait_for("the viewer quits at once", PATIENCE, |_| viewer.exited());
}

#[test]
fn a_frozen_engine_is_not_taken_for_a_live_one() {
    if !require("tmux", "end-to-end attach test") {
        return;
    }
    let shop = ShopEngine::start();
    let (engine, path) = (&shop.engine, &shop.path);
    let attached = format!("attached to pid {}", engine.pid());
    let viewer = Tmux::start("attach-frozen", 120, 30, &support::dashboard_command(path));
    viewer.wait_for("attached", PATIENCE, |s| s.contains(&attached));
    // Stopped, not dead: its socket still accepts, but nothing comes.
    engine.signal("STOP");
    viewer.wait_for("reconnecting, within the quiet limit", PATIENCE, |s| {
        s.contains("reconnecting") && !s.contains(&attached)
    });
    engine.signal("CONT");
    viewer.wait_for("attached again once it runs", PATIENCE, |s| {
        s.contains(&attached) && !s.contains("reconnecting")
    });
    viewer.keys(&["q"]);
    viewer.wait_for("the viewer to quit", PATIENCE, |_| viewer.exited());
}
