//! The log directory's disk full under a running headless lookout: the lines logged
//! meanwhile are held, and written once space is freed; the file then has every line
//! stdout got, in the same order, and every line in it is whole JSON (none torn).

mod support;

use std::time::Duration;

use serde_json::Value;
use support::headless::Headless;
use support::tinyfs::TinyFs;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn lines_logged_while_the_disk_is_full_are_all_written_whole_once_it_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    let Some(disk) = TinyFs::mount(&logs, "1m") else {
        return;
    };
    let web = ToggleServer::start_new();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"100ms\"\n\
             timeout = \"80ms\"\ndegraded_after = \"60ms\"\n\n\
             [system]\nenabled = false\n\n[log]\nstdout = true\ndir = \"{}\"\n\n\
             [[service]]\nname = \"web\"\nurl = \"{}\"\n",
            dir.path().join("state").display(),
            logs.display(),
            web.url("/")
        ),
    );
    // Every check logged: some twenty lines a second.
    let mut lookout = Headless::start(&path, &[("LOOKOUT_LOG", "lookout=debug")]);
    lookout.seen_or_wait("check_completed", Some("web"), LIMIT);

    let filler = disk.fill();
    // Checks go on and are logged while nothing fits, a state change among them.
    std::thread::sleep(Duration::from_millis(800));
    web.set_status(500);
    lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    std::thread::sleep(Duration::from_millis(800));
    let file_lines = || {
        (std::fs::read_dir(&logs).expect("the log directory"))
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "log"))
            .map(|p| {
                std::fs::read_to_string(p)
                    .unwrap_or_default()
                    .lines()
                    .count()
            })
            .sum::<usize>()
    };
    let while_full = file_lines();
    // Read stdout up to now.
    let mark = humantime::format_rfc3339_millis(std::time::SystemTime::now()).to_string();
    lookout.wait_for("a line logged after the file was counted", LIMIT, |line| {
        line["ts"].as_str().is_some_and(|ts| ts > mark.as_str())
    });
    assert!(
        while_full < lookout.seen.len(),
        "the disk took every line while full ({while_full} of {})",
        lookout.seen.len()
    );
    std::fs::remove_file(&filler).expect("free the space");
    std::thread::sleep(Duration::from_millis(500));
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));

    let files: Vec<_> = (std::fs::read_dir(&logs).expect("the log directory"))
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).expect("the log file");
    let in_file: Vec<Value> = (text.lines().enumerate())
        .map(|(n, line)| {
            serde_json::from_str(line)
                .unwrap_or_else(|err| panic!("line {n} is torn ({err}): {line}"))
        })
        .collect();
    assert!(text.ends_with('\n'), "the last line is whole");
    // stdout got every line at once; the file, every one of them too, in order.
    assert_eq!(
        in_file.len(),
        lookout.seen.len(),
        "the file has {} lines, stdout {}",
        in_file.len(),
        lookout.seen.len()
    );
    assert_eq!(in_file, lookout.seen);
}
