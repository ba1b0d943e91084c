//! The log directory deleted under a running headless lookout: the next line makes it
//! again, the new file starts with `log_dir_recreated`, and every later line is in it
//! (the same lines stdout got); lookout keeps running and exits 0.

mod support;

use std::time::Duration;

use serde_json::Value;
use support::headless::Headless;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);

#[test]
fn a_deleted_log_directory_comes_back_with_every_later_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let logs = dir.path().join("logs");
    let web = ToggleServer::start_new();
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"200ms\"\n\
             timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n\
             [system]\nenabled = false\n\n[log]\nstdout = true\ndir = \"{}\"\n\n\
             [[service]]\nname = \"web\"\nurl = \"{}\"\n",
            dir.path().join("state").display(),
            logs.display(),
            web.url("/")
        ),
    );
    let mut lookout = Headless::start(&path, &[]);
    lookout.seen_or_wait("service_state_changed", Some("web"), LIMIT);
    std::fs::remove_dir_all(&logs).expect("delete the log directory");

    web.set_status(500);
    let down = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    web.set_status(200);
    let up = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));

    let files: Vec<_> = std::fs::read_dir(&logs)
        .expect("the directory is back")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    let text = std::fs::read_to_string(&files[0]).expect("the new file");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines[0]["event"], "log_dir_recreated", "{text}");
    assert_eq!(lines[0]["level"], "error");
    assert_eq!(lines[0]["dir"], logs.display().to_string());
    for change in [&down, &up] {
        assert!(
            lines.contains(change),
            "{change} not in the new file:\n{text}"
        );
    }
    assert_eq!(
        lines.last().map(|l| l["event"].clone()),
        Some("shutdown".into())
    );
}
