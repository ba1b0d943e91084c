//! The stream's events in the API's shapes (a check, a state change, a removal, an alert,
//! notices, the machine) and the hub's timing: changes from checks wait for the batch,
//! what someone did goes at once.

use super::*;
use crate::contract::ServiceState;
use crate::state::sample::sample_snapshot;
use crate::test_support::at;
use crate::view::service::HistorySample;

fn names(events: &[(&'static str, String)]) -> Vec<&'static str> {
    events.iter().map(|(name, _)| *name).collect()
}

#[test]
fn a_refused_reload_and_a_channel_in_trouble_are_told_as_notices() {
    use crate::view::snapshot::{ChannelTrouble, NoticeHealth, ReloadNotice};
    let now = at(1000);
    let quiet = sample_snapshot(2, now);
    let whole: Value = serde_json::from_str(&ApiForm.whole(&quiet, now)).expect("JSON");
    assert_eq!(
        whole["notices"],
        json!({"reload": null, "action": null, "state_dir": null, "notify": []})
    );

    let mut told = quiet.clone();
    told.reload = Some(Arc::new(ReloadNotice {
        sequence: 1,
        at: at(990),
        accepted: false,
        summary: "lookout.toml:3:7: unknown key \"intervl\"".into(),
        keys: None,
    }));
    told.notices = Some(Arc::new(NoticeHealth {
        channels: vec!["pager".into(), "chat".into()],
        trouble: vec![ChannelTrouble {
            channel: "pager".into(),
            since: at(900),
            holding: Some("firing service_down/api #52".into()),
            lost: 0,
            last_lost: None,
            error: "connection refused".into(),
        }],
    }));
    let events = Picture::of(&quiet, now).changes(&Picture::of(&told, now));
    assert_eq!(names(&events), ["notices"]);
    let notices: Value = serde_json::from_str(&events[0].1).expect("JSON");
    assert_eq!(notices["reload"]["accepted"], false);
    assert_eq!(notices["reload"]["at"], "2023-11-14T22:29:50.000Z");
    assert!(
        notices["reload"]["summary"]
            .as_str()
            .expect("a summary")
            .contains("intervl")
    );
    assert_eq!(
        notices["notify"],
        json!([{"channel": "pager", "since": "2023-11-14T22:28:20.000Z",
                "holding": "firing service_down/api #52", "lost": 0,
                "last_lost": null, "error": "connection refused"}])
    );
    assert!(
        Picture::of(&told, now)
            .changes(&Picture::of(&told, now))
            .is_empty()
    );
}

#[test]
fn a_new_sample_of_the_machine_is_told_as_a_change() {
    use crate::state::sample_system::sample_system_view;
    let now = at(1000);
    let unsampled = sample_snapshot(2, now);
    let mut sampled = unsampled.clone();
    sampled.system = Some(Arc::new(sample_system_view(now)));
    let events = Picture::of(&unsampled, now).changes(&Picture::of(&sampled, now));
    assert_eq!(names(&events), ["machine"]);
    let machine: Value = serde_json::from_str(&events[0].1).expect("JSON");
    assert_eq!(
        machine,
        super::super::machine::of(sampled.system.as_deref().expect("sampled"))
    );
    let whole: Value = serde_json::from_str(&ApiForm.whole(&sampled, now)).expect("JSON");
    assert_eq!(whole["machine"], machine);
    assert!(
        Picture::of(&sampled, now)
            .changes(&Picture::of(&sampled, now))
            .is_empty()
    );
}

#[tokio::test(start_paused = true)]
async fn what_someone_did_is_told_at_once_and_checks_wait_for_the_batch() {
    use tokio::time::Instant;
    let now = at(1000);
    let (publish, view) = watch::channel(sample_snapshot(3, now));
    let cancel = CancellationToken::new();
    let hub = Hub::start(view, ApiForm, &cancel);
    let mut events = hub.subscribe();
    let first = events.recv().await.expect("the first event");
    assert_eq!(first.name, "snapshot");

    // An alert opened by a check waits for the next batch.
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (alerts, _) = crate::state::sample_alerts::sample_alerts(now);
    publish.send_modify(|s| s.alerts = alerts);
    let asked = Instant::now();
    let told = events.recv().await.expect("an event");
    assert_eq!(told.name, "alerts");
    assert_eq!(asked.elapsed(), Duration::from_millis(900));

    // Someone acted in the middle of a batch: told at once.
    tokio::time::sleep(Duration::from_millis(300)).await;
    publish.send_modify(|s| {
        s.alerts.clear();
        s.acted += 1;
    });
    let asked = Instant::now();
    let told = events.recv().await.expect("an event");
    assert_eq!(told.name, "alerts");
    assert_eq!(asked.elapsed(), Duration::ZERO);
    cancel.cancel();
}

#[test]
fn a_check_a_state_change_a_removal_and_an_alert_are_told_as_changes() {
    let now = at(1000);
    let before = sample_snapshot(3, now);
    let first = Picture::of(&before, now);
    assert!(
        first.changes(&Picture::of(&before, now)).is_empty(),
        "no change"
    );

    // One check on the first service: one compact `checks` row, nothing else.
    let mut checked = before.clone();
    let mut service = (*checked.services[0]).clone();
    let newest = service.samples.last().map_or(0, |s| s.at_ms) + 1000;
    (service.samples).push(HistorySample::new(
        newest,
        Duration::from_micros(12_345),
        true,
        None,
    ));
    checked.services[0] = Arc::new(service.clone());
    let events = first.changes(&Picture::of(&checked, now));
    assert_eq!(names(&events), ["checks"]);
    let rows: Value = serde_json::from_str(&events[0].1).expect("JSON");
    assert_eq!(rows, json!([[service.config.name, newest, 12.3, true]]));

    // Its state changes, and the last service leaves the config.
    let mut changed = checked.clone();
    service.state = ServiceState::Down;
    changed.services[0] = Arc::new(service.clone());
    let gone = changed.services.pop().expect("three services");
    let events = Picture::of(&checked, now).changes(&Picture::of(&changed, now));
    assert_eq!(names(&events), ["service", "removed"]);
    assert!(events[0].1.contains(r#""state":"DOWN""#), "{}", events[0].1);
    assert!(events[1].1.contains(&gone.config.name), "{}", events[1].1);

    // An alert opens.
    let mut alerted = changed.clone();
    let (alerts, _) = crate::state::sample_alerts::sample_alerts(now);
    alerted.alerts = alerts;
    let events = Picture::of(&changed, now).changes(&Picture::of(&alerted, now));
    assert_eq!(names(&events), ["alerts"]);
}
