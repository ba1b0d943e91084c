//! Opening the store: the settings that make it durable, and the errors a person on
//! call reads when the state directory or the file is not usable.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use sqlx::Connection;

use super::tests::{alert, at};
use super::{AlertStore, FILE_NAME, StoreError};
use crate::view::alert::AlertState;

async fn pragma(store: &AlertStore, name: &'static str) -> String {
    let query = match name {
        "journal_mode" => "PRAGMA journal_mode",
        "synchronous" => "PRAGMA synchronous",
        "foreign_keys" => "PRAGMA foreign_keys",
        "busy_timeout" => "PRAGMA busy_timeout",
        "user_version" => "PRAGMA user_version",
        _ => unreachable!("no such pragma in these tests: {name}"),
    };
    let row = sqlx::query(query)
        .fetch_one(&store.pool)
        .await
        .expect("pragma");
    use sqlx::Row;
    row.try_get::<String, _>(0)
        .or_else(|_| row.try_get::<i64, _>(0).map(|n| n.to_string()))
        .expect("a pragma value")
}

#[tokio::test]
async fn open_creates_the_directory_and_a_durable_wal_database() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_dir = dir.path().join("nested/state");
    let store = AlertStore::open(&state_dir).await.expect("open");
    assert_eq!(store.path(), state_dir.join(FILE_NAME));
    assert!(store.path().is_file());
    assert_eq!(pragma(&store, "journal_mode").await, "wal");
    assert_eq!(pragma(&store, "synchronous").await, "2", "FULL");
    assert_eq!(pragma(&store, "foreign_keys").await, "1");
    assert_eq!(pragma(&store, "busy_timeout").await, "5000");
    assert_eq!(pragma(&store, "user_version").await, "4");
    // Notes and silences are this user's alone: the directory made and the files too.
    let mode = |path: &std::path::Path| {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).expect("stat").permissions().mode() & 0o777
    };
    assert_eq!(mode(&state_dir), 0o700);
    assert_eq!(mode(store.path()), 0o600);
    // Opening again keeps what is there.
    store
        .save_alert(&alert(1, AlertState::Firing))
        .await
        .expect("save");
    let again = AlertStore::open(&state_dir).await.expect("open again");
    assert_eq!(again.load(at(0), 1).await.expect("load").alerts.len(), 1);
}

#[tokio::test]
async fn a_state_dir_under_a_regular_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "not a directory").expect("write");
    let err = AlertStore::open(&file.join("state"))
        .await
        .err()
        .expect("an error");
    assert!(matches!(err, StoreError::CreateDir { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains("plain-file/state"), "{message}");
    assert!(message.contains("[general] state_dir"), "{message}");
}

/// Makes `dir` read-only. Root ignores permission bits, so for root the directory is
/// made immutable instead; `None` when neither works here.
fn make_read_only(dir: &Path) -> Option<ReadOnly<'_>> {
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o555)).expect("chmod");
    let probe = dir.join("probe");
    if std::fs::write(&probe, "x").is_err() {
        return Some(ReadOnly {
            dir,
            immutable: false,
        });
    }
    std::fs::remove_file(&probe).expect("remove probe");
    let immutable = std::process::Command::new("chattr")
        .arg("+i")
        .arg(dir)
        .status()
        .is_ok_and(|status| status.success());
    let guard = ReadOnly { dir, immutable };
    (immutable && std::fs::write(&probe, "x").is_err()).then_some(guard)
}

/// Gives the directory back so the temporary directory can be removed.
struct ReadOnly<'a> {
    dir: &'a Path,
    immutable: bool,
}

impl Drop for ReadOnly<'_> {
    fn drop(&mut self) {
        if self.immutable {
            let _ = std::process::Command::new("chattr")
                .arg("-i")
                .arg(self.dir)
                .status();
        }
        let _ = std::fs::set_permissions(self.dir, std::fs::Permissions::from_mode(0o755));
    }
}

#[tokio::test]
async fn a_read_only_state_dir_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state_dir = dir.path().join("state");
    std::fs::create_dir(&state_dir).expect("mkdir");
    let Some(_guard) = make_read_only(&state_dir) else {
        eprintln!("skipped: cannot make a directory read-only for this user here");
        return;
    };
    let err = AlertStore::open(&state_dir).await.err().expect("an error");
    assert!(matches!(err, StoreError::ReadOnly { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&*state_dir.join(FILE_NAME).to_string_lossy()),
        "{message}"
    );
    assert!(message.contains("writable"), "{message}");
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_reported_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let garbage = "these are not the bytes of an SQLite database\n".repeat(200);
    std::fs::write(dir.path().join(FILE_NAME), garbage).expect("write");
    let err = AlertStore::open(dir.path()).await.err().expect("an error");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(FILE_NAME), "{message}");
    assert!(
        message.contains("move it aside and restart: acknowledgements in it are lost"),
        "{message}"
    );
}

#[tokio::test]
async fn a_row_that_does_not_read_back_is_reported_corrupt() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    store
        .save_alert(&alert(5, AlertState::Firing))
        .await
        .expect("save");
    sqlx::query("UPDATE alerts SET kind = 'no_such_kind' WHERE id = 5")
        .execute(&store.pool)
        .await
        .expect("update");
    let err = store.load(at(0), 10).await.expect_err("an error");
    assert!(matches!(err, StoreError::Corrupt { .. }), "{err:?}");
    assert!(err.to_string().contains("no_such_kind"), "{err}");
}

#[tokio::test]
async fn a_newer_schema_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    sqlx::query("PRAGMA user_version = 7")
        .execute(&store.pool)
        .await
        .expect("bump the version");
    store.close().await;
    let err = AlertStore::open(dir.path()).await.err().expect("an error");
    assert!(
        matches!(
            err,
            StoreError::NewerSchema {
                found: 7,
                supported: 4,
                ..
            }
        ),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(FILE_NAME), "{message}");
    assert!(message.contains("newer lookout"), "{message}");
}

#[tokio::test]
async fn a_version_1_database_is_taken_up_with_its_alerts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let mut resolved = alert(1, AlertState::Resolved);
    resolved.resolved = Some(at(1900));
    store
        .save_alerts(&[Arc::new(resolved), Arc::new(alert(2, AlertState::Firing))])
        .await
        .expect("save");
    sqlx::query("PRAGMA user_version = 1")
        .execute(&store.pool)
        .await
        .expect("as a version 1 file");
    store.close().await;
    let store = AlertStore::open(dir.path()).await.expect("reopen");
    assert_eq!(pragma(&store, "user_version").await, "4");
    let loaded = store.load(at(3000), 10).await.expect("load");
    assert_eq!(loaded.alerts.iter().map(|a| a.id).collect::<Vec<_>>(), [2]);
    assert_eq!(loaded.history.iter().map(|a| a.id).collect::<Vec<_>>(), [1]);
    assert_eq!(loaded.history[0].ended, None);
    assert!(loaded.paused.is_empty(), "the paused table is made empty");
    store
        .save_paused("api", true, at(3000))
        .await
        .expect("pause");
    assert_eq!(
        store.load(at(3000), 10).await.expect("load").paused,
        ["api"]
    );
}

#[tokio::test]
async fn an_empty_file_is_refused_and_a_new_database_is_never_left_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    std::fs::write(&path, "").expect("an empty file");
    let err = AlertStore::open(dir.path()).await.err().expect("refused");
    assert!(matches!(err, StoreError::Empty { .. }), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains("is empty (0 bytes)") && message.contains("Move it aside"),
        "{message}"
    );
    assert_eq!(
        std::fs::metadata(&path).expect("kept").len(),
        0,
        "left as it was"
    );

    std::fs::remove_file(&path).expect("moved aside");
    let store = AlertStore::open(dir.path()).await.expect("made afresh");
    assert!(std::fs::metadata(&path).expect("made").len() > 0);
    let leftovers: Vec<_> = (std::fs::read_dir(dir.path()).expect("list"))
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains(".new"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    store.close().await;
}

#[tokio::test]
async fn another_programs_database_is_refused_naming_its_tables() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(FILE_NAME);
    let mut db = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display()))
        .await
        .expect("a SQLite file");
    sqlx::raw_sql("CREATE TABLE orders (id INTEGER); CREATE TABLE users (id INTEGER);")
        .execute(&mut db)
        .await
        .expect("its tables");
    db.close().await.expect("close");
    let err = AlertStore::open(dir.path()).await.err().expect("refused");
    assert!(matches!(err, StoreError::Foreign { .. }), "{err:?}");
    assert!(err.to_string().contains("(orders, users)"), "{err}");
}

#[tokio::test]
async fn a_database_deleted_or_replaced_under_the_store_is_noticed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    assert_eq!(store.moved_away(), None);
    let path = dir.path().join(FILE_NAME);
    let aside = dir.path().join("aside.db");
    std::fs::rename(&path, &aside).expect("moved");
    assert_eq!(store.moved_away(), Some("was deleted"));
    std::fs::copy(&aside, &path).expect("another file in its place");
    assert_eq!(store.moved_away(), Some("was replaced by another file"));
    store.close().await;
}
