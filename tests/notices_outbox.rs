//! A page is late, never lost: the real binary headless, with a webhook that refuses.
//! A notice held for retry outlives `kill -9` and is sent, once, with the same
//! `notice_id`, when lookout starts again; once delivered it is gone from the outbox, so
//! a clean stop does not send it a third time. A reload that corrects the webhook's URL
//! sends what the old one held to the new one.

mod notify_support;
mod support;

use std::path::{Path, PathBuf};
use std::time::Duration;

use lookout::alert::store::AlertStore;
use notify_support::{Receiver, Reply};
use serde_json::Value;
use support::ToggleServer;
use support::api::start;
use support::fleet::FastConfig;

const LIMIT: Duration = Duration::from_secs(20);

/// A config checking `api` each 200 ms, every notice to `hook` with no quick retries
/// (a failure holds the notice at once).
fn config(dir: &Path, hook: &str, api: &str) -> PathBuf {
    config_retrying(dir, hook, api, 0)
}

/// The same with `retries` quick retries (a second apart, then two) before a notice is
/// held.
fn config_retrying(dir: &Path, hook: &str, api: &str, retries: u32) -> PathBuf {
    FastConfig::new(dir, 200)
        .headless_api()
        .toml(&format!(
            "[[notify]]\nname = \"hook\"\ntype = \"webhook\"\nurl = \"{hook}\"\n\
             min_severity = \"low\"\nretries = {retries}\nbackoff = \"1s\""
        ))
        .service("api", api, "")
        .write()
}

/// The requests after the first `from`, as their JSON bodies.
fn bodies(receiver: &Receiver, from: usize) -> Vec<Value> {
    let requests = receiver.requests();
    requests.iter().skip(from).map(|r| r.json()).collect()
}

/// Waits until a request after the first `from` is the notice `id`; returns it.
async fn wait_notice(receiver: &Receiver, from: usize, id: &Value) -> Value {
    for n in from + 1.. {
        receiver.wait_for(n).await;
        if let Some(found) = bodies(receiver, from)
            .into_iter()
            .find(|b| b["notice_id"] == *id)
        {
            return found;
        }
    }
    unreachable!("the receiver's wait is bounded")
}

fn pages_for_api(bodies: &[Value]) -> usize {
    bodies
        .iter()
        .filter(|b| b["notice"] == "firing" && b["alert"]["subject"] == "api")
        .count()
}

/// The notices still owed, as "notice alert-key", once lookout has stopped.
async fn owed_after_stop(state: &Path) -> Vec<String> {
    let store = AlertStore::open(state).await.expect("open the database");
    let outbox = store.load_outbox().await.expect("read the outbox");
    store.close().await;
    (outbox.owed.iter())
        .map(|owed| format!("{} {}", owed.notice.as_str(), owed.alert.key))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_held_when_lookout_is_killed_is_sent_once_when_it_starts_again() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    let receiver = Receiver::start(Vec::new(), Reply::status(503)).await;
    let path = config(
        dir.path(),
        receiver.url("/hook").as_str(),
        &api.url("/health"),
    );

    let (mut lookout, _) = start(&path);
    receiver.wait_for(1).await;
    let refused = receiver.requests()[0].json();
    assert_eq!(refused["notice"], "firing", "{refused}");
    assert_eq!(refused["alert"]["subject"], "api", "{refused}");
    let id = refused["notice_id"].clone();
    assert!(id.is_u64(), "{refused}");
    // The page reached the receiver, so it was written to the outbox before: a crash
    // now loses nothing.
    lookout.signal("KILL");
    lookout.wait_exit(LIMIT).expect("killed");

    receiver.set_fallback(Reply::status(200));
    let before = receiver.requests().len();
    let (mut lookout, _) = start(&path);
    let resumed = lookout.seen_or_wait("notices_resumed", None, LIMIT);
    assert!(resumed["owed"].as_u64() >= Some(1), "{resumed}");
    let sent = wait_notice(&receiver, before, &id).await;
    assert_eq!(sent["notice"], "firing", "{sent}");
    assert_eq!(
        sent["alert"]["fired"], refused["alert"]["fired"],
        "the page of the same outage, as it was: {sent}"
    );

    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    let after = bodies(&receiver, before);
    assert_eq!(
        pages_for_api(&after),
        1,
        "one page for the outage, not a new one at restart: {after:?}"
    );
    assert_eq!(
        owed_after_stop(&dir.path().join("state")).await,
        Vec::<String>::new(),
        "delivered notices are gone from the outbox: the next start sends nothing again"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reload_sends_what_the_old_url_held_to_the_corrected_one() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    // A port nobody listens on: the first URL refuses every connection.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let wrong = format!("http://{}/hook", closed.local_addr().expect("address"));
    drop(closed);
    let path = config(dir.path(), &wrong, &api.url("/health"));

    let (mut lookout, _) = start(&path);
    let held = lookout.wait_for("the page held", LIMIT, |line| {
        line["event"] == "notification_failed" && line["alert"] == "service_down/api"
    });
    assert_eq!(held["will_retry"], true, "{held}");

    let receiver = Receiver::ok().await;
    config(
        dir.path(),
        receiver.url("/hook").as_str(),
        &api.url("/health"),
    );
    lookout.signal("HUP");
    receiver.wait_for(1).await;
    let first = receiver.requests()[0].json();
    assert_eq!(first["notice"], "firing", "oldest first: {first}");
    assert_eq!(first["alert"]["subject"], "api", "{first}");
    // Then the channel's own alert, fired while the page was held, and its end.
    receiver.wait_for(3).await;

    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    let all = bodies(&receiver, 0);
    assert_eq!(pages_for_api(&all), 1, "{all:?}");
    assert_eq!(
        owed_after_stop(&dir.path().join("state")).await,
        Vec::<String>::new(),
        "what the new channel delivered is gone from the outbox"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_still_failing_after_a_restart_keeps_its_alert_open() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    let receiver = Receiver::start(Vec::new(), Reply::status(503)).await;
    // Quick retries: after the restart the channel's trouble is only seen again seconds
    // later, and the alert must not resolve meanwhile.
    let hook = receiver.url("/hook");
    let path = config_retrying(dir.path(), hook.as_str(), &api.url("/health"), 2);
    let (mut lookout, _) = start(&path);
    let fired = lookout.wait_for("notification_failed", LIMIT, |line| {
        line["event"] == "alert_firing" && line["alert_type"] == "notification_failed"
    });
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");

    // Still refusing after the restart: the alert is the same one, not resolved.
    let (mut lookout, _) = start(&path);
    let retried = lookout.wait_for("the retries spent", LIMIT, |line| {
        line["event"] == "notification_failed" && line["attempt"] == 3
    });
    assert_eq!(retried["status"], 503, "{retried}");
    let changed: Vec<&Value> = (lookout.seen.iter())
        .filter(|line| line["alert_type"] == "notification_failed")
        .filter(|line| line["event"] == "alert_resolved" || line["event"] == "alert_firing")
        .collect();
    assert!(
        changed.is_empty(),
        "neither resolved nor fired anew: {changed:?}"
    );
    receiver.set_fallback(Reply::status(200));
    let resolved = lookout.wait_for("resolved once delivered", Duration::from_secs(90), |line| {
        line["alert_type"] == "notification_failed"
            && (line["event"] == "alert_resolved" || line["event"] == "alert_firing")
    });
    assert_eq!(resolved["event"], "alert_resolved", "{resolved}");
    assert_eq!(
        resolved["alert_id"], fired["alert_id"],
        "the same incident: {resolved}"
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_renamed_by_a_reload_gets_what_the_old_name_held() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    let refusing = Receiver::start(Vec::new(), Reply::status(503)).await;
    let path = config(
        dir.path(),
        refusing.url("/hook").as_str(),
        &api.url("/health"),
    );
    let (mut lookout, _) = start(&path);
    refusing.wait_for(1).await;
    let held = refusing.requests()[0].json();
    lookout.wait_for("the channel's own alert", LIMIT, |line| {
        line["event"] == "alert_firing" && line["alert_type"] == "notification_failed"
    });

    // The pager is replaced: another name, another URL.
    let pager = Receiver::ok().await;
    let text = std::fs::read_to_string(&path).expect("the config");
    let renamed = text
        .replace("name = \"hook\"", "name = \"pager\"")
        .replace(refusing.url("/hook").as_str(), pager.url("/pager").as_str());
    std::fs::write(&path, renamed).expect("write the config");
    lookout.signal("HUP");
    let resumed = lookout.wait_event("notices_resumed", None, LIMIT);
    assert!(resumed["readdressed"].as_u64() >= Some(1), "{resumed}");
    assert_eq!(resumed["given_up"], 0, "{resumed}");
    pager.wait_for(1).await;
    let first = pager.requests()[0].json();
    assert_eq!(first["notice"], "firing", "{first}");
    assert_eq!(first["alert"]["subject"], "api", "{first}");
    assert_eq!(first["alert"]["fired"], held["alert"]["fired"], "{first}");
    // Then the old channel's alert, and its end now that the channel is gone.
    pager.wait_for(3).await;
    let told: Vec<String> = bodies(&pager, 1)
        .iter()
        .map(|b| format!("{} {}", b["notice"], b["alert"]["key"]))
        .collect();
    assert_eq!(
        told,
        [
            "\"firing\" \"notification_failed/hook\"",
            "\"ended\" \"notification_failed/hook\""
        ]
    );
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    assert_eq!(
        owed_after_stop(&dir.path().join("state")).await,
        Vec::<String>::new(),
        "nothing left owed to the old name: {:?}",
        lookout.seen
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_channel_renamed_while_lookout_was_stopped_gets_what_the_old_name_held() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut api = ToggleServer::start_new();
    api.stop();
    let refusing = Receiver::start(Vec::new(), Reply::status(503)).await;
    let path = config(
        dir.path(),
        refusing.url("/hook").as_str(),
        &api.url("/health"),
    );
    let (mut lookout, _) = start(&path);
    refusing.wait_for(1).await;
    let held = refusing.requests()[0].json();
    lookout.signal("KILL");
    lookout.wait_exit(LIMIT).expect("killed");

    // The config edited, then lookout started again: another name, another URL.
    let pager = Receiver::ok().await;
    let text = std::fs::read_to_string(&path).expect("the config");
    let renamed = text
        .replace("name = \"hook\"", "name = \"pager\"")
        .replace(refusing.url("/hook").as_str(), pager.url("/pager").as_str());
    std::fs::write(&path, renamed).expect("write the config");
    let (mut lookout, _) = start(&path);
    let resumed = lookout.seen_or_wait("notices_resumed", None, LIMIT);
    assert!(resumed["readdressed"].as_u64() >= Some(1), "{resumed}");
    assert_eq!(resumed["given_up"], 0, "{resumed}");
    pager.wait_for(1).await;
    let first = pager.requests()[0].json();
    assert_eq!(first["notice"], "firing", "{first}");
    assert_eq!(first["alert"]["subject"], "api", "{first}");
    assert_eq!(first["alert"]["fired"], held["alert"]["fired"], "{first}");
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    let pages = pages_for_api(&bodies(&pager, 0));
    assert_eq!(pages, 1, "one page, not one more at the restart");
}
