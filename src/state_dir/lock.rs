//! One engine per state directory: an exclusive `flock` on `<state_dir>/lookout.lock`,
//! held for the life of the process, with who holds it written inside, so a second
//! lookout started on the same directory stops at once and names the first.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rustix::fs::{FlockOperation, flock};
use serde::{Deserialize, Serialize};

use crate::config::Config;
use crate::words::short_age as short;

/// The lock's file name inside the state directory.
pub const FILE_NAME: &str = "lookout.lock";

/// How the engine holding the lock runs, as the holder's line names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Dashboard,
    Headless,
}

impl Mode {
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Dashboard => "dashboard",
            Mode::Headless => "headless",
        }
    }
}

/// What the holder writes in the lock file: enough for a second lookout to say who it
/// is and how to reach it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holder {
    pub pid: u32,
    pub mode: String,
    /// Seconds since the Unix epoch.
    pub started: u64,
    pub config: String,
    /// `[server] listen`, when the holder serves the API over TCP.
    pub api: Option<String>,
}

impl Holder {
    fn of_this_process(config: &Config, mode: Mode, now: SystemTime) -> Self {
        Self {
            pid: std::process::id(),
            mode: mode.as_str().to_string(),
            started: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()),
            config: config.source.display().to_string(),
            api: config.server.as_ref().map(|s| s.listen.to_string()),
        }
    }

    /// "pid 1234, headless, up 3h 5m, config /etc/lookout.toml, API on http://…".
    pub fn describe(&self, now: SystemTime) -> String {
        let started = UNIX_EPOCH + Duration::from_secs(self.started);
        let up = short(now.duration_since(started).unwrap_or_default());
        let mut line = format!(
            "pid {}, {}, up {up}, config {}",
            self.pid, self.mode, self.config
        );
        if let Some(api) = &self.api {
            line.push_str(&format!(", API on http://{api}"));
        }
        line
    }
}

/// Why the state directory could not be taken.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    #[error(
        "the state directory {dir} is in use by another lookout ({holder}): one engine \
         keeps a state directory, so a second would split its alerts. Its API answers on \
         {dir}/lookout.sock (`curl --unix-socket {dir}/lookout.sock \
         http://lookout/api/v1/status`). Stop that one (`kill {pid}`, or `systemctl stop \
         lookout` under systemd), or give this one its own [general] state_dir",
        dir = dir.display()
    )]
    Held {
        dir: PathBuf,
        holder: String,
        /// The holder's pid, or "its process" when the lock file does not say.
        pid: String,
    },

    #[error(
        "cannot lock the state directory {dir} ({path}: {source}): make it writable by \
         this user, or set [general] state_dir elsewhere"
    )]
    Io {
        dir: PathBuf,
        path: PathBuf,
        source: io::Error,
    },
}

/// The held lock: dropping it (or the process ending, however it ends) lets go. It can
/// be let go and taken again while the process runs: after a failed write, so that the
/// disk under the state directory can be unmounted and repaired under a running lookout,
/// which takes it again before its next write.
#[derive(Debug)]
pub struct StateLock {
    dir: PathBuf,
    holder: Holder,
    /// `None` while let go.
    file: Option<File>,
    /// True while held: what else keeps files in the directory (the local socket) lets
    /// go of them with the lock, so the disk can be unmounted and repaired.
    held: tokio::sync::watch::Sender<bool>,
}

/// A file's device and inode: what tells it from another made at the same path.
fn identity(meta: &std::fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (meta.dev(), meta.ino())
}

impl StateLock {
    /// Takes `config`'s state directory for this process, creating it if needed; fails
    /// at once, naming the holder, when another engine has it.
    pub fn acquire(config: &Config, mode: Mode) -> Result<Self, LockError> {
        Self::acquire_at(
            &config.general.state_dir,
            Holder::of_this_process(config, mode, SystemTime::now()),
        )
    }

    /// Takes `dir` for `holder`.
    pub fn acquire_at(dir: &Path, holder: Holder) -> Result<Self, LockError> {
        let file = take(dir, &holder)?;
        Ok(Self {
            dir: dir.to_path_buf(),
            holder,
            file: Some(file),
            held: tokio::sync::watch::Sender::new(true),
        })
    }

    /// Follows whether the lock is held.
    pub fn held(&self) -> tokio::sync::watch::Receiver<bool> {
        self.held.subscribe()
    }

    /// The state directory held.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Lets go of the lock and its file, keeping what it takes to take it again.
    pub fn release(&mut self) {
        self.file = None;
        self.held.send_replace(false);
    }

    /// True when the lock is held but its file is no longer at its path (deleted, with
    /// the state directory maybe, or replaced): another engine could take a lock there
    /// unseen, so the holder must take it again.
    pub fn moved_away(&self) -> bool {
        let Some(file) = &self.file else {
            return false;
        };
        let held = file.metadata().map(|meta| identity(&meta));
        let there = std::fs::metadata(self.dir.join(FILE_NAME)).map(|meta| identity(&meta));
        match (held, there) {
            (Ok(held), Ok(there)) => held != there,
            (_, Err(err)) => err.kind() == io::ErrorKind::NotFound,
            (Err(_), Ok(_)) => false,
        }
    }

    /// Takes the lock again if it was let go; an error when the disk still refuses, or
    /// when another engine took the directory meanwhile (then this one must not write).
    pub fn retake(&mut self) -> Result<(), LockError> {
        if self.file.is_none() {
            self.file = Some(take(&self.dir, &self.holder)?);
            self.held.send_replace(true);
        }
        Ok(())
    }
}

/// Opens (creating if needed) `dir`'s lock file, locks it, and writes `holder` in it.
fn take(dir: &Path, holder: &Holder) -> Result<File, LockError> {
    let path = dir.join(FILE_NAME);
    let io_error = |source| LockError::Io {
        dir: dir.to_path_buf(),
        path: path.clone(),
        source,
    };
    super::make_private_dir(dir).map_err(io_error)?;
    // Opened close-on-exec (std's default), so a notify command run by this process
    // does not inherit the lock and keep it after lookout exits.
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_error)?;
    match flock(&file, FlockOperation::NonBlockingLockExclusive) {
        Ok(()) => {}
        Err(rustix::io::Errno::WOULDBLOCK) => {
            let found = read_holder(&mut file);
            return Err(LockError::Held {
                dir: dir.to_path_buf(),
                holder: found.as_ref().map_or_else(
                    || "its pid could not be read".to_string(),
                    |h| h.describe(SystemTime::now()),
                ),
                pid: found.map_or_else(|| "its process".to_string(), |h| h.pid.to_string()),
            });
        }
        Err(errno) => return Err(io_error(errno.into())),
    }
    let text = serde_json::to_string(holder).map_err(|err| io_error(err.into()))?;
    file.set_len(0)
        .and_then(|()| file.seek(SeekFrom::Start(0)).map(|_| ()))
        .and_then(|()| file.write_all(format!("{text}\n").as_bytes()))
        .map_err(io_error)?;
    Ok(file)
}

/// Who holds the lock, as its file says; `None` when it says nothing readable (the
/// holder is between truncating and writing it).
fn read_holder(file: &mut File) -> Option<Holder> {
    let mut text = String::new();
    file.seek(SeekFrom::Start(0)).ok()?;
    file.read_to_string(&mut text).ok()?;
    serde_json::from_str(text.trim()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn holder(pid: u32, mode: &str, api: Option<&str>) -> Holder {
        Holder {
            pid,
            mode: mode.to_string(),
            started: 1_000,
            config: "/etc/lookout.toml".to_string(),
            api: api.map(str::to_string),
        }
    }

    #[test]
    fn a_second_taker_is_refused_naming_the_first() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let state = dir.path().join("state");
        let first = StateLock::acquire_at(&state, holder(41, "headless", Some("127.0.0.1:9000")))
            .expect("the first takes it");
        assert_eq!(first.dir(), state);
        let err = StateLock::acquire_at(&state, holder(42, "dashboard", None))
            .expect_err("the second is refused");
        let text = err.to_string();
        for part in [
            "in use by another lookout",
            "pid 41, headless, up ",
            "config /etc/lookout.toml",
            "API on http://127.0.0.1:9000",
            "kill 41",
            "[general] state_dir",
        ] {
            assert!(text.contains(part), "{part:?} missing: {text}");
        }
        drop(first);
        let again = StateLock::acquire_at(&state, holder(43, "dashboard", None));
        assert!(again.is_ok(), "free once the first lets go: {again:?}");
    }

    #[test]
    fn let_go_it_is_taken_again_unless_another_took_it_meanwhile() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut first = StateLock::acquire_at(dir.path(), holder(1, "headless", None))
            .expect("a free directory");
        first.release();
        first.release();
        first.retake().expect("free: taken again");
        first.retake().expect("held: nothing to do");
        first.release();
        let second = StateLock::acquire_at(dir.path(), holder(2, "dashboard", None))
            .expect("a free directory");
        let err = first.retake().expect_err("the second has it now");
        assert!(err.to_string().contains("pid 2, dashboard"), "{err}");
        drop(second);
    }

    #[test]
    fn a_lock_file_deleted_or_replaced_is_noticed_and_taken_again() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join(FILE_NAME);
        let mut lock = StateLock::acquire_at(dir.path(), holder(1, "headless", None))
            .expect("a free directory");
        assert!(!lock.moved_away(), "in place");
        std::fs::remove_file(&path).expect("the test\'s own files");
        assert!(lock.moved_away(), "deleted");
        lock.release();
        assert!(!lock.moved_away(), "let go: nothing held to lose");
        lock.retake().expect("free again");
        assert!(!lock.moved_away(), "taken again in a new file");
        let other = dir.path().join("other");
        std::fs::write(&other, "x").expect("the test\'s own files");
        std::fs::rename(&other, &path).expect("the test\'s own files");
        assert!(lock.moved_away(), "replaced");
        std::fs::remove_dir_all(dir.path()).expect("the test\'s own files");
        assert!(lock.moved_away(), "the whole directory deleted");
    }

    #[test]
    fn the_holder_line_reads_back_and_says_how_long_it_has_run() {
        let h = holder(7, "headless", None);
        let now = UNIX_EPOCH + Duration::from_secs(1_000 + 3 * 3600 + 300);
        assert_eq!(
            h.describe(now),
            "pid 7, headless, up 3h 5m, config /etc/lookout.toml"
        );
    }

    #[test]
    fn an_unreadable_holder_is_said_so() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let first = StateLock::acquire_at(dir.path(), holder(9, "headless", None))
            .expect("a free directory");
        std::fs::write(dir.path().join(FILE_NAME), "").expect("the test\'s own files");
        let err = StateLock::acquire_at(dir.path(), holder(10, "headless", None)).unwrap_err();
        assert!(
            err.to_string().contains("its pid could not be read"),
            "{err}"
        );
        drop(first);
    }

    #[test]
    fn a_directory_that_cannot_be_made_is_an_io_error_naming_it() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let file = dir.path().join("plain-file");
        std::fs::write(&file, "x").expect("the test\'s own files");
        let err =
            StateLock::acquire_at(&file.join("state"), holder(1, "headless", None)).unwrap_err();
        assert!(matches!(err, LockError::Io { .. }), "{err:?}");
        assert!(err.to_string().contains("plain-file"), "{err}");
    }
}
