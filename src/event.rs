//! What flows between pollers, the core and the frontends.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::sync::oneshot;

use crate::view::alert::SilenceTarget;

use crate::view::check::CheckResult;
use crate::view::jobs::JobsView;
use crate::view::machine_sample::SystemSample;

/// What a poller reports to the core. Owned data only.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A check finished (passed or failed).
    Checked(CheckResult),
    /// A sample of the machine (`[system]`), boxed: it is larger than a check result.
    System(Box<SystemSample>),
    /// The job monitor's picture after a pass, a toggle or a database failure.
    Jobs(Box<JobsView>),
}

/// What a frontend asks of the core: the keys, the API and attached viewers
/// (`POST /api/v1/command`) send the same commands. Replies do not travel: the API
/// answers a command that has one when the core does.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Command {
    /// Run this service's check now, outside its schedule. Services are named, not
    /// numbered, in commands: a reload between the key and the core may renumber them.
    CheckNow(String),
    /// Pause a running service or resume a paused one.
    TogglePause(String),
    /// Pause (true) or resume (false) a service; nothing happens when it already is so.
    SetPaused(String, bool),
    /// Read the config file again and switch to it if it is valid; the text says what
    /// asked for it ("SIGHUP", "key": the reload key), for the log.
    Reload(#[serde(deserialize_with = "asked_over_the_api")] Asker),
    /// Take an alert: no more reminders until it resolves (or is un-acknowledged).
    Ack {
        alert: u64,
        by: String,
        note: Option<String>,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// Give an alert back: it fires (and reminds) again.
    Unack {
        alert: u64,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// Silence what `target` matches for `duration`: shown, marked, never notified.
    Silence {
        target: SilenceTarget,
        duration: Duration,
        by: String,
        comment: Option<String>,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// End a silence early.
    Unsilence {
        silence: u64,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// Silence an Alertmanager's alert there (`a` or `s` on it): a silence whose
    /// matchers are its labels, for `duration`.
    SilenceRemote {
        alert: u64,
        duration: Duration,
        by: String,
        comment: Option<String>,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// End the silences made for an Alertmanager's alert (`u` or `S` on it).
    ExpireRemote {
        alert: u64,
        #[serde(skip)]
        reply: Option<Reply>,
    },
    /// Start (true) or stop (false) the job monitor; nothing happens when it already is so.
    SetJobsRunning(bool),
    /// Run a job monitor pass now (`r` on the jobs panel), if it runs.
    RunJobsPass,
    /// Find what a job monitor pass would do now, writing nothing (on or off); the
    /// answer is the jobs picture's preview with this number.
    PreviewJobsPass(u64),
}

/// What asked for a reload, for the log ("SIGHUP", "key", "api").
pub type Asker = &'static str;

/// A reload asked over the API is logged as asked by `api`, whatever the sender said,
/// except by the reload key of an attached dashboard (`key`): a person pressed it.
fn asked_over_the_api<'de, D: serde::Deserializer<'de>>(input: D) -> Result<Asker, D::Error> {
    let said = <String as serde::Deserialize>::deserialize(input)?;
    Ok(if said == "key" { "key" } else { "api" })
}

impl Command {
    /// Where the core answers this command, for the commands it answers (acks,
    /// silences and their undoing, here or in an Alertmanager).
    pub fn reply_slot(&mut self) -> Option<&mut Option<Reply>> {
        match self {
            Command::Ack { reply, .. }
            | Command::Unack { reply, .. }
            | Command::Silence { reply, .. }
            | Command::Unsilence { reply, .. }
            | Command::SilenceRemote { reply, .. }
            | Command::ExpireRemote { reply, .. } => Some(reply),
            Command::CheckNow(_)
            | Command::TogglePause(_)
            | Command::SetPaused(..)
            | Command::Reload(_)
            | Command::SetJobsRunning(_)
            | Command::RunJobsPass
            | Command::PreviewJobsPass(_) => None,
        }
    }
}

/// What the core answers once a command is done (written to the state directory, for
/// acks and silences): the id it concerns, or why it is not done.
pub type Done = Result<u64, NotDone>;

/// Why a command that must be done is not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotDone {
    /// Nothing changed: the alert's state does not allow it, or the id is unknown.
    Refused(String),
    /// The change to `id` is made, but the state directory has not taken it yet; it is
    /// written again each second until it does.
    Unsaved { id: u64, why: String },
    /// Sent to an engine elsewhere, which did not answer: it may be done, or not.
    Unanswered(String),
}

impl std::fmt::Display for NotDone {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Refused(why) | Self::Unsaved { why, .. } | Self::Unanswered(why) => {
                f.write_str(why)
            }
        }
    }
}

/// Where the core answers a command that must be done, not only accepted: the API
/// answers an ack only once it is on disk. Cloning shares the one answer.
#[derive(Clone)]
pub struct Reply(Arc<Mutex<Option<oneshot::Sender<Done>>>>);

impl Reply {
    /// A reply slot and the receiver its answer arrives on.
    pub fn new() -> (Self, oneshot::Receiver<Done>) {
        let (sender, receiver) = oneshot::channel();
        (Self(Arc::new(Mutex::new(Some(sender)))), receiver)
    }

    /// Answers once; later answers (and a caller that gave up) are ignored.
    pub fn send(&self, outcome: Done) {
        let sender = match self.0.lock() {
            Ok(mut slot) => slot.take(),
            Err(poisoned) => poisoned.into_inner().take(),
        };
        if let Some(sender) = sender {
            let _ = sender.send(outcome);
        }
    }
}

impl PartialEq for Reply {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl Eq for Reply {}

impl std::fmt::Debug for Reply {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reply")
    }
}
