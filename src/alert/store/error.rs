//! What can go wrong with the alert database, said so the person on call knows which
//! file it is and what to do about it.

use std::path::{Path, PathBuf};

/// Each message names the database (or its directory) and the way out.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot create the state directory {dir}: {source}; \
         make it writable by this user or set [general] state_dir elsewhere"
    )]
    CreateDir {
        dir: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "cannot write the alert database {path} ({detail}): make the file and its \
         directory writable by this user, or set [general] state_dir elsewhere"
    )]
    ReadOnly { path: PathBuf, detail: String },

    #[error("the disk holding the alert database {path} is full ({detail}): free some space")]
    DiskFull { path: PathBuf, detail: String },

    #[error(
        "the disk holding the alert database {path} refused a read or write ({detail}): \
         it may be failing, or read-only after an error (see the kernel log, `dmesg`); \
         repair it, or set [general] state_dir on another disk and restart"
    )]
    DiskFailed { path: PathBuf, detail: String },

    #[error(
        "the alert database {path} is damaged or not a lookout database ({detail}): \
         move it aside and restart: acknowledgements in it are lost"
    )]
    Corrupt { path: PathBuf, detail: String },

    #[error(
        "the alert database {path} is empty (0 bytes), which lookout never leaves it: the \
         disk may have lost it, or a file was put in its place. Move it aside to start \
         afresh (acknowledgements and silences are then lost), or put back a copy"
    )]
    Empty { path: PathBuf },

    #[error(
        "{path} is not lookout's alert database: it holds tables of another program \
         ({tables}). Give lookout a [general] state_dir of its own, or move the file aside"
    )]
    Foreign { path: PathBuf, tables: String },

    #[error("cannot look at the alert database {path}: {source}")]
    Inspect {
        path: PathBuf,
        source: std::io::Error,
    },

    #[error(
        "the alert database {path} {what} under lookout: it is made again and what lookout \
         holds (open alerts, recent history, silences) is written to it"
    )]
    Gone { path: PathBuf, what: &'static str },

    #[error(
        "the alert database {path} has schema version {found}, newer than the {supported} \
         this lookout knows: run the newer lookout, or move the file aside and restart \
         (acknowledgements in it are lost)"
    )]
    NewerSchema {
        path: PathBuf,
        found: i64,
        supported: i64,
    },

    /// The state directory's lock could not be taken again after a failed write.
    #[error("{0}")]
    Lock(String),

    #[error("cannot store this in the alert database {path}: {detail}")]
    Unstorable { path: PathBuf, detail: String },

    #[error("{action} in the alert database {path} failed: {source}")]
    Database {
        path: PathBuf,
        action: &'static str,
        source: sqlx::Error,
    },
}

// SQLite's primary result codes (https://sqlite.org/rescode.html).
const SQLITE_PERM: i32 = 3;
const SQLITE_READONLY: i32 = 8;
/// Any of the I/O errors (SQLITE_IOERR_WRITE, _FSYNC, _READ...): the OS refused.
const SQLITE_IOERR: i32 = 10;
const SQLITE_CORRUPT: i32 = 11;
const SQLITE_FULL: i32 = 13;
const SQLITE_CANTOPEN: i32 = 14;
const SQLITE_NOTADB: i32 = 26;
/// ENOSPC: a full disk met outside SQLite (creating the directory, a sqlx I/O error).
const ENOSPC: i32 = 28;
/// EPERM, EACCES, EROFS: the directory or the disk refuses this user's writes.
const EPERM: i32 = 1;
const EACCES: i32 = 13;
const EROFS: i32 = 30;

/// What kind of trouble a failure is, from SQLite's code or the OS error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Trouble {
    ReadOnly,
    DiskFull,
    DiskFailed,
    Corrupt,
    Other,
}

/// Classifies by SQLite's extended result code (its low byte is the primary code) or
/// by the raw OS error of an I/O failure.
pub(super) fn trouble(code: Option<i32>, os_error: Option<i32>) -> Trouble {
    match os_error {
        Some(ENOSPC) => return Trouble::DiskFull,
        Some(EACCES | EPERM | EROFS) => return Trouble::ReadOnly,
        _ => {}
    }
    match code.map(|code| code & 0xff) {
        Some(SQLITE_READONLY | SQLITE_CANTOPEN | SQLITE_PERM) => Trouble::ReadOnly,
        Some(SQLITE_FULL) => Trouble::DiskFull,
        Some(SQLITE_IOERR) => Trouble::DiskFailed,
        Some(SQLITE_CORRUPT | SQLITE_NOTADB) => Trouble::Corrupt,
        _ => Trouble::Other,
    }
}

impl StoreError {
    /// Turns a sqlx failure during `action` into the error the user reads.
    pub(super) fn from_sqlx(path: &Path, action: &'static str, source: sqlx::Error) -> Self {
        let (code, os_error) = match &source {
            sqlx::Error::Database(db) => (db.code().and_then(|code| code.parse().ok()), None),
            sqlx::Error::Io(io) => (None, io.raw_os_error()),
            _ => (None, None),
        };
        let path = path.to_owned();
        let detail = match &source {
            sqlx::Error::Database(db) => db.message().to_owned(),
            other => other.to_string(),
        };
        match trouble(code, os_error) {
            Trouble::ReadOnly => StoreError::ReadOnly { path, detail },
            Trouble::DiskFull => StoreError::DiskFull { path, detail },
            Trouble::DiskFailed => StoreError::DiskFailed { path, detail },
            Trouble::Corrupt => StoreError::Corrupt { path, detail },
            Trouble::Other => StoreError::Database {
                path,
                action,
                source,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_codes_and_os_errors_name_the_trouble() {
        assert_eq!(trouble(Some(8), None), Trouble::ReadOnly);
        // SQLITE_READONLY_DBMOVED and SQLITE_CANTOPEN_ISDIR: extended codes.
        assert_eq!(trouble(Some(8 | (4 << 8)), None), Trouble::ReadOnly);
        assert_eq!(trouble(Some(14 | (2 << 8)), None), Trouble::ReadOnly);
        assert_eq!(trouble(Some(13), None), Trouble::DiskFull);
        assert_eq!(trouble(None, Some(ENOSPC)), Trouble::DiskFull);
        // SQLITE_IOERR_WRITE, as on a disk remounted read-only under the open file.
        assert_eq!(trouble(Some(778), None), Trouble::DiskFailed);
        assert_eq!(trouble(Some(26), None), Trouble::Corrupt);
        assert_eq!(trouble(Some(11), None), Trouble::Corrupt);
        assert_eq!(trouble(Some(5), None), Trouble::Other);
        assert_eq!(trouble(None, None), Trouble::Other);
    }

    #[test]
    fn messages_name_the_file_and_the_way_out() {
        let path = PathBuf::from("/var/lib/lookout/lookout.db");
        let full = StoreError::DiskFull {
            path: path.clone(),
            detail: "database or disk is full".into(),
        };
        assert!(full.to_string().contains("/var/lib/lookout/lookout.db"));
        assert!(full.to_string().contains("free some space"));
        let corrupt = StoreError::Corrupt {
            path,
            detail: "file is not a database".into(),
        };
        assert!(
            corrupt
                .to_string()
                .contains("move it aside and restart: acknowledgements in it are lost"),
            "{corrupt}"
        );
    }
}
