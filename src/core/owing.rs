//! The notices owed to the channels until each has its own: made with an id, written to
//! the store's outbox with the change that made them, handed to their channel, and
//! forgotten once delivered or lost for good. What is still owed when lookout stops (or
//! the channels are reloaded) is sent again when it starts (or by the new channels).

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::SystemTime;

use tracing::warn;

use crate::alert::store::OwedNotice;
use crate::log::events;
use crate::notify::{Notice, NoticeKind, Notifier};
use crate::view::alert::AlertView;

/// Every notice owed and not yet settled, by id.
#[derive(Debug)]
pub(super) struct Owing {
    next_id: u64,
    owed: BTreeMap<u64, OwedNotice>,
}

impl Owing {
    /// Starts from what the store's outbox held; ids go on from `next_id`.
    pub(super) fn new(owed: Vec<OwedNotice>, next_id: u64) -> Self {
        Self {
            next_id,
            owed: owed.into_iter().map(|notice| (notice.id, notice)).collect(),
        }
    }

    /// One notice for each channel `notifier` sends one of this alert's severity to.
    pub(super) fn owe(
        &mut self,
        notifier: &Notifier,
        kind: NoticeKind,
        alert: &Arc<AlertView>,
        at: SystemTime,
    ) -> Vec<OwedNotice> {
        let mut made = Vec::new();
        let addressed: Arc<[String]> = (notifier.channels_for(alert.severity))
            .map(str::to_string)
            .collect();
        for channel in addressed.iter() {
            let owed = OwedNotice {
                id: self.next_id,
                channel: channel.clone(),
                addressed: Arc::clone(&addressed),
                notice: kind,
                at,
                alert: Arc::clone(alert),
            };
            self.next_id += 1;
            self.owed.insert(owed.id, owed.clone());
            made.push(owed);
        }
        made
    }

    /// Hands each of `notices` to its channel, in order. One whose channel is no
    /// longer configured is given up (logged) and forgotten; their ids are returned, for
    /// the store to forget too.
    pub(super) fn send(&mut self, notifier: &Notifier, notices: &[OwedNotice]) -> Vec<u64> {
        let mut given_up = Vec::new();
        for owed in notices {
            let notice = Notice {
                id: owed.id,
                kind: owed.notice,
                alert: Arc::clone(&owed.alert),
                at: owed.at,
            };
            if notifier.send(&owed.channel, notice).is_err() {
                warn!(
                    event = events::NOTIFICATION_FAILED,
                    alert_id = owed.alert.id,
                    alert = %owed.alert.key,
                    notice = owed.notice.as_str(),
                    channel = owed.channel.as_str(),
                    error = "its channel is no longer in the config: not sent",
                    will_retry = false,
                );
                self.owed.remove(&owed.id);
                given_up.push(owed.id);
            }
        }
        given_up
    }

    /// Each notice still owed to a channel no longer configured (removed or renamed, by
    /// a reload or while lookout was stopped) is owed instead to each channel now
    /// configured that takes its severity and that it was not made for: a renamed
    /// channel or a replaced pager gets what the old one still owed, and a channel that
    /// had its own copy gets no second one. Returns the new notices, to write and send,
    /// and the ids of those they replace, to delete.
    pub(super) fn readdress(&mut self, notifier: &Notifier) -> (Vec<OwedNotice>, Vec<u64>) {
        let orphans: Vec<OwedNotice> = (self.owed.values())
            .filter(|owed| !notifier.channels().any(|name| name == owed.channel))
            .cloned()
            .collect();
        let mut made: Vec<OwedNotice> = Vec::new();
        for orphan in &orphans {
            self.owed.remove(&orphan.id);
            let takers: Vec<&str> = (notifier.channels_for(orphan.alert.severity))
                .filter(|name| !orphan.addressed.iter().any(|had| had == name))
                .collect();
            // Two removed channels owed the same notice: the new one gets it once.
            let same = |owed: &OwedNotice| {
                owed.alert.id == orphan.alert.id
                    && owed.notice == orphan.notice
                    && owed.at == orphan.at
            };
            let addressed: Arc<[String]> = (orphan.addressed.iter().map(String::as_str))
                .chain(takers.iter().copied())
                .map(str::to_string)
                .collect();
            for channel in takers {
                if made.iter().any(|m| same(m) && m.channel == channel) {
                    continue;
                }
                let owed = OwedNotice {
                    id: self.next_id,
                    channel: channel.to_string(),
                    addressed: Arc::clone(&addressed),
                    ..orphan.clone()
                };
                self.next_id += 1;
                self.owed.insert(owed.id, owed.clone());
                made.push(owed);
            }
        }
        (made, orphans.iter().map(|owed| owed.id).collect())
    }

    /// Forgets the notices settled; the ids known to be owed are returned.
    pub(super) fn settle(&mut self, ids: Vec<u64>) -> Vec<u64> {
        ids.into_iter()
            .filter(|id| self.owed.remove(id).is_some())
            .collect()
    }

    /// Every notice still owed, oldest first: to send at start or to the channels of a
    /// reloaded config, and to write to a database made anew.
    pub(super) fn all(&self) -> Vec<OwedNotice> {
        self.owed.values().cloned().collect()
    }
}
