//! Opening a SQLite queue: the messages a missing file, table or column gives, how the
//! timestamp form is decided, and that the user's database settings are left alone.

use super::support::{Db, STAMPS, now, schema, secs};
use crate::config::{JobsConfig, JobsDatabase, TimestampFormat};
use crate::jobs::pass;
use crate::jobs::queue::JobsError;
use crate::jobs::sqlite::SqliteQueue;

async fn refused(config: &JobsConfig) -> JobsError {
    match SqliteQueue::open(config).await {
        Ok(_) => panic!("{config:?} opened"),
        Err(err) => err,
    }
}

#[tokio::test]
async fn a_missing_file_is_named_and_not_created() {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("nowhere.db");
    let config = JobsConfig::new(JobsDatabase::Sqlite { path: path.clone() }, "jobs");
    let err = refused(&config).await;
    assert!(matches!(err, JobsError::Connect { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("no such file"), "{message}");
    assert!(!path.exists());
}

#[tokio::test]
async fn a_file_that_is_no_database_cannot_be_opened() {
    let db = Db::new("").await;
    std::fs::write(
        &db.path,
        "not a database, just text that is long enough to be read",
    )
    .expect("write");
    let err = refused(&db.config()).await;
    assert!(matches!(err, JobsError::Connect { .. }), "{err:?}");
    assert!(err.to_string().contains("not a database"), "{err}");
}

#[tokio::test]
async fn a_missing_table_is_quoted_with_the_tables_there() {
    let db = Db::new("CREATE TABLE queue_items (id INTEGER); CREATE TABLE other (x);").await;
    let err = refused(&db.config()).await;
    let JobsError::Schema(message) = err else {
        panic!("{err:?}");
    };
    assert!(message.contains("no table \"jobs\""), "{message}");
    assert!(
        message.contains(&db.path.display().to_string()),
        "{message}"
    );
    assert!(message.contains("\"other\", \"queue_items\""), "{message}");

    let empty = Db::new("").await;
    let err = refused(&empty.config()).await;
    assert!(err.to_string().contains("it has no tables"), "{err}");
}

#[tokio::test]
async fn missing_columns_are_quoted_with_the_columns_found() {
    let db = Db::new(
        "CREATE TABLE jobs (id INTEGER PRIMARY KEY, state TEXT, claimed_at TEXT, tries INT)",
    )
    .await;
    let err = refused(&db.config()).await;
    let JobsError::Schema(message) = err else {
        panic!("{err:?}");
    };
    for part in [
        "table \"jobs\"",
        "no column \"started_at\" (jobs.columns.started_at)",
        "\"attempts\" (jobs.columns.attempts)",
        "\"last_error\" (jobs.columns.last_error)",
        "its columns are \"id\", \"state\", \"claimed_at\", \"tries\"",
    ] {
        assert!(message.contains(part), "{part:?} not in {message}");
    }
    assert!(!message.contains("\"claimed_at\" (jobs"), "{message}");
}

#[tokio::test]
async fn column_names_match_whatever_their_case() {
    let db = Db::new(
        "CREATE TABLE Jobs (ID INTEGER PRIMARY KEY, State TEXT, Claimed_At INTEGER, \
         STARTED_AT INTEGER, Attempts INT, Last_Error TEXT)",
    )
    .await;
    let queue = SqliteQueue::open(&db.config()).await.expect("open");
    assert_eq!(queue.timestamps(), TimestampFormat::EpochSeconds);
}

#[tokio::test]
async fn a_schema_qualified_table_is_found() {
    let db = Db::new(&schema("TEXT")).await;
    SqliteQueue::open(&db.config_for("main.jobs"))
        .await
        .expect("open main.jobs");
    let err = refused(&db.config_for("main.nothing")).await;
    assert!(
        err.to_string().contains("no table \"main.nothing\""),
        "{err}"
    );
}

#[tokio::test]
async fn the_timestamp_form_follows_the_declared_type_unless_configured() {
    use TimestampFormat::{Auto, EpochSeconds, Iso8601};
    let cases = [
        ("INTEGER", Auto, EpochSeconds),
        ("BIGINT", Auto, EpochSeconds),
        ("int8", Auto, EpochSeconds),
        ("REAL", Auto, EpochSeconds),
        ("DOUBLE PRECISION", Auto, EpochSeconds),
        ("NUMERIC", Auto, EpochSeconds),
        ("TEXT", Auto, Iso8601),
        ("VARCHAR(32)", Auto, Iso8601),
        ("DATETIME", Auto, Iso8601),
        ("TIMESTAMP", Auto, Iso8601),
        ("", Auto, Iso8601),
        ("INTEGER", Iso8601, Iso8601),
        ("TEXT", EpochSeconds, EpochSeconds),
    ];
    for (declared, configured, want) in cases {
        let db = Db::new(&schema(declared)).await;
        let mut config = db.config();
        config.timestamps = configured;
        let queue = SqliteQueue::open(&config).await.expect("open");
        assert_eq!(queue.timestamps(), want, "{declared:?} with {configured:?}");
    }
}

#[tokio::test]
async fn the_journal_mode_is_left_as_the_user_set_it() {
    for mode in ["delete", "wal", "truncate"] {
        let mut db = Db::new(&STAMPS[0].schema()).await;
        db.exec(&format!("PRAGMA journal_mode = {mode}")).await;
        db.insert(1, "claimed", Some(STAMPS[0].at(secs(900.0))), None, None)
            .await;
        let config = db.config();
        let mut queue = SqliteQueue::open(&config).await.expect("open");
        let report = pass::run(&mut queue, &config, now(), true, 1)
            .await
            .expect("pass");
        assert_eq!(report.actions.len(), 1);
        drop(queue);
        assert_eq!(db.texts("PRAGMA journal_mode").await, [mode]);
    }
}

#[tokio::test]
async fn a_stored_value_outweighs_the_declared_type() {
    use TimestampFormat::{Auto, EpochSeconds, Iso8601};
    let cases = [
        ("TIMESTAMP", "1700000000", EpochSeconds),
        ("DATETIME", "1700000000.25", EpochSeconds),
        ("INTEGER", "'2023-11-14T22:13:20Z'", Iso8601),
        ("", "'2023-11-14 22:13:20'", Iso8601),
    ];
    for (declared, stored, want) in cases {
        let mut db = Db::new(&schema(declared)).await;
        db.exec(&format!(
            "INSERT INTO jobs (id, state, claimed_at, attempts) VALUES (1, 'claimed', {stored}, 1)"
        ))
        .await;
        let mut config = db.config();
        config.timestamps = Auto;
        let queue = SqliteQueue::open(&config).await.expect("open");
        assert_eq!(queue.timestamps(), want, "{declared:?} holding {stored}");
    }
}
