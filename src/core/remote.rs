//! The Alertmanagers the core reads: their readers, what was read (for the pane and the
//! `alertmanager_unreachable` alert), and silences made and expired there for a person,
//! whose outcome comes back as a notice for the status bar.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio_util::sync::CancellationToken;

use super::lines_remote;
use crate::config::AlertmanagerConfig;
use crate::event::{NotDone, Reply};
use crate::sources::alertmanager::{Board, Errand, NewSilence, Reading, Request, Watching};
use crate::view::alert::AlertView;
use crate::view::alertmanager::AlertmanagerView;
use crate::view::snapshot::ActionNotice;

/// The Alertmanagers of the config in use.
pub struct RemoteSlot {
    watching: Watching,
    board: Board,
    /// Something arrived since the last snapshot.
    changed: bool,
    notice: Option<Arc<ActionNotice>>,
    sequence: u64,
}

impl RemoteSlot {
    /// Starts reading `configs`. Must be called inside a tokio runtime.
    pub fn start(configs: &[AlertmanagerConfig], cancel: &CancellationToken) -> Self {
        Self {
            watching: Watching::start(configs, cancel),
            board: Board::new(configs),
            changed: false,
            notice: None,
            sequence: 0,
        }
    }

    /// The next reading; never resolves without Alertmanagers.
    pub async fn next(&mut self) -> Option<Reading> {
        self.watching.next().await
    }

    /// True when a reading or a notice arrived since the last call.
    pub fn take_changed(&mut self) -> bool {
        std::mem::take(&mut self.changed)
    }

    /// True when a reading or a notice waits for the next snapshot.
    pub fn has_changes(&self) -> bool {
        self.changed
    }

    /// Every Alertmanager, in config order.
    pub fn views(&self) -> Vec<Arc<AlertmanagerView>> {
        self.board.views()
    }

    /// The outcome of the latest silence made or expired, for the status bar.
    pub fn notice(&self) -> Option<Arc<ActionNotice>> {
        self.notice.clone()
    }

    /// Takes a reading made at `now`.
    pub fn apply(&mut self, reading: Reading, now: SystemTime) {
        self.changed = true;
        match reading {
            Reading::Polled {
                source,
                result,
                took,
            } => self.board.polled(source, result, took, now),
            Reading::Done {
                source,
                errand,
                result,
            } => {
                let Some(config) = self.board.config(source) else {
                    return;
                };
                let outcome = lines_remote::errand_done(config, &errand, &result);
                if let Some(reply) = &errand.reply {
                    reply.send(outcome.clone().map(|_| 0).map_err(NotDone::Refused));
                }
                self.tell(now, outcome);
            }
        }
    }

    /// Makes a silence in its Alertmanager of exactly the alert `id` (its labels as
    /// equality matchers) from `now` for `duration`.
    pub fn silence(&mut self, id: u64, how: SilenceAsked, now: SystemTime) {
        let Some((source, alert)) = self.board.find(id) else {
            return self.refuse(how.reply, now, gone(id));
        };
        let (Some(remote), Some(config)) = (&alert.origin, self.board.config(source)) else {
            return self.refuse(how.reply, now, gone(id));
        };
        let by = config.silence_by.clone().unwrap_or(how.by);
        let comment = how
            .comment
            .unwrap_or_else(|| format!("silenced from lookout by {by}"));
        let silence =
            NewSilence::of_labels(&remote.alert.labels, now, now + how.duration, &by, &comment);
        let errand = Errand {
            request: Request::Silence(silence),
            about: about(alert),
            reply: how.reply,
        };
        self.hand_over(source, errand, now);
    }

    /// Expires the silences made for the alert `id` (see `Remote::own_silences`).
    pub fn expire(&mut self, id: u64, reply: Option<Reply>, now: SystemTime) {
        let Some((source, alert)) = self.board.find(id) else {
            return self.refuse(reply, now, gone(id));
        };
        let Some(remote) = &alert.origin else {
            return self.refuse(reply, now, gone(id));
        };
        let ids: Vec<String> = remote.own_silences().map(|s| s.id.clone()).collect();
        if ids.is_empty() {
            let text = remote.nothing_to_expire(&alert.key);
            return self.refuse(reply, now, text);
        }
        let errand = Errand {
            request: Request::Expire(ids),
            about: about(alert),
            reply,
        };
        self.hand_over(source, errand, now);
    }

    /// Follows a reloaded config.
    pub fn reload(&mut self, configs: &[AlertmanagerConfig]) {
        if self.watching.reload(configs) {
            self.board.reload(configs);
            self.changed = true;
        }
    }

    /// Stops the readers.
    pub async fn stop(self) {
        self.watching.stop().await;
    }

    fn hand_over(&mut self, source: usize, errand: Errand, now: SystemTime) {
        let reply = errand.reply.clone();
        if let Err(why) = self.watching.send(source, errand) {
            self.refuse(reply, now, why);
        }
    }

    fn refuse(&mut self, reply: Option<Reply>, now: SystemTime, why: String) {
        if let Some(reply) = reply {
            reply.send(Err(NotDone::Refused(why.clone())));
        }
        self.changed = true;
        self.tell(now, Err(why));
    }

    fn tell(&mut self, at: SystemTime, outcome: Result<String, String>) {
        self.sequence += 1;
        let (ok, text) = match outcome {
            Ok(text) => (true, text),
            Err(text) => (false, text),
        };
        self.notice = Some(Arc::new(ActionNotice {
            sequence: self.sequence,
            at,
            ok,
            text,
        }));
    }
}

/// What a person asked for when silencing an Alertmanager's alert.
pub struct SilenceAsked {
    pub duration: Duration,
    /// `user@host`, unless the config's `silence_by` says otherwise.
    pub by: String,
    pub comment: Option<String>,
    pub reply: Option<Reply>,
}

fn about(alert: &AlertView) -> String {
    alert.key.to_string()
}

fn gone(id: u64) -> String {
    format!("alert {id} is no longer in Alertmanager")
}
