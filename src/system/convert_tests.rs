//! The conversion on injected readings: n/a stays n/a, pseudo filesystems and loopback
//! are left out, rates come from counter differences and never go negative.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::*;

const GIB: u64 = 1 << 30;

fn at() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// A two-core machine with 8 GiB of memory, no swap, no disks, no network.
fn raw() -> RawReadings {
    RawReadings {
        at: at(),
        since_last: None,
        hostname: Some("db-1".to_string()),
        uptime: Some(Duration::from_secs(3 * 86_400)),
        cpu_total: Some(37.5),
        cpu_per_core: vec![50.0, 25.0],
        load: Some([0.5, 0.25, 0.125]),
        mem_total: 8 * GIB,
        mem_used: 2 * GIB,
        swap_total: 0,
        swap_used: 0,
        disks: Vec::new(),
        networks: Vec::new(),
        processes: None,
    }
}

fn disk(device: &str, mount: &str, kind: &str) -> RawDisk {
    RawDisk {
        device: device.to_string(),
        mount: mount.to_string(),
        kind: kind.to_string(),
        total: 100 * GIB,
        free: 40 * GIB,
        available: 35 * GIB,
        inodes_total: 1000,
        inodes_free: 250,
    }
}

fn net(name: &str, rx_total: u64, tx_total: u64) -> RawNet {
    RawNet {
        name: name.to_string(),
        rx_total,
        tx_total,
    }
}

#[test]
fn plain_readings_carry_over() {
    let sample = Converter::default().sample(raw());
    assert_eq!(sample.at, at());
    assert_eq!(sample.hostname.as_deref(), Some("db-1"));
    assert_eq!(sample.cores, 2);
    let cpu = sample.cpu.expect("cpu");
    assert_eq!((cpu.total, cpu.per_core), (37.5, vec![50.0, 25.0]));
    let load = sample.load.expect("load");
    assert_eq!(load.per_core(sample.cores), Some(0.25));
    let memory = sample.memory.expect("memory");
    assert_eq!(memory.percent(), Some(25.0));
    assert!(sample.processes.is_none());
}

#[test]
fn missing_data_is_none_never_a_fake_zero() {
    let empty = RawReadings {
        hostname: Some(String::new()),
        uptime: None,
        cpu_total: None,
        cpu_per_core: Vec::new(),
        load: None,
        mem_total: 0,
        mem_used: 0,
        ..raw()
    };
    let sample = Converter::default().sample(empty);
    assert_eq!(sample.hostname, None);
    assert_eq!(sample.cpu, None);
    assert_eq!(sample.cores, 0);
    assert_eq!(sample.load, None);
    assert_eq!(sample.memory, None);
    assert_eq!(sample.swap, None, "no swap is n/a, not 0 %");
    assert!(sample.filesystems.is_empty() && sample.networks.is_empty());
    let load = LoadAverage {
        one: 1.0,
        five: 1.0,
        fifteen: 1.0,
    };
    assert_eq!(load.per_core(0), None);
}

#[test]
fn cpu_values_are_clamped_to_percentages() {
    let wild = RawReadings {
        cpu_total: Some(100.4),
        cpu_per_core: vec![-1.0, f32::NAN, 101.0],
        ..raw()
    };
    let cpu = Converter::default().sample(wild).cpu.expect("cpu");
    assert_eq!((cpu.total, cpu.per_core), (100.0, vec![0.0, 0.0, 100.0]));
    let nan = RawReadings {
        cpu_total: Some(f32::NAN),
        ..raw()
    };
    assert_eq!(Converter::default().sample(nan).cpu, None);
}

#[test]
fn swap_and_memory_used_never_exceed_total() {
    let sample = Converter::default().sample(RawReadings {
        swap_total: 4 * GIB,
        swap_used: 5 * GIB,
        ..raw()
    });
    let swap = sample.swap.expect("swap");
    assert_eq!((swap.used, swap.percent()), (4 * GIB, Some(100.0)));
}

#[test]
fn filesystems_are_real_ones_each_device_once_root_first() {
    let disks = vec![
        disk("/dev/vda2", "/home", "ext4"),
        disk("tmpfs", "/tmp", "tmpfs"),
        disk("proc", "/proc", "proc"),
        disk("/dev/loop3", "/snap/core/17", "squashfs"),
        disk("/dev/vda1", "/etc/hosts", "ext4"),
        disk("/dev/vda1", "/", "ext4"),
        disk("overlay", "/var/lib/docker/overlay2/x/merged", "overlay"),
        RawDisk {
            total: 0,
            ..disk("/dev/vdb", "/empty", "ext4")
        },
    ];
    let sample = Converter::default().sample(RawReadings { disks, ..raw() });
    let mounts: Vec<&str> = sample
        .filesystems
        .iter()
        .map(|f| f.mount.as_str())
        .collect();
    assert_eq!(mounts, ["/", "/home"]);
    let root = &sample.filesystems[0];
    assert_eq!((root.used, root.available), (60 * GIB, 35 * GIB));
    // df's way: 60 used of 60 + 35 = 63.2 %, not 60 % of the total.
    let percent = root.percent().expect("percent");
    assert!((percent - 63.157).abs() < 0.01, "{percent}");
    let inodes = root.inodes.expect("inodes");
    assert_eq!(inodes.percent(), Some(75.0));
}

#[test]
fn a_container_root_on_overlay_is_kept_and_btrfs_has_no_inode_table() {
    let disks = vec![RawDisk {
        inodes_total: 0,
        inodes_free: 0,
        ..disk("overlay", "/", "overlay")
    }];
    let sample = Converter::default().sample(RawReadings { disks, ..raw() });
    assert_eq!(sample.filesystems.len(), 1);
    assert_eq!(sample.filesystems[0].inodes, None);
}

#[test]
fn network_rates_come_from_counter_differences() {
    let mut converter = Converter::default();
    let first = RawReadings {
        networks: vec![
            net("lo", 500, 500),
            net("eth0", 1000, 100),
            net("ifb0", 0, 0),
        ],
        ..raw()
    };
    let sample = converter.sample(first);
    let names: Vec<&str> = sample.networks.iter().map(|n| n.name.as_str()).collect();
    assert_eq!(
        names,
        ["eth0"],
        "loopback and silent interfaces are left out"
    );
    assert_eq!(
        sample.networks[0].rates, None,
        "the first reading has no rate"
    );

    // Table: (rx, tx, seconds since the last reading) -> rates.
    let cases: [(u64, u64, Option<u64>, Option<Rates>); 4] = [
        (
            3000,
            600,
            Some(2),
            Some(Rates {
                rx: 1000.0,
                tx: 250.0,
            }),
        ),
        (3000, 600, Some(1), Some(Rates { rx: 0.0, tx: 0.0 })),
        // The counters went back (the interface was reset): no rate, not a negative one.
        (10, 5, Some(1), None),
        (1010, 5, None, None),
    ];
    for (rx, tx, seconds, want) in cases {
        let reading = RawReadings {
            since_last: seconds.map(Duration::from_secs),
            networks: vec![net("eth0", rx, tx)],
            ..raw()
        };
        let sample = converter.sample(reading);
        assert_eq!(sample.networks[0].rates, want, "{rx} {tx} {seconds:?}");
    }
}

#[test]
fn processes_are_the_top_five_by_cpu() {
    let process = |pid: u32, cpu: f32| TopProcess {
        pid,
        name: format!("p{pid}"),
        cpu,
        memory: 1,
    };
    let processes = vec![
        process(1, 0.5),
        process(2, 90.0),
        process(3, 150.0),
        process(4, 3.0),
        process(5, 3.0),
        process(6, 10.0),
        process(7, 0.0),
    ];
    let sample = Converter::default().sample(RawReadings {
        processes: Some(processes),
        ..raw()
    });
    let pids: Vec<u32> = sample
        .processes
        .expect("processes")
        .iter()
        .map(|p| p.pid)
        .collect();
    assert_eq!(pids, [3, 2, 6, 4, 5]);
}
