//! `[jobs]`: its defaults, what valid values turn into, and the message each mistake
//! gives, with a database password never shown.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{
    Config, JobColumns, JobStates, JobsConfig, JobsDatabase, Severity, TimestampFormat, parse,
};

mod mistakes;

const SOURCE: &str = "/etc/lookout/lookout.toml";

fn env(name: &str) -> Option<String> {
    match name {
        "DB_PASSWORD" => Some("s3cret".to_string()),
        "DATABASE_URL" => Some("postgres://lookout:s3cret@db.internal:5432/app".to_string()),
        "MYSQL_URL" => Some("mysql://root:s3cret@localhost/app".to_string()),
        "QUEUE_DIR" => Some("/var/lib/app".to_string()),
        _ => super::tests_parse::env(name),
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new(SOURCE), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

fn jobs(text: &str) -> JobsConfig {
    match parsed(text).jobs {
        Some(jobs) => jobs,
        None => panic!("[jobs] should be read:\n{text}"),
    }
}

/// "line:column: message" for every problem in `text`, and the whole rendered error.
fn rendered(text: &str) -> (Vec<String>, String) {
    match parse(text, Path::new(SOURCE), &env) {
        Ok(config) => panic!("should be invalid:\n{text}\nparsed as {:?}", config.jobs),
        Err(errors) => {
            let listed = errors
                .problems()
                .iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect();
            (listed, errors.to_string())
        }
    }
}

fn problems(text: &str) -> Vec<String> {
    rendered(text).0
}

fn sqlite(path: &str) -> JobsDatabase {
    JobsDatabase::Sqlite {
        path: PathBuf::from(path),
    }
}

#[test]
fn without_the_section_there_is_no_job_monitor() {
    assert_eq!(parsed("").jobs, None);
    assert_eq!(parsed("[general]\nhistory = \"1h\"\n").jobs, None);
}

#[test]
fn a_database_alone_gives_the_documented_defaults() {
    let jobs = jobs("[jobs]\ndatabase = \"sqlite:///var/lib/app/queue.db\"\n");
    let want = JobsConfig::new(sqlite("/var/lib/app/queue.db"), "jobs");
    assert_eq!(jobs, want);
    assert!(!jobs.enabled && !jobs.dry_run);
    assert_eq!(jobs.table, "jobs");
    assert_eq!(jobs.columns, JobColumns::default());
    assert_eq!(jobs.states, JobStates::default());
    assert_eq!(jobs.timestamps, TimestampFormat::Auto);
    let timing = (
        jobs.claimed_timeout,
        jobs.processing_timeout,
        jobs.interval,
        jobs.query_timeout,
    );
    let secs = Duration::from_secs;
    assert_eq!(timing, (secs(300), secs(600), secs(60), secs(10)));
    assert_eq!((jobs.batch, jobs.max_attempts), (100, None));
    assert_eq!(jobs.severity, Severity::Medium);
}

#[test]
fn every_key_is_read() {
    let text = r#"
[jobs]
enabled = true
database = "postgresql://lookout:${DB_PASSWORD}@db.internal/app"
table = "queue.background_jobs"
timestamps = "auto"
claimed_timeout = "2m"
processing_timeout = "1h"
interval = "30s"
batch = 500
max_attempts = 3
dry_run = true
query_timeout = "500ms"
severity = "critical"

[jobs.columns]
id = "job_id"
state = "status"
claimed_at = "locked_at"
started_at = "updated_at"
attempts = "tries"
last_error = "error"

[jobs.states]
pending = "queued"
claimed = "locked"
processing = "running"
completed = "done"
failed = "dead"
"#;
    let want = JobsConfig {
        enabled: true,
        database: JobsDatabase::Postgres {
            url: "postgresql://lookout:s3cret@db.internal/app".to_string(),
        },
        table: "queue.background_jobs".to_string(),
        columns: JobColumns {
            id: "job_id".to_string(),
            state: "status".to_string(),
            claimed_at: "locked_at".to_string(),
            started_at: "updated_at".to_string(),
            attempts: "tries".to_string(),
            last_error: "error".to_string(),
        },
        states: JobStates {
            pending: "queued".to_string(),
            claimed: "locked".to_string(),
            processing: "running".to_string(),
            completed: "done".to_string(),
            failed: "dead".to_string(),
        },
        timestamps: TimestampFormat::Auto,
        claimed_timeout: Duration::from_secs(120),
        processing_timeout: Duration::from_secs(3600),
        interval: Duration::from_secs(30),
        batch: 500,
        max_attempts: Some(3),
        dry_run: true,
        query_timeout: Duration::from_millis(500),
        severity: Severity::Critical,
    };
    assert_eq!(jobs(text), want);
    let inline = "jobs = { database = \"sqlite://q.db\", timestamps = \"epoch\", \
                  columns = { id = \"uuid\" }, states = { failed = \"error\" } }";
    let jobs = jobs(inline);
    assert_eq!(jobs.timestamps, TimestampFormat::EpochSeconds);
    assert_eq!(
        (jobs.columns.id.as_str(), jobs.columns.state.as_str()),
        ("uuid", "state")
    );
    assert_eq!(
        (jobs.states.failed.as_str(), jobs.states.pending.as_str()),
        ("error", "pending")
    );
}

#[test]
fn sqlite_paths_are_absolute_or_taken_from_the_config_directory() {
    let cases = [
        ("sqlite:///var/lib/app/queue.db", "/var/lib/app/queue.db"),
        ("sqlite://queue.db", "/etc/lookout/queue.db"),
        ("sqlite://data/queue.db", "/etc/lookout/data/queue.db"),
        ("sqlite://../queue.db", "/etc/lookout/../queue.db"),
        ("SQLite://queue.db", "/etc/lookout/queue.db"),
        ("sqlite://${QUEUE_DIR}/queue.db", "/var/lib/app/queue.db"),
    ];
    for (database, path) in cases {
        let text = format!("[jobs]\ndatabase = \"{database}\"\n");
        assert_eq!(jobs(&text).database, sqlite(path), "{database}");
    }
    let beside = parse(
        "[jobs]\ndatabase = \"sqlite://queue.db\"\n",
        Path::new("lookout.toml"),
        &env,
    );
    let database = beside.ok().and_then(|c| c.jobs).map(|j| j.database);
    assert_eq!(database, Some(sqlite("queue.db")));
}

#[test]
fn a_postgres_url_may_come_from_the_environment_and_its_password_is_never_shown() {
    let config = parsed("[jobs]\ndatabase = \"${DATABASE_URL}\"\n");
    let Some(jobs) = &config.jobs else {
        panic!("[jobs] is read");
    };
    let url = "postgres://lookout:s3cret@db.internal:5432/app";
    assert_eq!(
        jobs.database,
        JobsDatabase::Postgres {
            url: url.to_string()
        }
    );
    assert_eq!(jobs.database.kind(), "postgres");
    let shown = jobs.database.to_string();
    assert_eq!(shown, "postgres://lookout:***@db.internal:5432/app");
    let debug = format!("{config:?}");
    assert!(
        !debug.contains("s3cret") && debug.contains("lookout:***@"),
        "{debug}"
    );
}

#[test]
fn a_bad_database_is_quoted_with_its_password_masked() {
    let forms = "\"sqlite:///var/lib/app/queue.db\" (a relative path, like \
                 \"sqlite://queue.db\", is taken from this file's directory) or \
                 \"postgres://lookout@db.internal/app\"";
    let cases = [
        (
            "\"\"",
            format!("2:12: `database` = \"\" is empty; write {forms}"),
        ),
        (
            "\"/var/lib/app/queue.db\"",
            format!(
                "2:12: `database` = \"/var/lib/app/queue.db\" has no `sqlite://` or \
                 `postgres://` in front; write {forms}"
            ),
        ),
        (
            "\"mysql://root:s3cret@localhost/app\"",
            format!(
                "2:12: `database` = \"mysql://root:***@localhost/app\" has scheme `mysql`, \
                 which the job monitor cannot read; write {forms}"
            ),
        ),
        (
            "\"${MYSQL_URL}\"",
            format!(
                "2:12: `database` = \"${{MYSQL_URL}}\" (which is \
                 \"mysql://root:***@localhost/app\") has scheme `mysql`, which the job \
                 monitor cannot read; write {forms}"
            ),
        ),
        (
            "\"postgres://app:s3cret@db:port/app\"",
            "2:12: `database` (not shown: it may hold a password) is not a valid URL \
             (invalid port number); write it like \"postgres://lookout@db.internal/app\""
                .to_string(),
        ),
        (
            "\"postgres:///app\"",
            "2:12: `database` = \"postgres:///app\" names no host; write it like \
             \"postgres://lookout@db.internal/app\""
                .to_string(),
        ),
        (
            "\"sqlite://\"",
            format!("2:12: `database` = \"sqlite://\" names no file; write {forms}"),
        ),
        (
            "\"sqlite://~/queue.db\"",
            "2:12: `database` = \"sqlite://~/queue.db\" starts its path with `~`, which is \
             not expanded here; write \"sqlite://${HOME}/…\" instead"
                .to_string(),
        ),
        (
            "\"sqlite://queue.db?mode=ro\"",
            "2:12: `database` = \"sqlite://queue.db?mode=ro\" has `?` options, which are not \
             taken here; write the file's path alone"
                .to_string(),
        ),
        (
            "5432",
            format!("2:12: `database` expects a string like {forms}, found integer 5432"),
        ),
        (
            "\"${NO_SUCH_URL}\"",
            "2:13: environment variable `NO_SUCH_URL` is not set; set it, or write `$$` for \
             a literal `$`"
                .to_string(),
        ),
    ];
    for (database, want) in cases {
        let text = format!("[jobs]\ndatabase = {database}\n");
        let (found, shown) = rendered(&text);
        assert_eq!(found, [want], "{database}");
        assert!(!shown.contains("s3cret"), "{shown}");
    }
}

#[test]
fn a_password_written_in_the_file_is_masked_in_the_shown_line() {
    let text = "[jobs]\ndatabase = \"mysql://root:s3cret@localhost/app\"\n";
    let (_, shown) = rendered(text);
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(shown.contains("database = *"), "{shown}");
}

#[test]
fn claim_and_start_may_share_one_timestamp_column() {
    let config = jobs(
        "[jobs]\ndatabase = \"sqlite:///q.db\"\n[jobs.columns]\nclaimed_at = \"updated_at\"\n\
         started_at = \"updated_at\"\n",
    );
    assert_eq!(config.columns.claimed_at, "updated_at");
    assert_eq!(config.columns.started_at, "updated_at");
}
