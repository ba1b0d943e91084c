//! The core with a job monitor: turned on and off by command, and following a reload
//! of `[jobs]` (the harness is the core tests').

use super::tests::{config_text, start, write};
use crate::event::Command;
use crate::view::snapshot::Snapshot;

#[tokio::test]
async fn the_job_monitor_is_toggled_and_follows_a_reload_of_jobs() {
    let jobs = |table: &str| {
        format!("[jobs]\ndatabase = \"sqlite://queue.db\"\ntable = \"{table}\"\ninterval = \"1h\"")
    };
    let mut h = start(&config_text(&["a"], &jobs("jobs"))).await;
    h.view
        .wait_for(|s| s.jobs.as_ref().is_some_and(|j| !j.running))
        .await
        .unwrap();

    h.commands
        .send(Command::SetJobsRunning(true))
        .await
        .unwrap();
    // The file does not exist: on, and failing.
    let on = |s: &Snapshot, table: &str| {
        s.jobs
            .as_ref()
            .is_some_and(|j| j.running && j.table == table && j.problem.is_some())
    };
    h.view.wait_for(|s| on(s, "jobs")).await.unwrap();

    // A changed [jobs] starts a new monitor, on because the old one was.
    write(&h.path(), &config_text(&["a"], &jobs("queue")));
    h.commands.send(Command::Reload("test")).await.unwrap();
    h.view.wait_for(|s| on(s, "queue")).await.unwrap();

    h.commands
        .send(Command::SetJobsRunning(false))
        .await
        .unwrap();
    h.view
        .wait_for(|s| {
            s.jobs
                .as_ref()
                .is_some_and(|j| !j.running && j.problem.is_none())
        })
        .await
        .unwrap();

    write(&h.path(), &config_text(&["a"], ""));
    h.commands.send(Command::Reload("test")).await.unwrap();
    h.view.wait_for(|s| s.jobs.is_none()).await.unwrap();
    h.stop().await;
}
