//! The job monitor racing live workers on a SQLite queue in WAL mode: thousands of jobs,
//! workers with a connection each that claim, start and finish jobs, give them back or
//! die holding them, while passes with timeouts of a few milliseconds run every
//! millisecond or so. Triggers record every change; the audit must show that the
//! monitor never overrode a worker, changed only rows stuck when it wrote, and changed
//! exactly the rows its passes reported done.

mod jobs_sqlite_support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime};

use jobs_sqlite_support::{
    Audited, Habits, Stamps, WORKER_ERROR, WorkerTally, audit, connect, create_queue, states,
    unfinished, work,
};
use lookout::config::{JobsConfig, JobsDatabase};
use lookout::jobs::pass;
use lookout::jobs::sqlite::SqliteQueue;
use lookout::view::jobs::{JobAction, Outcome, Phase, Remedy};

const JOBS: usize = 2500;
const WORKERS: u64 = 8;
/// Time between two passes.
const PACE: Duration = Duration::from_millis(1);
/// Past this the test fails rather than hang.
const DEADLINE: Duration = Duration::from_secs(90);
/// Slack when comparing a timestamp with a cutoff: SQLite reads ISO-8601 text to the
/// millisecond.
const SLACK_SECONDS: f64 = 0.001;

/// One state change: before, after, and `last_error` as written (`None`: untouched).
#[derive(Debug, Clone, PartialEq)]
struct Change {
    from: String,
    to: String,
    error: Option<String>,
}

/// The monitor's changes per job id, in order, each with a time in epoch seconds: for a
/// reported change the cutoff of its pass, for an audited one the timestamp the row
/// had when changed (which must be older than the cutoff).
type History = BTreeMap<i64, Vec<(Change, f64)>>;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_never_overrides_a_worker_on_iso_text_timestamps() {
    race(Stamps::IsoText).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_monitor_never_overrides_a_worker_on_epoch_timestamps() {
    race(Stamps::EpochReal).await;
}

async fn race(stamps: Stamps) {
    let started = Instant::now();
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("queue.db");
    create_queue(&path, stamps, JOBS).await;

    let mut config = JobsConfig::new(JobsDatabase::Sqlite { path: path.clone() }, "jobs");
    config.claimed_timeout = Duration::from_millis(3);
    config.processing_timeout = Duration::from_millis(6);
    config.max_attempts = Some(3);
    config.batch = 20;
    config.query_timeout = Duration::from_secs(20);
    let mut queue = SqliteQueue::open(&config).await.expect("open");

    let habits = Habits {
        before_start: Duration::from_millis(5),
        processing: Duration::from_millis(9),
        deaths_per_mille: 40,
        releases_per_mille: 30,
        failures_per_mille: 100,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let workers: Vec<_> = (1..=WORKERS)
        .map(|seed| tokio::spawn(work(path.clone(), stamps, habits, seed, stop.clone())))
        .collect();

    let mut reported = History::new();
    let (mut passes, mut raced, mut busy) = (0u64, 0u64, Duration::ZERO);
    let mut watcher = connect(&path, false).await;
    loop {
        let report = pass::run(&mut queue, &config, SystemTime::now(), true, passes)
            .await
            .expect("pass");
        passes += 1;
        raced += report.raced();
        busy += report.took;
        let done = report.actions.iter().filter(|a| a.outcome == Outcome::Done);
        for action in done {
            let (id, change) = reported_change(&config, action);
            let cutoff = report.at - pass::timeout(&config, action.row.phase);
            reported
                .entry(id)
                .or_default()
                .push((change, seconds(cutoff)));
        }
        if passes % 50 == 0 && unfinished(&mut watcher).await == 0 {
            break;
        }
        assert!(started.elapsed() < DEADLINE, "the queue never drained");
        tokio::time::sleep(PACE).await;
    }
    stop.store(true, Ordering::Relaxed);
    let mut tally = WorkerTally::default();
    for worker in workers {
        tally.add(worker.await.expect("worker"));
    }

    let audited = monitor_changes(&config, &audit(&mut watcher).await);
    let by_state: BTreeMap<String, i64> = states(&mut watcher).await.into_iter().collect();
    let total: i64 = by_state.values().sum();
    assert_eq!(total, JOBS as i64, "{by_state:?}");
    let finished = by_state.get("completed").unwrap_or(&0) + by_state.get("failed").unwrap_or(&0);
    assert_eq!(
        finished, JOBS as i64,
        "every job completed or failed: {by_state:?}"
    );
    compare(&reported, &audited);

    let count = |from: &str, to: &str| {
        let changes = reported.values().flatten();
        changes
            .filter(|(c, _)| c.from == from && c.to == to)
            .count()
    };
    let requeued = count("claimed", "pending");
    let retried = count("processing", "pending");
    let failed = count("processing", "failed");
    eprintln!(
        "{stamps:?}: {passes} passes ({busy:?} in passes), {requeued} requeued, {retried} \
         retried, {failed} failed, {raced} raced; workers: {tally:?}; {by_state:?}; {:?}",
        started.elapsed()
    );
    // About 2000 on 2 cores; far fewer would mean the passes stalled.
    assert!(passes >= 500, "only {passes} passes");
    assert!(
        requeued > 0 && retried > 0 && failed > 0,
        "some rescue never happened"
    );
    assert!(raced > 0, "the monitor never met a worker that moved first");
    assert!(tally.completed > 0 && tally.failed > 0 && tally.released > 0);
}

fn seconds(at: SystemTime) -> f64 {
    let since = at.duration_since(SystemTime::UNIX_EPOCH);
    since.expect("after 1970").as_secs_f64()
}

/// The job and change a `Done` action stands for.
fn reported_change(config: &JobsConfig, action: &JobAction) -> (i64, Change) {
    let phase = action.row.phase;
    let from = match phase {
        Phase::Claimed => "claimed",
        Phase::Processing => "processing",
    };
    let reason = pass::reason(action.remedy, pass::timeout(config, phase));
    let (to, error) = match action.remedy {
        Remedy::Requeue => ("pending", None),
        Remedy::Retry => ("pending", Some(reason)),
        Remedy::Fail => ("failed", Some(reason)),
    };
    let id = action.row.id.parse().expect("an integer id");
    let change = Change {
        from: from.into(),
        to: to.into(),
        error,
    };
    (id, change)
}

/// Checks each audited change is one a worker or the monitor may make, and returns the
/// monitor's.
fn monitor_changes(config: &JobsConfig, audit: &[Audited]) -> History {
    let retry = pass::reason(Remedy::Retry, config.processing_timeout);
    let fail = pass::reason(Remedy::Fail, config.processing_timeout);
    let mut monitor = History::new();
    for change in audit {
        assert_eq!(
            change.op, "update",
            "rows are never added or removed: {change:?}"
        );
        let from = change.old_state.as_deref().unwrap_or("");
        let to = change.new_state.as_deref().unwrap_or("");
        let error = change.new_error.as_deref();
        assert!(
            from != "completed",
            "a completed job was changed: {change:?}"
        );
        assert!(from != "failed", "a failed job was changed: {change:?}");
        let by_worker = match (from, to) {
            ("pending", "claimed") | ("claimed", "processing") | ("processing", "completed") => {
                true
            }
            ("processing", "failed") => error == Some(WORKER_ERROR),
            // A worker gives a job back with its timestamps cleared.
            ("claimed" | "processing", "pending") => !change.rest_unchanged,
            _ => false,
        };
        if by_worker {
            continue;
        }
        let by_monitor = change.rest_unchanged
            && match (from, to) {
                ("claimed", "pending") => change.new_error == change.old_error,
                ("processing", "pending") => error == Some(retry.as_str()),
                ("processing", "failed") => error == Some(fail.as_str()),
                _ => false,
            };
        assert!(by_monitor, "a change nobody may make: {change:?}");
        let written = if from == "claimed" {
            None
        } else {
            change.new_error.clone()
        };
        let stamp = change
            .old_stamp_seconds
            .expect("a stuck row has a timestamp");
        let made = Change {
            from: from.into(),
            to: to.into(),
            error: written,
        };
        monitor
            .entry(change.job_id)
            .or_default()
            .push((made, stamp));
    }
    monitor
}

/// Each job's audited monitor changes are its reported ones, in the same order, and
/// each row changed was older than its pass's cutoff when it was changed.
fn compare(reported: &History, audited: &History) {
    let jobs = |history: &History| history.keys().copied().collect::<Vec<_>>();
    assert_eq!(
        jobs(audited),
        jobs(reported),
        "jobs changed vs jobs reported"
    );
    for (id, made) in audited {
        let said = &reported[id];
        let changes = |h: &[(Change, f64)]| h.iter().map(|(c, _)| c.clone()).collect::<Vec<_>>();
        assert_eq!(
            changes(made),
            changes(said),
            "job {id}: audited vs reported"
        );
        for ((change, stamp), (_, cutoff)) in made.iter().zip(said) {
            assert!(
                *stamp < cutoff + SLACK_SECONDS,
                "job {id}: {change:?} on a row stamped {stamp}, not older than {cutoff}"
            );
        }
    }
}
