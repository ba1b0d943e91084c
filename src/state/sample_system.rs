//! A deterministic machine for tests, benches and screenshots: samples built from index
//! arithmetic and run through the real `SystemState`, so views hold real history and
//! real threshold states.

use std::time::{Duration, SystemTime};

use crate::config::SystemConfig;
use crate::state::system::SystemState;
use crate::view::machine::SystemView;
use crate::view::machine_sample::{
    CpuUsage, Filesystem, Interface, LoadAverage, Rates, SystemSample, TopProcess, Usage,
};

const GIB: u64 = 1 << 30;
/// The sample history: 30 minutes at the default 2 s.
const POINTS: u64 = 900;
const INTERVAL: Duration = Duration::from_secs(2);

/// The k-th of `POINTS` samples of a 4-core database host ending at `now`: CPU waves
/// between 10 and 60 % and climbs above 90 % for the last 40 s (pending: the threshold
/// wants 2 minutes); /var/lib/postgresql is 93 % full all along (exceeded).
pub fn machine_sample(k: u64, now: SystemTime) -> SystemSample {
    let back = INTERVAL * u32::try_from(POINTS - 1 - k).unwrap_or(0);
    let at = now.checked_sub(back).unwrap_or(now);
    let wave = ((k % 60) as f32 - 30.0).abs() / 30.0;
    let busy = POINTS - k <= 20;
    let total = if busy { 96.5 } else { 10.0 + 50.0 * wave };
    let per_core = (0..4u8)
        .map(|core| (total + f32::from(core) * 7.0 - 10.0).clamp(0.0, 100.0))
        .collect();
    let traffic = 40_000.0 + 900_000.0 * f64::from(wave);
    SystemSample {
        at,
        hostname: Some("db-primary-1".to_string()),
        uptime: Some(Duration::from_secs(12 * 86_400 + 3 * 3600 + 17 * 60)),
        cpu: Some(CpuUsage { total, per_core }),
        cores: 4,
        load: Some(LoadAverage {
            one: 2.41,
            five: 1.87,
            fifteen: 1.12,
        }),
        memory: Some(Usage {
            used: 10 * GIB + k * (GIB / 1000),
            total: 16 * GIB,
        }),
        swap: Some(Usage {
            used: GIB / 5,
            total: 2 * GIB,
        }),
        filesystems: vec![
            filesystem("/", "ext4", 45, 55, Some(12)),
            filesystem("/boot", "ext4", 1, 4, Some(1)),
            filesystem("/var/lib/postgresql", "xfs", 372, 28, None),
        ],
        networks: vec![
            Interface {
                name: "eth0".to_string(),
                rates: Some(Rates {
                    rx: traffic,
                    tx: traffic / 4.0,
                }),
            },
            Interface {
                name: "wg0".to_string(),
                rates: Some(Rates { rx: 512.0, tx: 0.0 }),
            },
        ],
        processes: Some(vec![
            process(812, "postgres", 88.2, 2 * GIB),
            process(1391, "postgres", 41.0, GIB),
            process(2210, "node_exporter", 2.5, 30 << 20),
            process(640, "lookout", 0.4, 9 << 20),
            process(1, "systemd", 0.0, 12 << 20),
        ]),
    }
}

fn filesystem(
    mount: &str,
    kind: &str,
    used: u64,
    available: u64,
    inodes: Option<u64>,
) -> Filesystem {
    Filesystem {
        mount: mount.to_string(),
        kind: kind.to_string(),
        used: used * GIB,
        available: available * GIB,
        inodes: inodes.map(|percent| Usage {
            used: percent * 10_000,
            total: 1_000_000,
        }),
    }
}

fn process(pid: u32, name: &str, cpu: f32, memory: u64) -> TopProcess {
    TopProcess {
        pid,
        name: name.to_string(),
        cpu,
        memory,
    }
}

/// The busy database host as the screen sees it at `now`, with `processes` on.
pub fn sample_system_view(now: SystemTime) -> SystemView {
    let mut state = SystemState::new(&SystemConfig::default(), Duration::from_secs(3600));
    for k in 0..POINTS {
        state.apply(machine_sample(k, now));
    }
    state
        .view()
        .unwrap_or_else(|| unreachable!("samples were applied"))
}

/// A container's first sample: CPU not measured yet, no swap, no disks, no network,
/// no load; only memory and the hostname are known.
pub fn bare_system_view(now: SystemTime) -> SystemView {
    let sample = SystemSample {
        at: now,
        hostname: Some("3f2a9c1b7d4e".to_string()),
        uptime: None,
        cpu: None,
        cores: 0,
        load: None,
        memory: Some(Usage {
            used: 300 << 20,
            total: 512 << 20,
        }),
        swap: None,
        filesystems: Vec::new(),
        networks: Vec::new(),
        processes: None,
    };
    let mut state = SystemState::new(&SystemConfig::default(), Duration::from_secs(3600));
    state.apply(sample);
    state
        .view()
        .unwrap_or_else(|| unreachable!("a sample was applied"))
}
