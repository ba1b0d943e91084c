//! The words of lookout's interface contract (PRODUCT.md) that the config, the engine and
//! every screen speak alike: a service's states and the machine's resources.

use std::fmt;

/// A service's state as shown on screen, in logs and in JSON.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
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

/// What a resource threshold watches.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub enum Resource {
    Cpu,
    Memory,
    Swap,
    Disk,
    Inodes,
    Load,
}

impl Resource {
    pub const ALL: [Resource; 6] = [
        Resource::Cpu,
        Resource::Memory,
        Resource::Swap,
        Resource::Disk,
        Resource::Inodes,
        Resource::Load,
    ];

    /// The config key, and the word on screen and in logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu",
            Resource::Memory => "memory",
            Resource::Swap => "swap",
            Resource::Disk => "disk",
            Resource::Inodes => "inodes",
            Resource::Load => "load",
        }
    }

    /// The alert type this becomes (PRODUCT.md).
    pub fn alert_type(self) -> &'static str {
        match self {
            Resource::Cpu => "cpu_spike",
            _ => "resource_exhaustion",
        }
    }

    /// True when readings are percentages (all but load, which is per core).
    pub fn is_percent(self) -> bool {
        self != Resource::Load
    }
}
