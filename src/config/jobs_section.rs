//! Reads `[jobs]` into [`JobsConfig`]: the queue's database (`jobs_section/database.rs`),
//! the names of its table, columns and states (`jobs_section/names.rs`), and when a row
//! counts as stuck.

mod database;
mod names;

use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::de::DeTable;

use super::errors::Problem;
use super::settings::{self, Order, Origin, Setting};
use super::walk::{Value, Walker};
use super::{JobsConfig, JobsDatabase, TimestampFormat, alert_section, keys, suggest};

/// The queue table unless `table` says otherwise.
const DEFAULT_TABLE: &str = "jobs";

const TIMESTAMP_FORMATS: [TimestampFormat; 3] = [
    TimestampFormat::Auto,
    TimestampFormat::Iso8601,
    TimestampFormat::EpochSeconds,
];

/// Reads `[jobs]`: `Some(None)` when it is absent (no job monitor), `None` when something
/// was wrong (already reported).
pub(crate) fn jobs(
    w: &mut Walker<'_>,
    table: Option<&DeTable<'_>>,
    source: &Path,
) -> Option<Option<JobsConfig>> {
    let Some(table) = table else {
        return Some(None);
    };
    w.unknown_keys(table, "in [jobs]", &keys::JOBS_KEYS, &|key| {
        keys::misplaced_in_jobs(key, "in [jobs]")
    });
    let database = match table.get("database") {
        Some(value) => database::database(w, value, source),
        None => missing_database(w, table),
    };
    let queue_table = table
        .get("table")
        .map_or(Some(DEFAULT_TABLE.to_string()), |v| names::table(w, v));
    let columns = names::columns(w, table.get("columns"));
    let states = names::states(w, table.get("states"));
    // The documented defaults; its database is a stand-in, never used.
    let base = JobsConfig::new(
        JobsDatabase::Sqlite {
            path: PathBuf::new(),
        },
        DEFAULT_TABLE,
    );
    let flag = |w: &mut Walker<'_>, key, default| {
        table.get(key).map_or(Some(default), |v| w.boolean(v, key))
    };
    let enabled = flag(w, "enabled", base.enabled);
    let dry_run = flag(w, "dry_run", base.dry_run);
    let timestamps = match table.get("timestamps") {
        Some(value) => timestamps(w, value, database.as_ref()),
        None => Some(base.timestamps),
    };
    let durations = timing(w, table, &base);
    let batch = table
        .get("batch")
        .map_or(Some(base.batch), |v| count(w, v, "batch", 10_000));
    let max_attempts = match table.get("max_attempts") {
        Some(value) => count(w, value, "max_attempts", 1000).map(Some),
        None => Some(base.max_attempts),
    };
    let severity = table.get("severity").map_or(Some(base.severity), |v| {
        alert_section::severity(w, v, "severity")
    });
    let [claimed_timeout, processing_timeout, interval, query_timeout] = durations?;
    Some(Some(JobsConfig {
        enabled: enabled?,
        database: database?,
        table: queue_table?,
        columns: columns?,
        states: states?,
        timestamps: timestamps?,
        claimed_timeout,
        processing_timeout,
        interval,
        batch: batch?,
        max_attempts: max_attempts?,
        dry_run: dry_run?,
        query_timeout,
        severity: severity?,
    }))
}

/// Reports a `[jobs]` without `database`, at its first key (a section with no key at all
/// has no place to point at).
fn missing_database(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<JobsDatabase> {
    let message = format!(
        "[jobs] has no `database`; add one, like database = {}",
        database::SQLITE_EXAMPLE
    );
    match table.keys().map(|key| key.span()).min_by_key(|s| s.start) {
        Some(span) => w.report(span, message),
        None => w.problems.push(Problem::nowhere(message)),
    }
    None
}

/// `claimed_timeout`, `processing_timeout`, `interval` and `query_timeout`, in that order.
fn timing(w: &mut Walker<'_>, table: &DeTable<'_>, base: &JobsConfig) -> Option<[Duration; 4]> {
    let second = Duration::from_secs(1);
    let mut read = |key, default, min| {
        let builtin = Setting::builtin(default);
        settings::duration(w, table, key, Origin::Service, &builtin, min)
    };
    let claimed_timeout = read("claimed_timeout", base.claimed_timeout, second);
    let processing_timeout = read("processing_timeout", base.processing_timeout, second);
    let interval = read("interval", base.interval, second);
    let query_timeout = read(
        "query_timeout",
        base.query_timeout,
        Duration::from_millis(100),
    );
    let rule = Order {
        low: ("query_timeout", &query_timeout),
        high: ("interval", &interval),
        strict: false,
        why: "a query must end before the next pass is due",
    };
    settings::check_order(w, &[Origin::Service], rule);
    let all = [claimed_timeout, processing_timeout, interval, query_timeout];
    if all.iter().any(|s| s.origin == Origin::Broken) {
        return None;
    }
    Some(all.map(|s| s.value))
}

/// A count from 1 to `most`.
fn count(w: &mut Walker<'_>, value: &Value<'_>, key: &str, most: i64) -> Option<u32> {
    w.integer(value, key, 1..=most)
        .and_then(|n| u32::try_from(n).ok())
}

/// `timestamps`: how a SQLite queue writes its times (`database` is `None` when it was
/// invalid).
fn timestamps(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    database: Option<&JobsDatabase>,
) -> Option<TimestampFormat> {
    let text = w.text(value, "timestamps")?;
    let found = TIMESTAMP_FORMATS
        .into_iter()
        .find(|format| format.as_str() == text.value);
    let message = match found {
        None => {
            let words = TIMESTAMP_FORMATS.map(TimestampFormat::as_str);
            let valid = format!("valid formats are {}", suggest::list(&words));
            let hint = match suggest::closest(&text.value, &words) {
                Some(close) => format!("did you mean `{close}`? ({valid})"),
                None => valid,
            };
            format!("`timestamps` = {} is not a format; {hint}", text.quoted())
        }
        Some(format)
            if format != TimestampFormat::Auto
                && matches!(database, Some(JobsDatabase::Postgres { .. })) =>
        {
            format!(
                "`timestamps` = {} applies to SQLite only: PostgreSQL's column types say how \
                 its timestamps are kept; remove it",
                text.quoted()
            )
        }
        Some(format) => return Some(format),
    };
    w.report(text.span, message);
    None
}
