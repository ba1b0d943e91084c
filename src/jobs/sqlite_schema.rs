//! Checks at open that the queue table and its six configured columns exist, and
//! decides how the timestamps are kept: as configured, or from a stored claimed_at
//! value's type (the declared type when the table has none).

use sqlx::sqlite::SqliteConnection;
use sqlx::{AssertSqlSafe, Row};

use super::statements::Timestamps;
use crate::config::{JobsConfig, TimestampFormat};
use crate::jobs::queue::{JobsError, quoted};

/// The columns of `table` (`name` or `schema.name`), `(name, declared type)`.
const TABLE_COLUMNS: &str = "SELECT name, type FROM pragma_table_info(?1)";
const SCHEMA_TABLE_COLUMNS: &str = "SELECT name, type FROM pragma_table_info(?1, ?2)";
/// The tables and views of a schema, for the message when the table is missing.
const TABLES: &str = "SELECT name FROM pragma_table_list \
     WHERE schema = ?1 AND type IN ('table', 'view') AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' \
     ORDER BY name";

/// One column as declared.
struct Column {
    name: String,
    declared_type: String,
}

/// Checks the table and columns of `config` and returns how its timestamps are kept.
pub(super) async fn check(
    connection: &mut SqliteConnection,
    config: &JobsConfig,
) -> Result<Timestamps, JobsError> {
    let (schema, table) = match config.table.split_once('.') {
        Some((schema, table)) => (Some(schema), table),
        None => (None, config.table.as_str()),
    };
    let columns = read_columns(connection, schema, table)
        .await
        .map_err(|err| unreadable(config, "reading the table's columns", &err))?;
    if columns.is_empty() {
        let tables = read_tables(connection, schema.unwrap_or("main"))
            .await
            .map_err(|err| unreadable(config, "listing the tables", &err))?;
        return Err(JobsError::Schema(missing_table(config, &tables)));
    }
    let wanted = [
        ("id", &config.columns.id),
        ("state", &config.columns.state),
        ("claimed_at", &config.columns.claimed_at),
        ("started_at", &config.columns.started_at),
        ("attempts", &config.columns.attempts),
        ("last_error", &config.columns.last_error),
    ];
    let find = |name: &str| columns.iter().find(|c| c.name.eq_ignore_ascii_case(name));
    let missing: Vec<String> = wanted
        .iter()
        .filter(|(_, name)| find(name).is_none())
        .map(|(role, name)| format!("\"{name}\" (jobs.columns.{role})"))
        .collect();
    if !missing.is_empty() {
        let found: Vec<String> = columns.iter().map(|c| format!("\"{}\"", c.name)).collect();
        return Err(JobsError::Schema(format!(
            "table \"{}\" in {} has no column {}; its columns are {}",
            config.table,
            config.database,
            missing.join(" nor "),
            found.join(", ")
        )));
    }
    Ok(match config.timestamps {
        TimestampFormat::EpochSeconds => Timestamps::EpochSeconds,
        TimestampFormat::Iso8601 => Timestamps::Iso8601,
        TimestampFormat::Auto => match stored_type(connection, config).await {
            // A value is the surest witness: a column declared TIMESTAMP may hold
            // epoch seconds.
            Some(kind) if kind == "integer" || kind == "real" => Timestamps::EpochSeconds,
            Some(kind) if kind == "text" => Timestamps::Iso8601,
            _ => Timestamps::from_declared_type(
                find(&config.columns.claimed_at).map_or("", |c| c.declared_type.as_str()),
            ),
        },
    })
}

/// SQLite's type of one stored claimed_at value, if the table has one.
async fn stored_type(connection: &mut SqliteConnection, config: &JobsConfig) -> Option<String> {
    let column = quoted(&config.columns.claimed_at);
    let sql = format!(
        "SELECT typeof({column}) FROM {} WHERE {column} IS NOT NULL LIMIT 1",
        quoted(&config.table)
    );
    sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_optional(connection)
        .await
        .ok()
        .flatten()
}

async fn read_columns(
    connection: &mut SqliteConnection,
    schema: Option<&str>,
    table: &str,
) -> Result<Vec<Column>, sqlx::Error> {
    let query = match schema {
        Some(schema) => sqlx::query(SCHEMA_TABLE_COLUMNS).bind(table).bind(schema),
        None => sqlx::query(TABLE_COLUMNS).bind(table),
    };
    let rows = query.fetch_all(connection).await?;
    rows.iter()
        .map(|row| {
            Ok(Column {
                name: row.try_get(0)?,
                declared_type: row.try_get(1)?,
            })
        })
        .collect()
}

async fn read_tables(
    connection: &mut SqliteConnection,
    schema: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(TABLES)
        .bind(schema)
        .fetch_all(connection)
        .await
}

fn missing_table(config: &JobsConfig, tables: &[String]) -> String {
    let found = if tables.is_empty() {
        "it has no tables".to_string()
    } else {
        let names: Vec<String> = tables.iter().map(|name| format!("\"{name}\"")).collect();
        format!("its tables are {}", names.join(", "))
    };
    format!(
        "no table \"{}\" in {} (set by [jobs] table); {found}",
        config.table, config.database
    )
}

/// The file opened but its schema cannot be read (not a database, locked, damaged).
fn unreadable(config: &JobsConfig, doing: &str, err: &sqlx::Error) -> JobsError {
    JobsError::Connect {
        database: config.database.to_string(),
        reason: format!("{doing}: {}", super::describe(err)),
    }
}
