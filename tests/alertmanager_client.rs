//! The Alertmanager client against a real Alertmanager on loopback: an alert posted and
//! read back, a silence that suppresses it and is expired, and the errors Alertmanager's
//! refusals turn into.

mod support;

use std::time::{Duration, Instant, SystemTime};

use lookout::config::AlertmanagerConfig;
use lookout::sources::alertmanager::{
    AlertmanagerClient, AlertmanagerError, NewSilence, OutgoingAlert,
};
use lookout::view::alertmanager::{AmAlert, AmAlertState, LabelSet, SilenceState};
use support::alertmanager::Alertmanager;

/// How long a change may take to show in Alertmanager's answers.
const LIMIT: Duration = Duration::from_secs(20);

fn client(alertmanager: &Alertmanager) -> AlertmanagerClient {
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    AlertmanagerClient::new(&AlertmanagerConfig::new("test", url)).expect("client")
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// Now, to the millisecond (what the API keeps).
fn now_ms() -> SystemTime {
    let since = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("after 1970");
    SystemTime::UNIX_EPOCH + Duration::from_millis(since.as_millis() as u64)
}

/// Polls the alert list until the alert with `labels` satisfies `pred`.
async fn wait_alert(
    client: &AlertmanagerClient,
    labels: &LabelSet,
    what: &str,
    pred: impl Fn(&AmAlert) -> bool,
) -> AmAlert {
    let deadline = Instant::now() + LIMIT;
    loop {
        let alerts = client.alerts().await.expect("GET /api/v2/alerts");
        let found = alerts.into_iter().find(|a| &a.labels == labels);
        match found {
            Some(alert) if pred(&alert) => return alert,
            other => assert!(
                Instant::now() < deadline,
                "waited {LIMIT:?} for {what}; last seen: {other:?}"
            ),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alert_posted_is_read_back_with_its_times_and_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let client = client(&alertmanager);
    let starts_at = now_ms() - Duration::from_secs(30);
    let ends_at = now_ms() + Duration::from_secs(300);
    let sent = OutgoingAlert {
        labels: labels(&[("alertname", "service_down"), ("service", "web")]),
        annotations: labels(&[("summary", "web is DOWN: connection refused")]),
        starts_at,
        ends_at: Some(ends_at),
        generator_url: Some("http://db1:9898/api/v1/alerts".to_string()),
    };
    client
        .post_alerts(std::slice::from_ref(&sent))
        .await
        .expect("POST /api/v2/alerts");

    let alert = wait_alert(&client, &sent.labels, "the alert, active", |a| {
        a.state == AmAlertState::Active
    })
    .await;
    assert_eq!(alert.annotations, sent.annotations);
    assert_eq!((alert.starts_at, alert.ends_at), (starts_at, ends_at));
    assert_eq!(
        alert.generator_url.as_deref(),
        Some("http://db1:9898/api/v1/alerts")
    );
    assert!(alert.silenced_by.is_empty() && alert.inhibited_by.is_empty());
    assert_eq!(alert.receivers, ["nowhere"]);
    assert_eq!(alert.fingerprint.len(), 16, "{alert:?}");

    // An end in the past resolves it: it leaves the list.
    let resolved = OutgoingAlert {
        ends_at: Some(now_ms() - Duration::from_secs(1)),
        ..sent.clone()
    };
    client.post_alerts(&[resolved]).await.expect("resolve");
    let alerts = client.alerts().await.expect("GET /api/v2/alerts");
    assert!(alerts.iter().all(|a| a.labels != sent.labels), "{alerts:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silence_suppresses_the_alert_until_it_is_expired() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let client = client(&alertmanager);
    let alert = OutgoingAlert {
        labels: labels(&[
            ("alertname", "cpu_spike"),
            ("instance", "db1"),
            ("service", "cpu"),
        ]),
        annotations: LabelSet::new(),
        starts_at: now_ms(),
        ends_at: None,
        generator_url: None,
    };
    client
        .post_alerts(std::slice::from_ref(&alert))
        .await
        .expect("post");
    wait_alert(&client, &alert.labels, "the alert", |_| true).await;

    let silence = NewSilence::of_labels(
        &alert.labels,
        now_ms(),
        now_ms() + Duration::from_secs(3600),
        "ana@db1",
        "deploying",
    );
    let id = client.create_silence(&silence).await.expect("silence");
    assert_eq!(id.len(), 36, "a UUID: {id}");

    let suppressed = wait_alert(&client, &alert.labels, "the alert suppressed", |a| {
        a.state == AmAlertState::Suppressed
    })
    .await;
    assert_eq!(suppressed.silenced_by, std::slice::from_ref(&id));
    let silences = client.silences().await.expect("GET /api/v2/silences");
    let made = silences.iter().find(|s| s.id == id).expect("listed");
    assert_eq!(made.state, SilenceState::Active);
    assert_eq!(made.matchers, silence.matchers);
    assert_eq!(
        (made.created_by.as_str(), made.comment.as_str()),
        ("ana@db1", "deploying")
    );

    client.expire_silence(&id).await.expect("DELETE");
    let silences = client.silences().await.expect("GET /api/v2/silences");
    let expired = silences.iter().find(|s| s.id == id).expect("still listed");
    assert_eq!(expired.state, SilenceState::Expired);
    assert!(expired.ends_at <= SystemTime::now());
    wait_alert(&client, &alert.labels, "the alert active again", |a| {
        a.state == AmAlertState::Active && a.silenced_by.is_empty()
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_carry_alertmanagers_reason() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let client = client(&alertmanager);
    let unknown = "00000000-0000-4000-8000-000000000000";
    let err = client
        .expire_silence(unknown)
        .await
        .expect_err("unknown id");
    assert_eq!(
        err.to_string(),
        format!("DELETE /api/v2/silence/{unknown}: HTTP 500: silence not found")
    );
    assert_eq!(err.status(), Some(500));

    let err = client.expire_silence("nope").await.expect_err("not a UUID");
    assert_eq!(
        err.to_string(),
        "DELETE /api/v2/silence/nope: HTTP 422: silenceID in path must be of type uuid: \"nope\""
    );

    let empty = NewSilence::of_labels(
        &LabelSet::new(),
        now_ms(),
        now_ms() + Duration::from_secs(60),
        "ana@db1",
        "",
    );
    let err = client
        .create_silence(&empty)
        .await
        .expect_err("no matchers");
    assert!(
        matches!(&err, AlertmanagerError::Refused { status: 422, reason, .. }
            if reason.contains("matchers")),
        "{err}"
    );

    let nameless = OutgoingAlert {
        labels: LabelSet::new(),
        annotations: LabelSet::new(),
        starts_at: now_ms(),
        ends_at: None,
        generator_url: None,
    };
    let err = client
        .post_alerts(&[nameless])
        .await
        .expect_err("no labels");
    assert_eq!(
        err.to_string(),
        "POST /api/v2/alerts: HTTP 400: at least one label pair required"
    );
}
