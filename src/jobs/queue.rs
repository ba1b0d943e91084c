//! What a pass needs of a database (`sqlite.rs`, `postgres.rs`): count the states, find
//! rows stuck past a timeout, and change them with a compare-and-set on what was seen.

use std::time::{Duration, SystemTime};

use crate::view::jobs::{Census, Phase, Remedy};

/// A value read from a row and written back unchanged in a compare-and-set.
#[derive(Debug, Clone, PartialEq)]
pub enum RowValue {
    Int(i64),
    Real(f64),
    /// Text, or a PostgreSQL value in its text form (cast back in SQL).
    Text(String),
}

impl std::fmt::Display for RowValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowValue::Int(n) => write!(f, "{n}"),
            RowValue::Real(x) => write!(f, "{x}"),
            RowValue::Text(s) => f.write_str(s),
        }
    }
}

/// One stuck row as a pass read it: the compare-and-set changes it only if its state
/// and timestamp are still these.
#[derive(Debug, Clone, PartialEq)]
pub struct SeenRow {
    pub id: RowValue,
    /// The claimed_at (or started_at) value as read.
    pub seen: RowValue,
    pub age: Duration,
    pub attempts: Option<i64>,
}

/// Why the database could not be used. Never holds a password.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JobsError {
    #[error("cannot connect to {database}: {reason}")]
    Connect { database: String, reason: String },
    /// The table or a column is missing or of a type the monitor cannot read; fixed
    /// only by changing the schema or the config.
    #[error("{0}")]
    Schema(String),
    #[error("query failed: {0}")]
    Query(String),
    #[error("query took longer than {}", humantime::format_duration(*.0))]
    Timeout(Duration),
}

/// A queue table in a database. One instance holds one connection.
#[allow(async_fn_in_trait, reason = "used only through generics, never as dyn")]
pub trait Queue {
    /// True when this instance may write: it holds the table's advisory lock (taken
    /// here if free), or the database has no such lock (SQLite).
    async fn lead(&mut self) -> Result<bool, JobsError>;

    /// Rows per state and the oldest claimed and processing ages at `now`.
    async fn census(&mut self, now: SystemTime) -> Result<Census, JobsError>;

    /// Up to `limit` rows in `phase` whose timestamp is older than `now - timeout`,
    /// oldest first.
    async fn stuck(
        &mut self,
        phase: Phase,
        now: SystemTime,
        timeout: Duration,
        limit: u32,
    ) -> Result<Vec<SeenRow>, JobsError>;

    /// Applies `remedy` to each row still in `phase` with the timestamp it was seen
    /// with (setting `last_error` to `reason` for `Retry` and `Fail`); returns the
    /// indexes in `rows` of the rows changed. One statement or transaction.
    async fn change(
        &mut self,
        phase: Phase,
        remedy: Remedy,
        rows: &[SeenRow],
        reason: &str,
    ) -> Result<Vec<usize>, JobsError>;
}

/// `name` or `schema.name` quoted for SQL; the config allows only plain identifiers,
/// so doubling quotes is never needed but is done anyway.
pub(crate) fn quoted(name: &str) -> String {
    name.split('.')
        .map(|part| format!("\"{}\"", part.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_quoted_part_by_part() {
        assert_eq!(quoted("jobs"), "\"jobs\"");
        assert_eq!(quoted("queue.jobs"), "\"queue\".\"jobs\"");
        assert_eq!(quoted("a\"b"), "\"a\"\"b\"");
    }
}
