//! The monitor's statements use the indexes they should, on 100,000 analyzed rows: the
//! search for stuck rows walks the recommended index in order (no sort), and the
//! compare-and-set finds each row by its primary key. Each is checked with the values
//! of one pass bound and as the generic plan a prepared statement settles on.

mod jobs_pg_support;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use jobs_pg_support::{QueueTable, execute, server};
use lookout::jobs::postgres::PgQueue;
use lookout::view::jobs::{Phase, Remedy};
use sqlx::{AssertSqlSafe, PgConnection};

const ROWS: i64 = 100_000;

/// A value bound to a statement.
enum Value {
    Text(String),
    Texts(Vec<String>),
    Int(i64),
}

impl Value {
    /// The value as a SQL literal, for `EXECUTE` (the values here hold no quotes).
    fn literal(&self) -> String {
        match self {
            Value::Text(text) => format!("'{text}'"),
            Value::Texts(texts) => {
                let items: Vec<String> = texts.iter().map(|t| format!("'{t}'")).collect();
                format!("ARRAY[{}]::text[]", items.join(", "))
            }
            Value::Int(n) => n.to_string(),
        }
    }

    fn sql_type(&self) -> &'static str {
        match self {
            Value::Text(_) => "text",
            Value::Texts(_) => "text[]",
            Value::Int(_) => "int8",
        }
    }
}

fn time(at: SystemTime) -> Value {
    Value::Text(humantime::format_rfc3339_micros(at).to_string())
}

/// The plan of `statement` with `values` bound, then the generic plan PostgreSQL caches
/// for it once prepared.
async fn plans(connection: &mut PgConnection, statement: &str, values: &[Value]) -> [String; 2] {
    let mut explain = sqlx::query_scalar(AssertSqlSafe(format!("EXPLAIN {statement}")));
    for value in values {
        explain = match value {
            Value::Text(text) => explain.bind(text.clone()),
            Value::Texts(texts) => explain.bind(texts.clone()),
            Value::Int(n) => explain.bind(*n),
        };
    }
    let custom: Vec<String> = explain.fetch_all(&mut *connection).await.expect("explain");

    let types: Vec<&str> = values.iter().map(Value::sql_type).collect();
    let literals: Vec<String> = values.iter().map(Value::literal).collect();
    execute(
        connection,
        &format!(
            "PREPARE lookout_probe ({}) AS {statement}; \
             SET plan_cache_mode = force_generic_plan",
            types.join(", ")
        ),
    )
    .await;
    let generic: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!(
        "EXPLAIN EXECUTE lookout_probe ({})",
        literals.join(", ")
    )))
    .fetch_all(&mut *connection)
    .await
    .expect("explain execute");
    execute(
        connection,
        "RESET plan_cache_mode; DEALLOCATE lookout_probe",
    )
    .await;
    [custom.join("\n"), generic.join("\n")]
}

/// True when `plan` reads `index` by one of PostgreSQL's index scans.
fn walks(plan: &str, index: &str) -> bool {
    plan.lines().any(|line| {
        let scan = line.contains("Index Scan using ") || line.contains("Index Only Scan using ");
        (scan && line.contains(&format!("using {index} on")))
            || line.contains(&format!("Bitmap Index Scan on {index}"))
    })
}

/// True when `plan` sorts rows rather than reading them in the index's order (a pass
/// wants the oldest few and should stop there).
fn sorts(plan: &str) -> bool {
    plan.lines().any(|line| line.contains("Sort"))
}

#[tokio::test]
async fn the_monitor_s_statements_use_the_indexes() {
    let Some(mut connection) = server().await else {
        return;
    };
    let table = QueueTable::create(&mut connection).await;
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    table.fill(&mut connection, ROWS, now).await;
    table.index(&mut connection).await;
    // A thousand rows stuck with one timestamp, as batch claims write them, after the
    // statistics were taken (they say nothing of such a crowd).
    let at = humantime::format_rfc3339_micros(now - Duration::from_secs(3_600));
    execute(
        &mut connection,
        &format!(
            "UPDATE {name} SET state = CASE WHEN id % 200 = 50 THEN 'claimed' \
               ELSE 'processing' END, claimed_at = '{at}', started_at = '{at}' \
             WHERE id % 100 = 50",
            name = table.name
        ),
    )
    .await;
    let queue = PgQueue::open(&table.config()).await.expect("open");
    let name = &table.name;

    for (phase, index, remedy) in [
        (Phase::Claimed, format!("{name}_claimed"), Remedy::Requeue),
        (Phase::Processing, format!("{name}_started"), Remedy::Fail),
    ] {
        let state = || Value::Text(phase.as_str().to_string());
        let search = [
            time(now),
            time(now - Duration::from_secs(300)),
            state(),
            Value::Int(100),
        ];
        for plan in plans(&mut connection, queue.stuck_statement(phase), &search).await {
            assert!(
                walks(&plan, &index),
                "{phase:?} does not use {index}:\n{plan}"
            );
            assert!(!sorts(&plan), "{phase:?} sorts:\n{plan}");
        }

        let ids = (0..100).map(|n| (n * 100 + 50).to_string()).collect();
        let seen = vec![at.to_string(); 100];
        let mut change = vec![
            Value::Texts(ids),
            Value::Texts(seen),
            state(),
            Value::Text("pending".into()),
        ];
        if remedy != Remedy::Requeue {
            change.push(Value::Text("reason".into()));
        }
        let statement = queue.change_statement(phase, remedy);
        let primary_key = format!("{name}_pkey");
        for plan in plans(&mut connection, statement, &change).await {
            assert!(
                walks(&plan, &primary_key),
                "{remedy:?} does not use {primary_key}:\n{plan}"
            );
        }
    }
}
