//! The state directory full under a headless lookout: an ack made then
//! is answered "done, but not saved yet", `alert_store_failed` is logged once, the checks
//! and the API go on, and once the disk takes writes again the ack is written
//! (`alert_store_recovered`) and is there after a restart. The same when the disk fails
//! read-only under lookout: it lets go of its files so the disk can be repaired, and
//! writes what waited once it is back; and when its database, its whole directory or its
//! lock file is deleted under it. No acknowledgement is lost.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::api::{alert_about, client, start, the_alert};
use support::failing_disk::FailingDisk;
use support::headless::Headless;
use support::tinyfs::TinyFs;
use support::{closed_port, write_config};

const LIMIT: Duration = Duration::from_secs(20);

fn config(dir: &Path, state: &Path) -> std::path::PathBuf {
    write_config(
        dir,
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"200ms\"\n\
             timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n\
             [system]\nenabled = false\n\n[log]\nstdout = true\ndir = \"{}\"\n\n\
             [server]\nlisten = \"127.0.0.1:0\"\ntoken = \"{token}\"\n\n\
             [[service]]\nname = \"payments\"\nurl = \"http://127.0.0.1:{}/health\"\n",
            state.display(),
            dir.join("logs").display(),
            closed_port(),
            token = support::api::TOKEN,
        ),
    )
}

/// Acks alert `id` with `note`; the status and the body.
async fn ack(client: &reqwest::Client, base: &str, id: u64, note: &str) -> (u16, String) {
    let response = client
        .post(format!("{base}/api/v1/alerts/{id}/ack"))
        .body(format!(r#"{{"by": "ops", "note": "{note}"}}"#))
        .send()
        .await
        .expect("POST ack");
    let status = response.status().as_u16();
    (status, response.text().await.unwrap_or_default())
}

/// A lookout on `state` whose alert was acked ("n=1") while the disk was well.
struct Acked {
    lookout: Headless,
    base: String,
    id: u64,
    path: std::path::PathBuf,
    client: reqwest::Client,
}

async fn started_and_acked(dir: &Path, state: &Path) -> Acked {
    let path = config(dir, state);
    let client = client();
    let (lookout, base) = start(&path);
    let id = the_alert(&client, &base).await["id"].as_u64().expect("id");
    assert_eq!(ack(&client, &base, id, "n=1").await.0, 200);
    Acked {
        lookout,
        base,
        id,
        path,
        client,
    }
}

/// Acks and expects 202 `"saved": false`, "done, but not saved yet".
async fn ack_not_saved_yet(client: &reqwest::Client, base: &str, id: u64, note: &str) {
    let (status, body) = ack(client, base, id, note).await;
    assert_eq!(status, 202, "{body}");
    assert!(body.contains(r#""saved":false"#), "{body}");
    assert!(body.contains("not saved yet"), "{body}");
}

/// Acks until the store refuses, then expects 202 "not saved yet". A full disk refuses
/// only writes that need new space: the database's write-ahead log may still have room
/// for some (each of those is saved, answered 200).
async fn ack_once_the_disk_refuses(client: &reqwest::Client, base: &str, id: u64, note: &str) {
    for _ in 0..200 {
        let (status, body) = ack(client, base, id, note).await;
        if status == 202 {
            assert!(body.contains(r#""saved":false"#), "{body}");
            assert!(body.contains("not saved yet"), "{body}");
            return;
        }
        assert_eq!(status, 200, "{body}");
    }
    panic!("200 acks were all saved on a full disk");
}

/// Stops lookout, starts it again, and returns the alert's ack note and the new base.
async fn restarted(
    lookout: &mut Headless,
    path: &Path,
    client: &reqwest::Client,
) -> (Headless, String, Value) {
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    let (again, base) = start(path);
    // The service's alert: lookout's own `alert_store_failed`, fired by each fault a
    // test makes, may come first (and, after several faults, flaps).
    let alert = alert_about(client, &base, "payments").await;
    (again, base, alert["ack"]["note"].clone())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acks_made_while_the_disk_refuses_are_written_once_it_takes_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let Some(disk) = TinyFs::mount(&state, "8m") else {
        return;
    };
    let Acked {
        mut lookout,
        base,
        id,
        path,
        client,
    } = started_and_acked(dir.path(), &state).await;

    // Full: the ack holds in memory, is said not to be saved, and is saved once freed.
    let filler = disk.fill();
    ack_once_the_disk_refuses(&client, &base, id, "n=2").await;
    let failed = lookout.seen_or_wait("alert_store_failed", None, LIMIT);
    assert!(
        failed["error"].as_str().is_some_and(|e| !e.is_empty()),
        "{failed}"
    );
    std::fs::remove_file(&filler).expect("free the space");
    let recovered = lookout.seen_or_wait("alert_store_recovered", None, LIMIT);
    assert!(
        recovered["saved"].as_u64().is_some_and(|n| n >= 1),
        "{recovered}"
    );
    let (mut lookout, base, note) = restarted(&mut lookout, &path, &client).await;
    assert_eq!(note, "n=2", "the ack made while the disk was full");

    // Read-only (a disk remounted so after an error, say): lookout will not start on
    // it, and says why; writable again, it starts with every ack.
    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    let _ = base;
    disk.set_writable(false);
    let mut refused = Headless::start(&path, &[]);
    let status = refused.wait_exit(LIMIT).expect("it stops");
    let stderr = refused.stderr();
    assert!(!status.success(), "{stderr}");
    assert!(
        stderr.contains(&state.display().to_string()),
        "names the directory: {stderr}"
    );
    assert!(stderr.contains("writable"), "says what to do: {stderr}");
    disk.set_writable(true);
    let (_lookout, base) = start(&path);
    let alert = alert_about(&client, &base, "payments").await;
    assert_eq!(alert["ack"]["note"], "n=2", "{alert}");
}

/// The failed checks of `payments` so far, from `/metrics`.
async fn failed_checks(client: &reqwest::Client, base: &str) -> u64 {
    let text = client
        .get(format!("{base}/metrics"))
        .send()
        .await
        .expect("GET /metrics")
        .text()
        .await
        .expect("the metrics");
    text.lines()
        .filter(|line| line.starts_with("lookout_checks_total{service=\"payments\""))
        .filter(|line| line.contains("outcome=\"fail\""))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .map(|n| n as u64)
        .sum()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disk_failing_read_only_is_let_go_and_written_once_repaired() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let Some(disk) = FailingDisk::mount(&state, "16M") else {
        return;
    };
    let Acked {
        mut lookout,
        base,
        id,
        path,
        client,
    } = started_and_acked(dir.path(), &state).await;

    // The kernel remounts the disk read-only under lookout's open files.
    disk.fail();
    ack_not_saved_yet(&client, &base, id, "n=2").await;
    let failed = lookout.seen_or_wait("alert_store_failed", None, LIMIT);
    assert!(
        failed["error"]
            .as_str()
            .is_some_and(|e| e.contains("read-only after an error")),
        "{failed}"
    );
    // The checks go on: a dozen at 200 ms, time for the store to try again twice,
    // opening the database afresh on the read-only disk each time.
    let checks = failed_checks(&client, &base).await;
    let deadline = std::time::Instant::now() + LIMIT;
    while failed_checks(&client, &base).await < checks + 12 {
        assert!(std::time::Instant::now() < deadline, "the checks stopped");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Unmounting works only once lookout holds no file there (its local socket too).
    disk.repair(Duration::from_secs(5))
        .expect("lookout let go of the failed disk");
    let recovered = lookout.seen_or_wait("alert_store_recovered", None, LIMIT);
    assert!(
        recovered["saved"].as_u64().is_some_and(|n| n >= 1),
        "{recovered}"
    );
    lookout.wait_for(
        "the socket made again on the repaired disk",
        LIMIT,
        |line| line["event"] == "socket_listening" && line["remade"] == true,
    );
    assert!(state.join("lookout.sock").exists());
    let (_lookout, _base, note) = restarted(&mut lookout, &path, &client).await;
    assert_eq!(note, "n=2", "the ack made while the disk was read-only");
}

/// Waits for the `alert_firing` line of `alert_store_failed` whose summary holds
/// `words`; the summary.
fn store_alert_fired(lookout: &mut Headless, words: &str) -> String {
    let line = lookout.seen_or_wait_for("alert_store_failed firing", LIMIT, |line| {
        line["event"] == "alert_firing"
            && line["alert_type"] == "alert_store_failed"
            && line["summary"].as_str().is_some_and(|s| s.contains(words))
    });
    line["summary"].as_str().unwrap_or_default().to_string()
}

/// True once `path` is there again, within [`LIMIT`].
fn made_again(path: &Path) -> bool {
    let until = std::time::Instant::now() + LIMIT;
    while std::time::Instant::now() < until {
        if path.is_file() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    false
}

/// A second lookout on `path`'s state directory stops at once, naming the first.
fn second_is_refused(path: &Path) {
    let mut second = Headless::start(path, &[]);
    let ended = second.wait_exit(LIMIT).expect("a second lookout stops");
    let stderr = second.stderr();
    assert_eq!(ended.code(), Some(1), "{stderr}");
    assert!(stderr.contains("in use by another lookout"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_database_or_state_directory_deleted_under_lookout_is_made_again_with_all_held() {
    let dir = tempfile::tempdir().expect("tempdir");
    let state = dir.path().join("state");
    let Acked {
        mut lookout,
        base,
        id,
        path,
        client,
    } = started_and_acked(dir.path(), &state).await;

    // The database and its WAL go, with nothing being acked: noticed within a second,
    // said (logged, and an alert the person on call sees and is notified of), and every
    // alert and silence held (the first ack too) is written into a new one.
    for file in ["lookout.db", "lookout.db-wal", "lookout.db-shm"] {
        let _ = std::fs::remove_file(state.join(file));
    }
    let failed = lookout.seen_or_wait("alert_store_failed", None, LIMIT);
    assert!(
        failed["error"]
            .as_str()
            .is_some_and(|e| e.contains("was deleted under lookout") && e.contains("made again")),
        "{failed}"
    );
    lookout.seen_or_wait("alert_store_recovered", None, LIMIT);
    let summary = store_alert_fired(&mut lookout, "was deleted under lookout");
    assert!(summary.contains("nothing waits"), "{summary}");
    assert!(state.join("lookout.db").is_file());
    let (status, body) = ack(&client, &base, id, "n=2").await;
    assert_eq!(status, 200, "{body}");

    // The whole state directory goes: made again, lock and all, so a second lookout on
    // it is still refused.
    std::fs::remove_dir_all(&state).expect("rm -rf the state directory");
    assert!(
        made_again(&state.join("lookout.lock")),
        "the lock is made again"
    );
    second_is_refused(&path);
    let (status, body) = ack(&client, &base, id, "n=3").await;
    assert_eq!(status, 200, "{body}");

    // The lock file alone goes: taken again in a new file, so a second is refused.
    std::fs::remove_file(state.join("lookout.lock")).expect("rm the lock file");
    store_alert_fired(&mut lookout, "lock file");
    assert!(made_again(&state.join("lookout.lock")));
    second_is_refused(&path);

    let (_lookout, _base, note) = restarted(&mut lookout, &path, &client).await;
    assert_eq!(note, "n=3", "the ack made after the directory was deleted");
}
