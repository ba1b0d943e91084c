//! The only place that asks the machine. CPU, memory, load and network come from four
//! `/proc` files kept open (`procfs.rs`); the disk list, hostname and boot time change
//! rarely and are read again once a minute through `sysinfo`; space and inodes come from
//! one `statvfs` per listed filesystem; processes, when asked for, from `sysinfo`.

use std::time::{Duration, Instant, SystemTime};

use sysinfo::{DiskRefreshKind, Disks, ProcessRefreshKind, ProcessesToUpdate, System};

use super::convert::{RawDisk, RawNet, RawReadings, TOP_PROCESSES};
use super::filesystems;
use super::procfs::{self, CpuTimes, ProcFile};
use crate::view::machine_sample::TopProcess;

/// How often the slow-changing facts (mounts, hostname, boot time) are read again.
const SLOW_FACTS_EVERY: Duration = Duration::from_secs(60);

/// CPU readings closer than this give a usage too coarse to show (the kernel counts in
/// 10 ms ticks); the usage from the readings before stands.
pub const MIN_CPU_GAP: Duration = Duration::from_millis(200);

/// Reads the machine; keeps the open files and the readings usage is computed from.
pub struct Reader {
    stat: ProcFile,
    meminfo: ProcFile,
    loadavg: ProcFile,
    net_dev: ProcFile,
    /// The CPU times usage is measured from, and when they were read.
    cpu_then: (Option<CpuTimes>, Vec<CpuTimes>),
    cpu_read: Instant,
    /// The last usage: overall, and per core (zeros until known).
    cpu_usage: (Option<f32>, Vec<f32>),
    /// `Some` when `[system] processes` is on.
    system: Option<System>,
    disks: Disks,
    hostname: Option<String>,
    /// Uptime at `facts_read`, so later uptimes need no read.
    uptime_then: Option<Duration>,
    facts_read: Instant,
    net_read: Option<Instant>,
}

impl std::fmt::Debug for Reader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Reader")
            .field("processes", &self.system.is_some())
            .finish_non_exhaustive()
    }
}

impl Reader {
    /// Opens the files and takes the first CPU reading (usage is a difference, so the
    /// next reading at least `MIN_CPU_GAP` later is the first with a value) and the slow
    /// facts.
    pub fn new(processes: bool) -> Result<Self, sysinfo::Error> {
        let mut stat = ProcFile::open("/proc/stat");
        let cpu_then = stat.text().map(procfs::parse_cpu_times).unwrap_or_default();
        let now = Instant::now();
        let mut reader = Self {
            cpu_usage: (None, vec![0.0; cpu_then.1.len()]),
            cpu_then,
            cpu_read: now,
            stat,
            meminfo: ProcFile::open("/proc/meminfo"),
            loadavg: ProcFile::open("/proc/loadavg"),
            net_dev: ProcFile::open("/proc/net/dev"),
            system: processes.then(System::new).transpose()?,
            disks: Disks::new()?,
            hostname: None,
            uptime_then: None,
            facts_read: now,
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
        let (cpu_total, cpu_per_core) = self.read_cpu();
        let memory = self
            .meminfo
            .text()
            .map(procfs::parse_meminfo)
            .unwrap_or_default();
        let networks = self.read_networks();
        let now = Instant::now();
        let since_last = self.net_read.map(|then| now.duration_since(then));
        self.net_read = Some(now);
        RawReadings {
            at,
            since_last,
            hostname: self.hostname.clone(),
            uptime: self.uptime_then.map(|u| u + self.facts_read.elapsed()),
            cpu_total,
            cpu_per_core,
            load: self.loadavg.text().and_then(procfs::parse_loadavg),
            mem_total: memory.total,
            mem_used: memory.used,
            swap_total: memory.swap_total,
            swap_used: memory.swap_used,
            disks: self.read_disks(),
            networks,
            processes: self.read_processes(),
        }
    }

    /// CPU use since the reading before (`None` overall when there is no usable one
    /// yet), and per core.
    fn read_cpu(&mut self) -> (Option<f32>, Vec<f32>) {
        if self.cpu_read.elapsed() >= MIN_CPU_GAP
            && let Some(text) = self.stat.text()
        {
            let (all, cores) = procfs::parse_cpu_times(text);
            let (all_then, cores_then) = &self.cpu_then;
            let total = all
                .zip(*all_then)
                .and_then(|(now, then)| now.usage_since(&then));
            let per_core = cores
                .iter()
                .enumerate()
                .map(|(i, now)| {
                    cores_then
                        .get(i)
                        .and_then(|then| now.usage_since(then))
                        .unwrap_or(0.0)
                })
                .collect();
            self.cpu_usage = (total.or(self.cpu_usage.0), per_core);
            self.cpu_then = (all, cores);
            self.cpu_read = Instant::now();
        }
        self.cpu_usage.clone()
    }

    fn read_networks(&mut self) -> Vec<RawNet> {
        self.net_dev
            .text()
            .map(procfs::parse_net_dev)
            .unwrap_or_default()
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
    fn read_processes(&mut self) -> Option<Vec<TopProcess>> {
        let system = self.system.as_mut()?;
        let kind = ProcessRefreshKind::nothing()
            .with_cpu()
            .with_memory()
            .without_tasks();
        system.refresh_processes_specifics(ProcessesToUpdate::All, true, kind);
        let mut busiest: Vec<&sysinfo::Process> = system.processes().values().collect();
        busiest.sort_unstable_by(|a, b| b.cpu_usage().total_cmp(&a.cpu_usage()));
        busiest.truncate(TOP_PROCESSES);
        Some(
            busiest
                .into_iter()
                .map(|process| TopProcess {
                    pid: process.pid().as_u32(),
                    name: process.name().to_string_lossy().into_owned(),
                    cpu: process.cpu_usage(),
                    memory: process.memory(),
                })
                .collect(),
        )
    }
}
