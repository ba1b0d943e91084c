//! A set of tasks, one per Alertmanager, under one cancellation token: started with
//! the config, replaced together when a reload changes `[[alertmanager]]` (the old ones
//! cancelled, never awaited), stopped and awaited at shutdown, cancelled on drop.

use std::future::Future;

use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

pub(super) struct TaskSet {
    /// The engine's token; each generation of tasks gets a child of it.
    parent: CancellationToken,
    cancel: CancellationToken,
    tasks: Vec<JoinHandle<()>>,
}

impl TaskSet {
    pub(super) fn new(parent: &CancellationToken) -> Self {
        Self {
            parent: parent.clone(),
            cancel: parent.child_token(),
            tasks: Vec::new(),
        }
    }

    /// The token the tasks of this generation watch.
    pub(super) fn token(&self) -> CancellationToken {
        self.cancel.clone()
    }

    /// Spawns `task` in this generation. Must be called inside a tokio runtime.
    pub(super) fn spawn(&mut self, task: impl Future<Output = ()> + Send + 'static) {
        self.tasks.push(tokio::spawn(task));
    }

    pub(super) fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Cancels this generation and starts an empty one.
    pub(super) fn renew(&mut self) {
        self.cancel.cancel();
        self.cancel = self.parent.child_token();
        self.tasks.clear();
    }

    /// Cancels the tasks and waits for them (work in flight is abandoned).
    pub(super) async fn stop(mut self) {
        self.cancel.cancel();
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Drop for TaskSet {
    fn drop(&mut self) {
        self.cancel.cancel();
    }
}
