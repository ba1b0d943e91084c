//! The real writers: rolling files in a temporary directory, the stdout tee, bad directories.

use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use serde_json::Value;
use tracing::{debug, info, warn};
use tracing_appender::non_blocking::NonBlockingBuilder;

use super::{Filter, LogError, Writers, build, events};
use crate::config::{LogConfig, Rotation};

fn config(dir: &Path, rotation: Rotation) -> LogConfig {
    LogConfig {
        dir: dir.to_path_buf(),
        rotation,
        keep: 7,
        stdout: false,
    }
}

/// The names of the files in `dir`.
fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("read log dir")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    names.sort();
    names
}

/// Logs a few lines through [`build`]'s subscriber, drops the guard, and returns the one
/// file's name and lines.
fn log_some(config: &LogConfig) -> (String, Vec<Value>) {
    let (dispatch, guard) = build(config, Filter::default()).expect("build");
    tracing::dispatcher::with_default(&dispatch, || {
        info!(event = events::STARTED, version = "0.1.0");
        debug!(event = events::CHECK_COMPLETED, service = "api");
        warn!(
            event = events::SERVICE_STATE_CHANGED,
            service = "api",
            from = "UP",
            to = "DOWN"
        );
        info!(event = events::SHUTDOWN);
    });
    drop(guard);
    let names = file_names(&config.dir);
    assert_eq!(names.len(), 1, "{names:?}");
    let text = std::fs::read_to_string(config.dir.join(&names[0])).expect("read log file");
    assert!(text.ends_with('\n'));
    let lines = text
        .lines()
        .map(|line| serde_json::from_str(line).expect("a JSON line"))
        .collect();
    (names[0].clone(), lines)
}

#[test]
fn lines_land_in_a_daily_file_once_the_guard_drops() {
    let temp = tempfile::tempdir().expect("tempdir");
    let config = config(&temp.path().join("state/logs"), Rotation::Daily);
    let (name, lines) = log_some(&config);
    // lookout.2026-11-23.log
    assert!(
        name.starts_with("lookout.") && name.ends_with(".log"),
        "{name}"
    );
    assert_eq!(name.len(), "lookout.2026-11-23.log".len(), "{name}");
    let events: Vec<&str> = lines.iter().filter_map(|l| l["event"].as_str()).collect();
    assert_eq!(events, ["started", "service_state_changed", "shutdown"]);
    assert_eq!(lines[1]["to"], "DOWN");
}

#[test]
fn hourly_files_carry_the_hour() {
    let temp = tempfile::tempdir().expect("tempdir");
    let config = config(temp.path(), Rotation::Hourly);
    let (name, lines) = log_some(&config);
    // lookout.2026-11-23-10.log
    assert_eq!(name.len(), "lookout.2026-11-23-10.log".len(), "{name}");
    assert_eq!(lines.len(), 3);
}

#[test]
fn a_directory_that_cannot_be_created_is_named_with_the_reason() {
    let temp = tempfile::tempdir().expect("tempdir");
    let file = temp.path().join("not-a-dir");
    std::fs::write(&file, "").expect("write file");
    let dir = file.join("logs");
    let err = build(&config(&dir, Rotation::Daily), Filter::default()).expect_err("under a file");
    assert!(matches!(err, LogError::Dir { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.starts_with(&format!(
            "cannot create the log directory {}: ",
            dir.display()
        )),
        "{message}"
    );
    assert!(message.contains("os error"), "{message}");
}

/// Collects everything written to it.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[test]
fn with_stdout_every_line_goes_to_both_writers() {
    let (file, stdout) = (Shared::default(), Shared::default());
    let lossless = || NonBlockingBuilder::default().lossy(false);
    let (file_writer, file_guard) = lossless().finish(file.clone());
    let (stdout_writer, stdout_guard) = lossless().finish(stdout.clone());
    let filter = Filter::parse("info").expect("filter");
    let writers = Writers::new(file_writer, Some(stdout_writer));
    tracing::subscriber::with_default(super::subscriber(writers, filter), || {
        for n in 0..100_u64 {
            info!(event = "x", n);
        }
    });
    drop((file_guard, stdout_guard));
    let file = String::from_utf8(file.0.lock().expect("lock").clone()).expect("utf-8");
    let stdout = String::from_utf8(stdout.0.lock().expect("lock").clone()).expect("utf-8");
    assert_eq!(file.lines().count(), 100);
    assert_eq!(file, stdout);
}
