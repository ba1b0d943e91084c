//! Nothing lost: the real binary headless, a service down, acknowledgements written over
//! the API while the process is killed with SIGKILL, or stopped with SIGTERM, at varying
//! moments (an ack in flight, so mid-write); after every restart the last acknowledgement
//! reported done (or the one in flight after it) is there. A pause outlives SIGKILL too.

mod support;

use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::api::{client, start, the_alert};
use support::{closed_port, write_config};

const LIMIT: Duration = Duration::from_secs(15);
/// Kill-and-restart rounds.
const ROUNDS: u64 = 20;

fn config(dir: &Path) -> std::path::PathBuf {
    write_config(
        dir,
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"200ms\"\n\
             timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n\
             [log]\nstdout = true\n\n[server]\nlisten = \"127.0.0.1:0\"\ntoken = \"{token}\"\n\n\
             [[service]]\nname = \"payments\"\nseverity = \"critical\"\n\
             url = \"http://127.0.0.1:{}/health\"\n",
            dir.join("state").display(),
            closed_port(),
            token = support::api::TOKEN,
        ),
    )
}

/// The number in an ack note "n=17".
fn note_number(alert: &Value) -> Option<u64> {
    alert["ack"]["note"]
        .as_str()?
        .strip_prefix("n=")?
        .parse()
        .ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ack_reported_done_survives_sigkill() {
    acks_survive("KILL").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_ack_reported_done_survives_sigterm_during_a_write() {
    acks_survive("TERM").await;
}

/// Rounds of acks ended by `signal`, each checked after the restart.
async fn acks_survive(signal: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path());
    let client = client();
    let mut confirmed: Option<u64> = None;
    let mut alert_id = None;
    let mut n = 0u64;
    for round in 0..ROUNDS {
        let (mut lookout, base) = start(&path);
        let alert = the_alert(&client, &base).await;
        assert_eq!(alert["type"], "service_down");
        // The same alert after every restart, with the last ack reported done (or the
        // one that was in flight when the process died).
        let id = alert["id"].as_u64().expect("id");
        assert_eq!(
            *alert_id.get_or_insert(id),
            id,
            "round {round}: a new alert"
        );
        if let Some(done) = confirmed {
            let seen = note_number(&alert).unwrap_or_else(|| panic!("ack lost: {alert}"));
            assert!(
                seen == done || seen == done + 1,
                "round {round}: {seen} after {done}"
            );
            assert_eq!(alert["state"], "acked", "{alert}");
        }
        // Acks as fast as the API answers, killed after a different number each round.
        let writes = 3 + round * 5 % 11;
        let url = format!("{base}/api/v1/alerts/{id}/ack");
        for _ in 0..writes {
            n += 1;
            let body = format!(r#"{{"by": "kill-test", "note": "n={n}"}}"#);
            let response = client.post(&url).body(body).send().await.expect("POST ack");
            assert_eq!(response.status(), 200, "{}", response.text().await.unwrap());
            confirmed = Some(n);
        }
        // One more in flight while the process dies.
        n += 1;
        let in_flight = client
            .post(&url)
            .body(format!(r#"{{"by": "kill-test", "note": "n={n}"}}"#))
            .send();
        let kill = async {
            tokio::time::sleep(Duration::from_millis(round % 3)).await;
            lookout.signal(signal);
        };
        let (_, ()) = tokio::join!(in_flight, kill);
        let status = lookout.wait_exit(LIMIT).expect("ended");
        if signal == "TERM" {
            assert_eq!(status.code(), Some(0), "round {round}: a clean stop");
        }
    }
}

/// A service paused over the API stays paused after a SIGKILL and a restart: its page
/// does not come back while someone has it in maintenance.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pause_survives_sigkill() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path());
    let client = client();
    let (lookout, base) = start(&path);
    let asked = client
        .post(format!("{base}/api/v1/services/payments/pause"))
        .send()
        .await
        .expect("POST pause");
    assert_eq!(asked.status(), 202, "{asked:?}");
    // Shown paused only once the pause is written.
    state_becomes(&client, &base, "PAUSED").await;
    lookout.signal("KILL");
    drop(lookout);
    let (_lookout, base) = start(&path);
    let status = state_becomes(&client, &base, "PAUSED").await;
    assert_eq!(status["services"][0]["state"], "PAUSED", "{status}");
}

/// `/api/v1/status` once its one service is `state`, or the last answer after 5 s.
async fn state_becomes(client: &reqwest::Client, base: &str, state: &str) -> Value {
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    loop {
        let status: Value = client
            .get(format!("{base}/api/v1/status"))
            .send()
            .await
            .expect("GET status")
            .json()
            .await
            .expect("JSON");
        if status["services"][0]["state"] == state || std::time::Instant::now() > deadline {
            return status;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
