//! The only place that asks the machine: one long-lived `sysinfo` `System`, `Disks` and
//! `Networks`, refreshed for just what the sample holds. The disk list, hostname and
//! boot time change rarely and are read again once a minute; space and inodes come from
//! one `statvfs` per listed filesystem.

use std::time::{Duration, Instant, SystemTime};

use sysinfo::{
    CpuRefreshKind, DiskRefreshKind, Disks, MINIMUM_CPU_UPDATE_INTERVAL, MemoryRefreshKind,
    Networks, ProcessRefreshKind, ProcessesToUpdate, System,
};

use super::convert::{RawDisk, RawNet, RawReadings, TOP_PROCESSES};
use super::filesystems;
use super::sample::TopProcess;

/// How often the slow-changing facts (mounts, hostname, boot time) are read again.
const SLOW_FACTS_EVERY: Duration = Duration::from_secs(60);

/// Reads the machine; keeps what `sysinfo` needs between readings.
pub struct Reader {
    system: System,
    disks: Disks,
    networks: Networks,
    processes: bool,
    hostname: Option<String>,
    /// Uptime at `facts_read`, so later uptimes need no read.
    uptime_then: Option<Duration>,
    facts_read: Instant,
    /// When CPU times were last read: a usage needs two readings far enough apart.
    cpu_read: Instant,
    cpu_readings: u32,
    net_read: Option<Instant>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("processes", &self.processes)
            .finish_non_exhaustive()
    }
}

impl Reader {
    /// Takes the first CPU reading (usage is a difference, so the next reading at least
    /// `MINIMUM_CPU_UPDATE_INTERVAL` later is the first with a value) and the slow facts.
    pub fn new(processes: bool) -> Result<Self, sysinfo::Error> {
        let mut system = System::new()?;
        system.refresh_cpu_specifics(CpuRefreshKind::nothing().with_usage());
        let now = Instant::now();
        let mut reader = Self {
            system,
            disks: Disks::new()?,
            networks: Networks::new()?,
            processes,
            hostname: None,
            uptime_then: None,
            facts_read: now,
            cpu_read: now,
            cpu_readings: 1,
            net_read: None,
        };
        reader.read_slow_facts();
        Ok(reader)
    }

    /// One reading, stamped `at`.
    pub fn read(&mut self, at: SystemTime) -> RawReadings {
        if self.facts_read.elapsed() >= SLOW_FACTS_EVERY {
            self.read_slow_facts();
        }
        let cpu_total = self.read_cpu();
        self.system
            .refresh_memory_specifics(MemoryRefreshKind::nothing().with_ram().with_swap());
        self.networks.refresh(true);
        let now = Instant::now();
        let since_last = self.net_read.map(|then| now.duration_since(then));
        self.net_read = Some(now);
        RawReadings {
            at,
            since_last,
            hostname: self.hostname.clone(),
            uptime: self.uptime_then.map(|u| u + self.facts_read.elapsed()),
            cpu_total,
            cpu_per_core: self.system.cpus().iter().map(|c| c.usage()).collect(),
            load: System::load_average()
                .ok()
                .map(|l| [l.one, l.five, l.fifteen]),
            mem_total: self.system.total_memory(),
            mem_used: self.system.used_memory(),
            swap_total: self.system.total_swap(),
            swap_used: self.system.used_swap(),
            disks: self.read_disks(),
            networks: self
                .networks
                .iter()
                .map(|(name, data)| RawNet {
                    name: name.to_string_lossy().into_owned(),
                    rx_total: data.total_received(),
                    tx_total: data.total_transmitted(),
                })
                .collect(),
            processes: self.processes.then(|| self.read_processes()),
        }
    }

    /// Total CPU use since the reading before; `None` when there is no usable one yet.
    fn read_cpu(&mut self) -> Option<f32> {
        if self.cpu_read.elapsed() < MINIMUM_CPU_UPDATE_INTERVAL {
            return (self.cpu_readings >= 2).then(|| self.system.global_cpu_usage());
        }
        self.system
            .refresh_cpu_specifics(CpuRefreshKind::nothing().with_usage());
        self.cpu_read = Instant::now();
        self.cpu_readings = self.cpu_readings.saturating_add(1);
        Some(self.system.global_cpu_usage())
    }

    fn read_slow_facts(&mut self) {
        // The list only: space and inodes are read per sample with one statvfs each.
        self.disks
            .refresh_specifics(true, DiskRefreshKind::nothing());
        self.hostname = System::host_name().ok();
        self.uptime_then = System::uptime().ok().map(Duration::from_secs);
        self.facts_read = Instant::now();
    }

    fn read_disks(&self) -> Vec<RawDisk> {
        self.disks
            .iter()
            .filter_map(|disk| {
                let mount = disk.mount_point().to_string_lossy().into_owned();
                let kind = disk.file_system().to_string_lossy().into_owned();
                // Not even a statvfs for what will not be shown.
                if !filesystems::is_real(&kind, &mount) {
                    return None;
                }
                let stat = rustix::fs::statvfs(disk.mount_point()).ok()?;
                let block = stat.f_frsize.max(1);
                Some(RawDisk {
                    device: disk.name().to_string_lossy().into_owned(),
                    mount,
                    kind,
                    total: stat.f_blocks.saturating_mul(block),
                    free: stat.f_bfree.saturating_mul(block),
                    available: stat.f_bavail.saturating_mul(block),
                    inodes_total: stat.f_files,
                    inodes_free: stat.f_ffree,
                })
            })
            .collect()
    }

    /// Walks /proc: the costly part, done only when `[system] processes` is on.
    fn read_processes(&mut self) -> Vec<TopProcess> {
        let kind = ProcessRefreshKind::nothing()
            .with_cpu()
            .with_memory()
            .without_tasks();
        self.system
            .refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
        let mut busiest: Vec<&sysinfo::Process> = self.system.processes().values().collect();
        busiest.sort_unstable_by(|a, b| b.cpu_usage().total_cmp(&a.cpu_usage()));
        busiest.truncate(TOP_PROCESSES);
        busiest
            .into_iter()
            .map(|process| TopProcess {
                pid: process.pid().as_u32(),
                name: process.name().to_string_lossy().into_owned(),
                cpu: process.cpu_usage(),
                memory: process.memory(),
            })
            .collect()
    }
}
