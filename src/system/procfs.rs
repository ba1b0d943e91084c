//! Linux's machine-wide counters (`/proc/stat`, `/proc/meminfo`, `/proc/loadavg`,
//! `/proc/net/dev`) read through files opened once: a sample costs one `pread` per file,
//! where opening, reading and closing a file per counter cost some 160 system calls.
//! The parsers are pure, so each rule is tested on captured text.

use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;

use super::convert::RawNet;

/// What a `/proc` text starts at; most are under 4 KiB, `/proc/stat` grows with the cores.
const FIRST_BUFFER: usize = 4096;

/// One `/proc` file kept open and read again from its start.
#[derive(Debug)]
pub struct ProcFile {
    file: Option<File>,
    buffer: Vec<u8>,
}

impl ProcFile {
    /// Opens `path`; a file that cannot be opened reads as nothing ever after.
    pub fn open(path: &str) -> Self {
        Self {
            file: File::open(path).ok(),
            buffer: vec![0; FIRST_BUFFER],
        }
    }

    /// The file's whole text as the kernel writes it now; `None` when unreadable.
    pub fn text(&mut self) -> Option<&str> {
        let file = self.file.as_ref()?;
        let length = loop {
            match file.read_at(&mut self.buffer, 0) {
                // A full buffer may mean more text: read it all again into a bigger one.
                Ok(length) if length == self.buffer.len() => {
                    self.buffer.resize(self.buffer.len() * 2, 0);
                }
                Ok(length) => break length,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => return None,
            }
        };
        std::str::from_utf8(&self.buffer[..length]).ok()
    }
}

/// One CPU's (or all CPUs') time since boot, in clock ticks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CpuTimes {
    /// user + nice + system + irq + softirq + steal (guest time is inside user and nice).
    pub busy: u64,
    /// busy + idle + iowait.
    pub total: u64,
}

impl CpuTimes {
    /// Percent busy between `before` and `self`; `None` when no tick passed between them.
    pub fn usage_since(&self, before: &CpuTimes) -> Option<f32> {
        let total = self.total.checked_sub(before.total).filter(|&t| t > 0)?;
        let busy = self.busy.saturating_sub(before.busy).min(total);
        Some((busy as f64 * 100.0 / total as f64) as f32)
    }
}

/// `/proc/stat`'s `cpu` line and its `cpuN` lines, in order.
pub fn parse_cpu_times(stat: &str) -> (Option<CpuTimes>, Vec<CpuTimes>) {
    let mut all = None;
    let mut cores = Vec::new();
    for line in stat.lines() {
        let Some(rest) = line.strip_prefix("cpu") else {
            // The cpu lines come first; nothing after them is wanted.
            if all.is_some() {
                break;
            }
            continue;
        };
        let mut fields = rest.split_ascii_whitespace();
        let label = if rest.starts_with(' ') {
            ""
        } else {
            fields.next().unwrap_or("")
        };
        let ticks: Vec<u64> = fields.take(8).map_while(|f| f.parse().ok()).collect();
        let [user, nice, system, idle, rest @ ..] = ticks.as_slice() else {
            continue;
        };
        let at = |i: usize| rest.get(i).copied().unwrap_or(0);
        let (iowait, irq, softirq, steal) = (at(0), at(1), at(2), at(3));
        let busy = user + nice + system + irq + softirq + steal;
        let times = CpuTimes {
            busy,
            total: busy + idle + iowait,
        };
        if label.is_empty() {
            all = Some(times);
        } else {
            cores.push(times);
        }
    }
    (all, cores)
}

/// Memory and swap, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Memory {
    pub total: u64,
    /// What programs hold: total less what the kernel says is available.
    pub used: u64,
    pub swap_total: u64,
    pub swap_used: u64,
}

/// `/proc/meminfo`; a kernel without `MemAvailable` (before 3.14) counts free, buffers
/// and page cache as available.
pub fn parse_meminfo(meminfo: &str) -> Memory {
    let (mut total, mut available, mut free, mut buffers, mut cached) = (0, None, 0, 0, 0);
    let (mut swap_total, mut swap_free) = (0, 0);
    for line in meminfo.lines() {
        let Some((key, value)) = line.split_once(':') else {
            continue;
        };
        let Some(kib) = value
            .split_ascii_whitespace()
            .next()
            .and_then(|v| v.parse::<u64>().ok())
        else {
            continue;
        };
        let bytes = kib.saturating_mul(1024);
        match key {
            "MemTotal" => total = bytes,
            "MemAvailable" => available = Some(bytes),
            "MemFree" => free = bytes,
            "Buffers" => buffers = bytes,
            "Cached" => cached = bytes,
            "SwapTotal" => swap_total = bytes,
            "SwapFree" => swap_free = bytes,
            _ => {}
        }
    }
    let available = available.unwrap_or(free + buffers + cached);
    Memory {
        total,
        used: total.saturating_sub(available),
        swap_total,
        swap_used: swap_total.saturating_sub(swap_free),
    }
}

/// `/proc/loadavg`'s 1, 5 and 15 minute figures.
pub fn parse_loadavg(loadavg: &str) -> Option<[f64; 3]> {
    let mut fields = loadavg.split_ascii_whitespace().map(str::parse::<f64>);
    match (fields.next(), fields.next(), fields.next()) {
        (Some(Ok(one)), Some(Ok(five)), Some(Ok(fifteen))) => Some([one, five, fifteen]),
        _ => None,
    }
}

/// `/proc/net/dev`: each interface's received and sent bytes since it came up.
pub fn parse_net_dev(net_dev: &str) -> Vec<RawNet> {
    net_dev
        .lines()
        .filter_map(|line| {
            let (name, counters) = line.split_once(':')?;
            let mut fields = counters.split_ascii_whitespace();
            let rx_total = fields.next()?.parse().ok()?;
            // Seven more receive columns, then the transmitted bytes.
            let tx_total = fields.nth(7)?.parse().ok()?;
            Some(RawNet {
                name: name.trim().to_string(),
                rx_total,
                tx_total,
            })
        })
        .collect()
}

#[cfg(test)]
#[path = "procfs_tests.rs"]
mod tests;
