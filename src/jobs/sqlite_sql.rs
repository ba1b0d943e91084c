//! The SQL the SQLite queue runs, built once at open from the configured names (each
//! quoted), and how its timestamps are compared: epoch seconds as stored, ISO-8601
//! text through `julianday()`. Values are always bound, never formatted in.

use std::sync::Arc;
use std::time::Duration;

use crate::config::JobsConfig;
use crate::jobs::queue::quoted;
use crate::view::jobs::Phase;

/// The Julian day of the Unix epoch, in milliseconds: SQLite keeps an instant as
/// milliseconds since the Julian epoch, and `julianday()` divides them by a day.
const EPOCH_JULIAN_MS: i64 = 210_866_760_000_000;
const DAY_MS: f64 = 86_400_000.0;

/// How the queue's timestamp columns hold an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Timestamps {
    /// Seconds since the Unix epoch, integer or real: compared as stored, so an index
    /// on (state, timestamp) serves the search for stuck rows.
    EpochSeconds,
    /// ISO-8601 text ('T' or ' ', fractional seconds, a trailing 'Z' all read):
    /// compared through `julianday()`, to the millisecond.
    Iso8601,
}

impl Timestamps {
    /// From a column's declared type: numeric types hold epoch seconds, anything else
    /// (TEXT, DATETIME, TIMESTAMP, none) ISO-8601 text.
    pub(super) fn from_declared_type(declared: &str) -> Self {
        let declared = declared.to_ascii_uppercase();
        let numeric = [
            "INT", "REAL", "FLOA", "DOUB", "NUMERIC", "NUMBER", "DECIMAL",
        ];
        if numeric.iter().any(|word| declared.contains(word)) {
            Timestamps::EpochSeconds
        } else {
            Timestamps::Iso8601
        }
    }

    /// SQL for `column` as a number that grows with time: the stored epoch seconds,
    /// or the Julian day of the text (NULL when the text is no date).
    fn instant(self, column: &str) -> String {
        match self {
            Timestamps::EpochSeconds => column.to_string(),
            Timestamps::Iso8601 => format!("julianday({column})"),
        }
    }

    /// The value [`instant`](Self::instant) has at `since_epoch`. For text, the
    /// instant is rounded up to the millisecond and computed as `julianday()` does,
    /// so a row exactly at the cutoff compares equal, not older.
    pub(super) fn instant_at(self, since_epoch: Duration) -> f64 {
        match self {
            Timestamps::EpochSeconds => since_epoch.as_secs_f64(),
            Timestamps::Iso8601 => {
                let millis = i64::try_from(since_epoch.as_nanos().div_ceil(1_000_000))
                    .unwrap_or(i64::MAX - EPOCH_JULIAN_MS);
                (millis + EPOCH_JULIAN_MS) as f64 / DAY_MS
            }
        }
    }

    /// Seconds since the Unix epoch of an [`instant`](Self::instant) value.
    pub(super) fn epoch_seconds(self, instant: f64) -> f64 {
        match self {
            Timestamps::EpochSeconds => instant,
            Timestamps::Iso8601 => {
                let julian_ms = (instant * DAY_MS).round();
                (julian_ms - EPOCH_JULIAN_MS as f64) / 1000.0
            }
        }
    }
}

/// A statement's text, shared with each query that runs it.
type Sql = Arc<str>;

/// Every statement of one queue table.
pub(super) struct Statements {
    /// `(state as text, rows)` per state.
    pub(super) count_states: Sql,
    /// The oldest claimed and processing instants; binds the two state names.
    pub(super) oldest: Sql,
    /// `(id, timestamp, attempts, instant)` of the oldest stuck rows, by phase; binds
    /// the state, the cutoff instant and the limit.
    stuck: [Sql; 2],
    /// The compare-and-set, by phase, without and with `last_error`; binds the new
    /// state, (the reason,) the id, the state and the timestamp seen.
    change: [[Sql; 2]; 2],
}

impl Statements {
    pub(super) fn new(config: &JobsConfig, timestamps: Timestamps) -> Self {
        let table = quoted(&config.table);
        let columns = &config.columns;
        let id = quoted(&columns.id);
        let state = quoted(&columns.state);
        let attempts = quoted(&columns.attempts);
        let last_error = quoted(&columns.last_error);
        let stamp = |phase: Phase| {
            quoted(match phase {
                Phase::Claimed => &columns.claimed_at,
                Phase::Processing => &columns.started_at,
            })
        };
        let stuck = |phase: Phase| {
            let instant = timestamps.instant(&stamp(phase));
            Sql::from(format!(
                "SELECT {id}, {stamp}, CAST({attempts} AS INTEGER), {instant} FROM {table} \
                 WHERE {state} = ?1 AND {instant} < ?2 ORDER BY {instant} LIMIT ?3",
                stamp = stamp(phase),
            ))
        };
        let change = |phase: Phase| {
            let stamp = stamp(phase);
            let guard = format!("{id} = ? AND {state} = ? AND {stamp} = ?");
            [
                Sql::from(format!("UPDATE {table} SET {state} = ? WHERE {guard}")),
                Sql::from(format!(
                    "UPDATE {table} SET {state} = ?, {last_error} = ? WHERE {guard}"
                )),
            ]
        };
        let oldest = |phase: Phase, slot: u8| {
            let instant = timestamps.instant(&stamp(phase));
            format!("(SELECT min({instant}) FROM {table} WHERE {state} = ?{slot})")
        };
        Self {
            count_states: Sql::from(format!(
                "SELECT CAST({state} AS TEXT), count(*) FROM {table} GROUP BY {state}"
            )),
            oldest: Sql::from(format!(
                "SELECT {}, {}",
                oldest(Phase::Claimed, 1),
                oldest(Phase::Processing, 2)
            )),
            stuck: [stuck(Phase::Claimed), stuck(Phase::Processing)],
            change: [change(Phase::Claimed), change(Phase::Processing)],
        }
    }

    pub(super) fn stuck(&self, phase: Phase) -> Sql {
        self.stuck[slot(phase)].clone()
    }

    /// The compare-and-set of `phase`, writing `last_error` too when `with_reason`.
    pub(super) fn change(&self, phase: Phase, with_reason: bool) -> Sql {
        self.change[slot(phase)][usize::from(with_reason)].clone()
    }
}

fn slot(phase: Phase) -> usize {
    match phase {
        Phase::Claimed => 0,
        Phase::Processing => 1,
    }
}
