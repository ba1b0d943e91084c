//! What flows between pollers, the core and the frontends.

use std::time::{Duration, SystemTime};

use crate::system::SystemSample;

/// Index of a service in `Config::services`; stable for the life of a config.
pub type ServiceId = usize;

/// What a poller reports to the core. Owned data only.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A check finished (passed or failed).
    Checked(CheckResult),
    /// A sample of the machine (`[system]`), boxed: it is larger than a check result.
    System(Box<SystemSample>),
}

/// The result of one check of one service.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    pub service: ServiceId,
    /// Wall-clock time the check started.
    pub at: SystemTime,
    /// Time from start to verdict (includes connect when connections are fresh).
    pub latency: Duration,
    /// How late the check started against its plan.
    pub lag: Duration,
    pub outcome: Outcome,
}

/// Whether a check passed, and why not.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Pass {
        /// HTTP status, when the check is HTTP.
        status: Option<u16>,
    },
    Fail {
        status: Option<u16>,
        /// Short and precise: "timeout after 5s", "status 503", "body lacks \"ok\"".
        reason: String,
    },
}

impl Outcome {
    pub fn is_pass(&self) -> bool {
        matches!(self, Outcome::Pass { .. })
    }

    pub fn status(&self) -> Option<u16> {
        match self {
            Outcome::Pass { status } | Outcome::Fail { status, .. } => *status,
        }
    }
}

/// What a frontend asks of the core.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    /// Run this service's check now, outside its schedule.
    CheckNow(ServiceId),
    /// Pause a running service or resume a paused one.
    TogglePause(ServiceId),
    /// Pause (true) or resume (false) a service; nothing happens when it already is so.
    SetPaused(ServiceId, bool),
    /// Read the config file again and switch to it if it is valid; the text says what
    /// asked for it ("SIGHUP", "key R"), for the log.
    Reload(&'static str),
}
