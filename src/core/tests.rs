//! The core against recorded pollers: publishing, commands, and reloads from a real file.

use std::path::Path;
use std::sync::{Arc, Mutex};

use super::*;
use crate::contract::ServiceState;
use crate::state_dir::lock::{Mode, StateLock};
use crate::test_support::{at, check, pass};

/// Pollers that write down what they were asked, and hand out the sender of every
/// restart's channel so a test can play the new pollers.
#[derive(Clone, Default)]
pub(super) struct RecordingProbes {
    log: Arc<Mutex<Vec<String>>>,
    /// The own services' senders of every restart.
    restarted: Arc<Mutex<Vec<mpsc::Sender<Event>>>>,
    /// The target cards' senders of every restart, whole or of the targets only.
    pub(super) targets_restarted: Arc<Mutex<Vec<mpsc::Sender<Event>>>>,
}

impl ProbeControl for RecordingProbes {
    fn check_now(&self, id: ServiceId) {
        self.log.lock().unwrap().push(format!("check {id}"));
    }
    fn set_paused(&self, id: ServiceId, paused: bool) {
        self.log
            .lock()
            .unwrap()
            .push(format!("paused {id} {paused}"));
    }
    fn restart(&mut self, config: &Config) -> Receivers {
        let (events, own) = mpsc::channel(16);
        self.restarted.lock().unwrap().push(events);
        let (events, targets) = mpsc::channel(16);
        self.targets_restarted.lock().unwrap().push(events);
        let names: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
        self.log
            .lock()
            .unwrap()
            .push(format!("restart {}", names.join(",")));
        Receivers { own, targets }
    }
    fn restart_targets(&mut self, config: &Config) -> mpsc::Receiver<Event> {
        let (events, receiver) = mpsc::channel(16);
        self.targets_restarted.lock().unwrap().push(events);
        let first = discovery::first_target(&config.services);
        let names: Vec<&str> = (config.services[first..].iter())
            .map(|s| s.name.as_str())
            .collect();
        self.log
            .lock()
            .unwrap()
            .push(format!("restart targets {}", names.join(",")));
        receiver
    }
    async fn stopped(&self) {}
}

impl RecordingProbes {
    pub(super) fn log(&self) -> Vec<String> {
        self.log.lock().unwrap().clone()
    }
}

pub(super) fn state_of(snapshot: &Snapshot, id: ServiceId) -> Option<ServiceState> {
    snapshot.services.get(id).map(|service| service.state)
}

pub(super) struct Harness {
    pub(super) events: mpsc::Sender<Event>,
    /// The scrape targets "found", as the discovery watcher publishes them.
    pub(super) found: watch::Sender<Arc<TargetSets>>,
    pub(super) commands: mpsc::Sender<Command>,
    pub(super) view: watch::Receiver<Snapshot>,
    pub(super) probes: RecordingProbes,
    cancel: CancellationToken,
    task: tokio::task::JoinHandle<()>,
    dir: tempfile::TempDir,
}

/// A config file with HTTP services named `names` (never contacted: the pollers are
/// recorded), and `extra` lines in `[general]`.
pub(super) fn config_text(names: &[&str], general: &str) -> String {
    let mut text = format!("[general]\nstate_dir = \"state\"\n{general}\n");
    for name in names {
        text.push_str(&format!(
            "[[service]]\nname = \"{name}\"\nurl = \"http://127.0.0.1:9/{name}\"\n"
        ));
    }
    text
}

pub(super) fn write(path: &Path, text: &str) {
    std::fs::write(path, text).unwrap();
}

pub(super) async fn start(text: &str) -> Harness {
    start_in(tempfile::tempdir().unwrap(), text).await
}

/// A core on the config `text`, written in `dir`, with its state directory there.
async fn start_in(dir: tempfile::TempDir, text: &str) -> Harness {
    let path = dir.path().join("lookout.toml");
    write(&path, text);
    let config = config::load(&path).unwrap();
    let (events, events_rx) = mpsc::channel(16);
    let (_, targets_rx) = mpsc::channel(16);
    let (found, targets) = watch::channel(Arc::new(TargetSets::new()));
    let (commands, commands_rx) = mpsc::channel(16);
    let (publish, view) = watch::channel(Snapshot::default());
    let probes = RecordingProbes::default();
    let cancel = CancellationToken::new();
    let lock = StateLock::acquire(&config, Mode::Headless).unwrap();
    let alerting = Alerting::start(&config, lock, &cancel, at(5))
        .await
        .unwrap();
    let jobs = JobsSlot::start(&config, || at(5), &cancel);
    let core = Core {
        state: State::new(&config),
        config,
        events: Receivers {
            own: events_rx,
            targets: targets_rx,
        },
        commands: commands_rx,
        probes: probes.clone(),
        publish,
        clock: || at(5),
        alerting,
        jobs,
        remote: RemoteSlot::start(&[], &cancel),
        targets,
        acted: 0,
    };
    let task = tokio::spawn(core.run(cancel.clone()));
    Harness {
        events,
        found,
        commands,
        view,
        probes,
        cancel,
        task,
        dir,
    }
}

impl Harness {
    pub(super) fn path(&self) -> std::path::PathBuf {
        self.dir.path().join("lookout.toml")
    }

    /// Stops this core and starts another on the same config file and state directory,
    /// as a restart of lookout does.
    pub(super) async fn restart(self) -> Harness {
        let text = std::fs::read_to_string(self.path()).unwrap();
        self.cancel.cancel();
        self.task.await.unwrap();
        start_in(self.dir, &text).await
    }

    pub(super) async fn stop(self) -> RecordingProbes {
        self.cancel.cancel();
        self.task.await.unwrap();
        self.probes
    }
}

#[tokio::test]
async fn publishes_initial_and_updated_snapshots() {
    let mut h = start(&config_text(&["a", "b"], "")).await;
    h.view.changed().await.unwrap();
    assert_eq!(h.view.borrow_and_update().services.len(), 2);
    h.events
        .send(Event::Checked(check(1, 4, 20, pass())))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Up))
        .await
        .unwrap();
    h.stop().await;
}

#[tokio::test]
async fn commands_reach_the_probes_and_pause_shows() {
    let mut h = start(&config_text(&["a", "b"], "")).await;
    h.commands
        .send(Command::CheckNow("a".into()))
        .await
        .unwrap();
    h.commands
        .send(Command::TogglePause("b".into()))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Paused))
        .await
        .unwrap();
    h.commands
        .send(Command::TogglePause("b".into()))
        .await
        .unwrap();
    h.commands
        .send(Command::TogglePause("none".into()))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 1) == Some(ServiceState::Unknown))
        .await
        .unwrap();
    let probes = h.stop().await;
    assert_eq!(probes.log(), ["check 0", "paused 1 true", "paused 1 false"]);
}

#[tokio::test]
async fn keeps_taking_commands_after_the_pollers_hang_up() {
    let mut h = start(&config_text(&["a"], "")).await;
    let (events, _) = mpsc::channel(1);
    drop(std::mem::replace(&mut h.events, events));
    h.commands
        .send(Command::TogglePause("a".into()))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 0) == Some(ServiceState::Paused))
        .await
        .unwrap();
    h.stop().await;
}

#[tokio::test]
async fn a_valid_reload_restarts_the_pollers_and_keeps_what_it_can() {
    let mut h = start(&config_text(&["a", "b"], "")).await;
    h.events
        .send(Event::Checked(check(0, 4, 20, pass())))
        .await
        .unwrap();
    h.commands
        .send(Command::TogglePause("b".into()))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 0) == Some(ServiceState::Up))
        .await
        .unwrap();

    let remapped = "[keys]\ncheck_now = \"c\"\n";
    write(&h.path(), &(config_text(&["c", "b", "a"], "") + remapped));
    h.commands.send(Command::Reload("test")).await.unwrap();
    let snapshot = h
        .view
        .wait_for(|s| s.reload.is_some())
        .await
        .unwrap()
        .clone();
    let notice = snapshot.reload.as_deref().unwrap();
    assert!(notice.accepted, "{notice:?}");
    assert_eq!(notice.sequence, 1);
    // The dashboard takes the new keys from the notice.
    let keys = notice.keys.as_ref().expect("the accepted config's keys");
    let c = crate::keymap::Key::parse("c").expect("a key");
    assert_eq!(keys.action_for(c), Some(crate::keymap::Action::CheckNow));
    assert!(
        notice
            .summary
            .ends_with("lookout.toml: 1 added, 0 removed, 0 changed, 2 kept"),
        "{}",
        notice.summary
    );
    let states: Vec<_> = snapshot.services.iter().map(|s| s.state).collect();
    assert_eq!(
        states,
        [
            ServiceState::Unknown,
            ServiceState::Paused,
            ServiceState::Up
        ]
    );

    // Results of the old pollers can no longer arrive; the new pollers' do.
    assert!(h.events.is_closed());
    let new_pollers = h.probes.restarted.lock().unwrap()[0].clone();
    new_pollers
        .send(Event::Checked(check(0, 6, 20, pass())))
        .await
        .unwrap();
    h.view
        .wait_for(|s| state_of(s, 0) == Some(ServiceState::Up))
        .await
        .unwrap();
    let probes = h.stop().await;
    assert_eq!(
        probes.log(),
        ["paused 1 true", "restart c,b,a", "paused 1 true"]
    );
}

#[tokio::test]
async fn an_invalid_reload_is_reported_and_the_old_config_keeps_running() {
    let mut h = start(&config_text(&["a"], "")).await;
    write(&h.path(), "[general]\nhistory = \"soon\"\n");
    h.commands.send(Command::Reload("test")).await.unwrap();
    let snapshot = h
        .view
        .wait_for(|s| s.reload.is_some())
        .await
        .unwrap()
        .clone();
    let notice = snapshot.reload.as_deref().unwrap();
    assert!(!notice.accepted);
    assert!(
        notice
            .summary
            .starts_with("config rejected, still running the previous one: "),
        "{}",
        notice.summary
    );
    assert!(
        notice.summary.contains("lookout.toml:2:11: "),
        "{}",
        notice.summary
    );
    assert_eq!(snapshot.services.len(), 1);
    assert!(!h.events.is_closed(), "the old pollers keep running");
    let probes = h.stop().await;
    assert!(probes.log().is_empty());
}

#[tokio::test]
async fn a_watched_file_reloads_when_it_changes() {
    let mut h = start(&config_text(&["a"], "watch = true")).await;
    // Paused once the store is open (its pool would time out under auto-advanced time);
    // no alert changes here, so nothing waits on the database afterwards.
    tokio::time::pause();
    // Unchanged: nothing happens for a while.
    tokio::time::sleep(WATCH_INTERVAL * 3).await;
    assert!(h.view.borrow().reload.is_none());
    write(
        &h.path(),
        &config_text(&["a", "longer-name"], "watch = true"),
    );
    let snapshot = h
        .view
        .wait_for(|s| s.reload.is_some())
        .await
        .unwrap()
        .clone();
    assert!(snapshot.reload.as_deref().unwrap().accepted);
    assert_eq!(snapshot.services.len(), 2);
    h.stop().await;
}

#[tokio::test]
async fn machine_samples_reach_the_snapshot_and_follow_a_reload_of_system() {
    use crate::state::sample_system::machine_sample;

    let mut h = start(&config_text(&["a"], "")).await;
    h.events
        .send(Event::System(Box::new(machine_sample(899, at(5)))))
        .await
        .unwrap();
    let snapshot = h
        .view
        .wait_for(|s| s.system.is_some())
        .await
        .unwrap()
        .clone();
    let machine = snapshot.system.as_deref().unwrap();
    assert_eq!(machine.latest.hostname.as_deref(), Some("db-primary-1"));
    assert_eq!(machine.history.len(), 1);
    // A sample is not a check: the service's view is untouched.
    assert_eq!(state_of(&snapshot, 0), Some(ServiceState::Unknown));

    write(&h.path(), &config_text(&["a"], "[system]\nenabled = false"));
    h.commands.send(Command::Reload("test")).await.unwrap();
    h.view.wait_for(|s| s.system.is_none()).await.unwrap();
    h.stop().await;
}

#[tokio::test]
async fn without_readers_checks_and_commands_still_go_through() {
    let h = start(&config_text(&["a"], "")).await;
    let Harness {
        events,
        found: _found,
        commands,
        view,
        probes,
        cancel,
        task,
        dir: _dir,
    } = h;
    drop(view);
    events
        .send(Event::Checked(check(0, 4, 20, pass())))
        .await
        .unwrap();
    commands.send(Command::CheckNow("a".into())).await.unwrap();
    // The command round trip shows the event before it was applied without a reader.
    while probes.log().is_empty() {
        tokio::task::yield_now().await;
    }
    cancel.cancel();
    task.await.unwrap();
    assert_eq!(probes.log(), ["check 0"]);
}

#[tokio::test]
async fn a_down_service_fires_an_alert_whose_ack_is_saved_before_it_is_reported() {
    use crate::event::{NotDone, Reply};
    use crate::test_support::fail;
    use crate::view::alert::{AlertKind, AlertState};

    let mut h = start(&config_text(&["a"], "")).await;
    for secs in [4, 5] {
        h.events
            .send(Event::Checked(check(
                0,
                secs,
                20,
                fail("connection refused"),
            )))
            .await
            .unwrap();
    }
    let snapshot = h
        .view
        .wait_for(|s| s.alerts.iter().any(|a| a.state == AlertState::Firing))
        .await
        .unwrap()
        .clone();
    let alert = &snapshot.alerts[0];
    assert_eq!(alert.key.kind, AlertKind::ServiceDown);
    assert_eq!(alert.key.subject, "a");
    let id = alert.id;

    let (reply, done) = Reply::new();
    h.commands
        .send(Command::Ack {
            alert: id,
            by: "ana@db1".into(),
            note: Some("on it".into()),
            reply: Some(reply),
        })
        .await
        .unwrap();
    assert_eq!(done.await.unwrap(), Ok(id));
    let (reply, done) = Reply::new();
    h.commands
        .send(Command::Ack {
            alert: 999,
            by: "ana@db1".into(),
            note: None,
            reply: Some(reply),
        })
        .await
        .unwrap();
    let refused = done.await.unwrap();
    assert!(matches!(&refused, Err(NotDone::Refused(why)) if why.contains("999")));

    // A new core on the same state directory starts with the alert still acked.
    let mut h = h.restart().await;
    let snapshot = h
        .view
        .wait_for(|s| !s.alerts.is_empty())
        .await
        .unwrap()
        .clone();
    let alert = &snapshot.alerts[0];
    assert_eq!((alert.id, alert.state), (id, AlertState::Acked));
    let ack = alert.ack.as_ref().unwrap();
    assert_eq!(
        (ack.by.as_str(), ack.note.as_deref()),
        ("ana@db1", Some("on it"))
    );
    h.stop().await;
}
