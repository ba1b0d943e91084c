//! The log file: every line appended whole to the file of the current day (or hour,
//! UTC), the oldest files beyond `keep` removed. A line the disk does not take (full,
//! failing) is held, with every line after it, and written first once it does; the part
//! of a line cut short by a full disk is cut off the file again, so a file never holds
//! a torn line. Beyond [`HELD_LIMIT`] lines held the oldest go, and how many is said in
//! a `log_lines_dropped` line once writing works again. When the log directory
//! disappears (deleted by hand, by a cleanup job), it and a new file are made again
//! before the next line, the new file starting with a `log_dir_recreated` line.

use std::collections::VecDeque;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::time::{Duration, Instant, SystemTime};

use super::LogError;
use super::events;
use super::writers::{FILE_PREFIX, FILE_SUFFIX};
use crate::config::{LogConfig, Rotation};

/// The most lines held while the disk refuses them (a few MB); beyond, the oldest go.
pub(super) const HELD_LIMIT: usize = 10_000;

/// How long after a failed attempt to make the directory again the next one is made.
const RETRY: Duration = Duration::from_secs(1);

/// The file being written and the lines waiting for the disk.
pub(super) struct LogFile {
    config: LogConfig,
    /// The file's name and the file, once opened.
    current: Option<(String, File)>,
    held: VecDeque<Vec<u8>>,
    /// Lines dropped since writing last worked, and when the first went.
    dropped: Option<(u64, SystemTime)>,
    /// When making the directory again last failed.
    failed_at: Option<Instant>,
}

impl LogFile {
    /// Makes the directory (if needed) and opens the current file.
    pub(super) fn open(config: &LogConfig) -> Result<Self, LogError> {
        make_dir(&config.dir)?;
        let mut file = Self {
            config: config.clone(),
            current: None,
            held: VecDeque::new(),
            dropped: None,
            failed_at: None,
        };
        file.roll(SystemTime::now())
            .map_err(|error| LogError::File {
                dir: config.dir.clone(),
                error,
            })?;
        Ok(file)
    }

    /// Lines waiting for the disk.
    #[cfg(test)]
    pub(super) fn held(&self) -> usize {
        self.held.len()
    }

    /// Writes go to `file` (one that refuses them, in tests) until [`LogFile::reopen`].
    #[cfg(test)]
    pub(super) fn refuse_with(&mut self, name: String, file: File) {
        self.current = Some((name, file));
    }

    /// The file is opened afresh before the next write.
    #[cfg(test)]
    pub(super) fn reopen(&mut self) {
        self.current = None;
    }

    /// The file for `now` open: the same one, or the next day's (or hour's), the oldest
    /// files beyond `keep` removed.
    fn roll(&mut self, now: SystemTime) -> io::Result<&mut File> {
        let name = file_name(now, self.config.rotation);
        let stale = self.current.as_ref().is_none_or(|(open, _)| *open != name);
        if stale {
            let file = OpenOptions::new()
                .create(true)
                .append(true)
                .open(self.config.dir.join(&name))?;
            self.current = Some((name, file));
            prune(&self.config.dir, self.config.keep.max(1));
        }
        match &mut self.current {
            Some((_, file)) => Ok(file),
            None => Err(io::Error::other("no log file")),
        }
    }

    /// When the directory is gone: a new one and a new file, which begins with the line
    /// that says so.
    fn reopen_if_gone(&mut self) {
        if self.config.dir.is_dir() || self.failed_at.is_some_and(|at| at.elapsed() < RETRY) {
            return;
        }
        match make_dir(&self.config.dir) {
            Ok(()) => {
                self.current = None;
                self.failed_at = None;
                self.held
                    .push_front(recreated(&self.config.dir).into_bytes());
            }
            Err(_) => self.failed_at = Some(Instant::now()),
        }
    }

    /// Writes what is held, oldest first, each line whole or not at all; stops at the
    /// first the disk refuses. A note of lines dropped goes first.
    fn write_held(&mut self) {
        let now = SystemTime::now();
        if let Some((count, since)) = self.dropped
            && self
                .append(&dropped(count, since, now).into_bytes(), now)
                .is_ok()
        {
            self.dropped = None;
        }
        if self.dropped.is_some() {
            return;
        }
        while let Some(line) = self.held.front() {
            let line = line.clone();
            if self.append(&line, now).is_err() {
                return;
            }
            self.held.pop_front();
        }
    }

    /// Appends one line whole: when the disk takes only part of it, the part is cut off
    /// again and the line is refused.
    fn append(&mut self, line: &[u8], now: SystemTime) -> io::Result<()> {
        let file = self.roll(now)?;
        let before = file.metadata()?.len();
        if let Err(err) = file.write_all(line) {
            let _ = file.set_len(before);
            return Err(err);
        }
        Ok(())
    }
}

impl Write for LogFile {
    /// Takes the line whatever the disk says: it is written now, or held.
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.reopen_if_gone();
        if self.held.len() == HELD_LIMIT {
            self.held.pop_front();
            self.dropped.get_or_insert((0, SystemTime::now())).0 += 1;
        }
        self.held.push_back(buf.to_vec());
        self.write_held();
        Ok(buf.len())
    }

    /// Tries once more to write what is held (the guard flushes at exit).
    fn flush(&mut self) -> io::Result<()> {
        self.write_held();
        match &mut self.current {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

fn make_dir(dir: &Path) -> Result<(), LogError> {
    std::fs::create_dir_all(dir).map_err(|error| LogError::Dir {
        dir: dir.to_path_buf(),
        error,
    })
}

/// `lookout.2026-12-07.log` (daily) or `lookout.2026-12-07-10.log` (hourly), in UTC.
pub(super) fn file_name(now: SystemTime, rotation: Rotation) -> String {
    let stamp = humantime::format_rfc3339_seconds(now).to_string();
    let day = stamp.get(..10).unwrap_or("0000-00-00");
    match rotation {
        Rotation::Daily => format!("{FILE_PREFIX}.{day}.{FILE_SUFFIX}"),
        Rotation::Hourly => {
            let hour = stamp.get(11..13).unwrap_or("00");
            format!("{FILE_PREFIX}.{day}-{hour}.{FILE_SUFFIX}")
        }
    }
}

/// Removes the oldest log files in `dir` beyond the newest `keep` (names sort by time).
fn prune(dir: &Path, keep: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let prefix = format!("{FILE_PREFIX}.");
    let suffix = format!(".{FILE_SUFFIX}");
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok())
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(&prefix) && name.ends_with(&suffix))
        .collect();
    names.sort();
    let excess = names.len().saturating_sub(keep);
    for name in &names[..excess] {
        let _ = std::fs::remove_file(dir.join(name));
    }
}

/// The `log_dir_recreated` line, in the JSON layer's shape.
fn recreated(dir: &Path) -> String {
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

/// The `log_lines_dropped` line: how many lines the disk refused beyond what could be
/// held, and over what span.
fn dropped(count: u64, since: SystemTime, now: SystemTime) -> String {
    let line = serde_json::json!({
        "ts": humantime::format_rfc3339_millis(now).to_string(),
        "level": "error",
        "event": events::LOG_LINES_DROPPED,
        "dropped": count,
        "since": humantime::format_rfc3339_millis(since).to_string(),
        "note": format!(
            "the disk refused log lines for longer than {HELD_LIMIT} lines could be held: \
             the oldest of them are lost; every line from the newest {HELD_LIMIT} on follows"
        ),
    });
    format!("{line}\n")
}
