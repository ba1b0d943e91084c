//! What an attached screen is shown: the engine's snapshot as rebuilt, with the link's
//! state on it. The stream's follower and the command forwarder both write here.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::SystemTime;

use tokio::sync::watch;

use crate::view::snapshot::{Link, Snapshot};

/// The screen's snapshot channel and the link it shows.
#[derive(Clone)]
pub struct Shown {
    publish: Arc<watch::Sender<Snapshot>>,
    link: Arc<Mutex<Link>>,
}

impl Shown {
    /// A screen for the engine at `to`; the receiver is the screen's end.
    pub fn new(to: String) -> (Self, watch::Receiver<Snapshot>) {
        let link = Link {
            to,
            engine: None,
            lost: None,
            failed: None,
        };
        let (publish, view) = watch::channel(Snapshot::default());
        let shown = Self {
            publish: Arc::new(publish),
            link: Arc::new(Mutex::new(link)),
        };
        (shown, view)
    }

    /// Shows a new snapshot of the engine.
    pub fn show(&self, mut snapshot: Snapshot) {
        snapshot.link = Some(Arc::new(self.link()));
        self.publish.send_replace(snapshot);
    }

    /// Changes the link and shows it on the snapshot already shown.
    pub fn change_link(&self, change: impl FnOnce(&mut Link)) {
        let link = {
            let mut link = self.link.lock().unwrap_or_else(PoisonError::into_inner);
            change(&mut link);
            link.clone()
        };
        self.publish
            .send_modify(|snapshot| snapshot.link = Some(Arc::new(link)));
    }

    /// The stream stopped at `at` for `why`; the first failure's time is kept until it
    /// flows again.
    pub fn lost(&self, at: SystemTime, why: String) {
        self.change_link(|link| {
            let since = link.lost.as_ref().map_or(at, |(since, _)| *since);
            link.lost = Some((since, why));
        });
    }

    /// The engine did not take a command: said once on the status bar.
    pub fn failed(&self, why: String) {
        self.change_link(|link| {
            let count = link.failed.as_ref().map_or(0, |(n, _)| *n) + 1;
            link.failed = Some((count, why));
        });
    }

    fn link(&self) -> Link {
        self.link
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Sets the engine and clears a loss, under the lock, without showing it yet.
    pub fn flowing(&self, engine: Option<crate::view::snapshot::EngineInfo>) {
        let mut link = self.link.lock().unwrap_or_else(PoisonError::into_inner);
        link.engine = engine;
        link.lost = None;
    }
}
