//! The log file writer on its own: names by day and hour, the oldest files removed, and
//! lines the file refuses held and written whole, in order, once it takes them; beyond
//! what can be held, the oldest go and a line says how many.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::Value;

use super::file::{HELD_LIMIT, LogFile, file_name};
use crate::config::{LogConfig, Rotation};

fn config(dir: &Path) -> LogConfig {
    LogConfig {
        dir: dir.to_path_buf(),
        rotation: Rotation::Daily,
        keep: 3,
        stdout: false,
    }
}

fn lines_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<_> = (std::fs::read_dir(dir).expect("list"))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    names.sort();
    let text = std::fs::read_to_string(names.last().expect("a file")).expect("read");
    text.lines().map(str::to_string).collect()
}

/// The open file swapped for a read-only handle on it: every write fails, as on a disk
/// that refuses them.
fn refusing(log: &mut LogFile, dir: &Path) {
    let name = file_name(std::time::SystemTime::now(), Rotation::Daily);
    let read_only = File::open(dir.join(&name)).expect("the file");
    log.refuse_with(name, read_only);
}

#[test]
fn files_are_named_by_day_or_hour_in_utc() {
    let at = UNIX_EPOCH + Duration::from_secs(1_765_100_000); // 2025-12-07T09:33:20Z
    assert_eq!(file_name(at, Rotation::Daily), "lookout.2025-12-07.log");
    assert_eq!(file_name(at, Rotation::Hourly), "lookout.2025-12-07-09.log");
}

#[test]
fn only_the_newest_keep_files_stay() {
    let dir = tempfile::tempdir().expect("tempdir");
    for day in ["01", "02", "03", "04", "05"] {
        std::fs::write(dir.path().join(format!("lookout.2020-01-{day}.log")), "").unwrap();
    }
    std::fs::write(dir.path().join("notes.txt"), "").unwrap();
    let _log = LogFile::open(&config(dir.path())).expect("open");
    let mut names: Vec<String> = (std::fs::read_dir(dir.path()).unwrap())
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names.len(), 4, "{names:?}");
    assert_eq!(names[0], "lookout.2020-01-04.log");
    assert_eq!(names[3], "notes.txt", "other files are left alone");
}

#[test]
fn lines_refused_are_held_and_written_whole_and_in_order_once_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = LogFile::open(&config(dir.path())).expect("open");
    log.write_all(b"{\"n\":1}\n").unwrap();
    refusing(&mut log, dir.path());
    for n in 2..=4 {
        log.write_all(format!("{{\"n\":{n}}}\n").as_bytes())
            .unwrap();
    }
    assert_eq!(log.held(), 3);
    assert_eq!(lines_in(dir.path()), ["{\"n\":1}"]);
    // The disk takes writes again: the next line goes after the held ones.
    log.reopen();
    log.write_all(b"{\"n\":5}\n").unwrap();
    assert_eq!(log.held(), 0);
    let numbers: Vec<u64> = (lines_in(dir.path()).iter())
        .map(|l| {
            serde_json::from_str::<Value>(l).unwrap()["n"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(numbers, [1, 2, 3, 4, 5]);
}

#[test]
fn beyond_what_can_be_held_the_oldest_go_and_a_line_says_how_many() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut log = LogFile::open(&config(dir.path())).expect("open");
    refusing(&mut log, dir.path());
    for n in 0..HELD_LIMIT + 5 {
        log.write_all(format!("{{\"n\":{n}}}\n").as_bytes())
            .unwrap();
    }
    assert_eq!(log.held(), HELD_LIMIT);
    log.reopen();
    log.flush().unwrap();
    let lines = lines_in(dir.path());
    assert_eq!(lines.len(), HELD_LIMIT + 1);
    let note: Value = serde_json::from_str(&lines[0]).unwrap();
    assert_eq!(note["event"], "log_lines_dropped");
    assert_eq!(note["dropped"], 5);
    let first: Value = serde_json::from_str(&lines[1]).unwrap();
    assert_eq!(first["n"], 5, "the five oldest went");
}
