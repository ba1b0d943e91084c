//! `lookout::log::init` installs the process-wide subscriber once; a second call is an
//! error, not a panic. (Its own test binary: the global subscriber cannot be undone.)

use lookout::config::{LogConfig, Rotation};
use lookout::log::{self, Filter, LogError, events};

#[test]
fn init_installs_once_and_the_guard_flushes() {
    let temp = tempfile::tempdir().expect("tempdir");
    let config = LogConfig {
        dir: temp.path().join("logs"),
        rotation: Rotation::Daily,
        keep: 3,
        stdout: false,
    };
    let guard = log::init(&config, Filter::default()).expect("first init");
    let again = log::init(&config, Filter::default());
    assert!(
        matches!(again, Err(LogError::AlreadyInstalled)),
        "{again:?}"
    );

    // This binary's own target is `log_files`: the default filter is about `lookout`.
    tracing::info!(target: "lookout::test", event = events::STARTED, pid = std::process::id());
    tracing::debug!(target: "lookout::test", event = events::CHECK_COMPLETED);
    tracing::info!(target: "log_files", event = "dropped: only warnings from others");
    tracing::info!(target: "lookout", event = events::SHUTDOWN, reason = "test over");
    drop(guard);

    let names: Vec<String> = std::fs::read_dir(&config.dir)
        .expect("log dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    assert!(names[0].starts_with("lookout.") && names[0].ends_with(".log"));
    let text = std::fs::read_to_string(config.dir.join(&names[0])).expect("log file");
    let events: Vec<String> = text
        .lines()
        .map(|line| {
            let value: serde_json::Value = serde_json::from_str(line).expect("JSON line");
            value["event"].as_str().expect("event").to_string()
        })
        .collect();
    assert_eq!(events, ["started", "shutdown"]);
}
