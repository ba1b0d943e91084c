//! The API on an Alertmanager's alert, against a real Alertmanager on loopback and the
//! real binary: listed with its Alertmanager, silenced there by its labels through the
//! same route as lookout's own alerts (answered once Alertmanager took it), the silence
//! expired by `unack` as `u` does, and `ack` pointed to `silence`.

mod support;

use std::time::{Duration, Instant, SystemTime};

use lookout::config::AlertmanagerConfig;
use lookout::sources::alertmanager::{AlertmanagerClient, OutgoingAlert};
use lookout::view::alertmanager::{LabelSet, SilenceState};
use serde_json::Value;
use support::alertmanager::Alertmanager;
use support::api::{alerts_when, client, start};
use support::fleet::FastConfig;

const LIMIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alertmanagers_alert_is_silenced_there_and_let_go_through_the_api() {
    let dir = tempfile::tempdir().unwrap();
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    let am = AlertmanagerClient::new(&AlertmanagerConfig::new("team", url)).expect("client");
    let labels: LabelSet = [("alertname", "DiskFull"), ("instance", "db1")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let pushed = OutgoingAlert {
        labels: labels.clone(),
        annotations: LabelSet::new(),
        starts_at: SystemTime::now(),
        ends_at: Some(SystemTime::now() + Duration::from_secs(3600)),
        generator_url: None,
    };
    am.post_alerts(&[pushed])
        .await
        .expect("POST /api/v2/alerts");

    let path = FastConfig::new(dir.path(), 200)
        .headless_api()
        .toml(&format!(
            "[[alertmanager]]\nname = \"team\"\nurl = \"{}\"\npoll = \"1s\"",
            alertmanager.url()
        ))
        .write();
    let (_lookout, base) = start(&path);
    let client = client();
    let listed = alerts_when(&client, &base, |alerts| {
        alerts.iter().any(|a| a["alertmanager"] == "team")
    })
    .await;
    let alert = (listed.iter())
        .find(|a| a["alertmanager"] == "team")
        .expect("listed");
    let id = alert["id"].as_u64().expect("id");

    let post = |route: &str, body: &str| {
        client
            .post(format!("{base}/api/v1/alerts/{id}/{route}"))
            .body(body.to_string())
            .send()
    };
    let ack = post("ack", "").await.expect("POST ack");
    assert_eq!(ack.status(), 409);
    let silenced = post("silence", r#"{"duration": "1h", "by": "ana"}"#)
        .await
        .expect("POST silence");
    let status = silenced.status();
    let body: Value = silenced.json().await.expect("JSON");
    assert_eq!(status, 200, "{body}");
    let active = am.silences().await.expect("GET silences");
    let ours: Vec<_> = (active.iter())
        .filter(|s| s.state == SilenceState::Active)
        .collect();
    assert_eq!(ours.len(), 1, "{active:?}");
    let names: Vec<&str> = ours[0].matchers.iter().map(|m| m.name.as_str()).collect();
    assert!(
        names.contains(&"alertname") && names.contains(&"instance"),
        "{ours:?}"
    );

    // Once lookout has read the silence back, unack ends it there.
    let deadline = Instant::now() + LIMIT;
    loop {
        let response = post("unack", "").await.expect("POST unack");
        if response.status() == 200 {
            break;
        }
        assert!(Instant::now() < deadline, "unack never went through");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let after = am.silences().await.expect("GET silences");
    assert!(
        after.iter().all(|s| s.state != SilenceState::Active),
        "{after:?}"
    );
}
