//! From raw readings (what the kernel said, as plain numbers) to a `SystemSample`: pure,
//! so every rule is tested on injected readings. Rates come from counter differences
//! over the time between two readings; a counter that went backwards (an interface
//! reset, a wrap) gives no rate for that sample rather than a negative or huge one.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use super::filesystems;
use crate::view::machine_sample::{
    CpuUsage, Filesystem, Interface, LoadAverage, Rates, SystemSample, TopProcess, Usage,
};

/// What one reading of the machine gave, before any judgement.
#[derive(Debug, Clone, PartialEq)]
pub struct RawReadings {
    pub at: SystemTime,
    /// Monotonic time since the previous reading of the network counters; `None` at first.
    pub since_last: Option<Duration>,
    pub hostname: Option<String>,
    pub uptime: Option<Duration>,
    /// `None` until CPU use has been read twice far enough apart.
    pub cpu_total: Option<f32>,
    pub cpu_per_core: Vec<f32>,
    pub load: Option<[f64; 3]>,
    pub mem_total: u64,
    pub mem_used: u64,
    pub swap_total: u64,
    pub swap_used: u64,
    pub disks: Vec<RawDisk>,
    pub networks: Vec<RawNet>,
    pub processes: Option<Vec<TopProcess>>,
}

/// One mount as `statvfs` sees it, in bytes and inodes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawDisk {
    /// The device or source, like "/dev/vda1"; a device mounted twice is shown once.
    pub device: String,
    pub mount: String,
    pub kind: String,
    pub total: u64,
    /// Free, including the blocks reserved for root.
    pub free: u64,
    /// Free to unprivileged users.
    pub available: u64,
    pub inodes_total: u64,
    pub inodes_free: u64,
}

/// One interface's byte counters since boot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawNet {
    pub name: String,
    pub rx_total: u64,
    pub tx_total: u64,
}

/// How many processes a sample lists.
pub const TOP_PROCESSES: usize = 5;

/// Turns readings into samples, remembering the counters of the reading before.
#[derive(Debug, Default)]
pub struct Converter {
    counters: HashMap<String, (u64, u64)>,
}

impl Converter {
    pub fn sample(&mut self, raw: RawReadings) -> SystemSample {
        let cores = raw.cpu_per_core.len();
        let cpu = raw
            .cpu_total
            .filter(|t| t.is_finite())
            .map(|total| CpuUsage {
                total: percent(total),
                per_core: raw.cpu_per_core.iter().copied().map(percent).collect(),
            });
        let networks = self.networks(&raw.networks, raw.since_last);
        SystemSample {
            at: raw.at,
            hostname: raw.hostname.filter(|h| !h.is_empty()),
            uptime: raw.uptime,
            cpu,
            cores,
            load: raw
                .load
                .map(|[one, five, fifteen]| LoadAverage { one, five, fifteen }),
            memory: usage(raw.mem_used, raw.mem_total),
            swap: usage(raw.swap_used, raw.swap_total),
            filesystems: filesystems(raw.disks),
            networks,
            processes: raw.processes.map(top),
        }
    }

    fn networks(&mut self, raw: &[RawNet], since_last: Option<Duration>) -> Vec<Interface> {
        let seconds = since_last.map(|d| d.as_secs_f64()).filter(|s| *s > 0.0);
        let mut interfaces: Vec<Interface> = raw
            .iter()
            .filter(|net| net.name != "lo" && (net.rx_total > 0 || net.tx_total > 0))
            .map(|net| {
                let before = self.counters.get(&net.name);
                let rates = match (before, seconds) {
                    (Some(&(rx, tx)), Some(seconds))
                        if net.rx_total >= rx && net.tx_total >= tx =>
                    {
                        Some(Rates {
                            rx: (net.rx_total - rx) as f64 / seconds,
                            tx: (net.tx_total - tx) as f64 / seconds,
                        })
                    }
                    _ => None,
                };
                Interface {
                    name: net.name.clone(),
                    rates,
                }
            })
            .collect();
        interfaces.sort_by(|a, b| a.name.cmp(&b.name));
        self.counters = raw
            .iter()
            .map(|net| (net.name.clone(), (net.rx_total, net.tx_total)))
            .collect();
        interfaces
    }
}

fn percent(value: f32) -> f32 {
    if value.is_finite() {
        value.clamp(0.0, 100.0)
    } else {
        0.0
    }
}

/// `None` for a zero total: "no swap" is not "0 % of swap used".
fn usage(used: u64, total: u64) -> Option<Usage> {
    (total > 0).then(|| Usage {
        used: used.min(total),
        total,
    })
}

/// Real filesystems with a size, each device once (at its shortest mount point).
fn filesystems(mut disks: Vec<RawDisk>) -> Vec<Filesystem> {
    disks.retain(|d| d.total > 0 && filesystems::is_real(&d.kind, &d.mount));
    disks.sort_by(|a, b| {
        let depth = |d: &RawDisk| d.mount.len();
        a.device.cmp(&b.device).then(depth(a).cmp(&depth(b)))
    });
    disks.dedup_by(|later, first| later.device == first.device);
    let mut shown: Vec<Filesystem> = disks
        .into_iter()
        .map(|d| Filesystem {
            used: d.total.saturating_sub(d.free),
            available: d.available.min(d.total),
            inodes: usage(d.inodes_total.saturating_sub(d.inodes_free), d.inodes_total),
            mount: d.mount,
            kind: d.kind,
        })
        .collect();
    shown.sort_by(|a, b| filesystems::order(&a.mount, &b.mount));
    shown
}

fn top(mut processes: Vec<TopProcess>) -> Vec<TopProcess> {
    processes.sort_by(|a, b| b.cpu.total_cmp(&a.cpu).then(a.pid.cmp(&b.pid)));
    processes.truncate(TOP_PROCESSES);
    processes
}

#[cfg(test)]
#[path = "convert_tests.rs"]
mod tests;
