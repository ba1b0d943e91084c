//! The state of one service and the rules that move it between UP, DEGRADED and DOWN.

use std::fmt;

/// A service's state as shown on screen, in logs and in JSON.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ServiceState {
    Up,
    Degraded,
    Down,
    /// Not checked yet, or failing but not yet past `failure_threshold` from the start.
    Unknown,
    Paused,
}

impl ServiceState {
    pub const ALL: [ServiceState; 5] = [
        ServiceState::Up,
        ServiceState::Degraded,
        ServiceState::Down,
        ServiceState::Unknown,
        ServiceState::Paused,
    ];

    /// The contract word: `UP`, `DEGRADED`, `DOWN`, `UNKNOWN`, `PAUSED`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceState::Up => "UP",
            ServiceState::Degraded => "DEGRADED",
            ServiceState::Down => "DOWN",
            ServiceState::Unknown => "UNKNOWN",
            ServiceState::Paused => "PAUSED",
        }
    }
}

impl fmt::Display for ServiceState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
