//! The `/proc` parsers on text captured from real kernels, and a live read of this one.

use super::*;

const STAT: &str = "cpu  42834 10 21670 1049159 623 5 285 48 7 0
cpu0 20803 4 10400 524000 300 2 140 20 7 0
cpu1 22031 6 11270 525159 323 3 145 28 0 0
intr 12345 0 0
ctxt 999
cpu_not_a_cpu_line 1 2 3 4
";

#[test]
fn cpu_times_split_busy_from_idle_and_iowait() {
    let (all, cores) = parse_cpu_times(STAT);
    let all = all.expect("the cpu line");
    // user + nice + system + irq + softirq + steal; guest (7) is already inside user.
    assert_eq!(all.busy, 42834 + 10 + 21670 + 5 + 285 + 48);
    assert_eq!(all.total, all.busy + 1049159 + 623);
    assert_eq!(cores.len(), 2, "lines after the cpu block are not cores");
    assert_eq!(cores[1].busy, 22031 + 6 + 11270 + 3 + 145 + 28);
}

#[test]
fn an_old_kernel_with_four_columns_still_counts() {
    let (all, cores) = parse_cpu_times("cpu  100 0 50 850\ncpu0 100 0 50 850\n");
    assert_eq!(
        all,
        Some(CpuTimes {
            busy: 150,
            total: 1000
        })
    );
    assert_eq!(cores.len(), 1);
}

#[test]
fn unreadable_cpu_text_gives_nothing() {
    assert_eq!(parse_cpu_times(""), (None, vec![]));
    assert_eq!(parse_cpu_times("cpu  x y z\n"), (None, vec![]));
}

#[test]
fn usage_is_the_busy_share_of_the_ticks_between_two_readings() {
    let before = CpuTimes {
        busy: 100,
        total: 1000,
    };
    let now = CpuTimes {
        busy: 125,
        total: 1100,
    };
    assert_eq!(now.usage_since(&before), Some(25.0));
    assert_eq!(before.usage_since(&before), None, "no tick passed");
    assert_eq!(before.usage_since(&now), None, "counters went backwards");
    let odd = CpuTimes {
        busy: 500,
        total: 1100,
    };
    assert_eq!(odd.usage_since(&before), Some(100.0), "never above 100 %");
}

const MEMINFO: &str = "MemTotal:       24683792 kB
MemFree:        24135148 kB
MemAvailable:   24118976 kB
Buffers:             808 kB
Cached:           176052 kB
SwapCached:            0 kB
SwapTotal:       1048572 kB
SwapFree:         524284 kB
HugePages_Total:       0
";

#[test]
fn used_memory_is_total_less_available() {
    let memory = parse_meminfo(MEMINFO);
    assert_eq!(memory.total, 24683792 * 1024);
    assert_eq!(memory.used, (24683792 - 24118976) * 1024);
    assert_eq!(memory.swap_total, 1048572 * 1024);
    assert_eq!(memory.swap_used, (1048572 - 524284) * 1024);
}

#[test]
fn without_mem_available_free_buffers_and_cache_are_available() {
    let old = MEMINFO.replace("MemAvailable:   24118976 kB\n", "");
    let memory = parse_meminfo(&old);
    assert_eq!(memory.used, (24683792 - 24135148 - 808 - 176052) * 1024);
    assert_eq!(parse_meminfo(""), Memory::default());
}

#[test]
fn load_is_the_first_three_figures() {
    assert_eq!(
        parse_loadavg("0.52 0.58 0.59 1/389 13745\n"),
        Some([0.52, 0.58, 0.59])
    );
    assert_eq!(parse_loadavg("0.52 0.58\n"), None);
    assert_eq!(parse_loadavg("a b c\n"), None);
}

const NET_DEV: &str = "Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo: 14589421  179192    0    0    0     0          0         0 14589421  179192    0    0    0     0       0          0
  eth0:173982874    5250    0    0    0     0          0         0   301682    3103    0    0    0     0       0          0
 wg0: 1 2
";

#[test]
fn interfaces_give_received_and_sent_bytes() {
    let interfaces = parse_net_dev(NET_DEV);
    assert_eq!(
        interfaces,
        vec![
            RawNet {
                name: "lo".into(),
                rx_total: 14589421,
                tx_total: 14589421
            },
            // A name long enough to touch the counters still parses.
            RawNet {
                name: "eth0".into(),
                rx_total: 173982874,
                tx_total: 301682
            },
        ],
        "the headers and a truncated line are skipped"
    );
}

#[test]
fn a_file_kept_open_reads_the_current_text_each_time() {
    let mut stat = ProcFile::open("/proc/stat");
    let first = parse_cpu_times(stat.text().expect("/proc/stat"))
        .0
        .expect("cpu line");
    std::thread::sleep(std::time::Duration::from_millis(50));
    let second = parse_cpu_times(stat.text().expect("/proc/stat"))
        .0
        .expect("cpu line");
    assert!(second.total > first.total, "{first:?} then {second:?}");
    assert_eq!(ProcFile::open("/proc/no-such-file").text(), None);
}

#[test]
fn a_text_longer_than_the_buffer_is_read_whole() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("long");
    let text = "x".repeat(FIRST_BUFFER * 3 + 5);
    std::fs::write(&path, &text).expect("write");
    let mut file = ProcFile::open(path.to_str().expect("utf-8 path"));
    assert_eq!(file.text(), Some(text.as_str()));
    assert_eq!(file.text().map(str::len), Some(text.len()), "and again");
}
