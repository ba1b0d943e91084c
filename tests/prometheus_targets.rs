//! `targets = true` on the real binary against a real Prometheus (Debian's package) that
//! scrapes lookout itself and a port where nothing listens: the targets are found at run
//! time, become cards, and show Prometheus's health, last scrape
//! duration and last error.

mod support;

use std::time::Duration;

use support::headless::Headless;
use support::prometheus::{FIRST_SCRAPE, Prometheus, free_port};
use support::write_config;

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn scrape_targets_appear_as_cards_with_their_health() {
    if !support::require("prometheus", "lookout reads a real Prometheus's targets") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let (listen, closed) = (free_port(), free_port());
    let prometheus = Prometheus::start_jobs(
        dir.path(),
        &[
            ("lookout", ([127, 0, 0, 1], listen).into()),
            ("node", ([127, 0, 0, 1], closed).into()),
        ],
    );
    let text = format!(
        "[general]\nstate_dir = \"{state}\"\n\n[defaults]\nfailure_threshold = 1\n\n\
         [log]\nstdout = true\n\n[server]\nlisten = \"127.0.0.1:{listen}\"\n\n\
         [[prometheus]]\nname = \"local\"\nurl = \"http://127.0.0.1:{port}\"\n\
         interval = \"1s\"\ntimeout = \"900ms\"\ntargets = true\n",
        state = dir.path().join("state").display(),
        port = prometheus.port(),
    );
    let path = write_config(dir.path(), &text);
    let mut lookout = Headless::start(&path, &[]);

    let me = format!("lookout/127.0.0.1:{listen}");
    let node = format!("node/127.0.0.1:{closed}");
    // A Prometheus may list its targets over more than one look (one job's discovery
    // can run before the other's): the cards follow each change.
    let found = lookout.wait_for("both targets' cards", FIRST_SCRAPE, |line| {
        line["event"] == "targets_changed" && line["services"] == 2
    });
    let kept = found["kept"].as_u64().unwrap_or_default();
    let added = found["added"].as_str().unwrap_or_default();
    assert!(
        kept + added.split(',').filter(|name| !name.is_empty()).count() as u64 == 2,
        "{found}"
    );

    let mut states = std::collections::BTreeMap::new();
    while states.len() < 2 {
        let line = lookout.wait_event("service_state_changed", None, FIRST_SCRAPE);
        let name = line["service"].as_str().unwrap_or_default().to_string();
        if name == me || name == node {
            assert_eq!(line["group"], "local targets", "{line}");
            states.insert(name, line);
        }
    }
    let up = &states[&me];
    assert_eq!(up["to"], "UP", "{up}");
    let scrape = up["value"].as_f64().expect("the last scrape's duration");
    assert!(scrape > 0.0 && scrape < 1.0, "{up}");
    let down = &states[&node];
    assert_eq!(down["to"], "DOWN", "{down}");
    let reason = down["reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("scrape failed: ") && reason.contains("connection refused"),
        "Prometheus's last error: {down}"
    );

    // `lookout check` finds the targets once and checks each.
    let checked = std::process::Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["check", "--json", "--config", &path.display().to_string()])
        .output()
        .expect("run lookout check");
    let report: serde_json::Value =
        serde_json::from_slice(&checked.stdout).expect("the JSON report");
    let state_of = |name: &str| {
        report["services"]
            .as_array()
            .and_then(|all| all.iter().find(|s| s["name"] == name))
            .map(|s| s["state"].clone())
    };
    assert_eq!(state_of(&me), Some("UP".into()), "{report}");
    assert_eq!(state_of(&node), Some("DOWN".into()), "{report}");
    assert_eq!(checked.status.code(), Some(2), "something is down");

    drop(prometheus);
    let gone = lookout.wait_event("service_state_changed", Some(&me), LIMIT);
    assert_eq!(
        gone["to"], "UNKNOWN",
        "Prometheus gone says nothing of the target: {gone}"
    );
    assert!(
        gone["reason"]
            .as_str()
            .is_some_and(|r| r.starts_with("Prometheus: ")),
        "{gone}"
    );

    let unread = std::process::Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["check", "--config", &path.display().to_string()])
        .output()
        .expect("run lookout check");
    let stderr = String::from_utf8_lossy(&unread.stderr);
    assert!(
        stderr.contains("prometheus \"local\": scrape targets not read: connection refused"),
        "{stderr}"
    );
}
