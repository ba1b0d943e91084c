//! Alertmanager killed and restarted under a headless lookout: the checks go on, reads
//! and forwards fail with one log line each and back off, `alertmanager_unreachable`
//! fires, and once Alertmanager is back (with no alerts: it keeps none on disk) lookout
//! sends its open alert again, reads again, and resolves its own alert; it exits 0.

mod support;

use std::time::{Duration, Instant};

use lookout::config::AlertmanagerConfig;
use lookout::sources::alertmanager::AlertmanagerClient;
use lookout::view::alertmanager::AmAlert;
use support::alertmanager::{Alertmanager, headless_config};
use support::headless::Headless;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(30);

/// Polls Alertmanager until `pred` holds for its alerts.
fn wait_alerts(
    runtime: &tokio::runtime::Runtime,
    client: &AlertmanagerClient,
    what: &str,
    pred: impl Fn(&[AmAlert]) -> bool,
) {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Ok(alerts) = runtime.block_on(client.alerts())
            && pred(&alerts)
        {
            return;
        }
        assert!(Instant::now() < deadline, "waited {LIMIT:?} for {what}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn has_service_down(alerts: &[AmAlert]) -> bool {
    alerts
        .iter()
        .any(|a| a.labels.get("alertname").map(String::as_str) == Some("service_down"))
}

#[test]
fn lookout_rides_out_an_alertmanager_crash_and_catches_up() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(mut alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let web = ToggleServer::start_new();
    web.set_status(503);
    let path = write_config(
        dir.path(),
        &headless_config(dir.path(), &web.url("/"), &alertmanager.url()),
    );
    let mut lookout = Headless::start(&path, &[]);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    let client = runtime
        .block_on(async { AlertmanagerClient::new(&AlertmanagerConfig::new("t", url)) })
        .expect("client");
    wait_alerts(
        &runtime,
        &client,
        "service_down forwarded",
        has_service_down,
    );

    alertmanager.kill();
    lookout.seen_or_wait("alertmanager_read_failed", None, LIMIT);
    lookout.seen_or_wait("alertmanager_failed", None, LIMIT);
    let fired = lookout.seen_or_wait_for("alertmanager_unreachable firing", LIMIT, |line| {
        line["event"] == "alert_firing" && line["alert_type"] == "alertmanager_unreachable"
    });
    assert_eq!(fired["subject"], "team");
    // The checks keep their schedule meanwhile: web recovers, then fails again.
    web.set_status(200);
    let up = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(up["to"], "UP");
    web.set_status(503);
    let down = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(down["to"], "DOWN");

    alertmanager.restart();
    wait_alerts(
        &runtime,
        &client,
        "service_down sent again",
        has_service_down,
    );
    lookout.seen_or_wait("alertmanager_read_recovered", None, LIMIT);
    lookout.seen_or_wait("alertmanager_recovered", None, LIMIT);
    lookout.seen_or_wait_for("alertmanager_unreachable resolved", LIMIT, |line| {
        line["event"] == "alert_resolved" && line["alert_type"] == "alertmanager_unreachable"
    });
    let failures = count(&lookout, "alertmanager_read_failed");
    assert!(
        failures <= 3,
        "one line per kind of error, not per try: {failures}"
    );

    lookout.signal("TERM");
    let status = lookout.wait_exit(Duration::from_secs(5)).expect("exits");
    assert_eq!(status.code(), Some(0), "{}", alertmanager.log());
}

fn count(lookout: &Headless, event: &str) -> usize {
    lookout.seen.iter().filter(|l| l["event"] == event).count()
}
