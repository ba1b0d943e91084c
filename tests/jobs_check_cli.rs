//! `lookout jobs check` on a real SQLite queue: what it prints and does, `--dry-run`,
//! `--json`, and its exit codes for a missing section and a missing database.

mod support;

use std::path::Path;
use std::process::{Command, Output};

use support::queue::{self, row};
use support::write_config;

fn jobs_check(config: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args(["--config", &config.display().to_string(), "jobs", "check"])
        .args(args)
        .output()
        .expect("run lookout")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn stuck_queue(dir: &Path) -> std::path::PathBuf {
    let db = dir.join("queue.db");
    queue::create(
        &db,
        &[
            row("claimed", Some(6), None, 1),
            row("processing", Some(12), Some(11), 1),
            row("processing", Some(12), Some(11), 3),
            row("completed", Some(50), Some(50), 1),
        ],
    );
    db
}

#[test]
fn a_dry_run_prints_what_would_be_done_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = stuck_queue(dir.path());
    let config = write_config(dir.path(), &queue::section(&db, "max_attempts = 3"));
    let out = jobs_check(&config, &["--dry-run"]);
    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{stdout}{}", text(&out.stderr));
    assert!(stdout.contains("dry run, nothing is changed"), "{stdout}");
    assert!(stdout.contains("would be requeued"), "{stdout}");
    assert!(stdout.contains("would be retried"), "{stdout}");
    assert!(stdout.contains("would be failed"), "{stdout}");
    let states: Vec<String> = queue::rows(&db).into_iter().map(|r| r.1).collect();
    assert_eq!(states, ["claimed", "processing", "processing", "completed"]);
}

#[test]
fn a_pass_changes_the_rows_and_reports_them_as_json() {
    let dir = tempfile::tempdir().unwrap();
    let db = stuck_queue(dir.path());
    let config = write_config(dir.path(), &queue::section(&db, "max_attempts = 3"));
    let out = jobs_check(&config, &["--json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(report["role"], "rescuing");
    assert_eq!(report["requeued"], 1);
    assert_eq!(report["retried"], 1);
    assert_eq!(report["failed"], 1);
    assert_eq!(report["stuck"][2]["id"], "3");
    assert_eq!(report["stuck"][2]["action"], "failed");
    assert_eq!(report["counts"]["pending"], 2);
    assert_eq!(report["counts"]["failed"], 1);
    assert_eq!(report["counts"]["completed"], 1);
    let states: Vec<String> = queue::rows(&db).into_iter().map(|r| r.1).collect();
    assert_eq!(states, ["pending", "pending", "failed", "completed"]);
}

#[test]
fn no_section_is_bad_config_and_no_database_a_runtime_failure() {
    let dir = tempfile::tempdir().unwrap();
    let config = write_config(dir.path(), "[general]\nhistory = \"1h\"\n");
    let out = jobs_check(&config, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("there is no [jobs] section"),
        "{}",
        text(&out.stderr)
    );

    let missing = dir.path().join("nowhere.db");
    let config = write_config(dir.path(), &queue::section(&missing, ""));
    let out = jobs_check(&config, &[]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("nowhere.db"), "{stderr}");
}
