//! What the PostgreSQL job monitor learns from the catalog when it opens: that the table
//! and its six columns exist, and the types it needs to cast values back to.

use sqlx::{AssertSqlSafe, PgConnection};

use super::bounded;
use crate::config::JobsConfig;
use crate::jobs::queue::{JobsError, quoted};

/// How a timestamp column keeps time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Clock {
    /// `timestamp with time zone`: an instant.
    Zoned,
    /// `timestamp without time zone`: a wall-clock reading, taken as UTC (lookout's
    /// session runs in UTC).
    Local,
}

impl Clock {
    /// The SQL type a value of this column is cast to.
    pub(super) fn sql_type(self) -> &'static str {
        match self {
            Clock::Zoned => "timestamptz",
            Clock::Local => "timestamp",
        }
    }
}

/// The queue table as the catalog describes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct TableSchema {
    /// `schema.name`, as resolved by the database (ties the advisory lock to the table,
    /// however the config spells it).
    pub qualified_name: String,
    /// The id column's type, spliced into casts.
    pub id_type: String,
    /// The state column's type (text, varchar, or an enum), spliced into casts.
    pub state_type: String,
    pub claimed_at: Clock,
    pub started_at: Clock,
}

/// One column as `pg_attribute` and `format_type` describe it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FoundColumn {
    pub name: String,
    /// The type without its modifier (`character varying`, not `character varying(64)`).
    pub type_name: String,
}

/// The catalog query: `$1` the table as text; one row per live column.
const COLUMNS: &str = "SELECT a.attname::text, format_type(a.atttypid, NULL) \
     FROM pg_catalog.pg_attribute AS a \
     WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped \
     ORDER BY a.attnum";

/// `$1` the table as text: its `schema.name`; no row when there is no such relation.
const QUALIFIED_NAME: &str = "SELECT n.nspname::text || '.' || c.relname::text \
     FROM pg_catalog.pg_class AS c \
     JOIN pg_catalog.pg_namespace AS n ON n.oid = c.relnamespace \
     WHERE c.oid = to_regclass($1)";

const ZONED: &str = "timestamp with time zone";
const LOCAL: &str = "timestamp without time zone";
const INTEGERS: [&str; 3] = ["smallint", "integer", "bigint"];
const TEXTS: [&str; 4] = ["text", "character varying", "character", "citext"];

/// Reads the table's columns from the catalog and checks them and the state names.
pub(super) async fn read(
    connection: &mut PgConnection,
    config: &JobsConfig,
) -> Result<TableSchema, JobsError> {
    let table = quoted(&config.table);
    let limit = config.query_timeout;
    let query = sqlx::query_scalar::<_, String>(QUALIFIED_NAME)
        .bind(&table)
        .fetch_optional(&mut *connection);
    let Some(qualified_name) = bounded(limit, query).await? else {
        return Err(no_table(config));
    };
    let query = sqlx::query_as::<_, (String, String)>(COLUMNS)
        .bind(&table)
        .fetch_all(&mut *connection);
    let found: Vec<FoundColumn> = bounded(limit, query)
        .await?
        .into_iter()
        .map(|(name, type_name)| FoundColumn { name, type_name })
        .collect();
    let checked = check(config, qualified_name, &found)?;
    let states = &config.states;
    let cast = |n: u8| format!("${n}::{}", checked.state_type);
    let probe = format!(
        "SELECT {}, {}, {}, {}, {}",
        cast(1),
        cast(2),
        cast(3),
        cast(4),
        cast(5)
    );
    let query = sqlx::query(AssertSqlSafe(probe))
        .bind(&states.pending)
        .bind(&states.claimed)
        .bind(&states.processing)
        .bind(&states.completed)
        .bind(&states.failed)
        .execute(&mut *connection);
    match bounded(limit, query).await {
        Err(JobsError::Query(reason)) => Err(bad_state(config, &checked.state_type, &reason)),
        Err(other) => Err(other),
        Ok(_) => Ok(checked),
    }
}

/// Checks the columns `found` in `config.table` against what the monitor needs.
fn check(
    config: &JobsConfig,
    qualified_name: String,
    found: &[FoundColumn],
) -> Result<TableSchema, JobsError> {
    let columns = &config.columns;
    let wanted = [
        ("id", &columns.id),
        ("state", &columns.state),
        ("claimed_at", &columns.claimed_at),
        ("started_at", &columns.started_at),
        ("attempts", &columns.attempts),
        ("last_error", &columns.last_error),
    ];
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(_, name)| !found.iter().any(|c| &c.name == *name))
        .map(|(key, name)| format!("\"{name}\" (columns.{key})"))
        .collect();
    if !missing.is_empty() {
        let present: Vec<&str> = found.iter().map(|c| c.name.as_str()).collect();
        return Err(JobsError::Schema(format!(
            "table \"{}\" has no column {}; its columns are: {}",
            config.table,
            missing.join(", "),
            present.join(", ")
        )));
    }
    let type_of = |name: &str| {
        found
            .iter()
            .find(|c| c.name == name)
            .map_or("", |c| c.type_name.as_str())
    };
    let table = &config.table;
    expect_one_of(
        table,
        &columns.attempts,
        type_of(&columns.attempts),
        &INTEGERS,
    )?;
    expect_one_of(
        table,
        &columns.last_error,
        type_of(&columns.last_error),
        &TEXTS,
    )?;
    Ok(TableSchema {
        qualified_name,
        id_type: spliceable(table, &columns.id, type_of(&columns.id))?,
        state_type: spliceable(table, &columns.state, type_of(&columns.state))?,
        claimed_at: clock(table, &columns.claimed_at, type_of(&columns.claimed_at))?,
        started_at: clock(table, &columns.started_at, type_of(&columns.started_at))?,
    })
}

/// The message when `to_regclass` finds nothing.
fn no_table(config: &JobsConfig) -> JobsError {
    JobsError::Schema(format!(
        "table \"{}\" does not exist in {} (or this user cannot see it); \
         set [jobs] table to `name` or `schema.name`",
        config.table, config.database
    ))
}

/// The message when a configured state name is not a value the state column can hold
/// (an enum without that label).
fn bad_state(config: &JobsConfig, state_type: &str, reason: &str) -> JobsError {
    JobsError::Schema(format!(
        "a [jobs.states] name does not fit column \"{}\" of table \"{}\" ({state_type}): {reason}",
        config.columns.state, config.table
    ))
}

fn clock(table: &str, column: &str, type_name: &str) -> Result<Clock, JobsError> {
    match type_name {
        ZONED => Ok(Clock::Zoned),
        LOCAL => Ok(Clock::Local),
        other => Err(JobsError::Schema(format!(
            "column \"{column}\" of table \"{table}\" is {other}; \
             lookout reads `{ZONED}` or `{LOCAL}` there"
        ))),
    }
}

fn expect_one_of(
    table: &str,
    column: &str,
    type_name: &str,
    valid: &[&str],
) -> Result<(), JobsError> {
    if valid.contains(&type_name) {
        return Ok(());
    }
    Err(JobsError::Schema(format!(
        "column \"{column}\" of table \"{table}\" is {type_name}; lookout needs one of: {}",
        valid.join(", ")
    )))
}

/// A type name from the catalog, checked to hold nothing but identifier characters
/// before it is spliced into a cast.
fn spliceable(table: &str, column: &str, type_name: &str) -> Result<String, JobsError> {
    let plain = !type_name.is_empty()
        && type_name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || " _.\"[]".contains(c));
    if plain {
        Ok(type_name.to_string())
    } else {
        Err(JobsError::Schema(format!(
            "column \"{column}\" of table \"{table}\" has a type lookout cannot name in SQL: \
             {type_name}"
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_type_names_are_spliced() {
        for plain in [
            "bigint",
            "character varying",
            "queue.\"JobState\"",
            "integer[]",
        ] {
            assert_eq!(spliceable("jobs", "id", plain), Ok(plain.to_string()));
        }
        for odd in ["", "text); DROP TABLE jobs; --", "x'y", "a$b"] {
            assert!(spliceable("jobs", "id", odd).is_err(), "{odd}");
        }
    }
}
