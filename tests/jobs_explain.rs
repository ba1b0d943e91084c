//! The search for stuck rows walks the recommended index: `EXPLAIN` of the exact
//! statement `PgQueue` runs, on 100,000 analyzed rows, both as planned for the values
//! of one pass and as the generic plan a prepared statement settles on.

mod jobs_pg_support;

use std::time::{Duration, UNIX_EPOCH};

use jobs_pg_support::{QueueTable, execute, server};
use lookout::jobs::Phase;
use lookout::jobs::postgres::PgQueue;
use sqlx::{AssertSqlSafe, PgConnection};

const ROWS: i64 = 100_000;

/// The plan of the stuck search for `phase` with one pass's values bound.
async fn plan(connection: &mut PgConnection, statement: &str, phase: Phase) -> String {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let cutoff = now - Duration::from_secs(300);
    let lines: Vec<String> = sqlx::query_scalar(AssertSqlSafe(format!("EXPLAIN {statement}")))
        .bind(humantime::format_rfc3339_micros(now).to_string())
        .bind(humantime::format_rfc3339_micros(cutoff).to_string())
        .bind(phase.as_str())
        .bind(100_i64)
        .fetch_all(connection)
        .await
        .expect("explain");
    lines.join("\n")
}

/// The generic plan PostgreSQL caches for the prepared statement after a few runs.
async fn generic_plan(connection: &mut PgConnection, statement: &str, phase: Phase) -> String {
    let name = format!("lookout_stuck_{}", phase.as_str());
    execute(
        connection,
        &format!("PREPARE {name} (text, text, text, int8) AS {statement}"),
    )
    .await;
    execute(connection, "SET plan_cache_mode = force_generic_plan").await;
    let explain = format!(
        "EXPLAIN EXECUTE {name} ('2023-11-14T22:13:20Z', '2023-11-14T22:08:20Z', '{}', 100)",
        phase.as_str()
    );
    let lines: Vec<String> = sqlx::query_scalar(AssertSqlSafe(explain))
        .fetch_all(&mut *connection)
        .await
        .expect("explain execute");
    execute(connection, &format!("RESET plan_cache_mode; DEALLOCATE {name}")).await;
    lines.join("\n")
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
async fn the_stuck_search_uses_the_recommended_index() {
    let Some(mut connection) = server().await else {
        return;
    };
    let table = QueueTable::create(&mut connection).await;
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    table.fill(&mut connection, ROWS, now).await;
    table.index(&mut connection).await;
    let queue = PgQueue::open(&table.config()).await.expect("open");

    for (phase, index) in [
        (Phase::Claimed, format!("{}_claimed", table.name)),
        (Phase::Processing, format!("{}_started", table.name)),
    ] {
        let statement = queue.stuck_statement(phase);
        let custom = plan(&mut connection, statement, phase).await;
        let generic = generic_plan(&mut connection, statement, phase).await;
        for plan in [custom, generic] {
            assert!(walks(&plan, &index), "{phase:?} does not use {index}:\n{plan}");
            assert!(!sorts(&plan), "{phase:?} sorts:\n{plan}");
        }
    }
}
