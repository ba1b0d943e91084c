//! The core as services come and go: scrape targets followed without a reload, a command
//! behind a reload that renumbers services, and pauses kept across restarts (the harness
//! is the core tests').

use std::sync::Arc;

use super::tests::{config_text, start, state_of, write};
use crate::contract::ServiceState;
use crate::event::{Command, Event};
use crate::sources::prometheus::discovery::{self, TargetSets};
use crate::test_support::{check, pass};
use crate::view::snapshot::Snapshot;

fn found(names: &[&str]) -> Arc<TargetSets> {
    let targets = (names.iter())
        .map(|name| discovery::FoundTarget {
            scrape_pool: "node".into(),
            scrape_url: format!("http://{name}/metrics"),
            name: (*name).into(),
        })
        .collect();
    Arc::new(TargetSets::from([("ops".to_string(), targets)]))
}

fn names(snapshot: &Snapshot) -> Vec<&str> {
    (snapshot.services.iter())
        .map(|s| s.config.name.as_str())
        .collect()
}

/// Scrape targets come and go at run time: their cards follow from the config in use,
/// without reading the file again (a half-edited one is not picked up) and without
/// stopping the other checks; a target that stays keeps what it had.
#[tokio::test]
async fn found_targets_become_cards_without_reading_the_config_again() {
    let prometheus =
        "[[prometheus]]\nname = \"ops\"\nurl = \"http://127.0.0.1:9/\"\ntargets = true\n";
    let mut h = start(&(config_text(&["a"], "") + prometheus)).await;
    h.found.send_replace(found(&["node/1", "node/2"]));
    let snapshot = (h.view.wait_for(|s| s.services.len() == 3).await)
        .unwrap()
        .clone();
    assert_eq!(names(&snapshot), ["a", "node/1", "node/2"]);
    let targets = h.probes.targets_restarted.lock().unwrap()[0].clone();
    targets
        .send(Event::Checked(check(1, 4, 20, pass())))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Up))
        .await
        .unwrap();

    // Half-way through an edit, the file does not parse; the targets change meanwhile.
    write(&h.path(), "[[service]]\nname = \"half");
    h.found.send_replace(found(&["node/1", "node/3"]));
    let snapshot = (h.view)
        .wait_for(|s| names(s).contains(&"node/3"))
        .await
        .unwrap()
        .clone();
    assert_eq!(names(&snapshot), ["a", "node/1", "node/3"]);
    assert_eq!(
        state_of(&snapshot, 1),
        Some(ServiceState::Up),
        "node/1 kept"
    );
    assert!(
        snapshot.reload.is_none(),
        "no reload: {:?}",
        snapshot.reload
    );
    let probes = h.stop().await;
    assert_eq!(
        probes.log(),
        [
            "restart targets node/1,node/2",
            "restart targets node/1,node/3"
        ],
        "the own services' checks were never restarted"
    );
}

/// A viewer sends commands with the service's name; one that reaches the core just after
/// a reload that renumbered the services still acts on the service it named.
#[tokio::test]
async fn a_command_behind_a_reload_acts_on_the_service_it_names() {
    let mut h = start(&config_text(&["a", "b"], "")).await;
    write(&h.path(), &config_text(&["c", "b", "a"], ""));
    h.commands.send(Command::Reload("test")).await.unwrap();
    h.commands
        .send(Command::CheckNow("a".into()))
        .await
        .unwrap();
    h.commands
        .send(Command::TogglePause("a".into()))
        .await
        .unwrap();
    let snapshot = h
        .view
        .wait_for(|s| state_of(s, 2) == Some(ServiceState::Paused))
        .await
        .unwrap()
        .clone();
    assert_eq!(snapshot.services[2].config.name, "a");
    assert_eq!(snapshot.acted, 3, "a reload and two commands carried out");
    let probes = h.stop().await;
    assert_eq!(probes.log(), ["restart c,b,a", "check 2", "paused 2 true"]);
}

/// A pause is written to the state directory: a restart keeps the service paused (its
/// new pollers are told), and a service that left the config forgets it, so one of the
/// same name added later starts unpaused, also after the next restart.
#[tokio::test]
async fn a_pause_outlives_a_restart_and_a_removed_service_forgets_it() {
    let mut h = start(&config_text(&["a", "b"], "")).await;
    h.commands
        .send(Command::TogglePause("b".into()))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Paused))
        .await
        .unwrap();
    let mut h = h.restart().await;
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Paused))
        .await
        .unwrap();
    assert_eq!(h.probes.log(), ["paused 1 true"]);

    write(&h.path(), &config_text(&["a"], ""));
    h.commands.send(Command::Reload("test")).await.unwrap();
    h.view.wait_for(|s| s.services.len() == 1).await.unwrap();
    write(&h.path(), &config_text(&["a", "b"], ""));
    h.commands.send(Command::Reload("test")).await.unwrap();
    let back = (h.view.wait_for(|s| s.services.len() == 2).await)
        .unwrap()
        .clone();
    assert_eq!(state_of(&back, 1), Some(ServiceState::Unknown));
    let mut h = h.restart().await;
    let snapshot = (h.view.wait_for(|s| s.services.len() == 2).await)
        .unwrap()
        .clone();
    assert_eq!(state_of(&snapshot, 1), Some(ServiceState::Unknown));
    assert!(h.probes.log().is_empty(), "{:?}", h.probes.log());
    h.stop().await;
}
