//! PostgreSQL stopped and started again under the job monitor of a headless lookout:
//! the pass that cannot reach it fails with one log line, `database_issue` fires, the
//! checks go on; once the server is back the monitor reconnects by itself, the alert
//! resolves, and the next stuck row is rescued. lookout exits 0.

mod support;

use std::time::Duration;

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use support::headless::Headless;
use support::private_postgres::PrivatePostgres;
use support::write_config;

const LIMIT: Duration = Duration::from_secs(30);

async fn run(url: &str, statement: &str) {
    let mut connection = PgConnection::connect(url).await.expect("connect");
    sqlx::raw_sql(AssertSqlSafe(statement.to_string()))
        .execute(&mut connection)
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// A row claimed an hour ago: stuck, to be put back to pending.
fn stuck(id: u32) -> String {
    format!(
        "INSERT INTO jobs (id, state, claimed_at, attempts) \
         VALUES ({id}, 'claimed', now() - interval '1 hour', 1)"
    )
}

#[test]
fn the_monitor_rides_out_a_postgres_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(server) = PrivatePostgres::start(dir.path()) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let url = server.url();
    runtime.block_on(run(
        &url,
        "CREATE TABLE jobs (id bigint PRIMARY KEY, state text NOT NULL, \
         claimed_at timestamptz, started_at timestamptz, attempts integer NOT NULL DEFAULT 0, \
         last_error text)",
    ));
    runtime.block_on(run(&url, &stuck(1)));
    let path = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[system]\nenabled = false\n\n[log]\nstdout = true\n\n\
             [jobs]\nenabled = true\ndatabase = \"{url}\"\ntable = \"jobs\"\n\
             interval = \"1s\"\nquery_timeout = \"500ms\"\n",
            dir.path().join("state").display()
        ),
    );
    let mut lookout = Headless::start(&path, &[]);
    let first = lookout.seen_or_wait("jobs_rescued", None, LIMIT);
    assert_eq!(first["requeued_ids"], "1", "{first}");

    server.down();
    let failed = lookout.wait_event("jobs_database_failed", None, LIMIT);
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{failed}"
    );
    let alert = lookout.seen_or_wait_for("database_issue firing", LIMIT, |l| {
        l["event"] == "alert_firing" && l["alert_type"] == "database_issue"
    });
    assert_eq!(alert["severity"], "high");

    server.up();
    lookout.seen_or_wait("jobs_database_recovered", None, LIMIT);
    lookout.seen_or_wait_for("database_issue resolved", LIMIT, |l| {
        l["event"] == "alert_resolved" && l["alert_type"] == "database_issue"
    });
    runtime.block_on(run(&url, &stuck(2)));
    let after = lookout.wait_for("row 2 rescued", LIMIT, |l| {
        l["event"] == "jobs_rescued" && l["requeued_ids"] == "2"
    });
    assert_eq!(after["found"], 1);
    let failures = lookout
        .seen
        .iter()
        .filter(|l| l["event"] == "jobs_database_failed")
        .count();
    assert!(failures <= 2, "one line per error, not per try: {failures}");

    lookout.signal("TERM");
    let status = lookout.wait_exit(LIMIT).expect("exits");
    assert!(
        status.success(),
        "{status:?}; server log:\n{}",
        server.log()
    );
}
