//! Row values of a SQLite queue as read (with the type SQLite holds them in) and bound
//! back unchanged, the ages of timestamps, and the census tally.

use std::time::{Duration, SystemTime};

use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Row, Sqlite, TypeInfo, ValueRef};

use crate::config::JobStates;
use crate::jobs::queue::RowValue;
use crate::view::jobs::{Census, Phase};

/// The census counter of `state`: one of the five configured names, or `other`.
pub(super) fn tally<'a>(
    census: &'a mut Census,
    states: &JobStates,
    state: Option<&str>,
) -> &'a mut u64 {
    match state {
        Some(s) if s == states.pending => &mut census.pending,
        Some(s) if s == states.claimed => &mut census.claimed,
        Some(s) if s == states.processing => &mut census.processing,
        Some(s) if s == states.completed => &mut census.completed,
        Some(s) if s == states.failed => &mut census.failed,
        _ => &mut census.other,
    }
}

/// The state a row stuck in `phase` is in.
pub(super) fn state_of(states: &JobStates, phase: Phase) -> &str {
    match phase {
        Phase::Claimed => &states.claimed,
        Phase::Processing => &states.processing,
    }
}

/// `at` as a duration since the Unix epoch (zero before it).
pub(super) fn since_epoch(at: SystemTime) -> Duration {
    at.duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or(Duration::ZERO)
}

/// How long before `now` the instant `epoch_seconds` was; zero if it is later.
pub(super) fn age_at(now: SystemTime, epoch_seconds: f64) -> Duration {
    let age = since_epoch(now).as_secs_f64() - epoch_seconds;
    Duration::try_from_secs_f64(age.max(0.0)).unwrap_or(Duration::MAX)
}

/// The value at `index` with the type SQLite holds it in; `None` for NULL and for a
/// BLOB (never a queue's id or timestamp; a row holding one is left alone).
pub(super) fn value(row: &SqliteRow, index: usize) -> Result<Option<RowValue>, sqlx::Error> {
    let raw = row.try_get_raw(index)?;
    let kind = if raw.is_null() {
        "NULL".to_string()
    } else {
        raw.type_info().name().to_string()
    };
    Ok(match kind.as_str() {
        "INTEGER" => Some(RowValue::Int(row.try_get(index)?)),
        "REAL" => Some(RowValue::Real(row.try_get(index)?)),
        "TEXT" => Some(RowValue::Text(row.try_get(index)?)),
        _ => None,
    })
}

/// The number at `index`; `None` for NULL or text.
pub(super) fn number(row: &SqliteRow, index: usize) -> Result<Option<f64>, sqlx::Error> {
    Ok(match value(row, index)? {
        Some(RowValue::Int(n)) => Some(n as f64),
        Some(RowValue::Real(x)) => Some(x),
        Some(RowValue::Text(_)) | None => None,
    })
}

type SqliteQuery<'q> = sqlx::query::Query<'q, Sqlite, SqliteArguments>;

/// Binds a value read from the table with the type it was read as.
pub(super) fn bind_value<'q>(query: SqliteQuery<'q>, value: &'q RowValue) -> SqliteQuery<'q> {
    match value {
        RowValue::Int(n) => query.bind(*n),
        RowValue::Real(x) => query.bind(*x),
        RowValue::Text(s) => query.bind(s.as_str()),
    }
}
