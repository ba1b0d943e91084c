//! Nothing lost, nothing half-made: the real binary headless with two services down,
//! acknowledgements, silences (of one alert, a service, a group) and their expiries
//! written over the API while the process is killed with SIGKILL at varying moments
//! (a write in flight). After every kill the database is read as it was left: every
//! change answered 200 is in it, and no alert is silenced by a silence the database
//! does not have (a phantom), nor a live silence left off an alert it covers (an
//! orphan). After the restart the API says the same.

mod support;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::time::{Duration, SystemTime};

use lookout::alert::store::AlertStore;
use lookout::view::alert::{AlertView, Silence, SilenceTarget};
use serde_json::Value;
use support::api::{alerts_when, client, start};
use support::closed_port;
use support::fleet::FastConfig;

const LIMIT: Duration = Duration::from_secs(20);
/// Kill-and-restart rounds.
const ROUNDS: u64 = 60;

fn config(dir: &Path) -> std::path::PathBuf {
    let url = |path| format!("http://127.0.0.1:{}/{path}", closed_port());
    FastConfig::new(dir, 200)
        .headless_api()
        .service("payments", &url("health"), "group = \"shop\"")
        .service("orders", &url("orders"), "group = \"shop\"")
        .write()
}

/// What the API answered 200 for, so far.
#[derive(Default)]
struct Confirmed {
    /// alert id → the highest ack note number done.
    acks: BTreeMap<u64, u64>,
    /// Silences made, and not expired since (nor being expired when the process died).
    silences: BTreeSet<u64>,
    /// Silences expired.
    expired: BTreeSet<u64>,
}

/// Both open alerts, by subject, once both are there.
async fn both_alerts(client: &reqwest::Client, base: &str) -> BTreeMap<String, Value> {
    alerts_when(client, base, |alerts| alerts.len() == 2)
        .await
        .into_iter()
        .map(|a| (a["subject"].as_str().unwrap_or("").to_string(), a))
        .collect()
}

fn covers(silence: &Silence, alert: &AlertView) -> bool {
    match &silence.target {
        SilenceTarget::Alert(key) => key.same_incident(&alert.key),
        SilenceTarget::Subject(subject) => *subject == alert.key.subject,
        SilenceTarget::Group(group) => Some(group) == alert.group.as_ref(),
    }
}

/// The database as the killed process left it, checked against what was confirmed.
async fn check_the_database(state: &Path, confirmed: &Confirmed, round: u64) {
    let store = AlertStore::open(state).await.expect("open the database");
    let now = SystemTime::now();
    let kept = store.load(now, 100).await.expect("load");
    store.close().await;
    let live: BTreeSet<u64> = kept.silences.iter().map(|s| s.id).collect();
    for id in &confirmed.silences {
        assert!(
            live.contains(id),
            "round {round}: silence {id} lost: {live:?}"
        );
    }
    for id in &confirmed.expired {
        assert!(
            !live.contains(id),
            "round {round}: expired silence {id} is back"
        );
    }
    for alert in &kept.alerts {
        if let Some(done) = confirmed.acks.get(&alert.id) {
            let note = (alert.ack.as_ref())
                .and_then(|a| a.note.as_deref())
                .and_then(|n| n.strip_prefix("n="))
                .and_then(|n| n.parse::<u64>().ok());
            assert!(
                note.is_some_and(|n| n >= *done),
                "round {round}: alert {} lost ack n={done}: {:?}",
                alert.id,
                alert.ack
            );
        }
        if let Some(silence) = &alert.silence {
            assert!(
                live.contains(&silence.id),
                "round {round}: alert {} silenced by #{}, which the database has not \
                 (a phantom)",
                alert.id,
                silence.id
            );
        }
        for silence in &kept.silences {
            assert!(
                !covers(silence, alert) || alert.silence.is_some(),
                "round {round}: silence #{} covers alert {} but the alert row does not \
                 say so (an orphan)",
                silence.id,
                alert.id
            );
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acks_silences_and_expiries_reported_done_survive_sigkill_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = config(dir.path());
    let state = dir.path().join("state");
    let client = client();
    let mut confirmed = Confirmed::default();
    let mut n = 0u64;
    for round in 0..ROUNDS {
        if round > 0 {
            check_the_database(&state, &confirmed, round).await;
        }
        let (mut lookout, base) = start(&path);
        let alerts = both_alerts(&client, &base).await;
        // What the restarted engine shows agrees with the database.
        for alert in alerts.values() {
            let id = alert["id"].as_u64().expect("id");
            if let Some(silence) = alert["silence"]["id"].as_u64() {
                assert!(
                    !confirmed.expired.contains(&silence),
                    "round {round}: alert {id} shown under expired silence {silence}"
                );
            }
        }
        let ids: Vec<u64> = alerts.values().filter_map(|a| a["id"].as_u64()).collect();
        let writes = 4 + round * 3 % 7;
        let mut in_flight = None;
        for k in 0..=writes {
            n += 1;
            let id = ids[(n % 2) as usize];
            let (url, body, what) = match n % 4 {
                0 | 1 => (
                    format!("{base}/api/v1/alerts/{id}/ack"),
                    format!(r#"{{"by": "kill-test", "note": "n={n}"}}"#),
                    Op::Ack(id, n),
                ),
                2 => {
                    let scope = ["alert", "subject", "group"][(n / 4 % 3) as usize];
                    (
                        format!("{base}/api/v1/alerts/{id}/silence"),
                        format!(r#"{{"duration": "1h", "scope": "{scope}", "by": "kill-test"}}"#),
                        Op::Silence,
                    )
                }
                _ => match confirmed.silences.iter().next().copied() {
                    Some(silence) => (
                        format!("{base}/api/v1/silences/{silence}/expire"),
                        "{}".to_string(),
                        Op::Expire(silence),
                    ),
                    None => (
                        format!("{base}/api/v1/alerts/{id}/ack"),
                        format!(r#"{{"by": "kill-test", "note": "n={n}"}}"#),
                        Op::Ack(id, n),
                    ),
                },
            };
            let request = client.post(&url).body(body).send();
            if k == writes {
                // The last one is in flight while the process dies: it may be done or not.
                if let Op::Expire(silence) = what {
                    confirmed.silences.remove(&silence);
                }
                in_flight = Some(request);
                break;
            }
            let response = request.await.expect("POST");
            let status = response.status();
            let answer: Value = response.json().await.expect("JSON answer");
            assert_eq!(status, 200, "round {round}: {url}: {answer}");
            match what {
                Op::Ack(id, n) => {
                    confirmed.acks.insert(id, n);
                }
                Op::Silence => {
                    confirmed
                        .silences
                        .insert(answer["id"].as_u64().expect("silence id"));
                }
                Op::Expire(silence) => {
                    confirmed.silences.remove(&silence);
                    confirmed.expired.insert(silence);
                }
            }
        }
        {
            let kill = async {
                // Anywhere in the write's few milliseconds: before, between statements,
                // during the fsync, after.
                tokio::time::sleep(Duration::from_micros(500 + round * 337 % 4500)).await;
                lookout.signal("KILL");
            };
            if let Some(request) = in_flight {
                let _ = tokio::join!(request, kill);
            }
        }
        lookout.wait_exit(LIMIT).expect("killed");
    }
    check_the_database(&state, &confirmed, ROUNDS).await;
}

/// What a write was, to count it once answered.
enum Op {
    Ack(u64, u64),
    Silence,
    Expire(u64),
}
