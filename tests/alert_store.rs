//! The alert store keeps every acknowledgement it reported done, through `kill -9` at
//! any moment. The test runs its own binary again as the "writer" child, which saves
//! acks in a tight loop and prints each id only after the save returned; the parent
//! kills it with SIGKILL after a varying number of ids, reopens the database, and looks
//! for every id ever printed. Also: how long one durable save takes.

use std::collections::{BTreeMap, HashMap};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use lookout::alert::store::AlertStore;
use lookout::config::Severity;
use lookout::view::alert::{
    Ack, AlertKey, AlertKind, AlertState, AlertView, Gravity, TimelineEntry,
};

const WRITER: &str = "LOOKOUT_STORE_WRITER";
const SEED: &str = "LOOKOUT_STORE_KILL_SEED";
const KILL_TEST: &str = "every_ack_reported_done_survives_sigkill";
const CYCLES: usize = 20;
const BY: &str = "writer@kill-test";

/// Whole milliseconds: the store keeps times to the millisecond.
fn now_ms() -> SystemTime {
    let ms = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_millis();
    UNIX_EPOCH + Duration::from_millis(u64::try_from(ms).expect("ms fit"))
}

fn note(id: u64) -> String {
    format!("ack {id}: on it ✓")
}

fn acked(id: u64) -> AlertView {
    let now = now_ms();
    AlertView {
        id,
        key: AlertKey {
            kind: AlertKind::ServiceDown,
            rule: None,
            subject: format!("svc-{}", id % 50),
        },
        group: Some("payments".into()),
        severity: Severity::Critical,
        state: AlertState::Acked,
        summary: format!("svc-{} is DOWN: connection refused", id % 50),
        started: now,
        fired: Some(now),
        resolved: None,
        ended: None,
        peak: Gravity::of(Severity::High, AlertKind::ServiceDown),
        ack: Some(Ack {
            by: BY.into(),
            at: now,
            note: Some(note(id)),
        }),
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: vec![TimelineEntry {
            at: now,
            what: format!("acked by {BY}: {}", note(id)),
        }],
        origin: None,
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A small xorshift: the moments of the kills vary from run to run, and a failing run
/// prints its seed so it can be replayed with `LOOKOUT_STORE_KILL_SEED`.
fn next(seed: &mut u64) -> u64 {
    *seed ^= *seed << 13;
    *seed ^= *seed >> 7;
    *seed ^= *seed << 17;
    *seed
}

#[test]
fn every_ack_reported_done_survives_sigkill() {
    if let Some(dir) = std::env::var_os(WRITER) {
        return writer(Path::new(&dir));
    }
    let mut seed = std::env::var(SEED)
        .ok()
        .and_then(|seed| seed.parse().ok())
        .unwrap_or_else(|| {
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).expect("clock");
            u64::from(nanos.subsec_nanos()) ^ u64::from(std::process::id()) | 1
        });
    let first_seed = seed;
    let dir = tempfile::tempdir().expect("tempdir");
    let exe = std::env::current_exe().expect("test binary path");
    let runtime = runtime();
    // Every id the writer said was saved, over all cycles.
    let mut reported = BTreeMap::new();
    for cycle in 0..CYCLES {
        // Sometimes 0: killed while opening or creating the database.
        let kill_after = next(&mut seed) % 80;
        let mut child = Command::new(&exe)
            .args(["--exact", KILL_TEST, "--nocapture", "--test-threads=1"])
            .env(WRITER, dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn the writer");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let mut this_cycle = 0;
        while this_cycle < kill_after {
            let line = lines
                .next()
                .unwrap_or_else(|| panic!("the writer ended by itself: {:?}", child.wait()))
                .expect("read the writer's output");
            if let Some(id) = line.strip_prefix("saved ") {
                reported.insert(id.parse::<u64>().expect("an id"), cycle);
                this_cycle += 1;
            }
        }
        child.kill().expect("SIGKILL the writer");
        let status = child.wait().expect("wait for the writer");
        assert!(status.code().is_none(), "killed by a signal: {status:?}");
        // What it printed between the last line read and its death counts as done too.
        for line in lines.map_while(Result::ok) {
            if let Some(id) = line.strip_prefix("saved ") {
                reported.insert(id.parse().expect("an id"), cycle);
            }
        }

        let alerts = runtime.block_on(async {
            let store = AlertStore::open(dir.path()).await.unwrap_or_else(|err| {
                panic!("reopen after kill {cycle} (seed {first_seed}): {err}")
            });
            let loaded = store.load(SystemTime::now(), 0).await.expect("load");
            store.close().await;
            loaded.alerts
        });
        let by_id: HashMap<u64, &AlertView> = alerts.iter().map(|a| (a.id, a)).collect();
        for (&id, &saved_in) in &reported {
            let alert = by_id.get(&id).unwrap_or_else(|| {
                panic!(
                    "ack {id} (reported in cycle {saved_in}) is missing after kill {cycle}; \
                     seed {first_seed}"
                )
            });
            let ack = alert.ack.as_ref().expect("the ack is kept");
            assert_eq!(alert.state, AlertState::Acked, "alert {id}");
            assert_eq!((ack.by.as_str(), ack.note.clone()), (BY, Some(note(id))));
        }
    }
    assert!(
        reported.len() >= CYCLES,
        "the writer reported too few acks to prove anything: {} (seed {first_seed})",
        reported.len()
    );
    eprintln!(
        "{} acks reported done, all there after {CYCLES} SIGKILLs (seed {first_seed})",
        reported.len()
    );
}

/// The child: acks alerts as fast as the store allows, one at a time and in pairs,
/// and says so on stdout only once `save_*` returned. Runs until it is killed.
fn writer(dir: &Path) {
    runtime().block_on(async {
        let store = AlertStore::open(dir).await.expect("open");
        let mut id = store
            .load(SystemTime::now(), 0)
            .await
            .expect("load")
            .next_alert_id;
        let mut out = std::io::stdout().lock();
        for round in 0..100_000_u64 {
            let ids = if round % 3 == 2 {
                let pair = [Arc::new(acked(id)), Arc::new(acked(id + 1))];
                store.save_alerts(&pair).await.expect("save a pair");
                vec![id, id + 1]
            } else {
                store.save_alert(&acked(id)).await.expect("save");
                vec![id]
            };
            for saved in &ids {
                // The parent has gone: nothing left to prove.
                if writeln!(out, "saved {saved}")
                    .and_then(|()| out.flush())
                    .is_err()
                {
                    return;
                }
            }
            id += ids.len() as u64;
        }
    });
}

#[test]
fn a_durable_save_takes_milliseconds() {
    let dir = tempfile::tempdir().expect("tempdir");
    runtime().block_on(async {
        let store = AlertStore::open(dir.path()).await.expect("open");
        const N: u64 = 200;
        let started = Instant::now();
        for id in 1..=N {
            store.save_alert(&acked(id)).await.expect("save");
        }
        let each = started.elapsed() / N as u32;
        let burst: Vec<Arc<AlertView>> = (N + 1..=2 * N).map(|id| Arc::new(acked(id))).collect();
        let started = Instant::now();
        store.save_alerts(&burst).await.expect("save burst");
        let whole_burst = started.elapsed();
        eprintln!(
            "save_alert: {each:?} each over {N} saves (synchronous=FULL, one fsync each); \
             save_alerts of {N}: {whole_burst:?} in all"
        );
        assert!(each < Duration::from_millis(250), "{each:?} per save");
    });
}
