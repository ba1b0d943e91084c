//! The statements the PostgreSQL job monitor runs, built once when it opens: names
//! quoted, types from the catalog, every value bound. Times travel as RFC 3339 text cast
//! in SQL to the column's own type, so `state = $s AND claimed_at < $cutoff ORDER BY
//! claimed_at` can walk an index on (state, claimed_at).

use super::schema::{Clock, TableSchema};
use crate::config::JobsConfig;
use crate::jobs::queue::quoted;
use crate::view::jobs::{Phase, Remedy};

/// Every statement, text ready for `sqlx::query`.
#[derive(Debug, Clone)]
pub(super) struct Statements {
    census: String,
    stuck: [String; 2],
    change: [[String; 3]; 2],
}

impl Statements {
    pub(super) fn new(config: &JobsConfig, schema: &TableSchema) -> Self {
        let names = Names::new(config, schema);
        Self {
            census: census(&names),
            stuck: Phase::ALL.map(|phase| stuck(&names, phase)),
            change: Phase::ALL.map(|phase| REMEDIES.map(|remedy| change(&names, phase, remedy))),
        }
    }

    /// `$1` now; `$2`, `$3` the claimed and processing states. One row: the states
    /// (text[]), their counts (int8[]), the oldest claimed and processing ages in
    /// seconds (float8, NULL when none).
    pub(super) fn census(&self) -> &str {
        &self.census
    }

    /// `$1` now; `$2` the cutoff; `$3` the state; `$4` the limit. Rows of id (text),
    /// timestamp (text), age in seconds (float8), attempts (int8), oldest first.
    pub(super) fn stuck(&self, phase: Phase) -> &str {
        &self.stuck[phase_index(phase)]
    }

    /// `$1` ids and `$2` timestamps as seen (text[]); `$3` the state seen; `$4` the new
    /// state; `$5` the `last_error` (for `Retry` and `Fail` only). Returns the 1-based
    /// position in the arrays of each row changed.
    pub(super) fn change(&self, phase: Phase, remedy: Remedy) -> &str {
        &self.change[phase_index(phase)][remedy_index(remedy)]
    }
}

const REMEDIES: [Remedy; 3] = [Remedy::Requeue, Remedy::Retry, Remedy::Fail];

fn phase_index(phase: Phase) -> usize {
    match phase {
        Phase::Claimed => 0,
        Phase::Processing => 1,
    }
}

fn remedy_index(remedy: Remedy) -> usize {
    match remedy {
        Remedy::Requeue => 0,
        Remedy::Retry => 1,
        Remedy::Fail => 2,
    }
}

/// The quoted table and columns and the types values are cast to.
struct Names {
    table: String,
    id: String,
    state: String,
    claimed_at: String,
    started_at: String,
    attempts: String,
    last_error: String,
    id_type: String,
    state_type: String,
    claimed_clock: Clock,
    started_clock: Clock,
}

impl Names {
    fn new(config: &JobsConfig, schema: &TableSchema) -> Self {
        let columns = &config.columns;
        Self {
            table: quoted(&config.table),
            id: quoted(&columns.id),
            state: quoted(&columns.state),
            claimed_at: quoted(&columns.claimed_at),
            started_at: quoted(&columns.started_at),
            attempts: quoted(&columns.attempts),
            last_error: quoted(&columns.last_error),
            id_type: schema.id_type.clone(),
            state_type: schema.state_type.clone(),
            claimed_clock: schema.claimed_at,
            started_clock: schema.started_at,
        }
    }

    /// The timestamp column `phase` is measured from, and how it keeps time.
    fn timestamp(&self, phase: Phase) -> (&str, Clock) {
        match phase {
            Phase::Claimed => (&self.claimed_at, self.claimed_clock),
            Phase::Processing => (&self.started_at, self.started_clock),
        }
    }

    /// Bound parameter `param` cast to the state column's type.
    fn state_param(&self, param: &str) -> String {
        format!("{param}::{}", self.state_type)
    }
}

/// Bound RFC 3339 text `param` as a value of a `clock` column.
fn instant(param: &str, clock: Clock) -> String {
    match clock {
        Clock::Zoned => format!("{param}::timestamptz"),
        Clock::Local => format!("{param}::timestamptz::timestamp"),
    }
}

/// Seconds from `column` to `now` (NULL when `column` is; negative ones are read as
/// zero).
fn age(now: &str, column: &str) -> String {
    format!("extract(epoch from ({now} - {column}))::float8")
}

fn census(n: &Names) -> String {
    let oldest = |phase: Phase, param: &str| {
        let (column, clock) = n.timestamp(phase);
        let first = format!(
            "(SELECT min({column}) FROM {table} WHERE {state} = {value})",
            table = n.table,
            state = n.state,
            value = n.state_param(param),
        );
        age(&instant("$1", clock), &first)
    };
    format!(
        "SELECT array_agg(counted.state), array_agg(counted.total), {claimed}, {processing} \
         FROM (SELECT {state}::text AS state, count(*) AS total FROM {table} GROUP BY {state}) \
         AS counted",
        claimed = oldest(Phase::Claimed, "$2"),
        processing = oldest(Phase::Processing, "$3"),
        state = n.state,
        table = n.table,
    )
}

fn stuck(n: &Names, phase: Phase) -> String {
    let (column, clock) = n.timestamp(phase);
    format!(
        "SELECT {id}::text AS seen_id, {column}::text AS seen_at, {age} AS age, \
         {attempts}::int8 AS seen_attempts FROM {table} \
         WHERE {state} = {value} AND {column} < {cutoff} \
         ORDER BY {column} LIMIT $4",
        id = n.id,
        age = age(&instant("$1", clock), column),
        attempts = n.attempts,
        table = n.table,
        state = n.state,
        value = n.state_param("$3"),
        cutoff = instant("$2", clock),
    )
}

/// Each row is found by its id alone: the timestamp is compared with `IS NOT DISTINCT
/// FROM`, which no index serves, so the planner cannot walk (state, timestamp) instead,
/// where rows claimed in one statement share a timestamp and every lookup would scan
/// them all.
fn change(n: &Names, phase: Phase, remedy: Remedy) -> String {
    let (column, clock) = n.timestamp(phase);
    let last_error = match remedy {
        Remedy::Requeue => String::new(),
        Remedy::Retry | Remedy::Fail => format!(", {} = $5", n.last_error),
    };
    format!(
        "UPDATE {table} AS t SET {state} = {to}{last_error} \
         FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS seen(id, at, position) \
         WHERE t.{id} = seen.id::{id_type} AND t.{state} = {from} \
         AND t.{column} IS NOT DISTINCT FROM seen.at::{column_type} \
         RETURNING seen.position",
        table = n.table,
        state = n.state,
        to = n.state_param("$4"),
        id = n.id,
        id_type = n.id_type,
        from = n.state_param("$3"),
        column_type = clock.sql_type(),
    )
}
