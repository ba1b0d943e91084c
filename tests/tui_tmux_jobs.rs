//! The jobs panel in the real dashboard, driven in tmux: `J` asks before starting the
//! job monitor over a real SQLite queue, showing what a pass would change (a dry run:
//! the file is untouched until `y`); then the stuck rows show with what was done to them
//! (and are changed in the file), `Tab` then `r` asks again and runs another pass, `J`
//! stops it.

mod support;

use std::time::Duration;

use support::queue::{self, row};
use support::{Tmux, require, write_config};

const PATIENCE: Duration = Duration::from_secs(15);

#[test]
fn j_starts_the_monitor_which_rescues_and_r_runs_a_pass() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("queue.db");
    queue::create(
        &db,
        &[
            row("claimed", Some(8), None, 1),
            row("processing", Some(40), Some(39), 2),
            row("pending", None, None, 0),
        ],
    );
    let jobs = queue::section(&db, "")
        .replace("enabled = true", "enabled = false")
        .replace("interval = \"1s\"", "interval = \"1h\"");
    let config = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n{jobs}",
            dir.path().join("state").display()
        ),
    );
    let tmux = Tmux::start(
        "lookout-jobs",
        160,
        48,
        &support::dashboard_command(&config),
    );
    tmux.wait_for("the monitor off", PATIENCE, |s| s.contains("jobs · off"));
    assert_eq!(
        queue::rows(&db)[0].1,
        "claimed",
        "nothing changes while off"
    );

    // J asks first, with what a pass would do; any key but y leaves the file alone.
    tmux.keys(&["J"]);
    tmux.wait_for("the question with the dry run", PATIENCE, |s| {
        s.contains("start the job monitor") && s.contains("A pass now would requeue 1, fail 1.")
    });
    tmux.keys(&["Enter"]);
    tmux.wait_for("no start", PATIENCE, |s| {
        s.contains("the job monitor stays off")
    });
    let states: Vec<String> = queue::rows(&db).into_iter().map(|r| r.1).collect();
    assert_eq!(
        states,
        ["claimed", "processing", "pending"],
        "a dry run wrote"
    );
    tmux.keys(&["J"]);
    tmux.wait_for("the question again", PATIENCE, |s| s.contains("Start it?"));
    tmux.keys(&["y"]);
    let screen = tmux.wait_for("the first pass", PATIENCE, |s| {
        s.contains("jobs · rescuing") && s.contains("last pass #1")
    });
    assert!(screen.contains(" 1 requeued · 1 failed"), "{screen}");
    let states: Vec<String> = queue::rows(&db).into_iter().map(|r| r.1).collect();
    assert_eq!(states, ["pending", "failed", "pending"]);
    tmux.wait_for("the stuck_jobs alert", PATIENCE, |s| {
        s.contains("2 stuck jobs in jobs: 1 requeued, 1 failed")
    });

    // Tab: cards → alerts → jobs; `r` there asks, then runs a pass now.
    tmux.keys(&["Tab", "Tab", "r"]);
    tmux.wait_for("the pass question", PATIENCE, |s| {
        s.contains("a job monitor pass now") && s.contains("would change nothing")
    });
    tmux.keys(&["y"]);
    tmux.wait_for("a second pass", PATIENCE, |s| s.contains("last pass #2"));

    tmux.keys(&["J"]);
    tmux.wait_for("the monitor off again", PATIENCE, |s| {
        s.contains("jobs · off")
    });
    tmux.keys(&["q"]);
}
