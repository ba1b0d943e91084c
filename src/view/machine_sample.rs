//! One owned sample of the machine, as the sampler sends it to the core. Anything the
//! machine could not tell is `None` (or an empty list), shown as "n/a", never as zero.

use std::time::{Duration, SystemTime};

/// Everything one sample knows about the machine.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SystemSample {
    /// Wall-clock time of the reading; thresholds measure their `for` in these.
    pub at: SystemTime,
    pub hostname: Option<String>,
    pub uptime: Option<Duration>,
    /// `None` until two CPU readings far enough apart exist.
    pub cpu: Option<CpuUsage>,
    /// Logical cores; 0 when unknown.
    pub cores: usize,
    pub load: Option<LoadAverage>,
    pub memory: Option<Usage>,
    /// `None` on a machine without swap.
    pub swap: Option<Usage>,
    /// Real filesystems only, "/" first; empty when there are none (some containers).
    pub filesystems: Vec<Filesystem>,
    /// Non-loopback interfaces that have moved any bytes, by name.
    pub networks: Vec<Interface>,
    /// The top processes by CPU; `None` unless `[system] processes` is on.
    pub processes: Option<Vec<TopProcess>>,
}

/// CPU use in percent (0 to 100).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct CpuUsage {
    pub total: f32,
    /// One per logical core, in the kernel's order.
    pub per_core: Vec<f32>,
}

/// Load averages over 1, 5 and 15 minutes.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LoadAverage {
    pub one: f64,
    pub five: f64,
    pub fifteen: f64,
}

impl LoadAverage {
    /// The one-minute load divided by `cores`; `None` when the core count is unknown.
    pub fn per_core(&self, cores: usize) -> Option<f64> {
        (cores > 0).then(|| self.one / cores as f64)
    }
}

/// Bytes (or inodes) in use out of a total.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Usage {
    pub used: u64,
    pub total: u64,
}

impl Usage {
    /// Share in use, 0 to 100; `None` for an empty total.
    pub fn percent(&self) -> Option<f64> {
        (self.total > 0).then(|| self.used.min(self.total) as f64 * 100.0 / self.total as f64)
    }
}

/// One mounted filesystem.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Filesystem {
    pub mount: String,
    /// The filesystem type, like "ext4".
    pub kind: String,
    /// Blocks in use.
    pub used: u64,
    /// Free to unprivileged users (excludes the blocks reserved for root).
    pub available: u64,
    /// `None` when the filesystem has no fixed inode table (btrfs, some FUSE).
    pub inodes: Option<Usage>,
}

impl Filesystem {
    /// Percent in use as `df` counts it: used out of used plus available, so the blocks
    /// reserved for root count as full.
    pub fn percent(&self) -> Option<f64> {
        let room = self.used.saturating_add(self.available);
        (room > 0).then(|| self.used as f64 * 100.0 / room as f64)
    }
}

/// One network interface's traffic since the sample before.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interface {
    pub name: String,
    /// Bytes per second; `None` on the first sample and after a counter reset.
    pub rates: Option<Rates>,
}

/// Receive and transmit rates in bytes per second.
#[derive(Debug, Clone, Copy, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Rates {
    pub rx: f64,
    pub tx: f64,
}

/// One process among the busiest.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TopProcess {
    pub pid: u32,
    pub name: String,
    /// Percent of one core (above 100 for a process busy on several).
    pub cpu: f32,
    /// Resident memory in bytes.
    pub memory: u64,
}
