//! Whether each channel's notices get through, and which notices are settled (delivered,
//! or lost for good) so that the outbox can forget them: a notice held after its retries (it is
//! tried again until taken), or lost (refused for good, or dropped from a full queue),
//! marks its channel in trouble until the channel delivers one again. The alert engine raises `notification_failed` from it, so a page that
//! could not be sent is seen in the pane and heard of on the other channels. Kept
//! across reloads, which replace the channels' workers.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::SystemTime;

use super::Notice;
use crate::config::NotifyConfig;
use crate::view::snapshot::{ChannelTrouble, NoticeHealth};

/// Shared by the channels' workers and the alerting that reads it.
#[derive(Debug, Clone, Default)]
pub struct Health(Arc<Mutex<Inner>>);

#[derive(Debug, Default)]
struct Inner {
    channels: Vec<String>,
    trouble: BTreeMap<String, ChannelTrouble>,
    /// Ids of the notices settled since the alerting last took them.
    settled: Vec<u64>,
}

impl Health {
    /// Follows `channels`: the trouble of a channel no longer configured is forgotten.
    pub fn set_channels(&self, channels: &[NotifyConfig]) {
        let mut inner = self.lock();
        inner.channels = channels.iter().map(|c| c.name.clone()).collect();
        let Inner {
            channels, trouble, ..
        } = &mut *inner;
        trouble.retain(|name, _| channels.contains(name));
    }

    /// `notice` was lost on `channel`, for `error`.
    pub(super) fn lost(&self, channel: &str, notice: &Notice, error: &str, now: SystemTime) {
        let mut inner = self.lock();
        inner.settled.push(notice.id);
        let entry = trouble(&mut inner, channel, now);
        entry.lost += 1;
        entry.last_lost = Some(named(notice));
        entry.error = error.to_string();
    }

    /// `notice` failed its retries on `channel` for `error`, and is held to be tried
    /// again.
    pub(super) fn holding(&self, channel: &str, notice: &Notice, error: &str, now: SystemTime) {
        let mut inner = self.lock();
        let entry = trouble(&mut inner, channel, now);
        entry.holding = Some(named(notice));
        entry.error = error.to_string();
    }

    /// `channel` was in trouble when lookout last stopped (its `notification_failed`
    /// alert, open since `since`, was read back): it stays so until it delivers a notice,
    /// as it would have without the restart.
    pub fn resume(&self, channel: &str, since: SystemTime) {
        let mut inner = self.lock();
        let entry = trouble(&mut inner, channel, since);
        if entry.error.is_empty() {
            entry.error = "nothing delivered since before lookout restarted".to_string();
        }
    }

    /// `channel` delivered `notice`: its notices get through again.
    pub(super) fn delivered(&self, channel: &str, notice: &Notice) {
        let mut inner = self.lock();
        inner.settled.push(notice.id);
        if !inner.trouble.is_empty() {
            inner.trouble.remove(channel);
        }
    }

    /// The ids of the notices delivered or lost for good since the last call.
    pub fn take_settled(&self) -> Vec<u64> {
        std::mem::take(&mut self.lock().settled)
    }

    /// The channels and their trouble now.
    pub fn view(&self) -> NoticeHealth {
        let inner = self.lock();
        NoticeHealth {
            channels: inner.channels.clone(),
            trouble: inner.trouble.values().cloned().collect(),
        }
    }

    /// A panic elsewhere while holding the lock leaves a valid map behind.
    fn lock(&self) -> MutexGuard<'_, Inner> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// `channel`'s trouble, begun at `now` if it was not in trouble.
fn trouble<'a>(inner: &'a mut Inner, channel: &str, now: SystemTime) -> &'a mut ChannelTrouble {
    inner
        .trouble
        .entry(channel.to_string())
        .or_insert_with(|| ChannelTrouble {
            channel: channel.to_string(),
            since: now,
            holding: None,
            lost: 0,
            last_lost: None,
            error: String::new(),
        })
}

/// "firing service_down/api #52".
fn named(notice: &Notice) -> String {
    format!(
        "{} {} #{}",
        notice.kind.as_str(),
        notice.alert.key,
        notice.alert.id
    )
}
