//! What a webhook hears, from the real binary headless: every notice it receives is
//! read. A DOWN service that is paused is `ended` (reason `paused`), never `resolved`; a
//! service taken out of the config by a reload is `ended` too; a silence that ends while
//! lookout is stopped lets the alert page again at the next start; and an outage that
//! recovers is one `firing` and one `resolved`, with no error-rate page after it; and a
//! page the webhook refused is held and sent once it is taken, while
//! `notification_failed` says so.

mod notify_support;
mod support;

use std::path::Path;
use std::time::Duration;

use notify_support::{Receiver, Reply};
use serde_json::Value;
use support::ToggleServer;
use support::api::{alert_about, alerts_when, client, start};
use support::fleet::FastConfig;

const LIMIT: Duration = Duration::from_secs(20);

/// A service `api` that is down, and a config checking it that sends every notice to
/// `receiver`; the directory holding them lives as long as this.
struct ApiDown {
    api: ToggleServer,
    path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

fn api_down(receiver: &Receiver) -> ApiDown {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    let url = api.url("/health");
    let path = config(dir.path(), &receiver.url("/hook"), &[("api", &url)]);
    ApiDown {
        api,
        path,
        _dir: dir,
    }
}

fn config(dir: &Path, hook: &reqwest::Url, services: &[(&str, &str)]) -> std::path::PathBuf {
    let mut config = FastConfig::new(dir, 200)
        .toml(
            "[alerts]\n\
             # Any failure share counts, so an error-rate page would show if the outage's\n\
             # failures were counted after it.\n\
             error_rate = 0.01\nerror_rate_min_checks = 2",
        )
        .headless_api()
        .toml(&format!(
            "[[notify]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{hook}\"\n\
             min_severity = \"low\"\nretries = 0"
        ));
    for (name, url) in services {
        config = config.service(name, url, "");
    }
    config.write()
}

/// Every notice received so far, as (notice, alert type, subject, ended reason).
fn notices(receiver: &Receiver) -> Vec<(String, String, String, Option<String>)> {
    receiver
        .requests()
        .iter()
        .map(|r| {
            let body = r.json();
            let alert = &body["alert"];
            (
                body["notice"].as_str().unwrap_or("").to_string(),
                alert["type"].as_str().unwrap_or("").to_string(),
                alert["subject"].as_str().unwrap_or("").to_string(),
                alert["ended"].as_str().map(str::to_string),
            )
        })
        .collect()
}

async fn wait_notices(
    receiver: &Receiver,
    n: usize,
) -> Vec<(String, String, String, Option<String>)> {
    receiver.wait_for(n).await;
    notices(receiver)
}

fn words(list: &[(String, String, String, Option<String>)]) -> Vec<String> {
    list.iter()
        .map(|(notice, kind, subject, why)| match why {
            Some(why) => format!("{notice} {kind}/{subject} ({why})"),
            None => format!("{notice} {kind}/{subject}"),
        })
        .collect()
}

async fn post(client: &reqwest::Client, url: String, body: &str) -> Value {
    let response = client
        .post(&url)
        .body(body.to_string())
        .send()
        .await
        .expect("POST");
    let status = response.status();
    let answer: Value = response.json().await.expect("JSON");
    assert!(status.is_success(), "{url}: {status} {answer}");
    answer
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pausing_or_removing_a_down_service_ends_its_alert_never_resolves_it() {
    let dir = tempfile::tempdir().unwrap();
    let receiver = Receiver::ok().await;
    let mut api = ToggleServer::start_new();
    api.stop();
    let mut db = ToggleServer::start_new();
    db.stop();
    let services = [("api", api.url("/health")), ("db", db.url("/health"))];
    let both: Vec<(&str, &str)> = services.iter().map(|(n, u)| (*n, u.as_str())).collect();
    let path = config(dir.path(), &receiver.url("/hook"), &both);
    let client = client();
    let (mut lookout, base) = start(&path);
    let got = wait_notices(&receiver, 2).await;
    let mut firing = words(&got);
    firing.sort();
    assert_eq!(
        firing,
        ["firing service_down/api", "firing service_down/db"]
    );

    post(&client, format!("{base}/api/v1/services/api/pause"), "").await;
    let got = wait_notices(&receiver, 3).await;
    assert_eq!(words(&got[2..]), ["ended service_down/api (paused)"]);
    // Closed, but never said resolved: a receiver closing on `resolved` keeps it open.
    let ended = receiver.requests()[2].json();
    assert_eq!(ended["alert"]["resolved"], Value::Null, "{ended}");
    assert!(ended["alert"]["closed"].is_string(), "{ended}");

    // A reload without db: its alert ends, saying why.
    config(dir.path(), &receiver.url("/hook"), &both[..1]);
    post(&client, format!("{base}/api/v1/reload"), "").await;
    let got = wait_notices(&receiver, 4).await;
    assert_eq!(
        words(&got[3..]),
        ["ended service_down/db (db is no longer in the config (removed or renamed))"]
    );
    // Nothing resolved what was not.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert!(
        notices(&receiver)
            .iter()
            .all(|(notice, ..)| notice != "resolved"),
        "{:?}",
        words(&notices(&receiver))
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_recovered_outage_is_one_firing_and_one_resolved() {
    let receiver = Receiver::ok().await;
    let ApiDown {
        mut api,
        path,
        _dir,
    } = api_down(&receiver);
    let (mut lookout, _base) = start(&path);
    let got = wait_notices(&receiver, 1).await;
    assert_eq!(words(&got), ["firing service_down/api"]);
    // A dozen failed checks in the window, then the service comes back.
    tokio::time::sleep(Duration::from_millis(2400)).await;
    api.start();
    let got = wait_notices(&receiver, 2).await;
    assert_eq!(words(&got[1..]), ["resolved service_down/api"]);
    // Its failures are most of the window for a while: still no page.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(
        words(&notices(&receiver)),
        ["firing service_down/api", "resolved service_down/api"]
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

/// An alert that paged, then was silenced, and whose silence ended while lookout was
/// stopped: it is firing again at the start, and nobody is paged a second time for it
/// (its reminders go on).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silence_that_ends_while_lookout_is_stopped_does_not_page_again() {
    let receiver = Receiver::ok().await;
    let ApiDown {
        api: _api,
        path,
        _dir,
    } = api_down(&receiver);
    let client = client();
    let (mut lookout, base) = start(&path);
    wait_notices(&receiver, 1).await;
    let alert = alert_about(&client, &base, "api").await;
    let id = alert["id"].as_u64().expect("id");
    post(
        &client,
        format!("{base}/api/v1/alerts/{id}/silence"),
        r#"{"duration": "2s", "scope": "alert"}"#,
    )
    .await;
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    // The silence ends while nothing runs.
    tokio::time::sleep(Duration::from_millis(2500)).await;
    let (mut lookout, base) = start(&path);
    let alerts = alerts_when(&client, &base, |alerts| {
        alerts
            .iter()
            .any(|a| a["id"] == id && a["state"] == "firing")
    })
    .await;
    let alert = alerts.iter().find(|a| a["id"] == id).expect("the alert");
    assert!(alert["silence"].is_null(), "{alert}");
    // Checked anew (the page would go out on the first check): still one notice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(words(&notices(&receiver)), ["firing service_down/api"]);
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

/// An alert that fired under a silence (its page held back), whose silence ended while
/// lookout was stopped: the held page goes out once it is seen still failing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_held_back_by_a_silence_that_ended_while_stopped_goes_out_at_start() {
    let receiver = Receiver::ok().await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    let path = config(
        dir.path(),
        &receiver.url("/hook"),
        &[("api", &api.url("/health"))],
    );
    let client = client();
    let (mut lookout, base) = start(&path);
    let silence = r#"{"silence": {"target": {"Subject": "api"}, "duration": {"secs": 4, "nanos": 0}, "by": "test", "comment": null}}"#;
    post(&client, format!("{base}/api/v1/command"), silence).await;
    api.stop();
    alerts_when(&client, &base, |alerts| {
        alerts
            .iter()
            .any(|a| a["subject"] == "api" && a["state"] == "silenced" && !a["fired"].is_null())
    })
    .await;
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    assert_eq!(
        words(&notices(&receiver)),
        [] as [&str; 0],
        "held by the silence"
    );
    tokio::time::sleep(Duration::from_secs(4)).await;
    let (mut lookout, _base) = start(&path);
    let got = wait_notices(&receiver, 1).await;
    assert_eq!(words(&got), ["firing service_down/api"]);
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_the_webhook_refused_is_held_sent_late_and_told_as_notification_failed() {
    // The first notice is refused (the webhook is down for a moment), the rest taken.
    let receiver = Receiver::start(vec![Reply::status(502)], Reply::status(200)).await;
    let ApiDown {
        api: _api,
        path,
        _dir,
    } = api_down(&receiver);
    let (mut lookout, _base) = start(&path);
    // The page is held and tried again: it gets through late, not lost; meanwhile the
    // channel's trouble is an alert, which ends once the page went through.
    let got = wait_notices(&receiver, 4).await;
    assert_eq!(
        words(&got),
        [
            "firing service_down/api",
            "firing service_down/api",
            "firing notification_failed/hook",
            "resolved notification_failed/hook",
        ]
    );
    let told = receiver.requests()[2].json();
    let summary = told["alert"]["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("notices to hook not getting through")
            && summary.contains("firing service_down/api #1 is held")
            && summary.contains("502"),
        "{summary}"
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outage_that_ends_while_silenced_is_told_resolved() {
    let receiver = Receiver::ok().await;
    let ApiDown {
        mut api,
        path,
        _dir,
    } = api_down(&receiver);
    let client = client();
    let (mut lookout, base) = start(&path);
    wait_notices(&receiver, 1).await;
    let id = alert_about(&client, &base, "api").await["id"]
        .as_u64()
        .expect("id");
    post(
        &client,
        format!("{base}/api/v1/alerts/{id}/silence"),
        r#"{"duration": "1h"}"#,
    )
    .await;
    api.start();
    // The receiver opened an incident with the page: it hears that it is over.
    let got = wait_notices(&receiver, 2).await;
    assert_eq!(
        words(&got),
        ["firing service_down/api", "resolved service_down/api"]
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}
