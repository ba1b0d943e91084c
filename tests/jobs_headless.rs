//! The job monitor in the real binary, headless, over a real SQLite queue: stuck rows
//! rescued, each pass logged with the ids, the `stuck_jobs` alert; a database that is
//! missing raises `database_issue` and recovers once it appears.

mod support;

use std::path::Path;
use std::time::Duration;

use support::headless::Headless;
use support::queue::{self, row};
use support::write_config;

const LIMIT: Duration = Duration::from_secs(20);

fn config(dir: &Path, jobs: &str) -> String {
    format!(
        "[general]\nstate_dir = \"{}\"\n\n[system]\nenabled = false\n\n[log]\nstdout = true\n\n{jobs}",
        dir.join("state").display()
    )
}

#[test]
fn stuck_rows_are_rescued_logged_and_alerted() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    queue::create(
        &db,
        &[
            row("claimed", Some(10), None, 1),
            row("claimed", Some(7), None, 1),
            row("processing", Some(21), Some(20), 1),
            row("completed", Some(30), Some(30), 1),
            row("processing", Some(1), Some(1), 1),
            row("pending", None, None, 0),
        ],
    );
    let path = write_config(dir.path(), &config(dir.path(), &queue::section(&db, "")));
    let mut lookout = Headless::start(&path, &[]);

    let started = lookout.wait_event("jobs_monitor_started", None, LIMIT);
    assert_eq!(started["table"], "jobs");
    let pass = lookout.wait_event("jobs_rescued", None, LIMIT);
    assert_eq!(pass["pass"], 1);
    assert_eq!(pass["found"], 3);
    assert_eq!(pass["requeued_ids"], "1,2");
    assert_eq!(pass["failed_ids"], "3");
    assert_eq!(pass["dry_run"], false);
    let job = lookout.wait_for("job 3's line", LIMIT, |l| {
        l["event"] == "job_rescued" && l["job_id"] == "3"
    });
    assert_eq!(job["from"], "processing");
    assert_eq!(job["action"], "failed");
    assert_eq!(job["outcome"], "done");
    let alert = lookout.wait_event("alert_firing", None, LIMIT);
    assert_eq!(alert["alert_type"], "stuck_jobs");
    assert_eq!(alert["subject"], "jobs");
    assert_eq!(
        alert["summary"],
        "3 stuck jobs in jobs: 2 requeued, 1 failed"
    );

    let rows = queue::rows(&db);
    let states: Vec<&str> = rows.iter().map(|r| r.1.as_str()).collect();
    assert_eq!(
        states,
        [
            "pending",
            "pending",
            "failed",
            "completed",
            "processing",
            "pending"
        ]
    );
    assert!(
        rows.iter().all(|r| r.2 == i64::from(r.0 != 6)),
        "attempts untouched: {rows:?}"
    );
    let reason = rows[2].3.as_deref().unwrap_or_default();
    assert_eq!(reason, "processing for more than 10m; failed by lookout");
    assert_eq!(rows[0].3, None, "a requeued row gets no error");

    lookout.signal("TERM");
    let status = lookout.wait_exit(Duration::from_secs(5)).expect("exits");
    assert!(status.success(), "{status:?}");
}

#[test]
fn a_missing_database_is_an_issue_until_it_appears() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("later.db");
    let path = write_config(dir.path(), &config(dir.path(), &queue::section(&db, "")));
    let mut lookout = Headless::start(&path, &[]);

    let failed = lookout.wait_event("jobs_database_failed", None, LIMIT);
    let error = failed["error"].as_str().unwrap_or_default();
    assert!(error.contains("later.db"), "names the file: {error}");
    let alert = lookout.wait_event("alert_firing", None, LIMIT);
    assert_eq!(alert["alert_type"], "database_issue");
    assert_eq!(alert["severity"], "high");

    queue::create(&db, &[row("pending", None, None, 0)]);
    lookout.wait_event("jobs_database_recovered", None, LIMIT);
    let pass = lookout.wait_event("jobs_rescued", None, LIMIT);
    assert_eq!(pass["found"], 0);
    let resolved = lookout.wait_event("alert_resolved", None, LIMIT);
    assert_eq!(resolved["alert_type"], "database_issue");

    lookout.signal("TERM");
    assert!(
        lookout
            .wait_exit(Duration::from_secs(5))
            .is_some_and(|s| s.success())
    );
}
