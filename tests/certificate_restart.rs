//! A restart while an HTTPS or TLS server cannot be reached does not forget its
//! certificate: the open `certificate_expiring` alert holds (same id, no `resolved`), the
//! status API still gives the certificate, and it pages nobody anew.

#[path = "support/probe_tls.rs"]
mod probe_tls;
mod support;
#[path = "support/test_ca.rs"]
mod test_ca;

use std::time::Duration;

use serde_json::Value;
use support::api::{alert_about, alerts_when, client, start};
use support::fleet::FastConfig;

const LIMIT: Duration = Duration::from_secs(20);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_with_the_server_away_keeps_the_certificate_and_its_alert() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let port = probe_tls::serve("127.0.0.1", &issued.cert_der, &issued.key_der);
    let path = FastConfig::new(dir.path(), 200)
        .headless_api()
        .toml(&format!(
            "[[service]]\nname = \"mail\"\ntls = \"localhost:{port}\"\ninsecure = true"
        ))
        .write();
    let client = client();
    let (mut lookout, base) = start(&path);
    let alert = alert_about(&client, &base, "mail").await;
    assert_eq!(alert["type"], "certificate_expiring", "{alert}");
    let id = alert["id"].clone();
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");

    // The server goes away with lookout stopped: nothing can read the certificate now.
    probe_tls::stop(port);
    let (mut lookout, base) = start(&path);
    lookout.wait_for("mail checked DOWN", LIMIT, |line| {
        line["event"] == "service_state_changed" && line["to"] == "DOWN"
    });
    // A few evaluations after the failed checks.
    tokio::time::sleep(Duration::from_millis(600)).await;
    let alerts = alerts_when(&client, &base, |_| true).await;
    let open: Vec<&Value> = (alerts.iter())
        .filter(|a| a["type"] == "certificate_expiring")
        .collect();
    assert_eq!(open.len(), 1, "{alerts:?}");
    assert_eq!(open[0]["id"], id, "the same incident: {alerts:?}");
    let status: Value = client
        .get(format!("{base}/api/v1/status"))
        .send()
        .await
        .expect("GET status")
        .json()
        .await
        .expect("JSON");
    let mail = &status["services"][0];
    assert_eq!(mail["state"], "DOWN", "{mail}");
    assert_eq!(mail["certificate"]["subject"], "CN=localhost", "{mail}");
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    let resolved: Vec<&Value> = (lookout.seen.iter())
        .filter(|line| line["alert_type"] == "certificate_expiring")
        .filter(|line| line["event"] == "alert_resolved" || line["event"] == "alert_firing")
        .collect();
    assert!(resolved.is_empty(), "no resolve, no new page: {resolved:?}");
}
