//! The log file writer, kept writing to a file someone can read: when the log directory
//! disappears while lookout runs (deleted by hand, by a cleanup job), the directory and
//! a new file are made again before the next line, the new file starting with a
//! `log_dir_recreated` line that says so. The directory is looked at before each line (one
//! `stat`), so no line goes to the removed file; one that cannot be made again is tried
//! again at most once a second, the lines meanwhile going to the old file.

use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use tracing_appender::rolling::{self, RollingFileAppender};

use super::LogError;
use super::events;
use super::writers::{FILE_PREFIX, FILE_SUFFIX};
use crate::config::{LogConfig, Rotation};

/// How long after a failed attempt to make the directory again the next one is made.
const RETRY: Duration = Duration::from_secs(1);

/// A rolling file appender that comes back when its directory goes.
pub(super) struct Reopening {
    config: LogConfig,
    appender: RollingFileAppender,
    /// When making the directory again last failed.
    failed_at: Option<Instant>,
}

impl Reopening {
    /// Makes the directory (if needed) and opens the current file.
    pub(super) fn open(config: &LogConfig) -> Result<Self, LogError> {
        Ok(Self {
            appender: appender(config)?,
            config: config.clone(),
            failed_at: None,
        })
    }

    /// When the directory is gone: a new one and a new file, which begins with the line
    /// that says so.
    fn reopen_if_gone(&mut self) {
        if self.config.dir.is_dir() {
            return;
        }
        if self.failed_at.is_some_and(|at| at.elapsed() < RETRY) {
            return;
        }
        match appender(&self.config) {
            Ok(new) => {
                self.appender = new;
                self.failed_at = None;
                let _ = self.appender.write_all(notice(&self.config.dir).as_bytes());
            }
            Err(_) => self.failed_at = Some(Instant::now()),
        }
    }
}

impl Write for Reopening {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.reopen_if_gone();
        self.appender.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.appender.flush()
    }
}

fn appender(config: &LogConfig) -> Result<RollingFileAppender, LogError> {
    let dir = &config.dir;
    std::fs::create_dir_all(dir).map_err(|error| LogError::Dir {
        dir: dir.clone(),
        error,
    })?;
    RollingFileAppender::builder()
        .rotation(match config.rotation {
            Rotation::Daily => rolling::Rotation::DAILY,
            Rotation::Hourly => rolling::Rotation::HOURLY,
        })
        .filename_prefix(FILE_PREFIX)
        .filename_suffix(FILE_SUFFIX)
        // tracing-appender subtracts one from it when pruning: 0 would underflow.
        .max_log_files(config.keep.max(1))
        .build(dir)
        .map_err(|error| LogError::File {
            dir: dir.clone(),
            error,
        })
}

/// The `log_dir_recreated` line, in the JSON layer's shape.
fn notice(dir: &Path) -> String {
    let line = serde_json::json!({
        "ts": humantime::format_rfc3339_millis(SystemTime::now()).to_string(),
        "level": "error",
        "event": events::LOG_DIR_RECREATED,
        "dir": dir.display().to_string(),
        "note": "the log directory was removed while lookout ran; it was made again and \
                 logging goes on in a new file",
    });
    format!("{line}\n")
}
