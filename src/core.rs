//! The core task: the one place state changes. It applies poller events, carries out
//! frontend commands, and publishes the newest snapshot on a watch channel.

use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, watch};
use tokio_util::sync::CancellationToken;

use crate::event::{Command, Event, ServiceId};
use crate::state::{Snapshot, State};

/// The longest a change waits before frontends see it. Checks arriving within it share one
/// snapshot, so the cost of publishing does not grow with the check rate; the screen
/// draws new data at most every 250 ms anyway.
pub const PUBLISH_DELAY: Duration = Duration::from_millis(100);

/// What the core may ask of the pollers.
pub trait ProbeControl {
    /// Run this service's check now.
    fn check_now(&self, id: ServiceId);
    /// Stop or restart this service's checks.
    fn set_paused(&self, id: ServiceId, paused: bool);
}

/// The core's inputs and outputs.
pub struct Core<P> {
    pub state: State,
    pub events: mpsc::Receiver<Event>,
    pub commands: mpsc::Receiver<Command>,
    pub probes: P,
    pub publish: watch::Sender<Snapshot>,
    /// The wall clock; injected so tests decide what "now" is.
    pub clock: fn() -> SystemTime,
}

impl<P: ProbeControl> Core<P> {
    /// Runs until cancelled or until every poller has hung up.
    pub async fn run(mut self, cancel: CancellationToken) {
        self.publish();
        let publish_at = tokio::time::sleep(PUBLISH_DELAY);
        tokio::pin!(publish_at);
        loop {
            let waiting = self.state.has_changes();
            tokio::select! {
                biased;
                () = cancel.cancelled() => break,
                Some(command) = self.commands.recv() => {
                    // A person pressed a key: show the result now.
                    self.handle(command);
                    self.publish();
                }
                () = &mut publish_at, if waiting => self.publish(),
                event = self.events.recv() => {
                    let Some(event) = event else { break };
                    if !waiting {
                        publish_at.as_mut().reset(tokio::time::Instant::now() + PUBLISH_DELAY);
                    }
                    self.state.apply(event);
                }
            }
        }
        if self.state.has_changes() {
            self.publish();
        }
    }

    fn publish(&mut self) {
        let snapshot = self.state.snapshot((self.clock)());
        self.publish.send_replace(snapshot);
    }

    fn handle(&mut self, command: Command) {
        match command {
            Command::CheckNow(id) => self.probes.check_now(id),
            Command::TogglePause(id) => {
                if let Some(paused) = self.state.toggle_pause(id) {
                    self.probes.set_paused(id, paused);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;
    use crate::state::ServiceState;
    use crate::test_support::{at, check, config, http_service, pass};

    #[derive(Clone, Default)]
    struct RecordingProbes(Arc<Mutex<Vec<String>>>);

    impl ProbeControl for RecordingProbes {
        fn check_now(&self, id: ServiceId) {
            self.0.lock().unwrap().push(format!("check {id}"));
        }
        fn set_paused(&self, id: ServiceId, paused: bool) {
            self.0.lock().unwrap().push(format!("paused {id} {paused}"));
        }
    }

    struct Harness {
        events: mpsc::Sender<Event>,
        commands: mpsc::Sender<Command>,
        view: watch::Receiver<Snapshot>,
        probes: RecordingProbes,
        cancel: CancellationToken,
        task: tokio::task::JoinHandle<()>,
    }

    fn start() -> Harness {
        let (events, events_rx) = mpsc::channel(16);
        let (commands, commands_rx) = mpsc::channel(16);
        let (publish, view) = watch::channel(Snapshot::default());
        let probes = RecordingProbes::default();
        let cancel = CancellationToken::new();
        let core = Core {
            state: State::new(&config(vec![http_service("a"), http_service("b")])),
            events: events_rx,
            commands: commands_rx,
            probes: probes.clone(),
            publish,
            clock: || at(5),
        };
        let task = tokio::spawn(core.run(cancel.clone()));
        Harness {
            events,
            commands,
            view,
            probes,
            cancel,
            task,
        }
    }

    #[tokio::test]
    async fn publishes_initial_and_updated_snapshots() {
        let mut h = start();
        h.view.changed().await.unwrap();
        assert_eq!(h.view.borrow_and_update().services.len(), 2);
        h.events
            .send(Event::Checked(check(1, 4, 20, pass())))
            .await
            .unwrap();
        h.view
            .wait_for(|s| s.services[1].state == ServiceState::Up)
            .await
            .unwrap();
        h.cancel.cancel();
        h.task.await.unwrap();
    }

    #[tokio::test]
    async fn commands_reach_the_probes_and_pause_shows() {
        let mut h = start();
        h.commands.send(Command::CheckNow(0)).await.unwrap();
        h.commands.send(Command::TogglePause(1)).await.unwrap();
        h.view
            .wait_for(|s| s.services.len() == 2 && s.services[1].state == ServiceState::Paused)
            .await
            .unwrap();
        h.commands.send(Command::TogglePause(1)).await.unwrap();
        h.commands.send(Command::TogglePause(9)).await.unwrap();
        h.view
            .wait_for(|s| s.services[1].state == ServiceState::Unknown)
            .await
            .unwrap();
        h.cancel.cancel();
        h.task.await.unwrap();
        let log = h.probes.0.lock().unwrap().clone();
        assert_eq!(log, ["check 0", "paused 1 true", "paused 1 false"]);
    }

    #[tokio::test]
    async fn stops_when_pollers_hang_up() {
        let h = start();
        drop(h.events);
        h.task.await.unwrap();
    }
}
