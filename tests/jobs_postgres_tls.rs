//! The job monitor reaching a PostgreSQL that requires TLS, as managed databases do: a
//! private server with ssl on, a certificate from a test CA and plain connections
//! refused. `sslmode=verify-full` with `sslrootcert` rescues the stuck row; without TLS,
//! or without the CA, `lookout jobs check` fails saying why.

mod support;
#[path = "support/test_ca.rs"]
mod test_ca;

use std::path::Path;
use std::process::{Command, Output};

use sqlx::{AssertSqlSafe, Connection, PgConnection};
use support::private_postgres::PrivatePostgres;
use support::write_config;

fn jobs_check(dir: &Path, database: &str) -> Output {
    let config = write_config(
        dir,
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[jobs]\nenabled = true\ndatabase = \"{database}\"\n\
             table = \"jobs\"\n",
            dir.join("state").display()
        ),
    );
    Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args([
            "--config",
            &config.display().to_string(),
            "jobs",
            "check",
            "--json",
        ])
        .output()
        .expect("run lookout")
}

#[test]
fn the_monitor_reaches_a_database_that_requires_tls() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(server) = PrivatePostgres::start(dir.path()) else {
        return;
    };
    let issued = test_ca::issue(30);
    server.require_ssl();
    server.enable_ssl(&issued.cert_pem, &issued.key_pem);
    let ca = dir.path().join("ca.pem");
    std::fs::write(&ca, &issued.ca_pem).expect("write the CA");
    let base = format!("postgres://postgres@localhost:{}/postgres", server.port);
    let verified = format!("{base}?sslmode=verify-full&sslrootcert={}", ca.display());

    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let mut connection = PgConnection::connect(&verified)
            .await
            .expect("connect over TLS");
        let statements = [
            "CREATE TABLE jobs (id bigint PRIMARY KEY, state text NOT NULL, \
             claimed_at timestamptz, started_at timestamptz, \
             attempts integer NOT NULL DEFAULT 0, last_error text)",
            "INSERT INTO jobs (id, state, claimed_at, attempts) \
             VALUES (1, 'claimed', now() - interval '1 hour', 1)",
        ];
        for statement in statements {
            sqlx::raw_sql(AssertSqlSafe(statement.to_string()))
                .execute(&mut connection)
                .await
                .unwrap_or_else(|e| panic!("{statement}: {e}"));
        }
    });

    let plain = jobs_check(dir.path(), &format!("{base}?sslmode=disable"));
    let stderr = String::from_utf8_lossy(&plain.stderr);
    assert!(!plain.status.success(), "{stderr}");
    assert!(
        stderr.contains("no encryption"),
        "the server's refusal: {stderr}"
    );

    let untrusted = jobs_check(dir.path(), &format!("{base}?sslmode=verify-full"));
    let stderr = String::from_utf8_lossy(&untrusted.stderr);
    assert!(!untrusted.status.success(), "{stderr}");

    let ok = jobs_check(dir.path(), &verified);
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    assert!(report.to_string().contains("requeued"), "{report}");
}
