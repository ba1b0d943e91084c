//! Forwarding lookout's alerts to Alertmanager: the forwarder against a loopback receiver
//! that refuses at first (backoff, one failure line, recovery, resend, resolve), and the
//! real binary headless against a real Alertmanager (a service goes down: the alert is
//! there with its labels; it comes back: the alert is resolved there).

mod notify_support;
mod support;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use lookout::config::{AlertmanagerConfig, Severity};
use lookout::log::events;
use lookout::sources::alertmanager::{AlertmanagerClient, Forwarding};
use lookout::view::alert::AlertState;
use lookout::view::alertmanager::AmAlert;
use notify_support::{Capture, Receiver, Reply, alert, at};
use serde_json::Value;
use support::alertmanager::{Alertmanager, headless_config};
use support::headless::Headless;
use support::{ToggleServer, write_config};
use tokio_util::sync::CancellationToken;

/// The `endsAt` of a request's `index`th alert.
fn ends_at(request: &Value, index: usize) -> SystemTime {
    let text = request[index]["endsAt"].as_str().expect("endsAt");
    humantime::parse_rfc3339(text).expect("RFC 3339")
}

#[tokio::test]
async fn refused_posts_back_off_then_alerts_are_renewed_and_resolved() {
    let logs = Capture::default();
    let _guard = logs.install();
    let refused = Reply {
        body: "\"busy\"",
        ..Reply::status(503)
    };
    let receiver = Receiver::start(vec![refused.clone(), refused], Reply::status(200)).await;
    let config = AlertmanagerConfig {
        forward: true,
        resend: Duration::from_secs(1),
        ..AlertmanagerConfig::new("team", receiver.url("/"))
    };
    let cancel = CancellationToken::new();
    let forwarding = Forwarding::start(std::slice::from_ref(&config), &cancel);
    let firing = Arc::new(alert(42, Severity::Critical));
    let started = Instant::now();
    forwarding.offer(std::slice::from_ref(&firing), &[]);

    // Refused twice (one line: the same error), then accepted: recovered.
    logs.wait_for(events::ALERTMANAGER_RECOVERED, 1).await;
    assert!(
        started.elapsed() >= Duration::from_secs(2),
        "1 s between tries"
    );
    let failed = logs.events(events::ALERTMANAGER_FAILED);
    assert_eq!(failed.len(), 1, "{}", logs.text());
    let line = &failed[0];
    assert_eq!(line["level"], "warn");
    assert_eq!(line["alertmanager"], "team");
    assert_eq!(line["error"], "POST /api/v2/alerts: HTTP 503: busy");
    assert_eq!(line["status"], 503);
    assert_eq!(line["failures"], 1);
    assert_eq!(line["retry_in_ms"], 1000);
    let recovered = &logs.events(events::ALERTMANAGER_RECOVERED)[0];
    assert_eq!(recovered["failures"], 2);
    let forwarded = &logs.events(events::ALERTMANAGER_FORWARDED)[0];
    assert_eq!(
        (
            &forwarded["level"],
            &forwarded["firing"],
            &forwarded["resolved"],
            &forwarded["changed"]
        ),
        (&"info".into(), &1.into(), &0.into(), &1.into())
    );
    let requests = receiver.requests();
    assert_eq!(requests.len(), 3);
    let body = requests[2].json();
    assert_eq!(body[0]["labels"]["alertname"], "service_down");
    assert_eq!(body[0]["labels"]["lookout_alert_id"], "42");
    assert_eq!(body[0]["startsAt"], "2023-11-14T22:13:50.000Z");
    let open_for = ends_at(&body, 0).duration_since(SystemTime::now());
    assert!(
        open_for.is_ok_and(|d| d > Duration::from_secs(3)),
        "four resends ahead: {body}"
    );

    // Renewed each second while it stays open, logged at debug.
    receiver.wait_for(4).await;
    let renewal = &receiver.requests()[3];
    assert_eq!(renewal.json()[0]["labels"], body[0]["labels"]);
    logs.wait_for(events::ALERTMANAGER_FORWARDED, 2).await;
    assert_eq!(
        logs.events(events::ALERTMANAGER_FORWARDED)[1]["level"],
        "debug"
    );

    // Resolved: sent once more, ended when it resolved.
    let mut resolved = alert(42, Severity::Critical);
    resolved.state = AlertState::Resolved;
    resolved.resolved = Some(at(600));
    let before = receiver.requests().len();
    forwarding.offer(&[], &[Arc::new(resolved)]);
    receiver.wait_for(before + 1).await;
    let last = receiver.requests()[before].json();
    assert_eq!(last[0]["labels"]["lookout_alert_id"], "42");
    assert_eq!(last[0]["endsAt"], "2023-11-14T22:23:20.000Z");
    cancel.cancel();
    tokio::time::timeout(Duration::from_secs(10), forwarding.stop())
        .await
        .expect("stops");
}

/// Polls Alertmanager until `pred` holds for its alerts; panics with them after `limit`.
fn wait_alerts(
    runtime: &tokio::runtime::Runtime,
    client: &AlertmanagerClient,
    what: &str,
    pred: impl Fn(&[AmAlert]) -> bool,
) -> Vec<AmAlert> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let alerts = runtime
            .block_on(client.alerts())
            .expect("GET /api/v2/alerts");
        if pred(&alerts) {
            return alerts;
        }
        assert!(
            Instant::now() < deadline,
            "waited for {what}; alerts: {alerts:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn headless_lookout_forwards_a_down_service_and_its_recovery() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let mut web = ToggleServer::start_new();
    let path = write_config(
        dir.path(),
        &headless_config(dir.path(), &web.url("/"), &alertmanager.url()),
    );
    let mut lookout = Headless::start(&path, &[]);
    lookout.wait_event(
        "service_state_changed",
        Some("web"),
        Duration::from_secs(20),
    );

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    let client = runtime
        .block_on(async { AlertmanagerClient::new(&AlertmanagerConfig::new("am", url)) })
        .expect("client");

    web.stop();
    let firing = lookout.wait_for("web's alert firing", Duration::from_secs(20), |line| {
        line["event"] == "alert_firing" && line["alert_type"] == "service_down"
    });
    let alert_id = firing["alert_id"].as_u64().expect("alert_id");
    let id = alert_id.to_string();
    let alerts = wait_alerts(&runtime, &client, "lookout's alert", |alerts| {
        alerts
            .iter()
            .any(|a| a.labels.get("lookout_alert_id") == Some(&id))
    });
    let forwarded = alerts
        .iter()
        .find(|a| a.labels.get("lookout_alert_id") == Some(&id))
        .expect("found");
    let labels: Vec<(&str, &str)> = forwarded
        .labels
        .iter()
        .filter(|(name, _)| name.as_str() != "instance")
        .map(|(name, value)| (name.as_str(), value.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("alertname", "service_down"),
            ("group", "shop"),
            ("lookout_alert_id", id.as_str()),
            ("service", "web"),
            ("severity", "high"),
        ]
    );
    let host = sysinfo::System::host_name().ok();
    assert_eq!(forwarded.labels.get("instance"), host.as_ref());
    assert!(
        forwarded.annotations["summary"].starts_with("web is DOWN"),
        "{forwarded:?}"
    );
    assert!(forwarded.ends_at > SystemTime::now(), "open: {forwarded:?}");
    let line = lookout.wait_event("alertmanager_forwarded", None, Duration::from_secs(20));
    assert_eq!(line["alertmanager"], "team");

    web.start();
    lookout.wait_for("web's alert resolved", Duration::from_secs(20), |line| {
        line["event"] == "alert_resolved" && line["alert_id"] == alert_id
    });
    wait_alerts(&runtime, &client, "the alert resolved", |alerts| {
        alerts
            .iter()
            .all(|a| a.labels.get("lookout_alert_id") != Some(&id))
    });

    lookout.signal("TERM");
    let status = lookout.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(0), "{}", alertmanager.log());
}
