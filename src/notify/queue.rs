//! A channel's bounded queue of notices: pushing never waits, and a full queue gives up
//! its oldest notice so the newest news always gets through.

use std::collections::VecDeque;
use std::sync::{Mutex, MutexGuard, PoisonError};

use tokio::sync::Notify;

use super::Notice;

/// Notices waiting for one channel's worker.
pub(super) struct Queue {
    inner: Mutex<Inner>,
    ready: Notify,
    capacity: usize,
}

struct Inner {
    notices: VecDeque<Notice>,
    /// No more pushes will come: the worker ends once the queue is empty.
    closed: bool,
}

impl Queue {
    /// Holds at most `capacity` notices (at least one).
    pub(super) fn new(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Self {
            inner: Mutex::new(Inner {
                notices: VecDeque::with_capacity(capacity),
                closed: false,
            }),
            ready: Notify::new(),
            capacity,
        }
    }

    /// Adds `notice` at the back; returns the oldest notice when it had to make room.
    pub(super) fn push(&self, notice: Notice) -> Option<Notice> {
        let dropped = {
            let mut inner = self.lock();
            let dropped = if inner.notices.len() >= self.capacity {
                inner.notices.pop_front()
            } else {
                None
            };
            inner.notices.push_back(notice);
            dropped
        };
        self.ready.notify_one();
        dropped
    }

    /// The next notice, waiting for one; `None` once closed and empty.
    pub(super) async fn pop(&self) -> Option<Notice> {
        loop {
            {
                let mut inner = self.lock();
                if let Some(notice) = inner.notices.pop_front() {
                    return Some(notice);
                }
                if inner.closed {
                    return None;
                }
            }
            // `notify_one` stores a permit when nobody waits, so a push between the
            // check above and this wait is not missed.
            self.ready.notified().await;
        }
    }

    /// Ends the queue: what is queued is still handed out, then `pop` returns `None`.
    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.ready.notify_one();
    }

    /// Takes every queued notice out.
    pub(super) fn drain(&self) -> Vec<Notice> {
        self.lock().notices.drain(..).collect()
    }

    /// A panic elsewhere while holding the lock leaves a valid queue behind.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
