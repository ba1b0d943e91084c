//! Round trips through a real SQLite file: what is saved is what a restarted process
//! loads, split into active and history, newest history first and bounded.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::{AlertStore, Persisted, SilenceWrite};
use crate::config::Severity;
use crate::view::alert::{
    Ack, AlertKey, AlertKind, AlertState, AlertView, Gravity, Silence, SilenceTarget, TimelineEntry,
};

const SEVERITIES: [Severity; 4] = [
    Severity::Low,
    Severity::Medium,
    Severity::High,
    Severity::Critical,
];

/// Whole milliseconds: the store keeps times to the millisecond.
pub(super) fn at(ms: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_millis(1_790_000_000_000 + ms)
}

fn key(kind: AlertKind, subject: &str) -> AlertKey {
    AlertKey {
        kind,
        rule: (kind == AlertKind::Rule).then(|| "slow-checkout ✓".to_string()),
        subject: subject.to_string(),
    }
}

/// A plain firing alert; tests change the fields they care about.
pub(super) fn alert(id: u64, state: AlertState) -> AlertView {
    AlertView {
        id,
        key: key(AlertKind::ServiceDown, &format!("svc-{id}")),
        group: None,
        severity: Severity::High,
        state,
        summary: format!("svc-{id} is DOWN: connection refused"),
        started: at(id * 1000),
        fired: Some(at(id * 1000 + 500)),
        resolved: state.is_closed().then(|| at(id * 1000 + 900)),
        ended: (state == AlertState::Ended).then(|| "paused".to_string()),
        peak: Gravity::of(Severity::High, AlertKind::ServiceDown),
        ack: None,
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: vec![TimelineEntry {
            at: at(id * 1000),
            what: "pending".into(),
        }],
        origin: None,
    }
}

pub(super) fn silence(id: u64, target: SilenceTarget, until: SystemTime) -> Silence {
    Silence {
        id,
        target,
        created: at(0),
        until,
        by: "ana@db1".into(),
        comment: id
            .is_multiple_of(2)
            .then(|| format!("maintenance «{id}»\nsecond line")),
    }
}

/// Every kind, state, severity, ack shape, silence target and timeline shape.
fn varied_alerts() -> Vec<AlertView> {
    let targets = [
        None,
        Some(SilenceTarget::Alert(key(AlertKind::Rule, "checkout-api"))),
        Some(SilenceTarget::Subject("/var/lib/pg 数据".into())),
        Some(SilenceTarget::Group("payments-team".into())),
    ];
    let mut alerts = Vec::new();
    let mut id = 0;
    for (k, kind) in AlertKind::ALL.into_iter().enumerate() {
        for (s, state) in AlertState::ALL.into_iter().enumerate() {
            id += 1;
            let mut alert = alert(id, state);
            alert.key = key(kind, &format!("κόμβος-{k}-{s} 🚨 \"quoted\" 'x'"));
            alert.group = (!id.is_multiple_of(3)).then(|| format!("group {}", id % 4));
            alert.severity = SEVERITIES[(k + s) % 4];
            alert.fired = (state != AlertState::Pending).then(|| at(id * 1000 + 1));
            alert.flapping = id.is_multiple_of(5);
            alert.peak = Gravity::of(SEVERITIES[(k + s + 1) % 4], kind);
            alert.ack = match id % 3 {
                0 => None,
                1 => Some(Ack {
                    by: "ana@db1".into(),
                    at: at(id * 1000 + 7),
                    note: Some("on it — looking at the pool\n\t{\"json\": true}".into()),
                }),
                _ => Some(Ack {
                    by: "bo@web2".into(),
                    at: at(id * 1000 + 8),
                    note: None,
                }),
            };
            alert.silence = targets[(id % 4) as usize]
                .clone()
                .map(|target| silence(id + 100, target, at(1_000_000)));
            alert.timeline = (0..(id % 4))
                .map(|n| TimelineEntry {
                    at: at(id * 1000 + n),
                    what: format!("step {n}: ack by ana@db1: « on it » ✓"),
                })
                .collect();
            alerts.push(alert);
        }
    }
    alerts
}

pub(super) async fn reopen(store: AlertStore, dir: &std::path::Path) -> AlertStore {
    store.close().await;
    drop(store);
    AlertStore::open(dir).await.expect("reopen")
}

#[tokio::test]
async fn every_field_survives_a_restart() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let alerts = varied_alerts();
    let (one_by_one, burst) = alerts.split_at(alerts.len() / 2);
    for alert in one_by_one {
        store.save_alert(alert).await.expect("save");
    }
    let burst: Vec<Arc<AlertView>> = burst.iter().cloned().map(Arc::new).collect();
    store.save_alerts(&burst).await.expect("save burst");
    let silences: Vec<Silence> = alerts.iter().filter_map(|a| a.silence.clone()).collect();
    for silence in &silences {
        let made = [SilenceWrite::Save(silence.clone())];
        store.save(&made, &[]).await.expect("save silence");
    }

    let store = reopen(store, dir.path()).await;
    let loaded = store.load(at(0), 1000).await.expect("load");

    let active: Vec<AlertView> = alerts
        .iter()
        .filter(|a| !a.state.is_closed())
        .cloned()
        .collect();
    assert_eq!(loaded.alerts, active);
    let mut history: Vec<AlertView> = alerts
        .iter()
        .filter(|a| a.state.is_closed())
        .cloned()
        .collect();
    history.reverse(); // resolve times grow with the id
    assert_eq!(loaded.history, history);
    let mut by_id = silences.clone();
    by_id.sort_by_key(|s| s.id);
    by_id.dedup_by_key(|s| s.id);
    assert_eq!(loaded.silences, by_id);
    assert_eq!(loaded.next_alert_id, alerts.len() as u64 + 1);
    assert_eq!(
        loaded.next_silence_id,
        by_id.last().expect("silences").id + 1
    );
}

#[tokio::test]
async fn saving_again_replaces_the_alert_with_that_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let firing = alert(7, AlertState::Firing);
    store.save_alert(&firing).await.expect("save");
    let mut acked = firing.clone();
    acked.state = AlertState::Acked;
    acked.ack = Some(Ack {
        by: "ana@db1".into(),
        at: at(7777),
        note: None,
    });
    store.save_alert(&acked).await.expect("save again");
    let mut resolved = acked.clone();
    resolved.state = AlertState::Resolved;
    resolved.resolved = Some(at(9000));
    resolved.ack = None;

    let loaded = store.load(at(0), 10).await.expect("load");
    assert_eq!(loaded.alerts, vec![acked]);
    assert!(loaded.history.is_empty());

    store
        .save_alerts(&[Arc::new(resolved.clone())])
        .await
        .expect("resolve");
    store.save_alerts(&[]).await.expect("nothing to save");
    let loaded = reopen(store, dir.path())
        .await
        .load(at(0), 10)
        .await
        .expect("load");
    assert!(loaded.alerts.is_empty());
    assert_eq!(loaded.history, vec![resolved]);
}

#[tokio::test]
async fn an_empty_store_starts_ids_at_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let loaded = store.load(at(0), 10).await.expect("load");
    assert_eq!(
        loaded,
        Persisted {
            next_alert_id: 1,
            next_silence_id: 1,
            paused: Vec::new(),
            ..Persisted::default()
        }
    );
}

#[tokio::test]
async fn history_is_newest_first_and_bounded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    // Resolve times run against the ids: history order is by resolve time.
    let mut saved = Vec::new();
    for id in 1..=6 {
        let mut done = alert(id, AlertState::Resolved);
        done.resolved = Some(at(100_000 - id * 10));
        saved.push(Arc::new(done));
    }
    saved.push(Arc::new(alert(7, AlertState::Pending)));
    saved.push(Arc::new(alert(8, AlertState::Silenced)));
    store.save_alerts(&saved).await.expect("save");

    let loaded = store.load(at(0), 4).await.expect("load");
    let ids = |alerts: &[AlertView]| alerts.iter().map(|a| a.id).collect::<Vec<_>>();
    assert_eq!(ids(&loaded.alerts), [7, 8]);
    assert_eq!(ids(&loaded.history), [1, 2, 3, 4]);
    assert!(store.load(at(0), 0).await.expect("load").history.is_empty());
}

#[tokio::test]
async fn one_change_is_one_transaction_all_of_it_or_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let target = SilenceTarget::Subject("svc-1".into());
    let mut covered = alert(1, AlertState::Silenced);
    covered.silence = Some(silence(5, target.clone(), at(1_000_000)));
    // The second silence write fails half-way through: the first, and the alert, go too.
    let broken = [
        SilenceWrite::Save(silence(5, target.clone(), at(1_000_000))),
        SilenceWrite::Delete(u64::MAX),
    ];
    let failed = store.save(&broken, &[Arc::new(covered.clone())]).await;
    assert!(failed.is_err(), "{failed:?}");
    let store = reopen(store, dir.path()).await;
    let loaded = store.load(at(0), 10).await.expect("load");
    assert!(
        loaded.alerts.is_empty() && loaded.silences.is_empty(),
        "a half-made change was kept: {loaded:?}"
    );
    // Whole, both are there together.
    let made = [SilenceWrite::Save(silence(5, target, at(1_000_000)))];
    store
        .save(&made, &[Arc::new(covered.clone())])
        .await
        .expect("save");
    let store = reopen(store, dir.path()).await;
    let loaded = store.load(at(0), 10).await.expect("load");
    assert_eq!(loaded.alerts, [covered]);
    assert_eq!(
        loaded.silences.iter().map(|s| s.id).collect::<Vec<_>>(),
        [5]
    );
}

#[tokio::test]
async fn paused_services_are_kept_by_name_until_resumed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    for (service, paused) in [("web", true), ("api", true), ("api", true), ("web", false)] {
        store
            .save_paused(service, paused, at(10))
            .await
            .expect("save");
    }
    store.close().await;
    let store = AlertStore::open(dir.path()).await.expect("reopen");
    assert_eq!(store.load(at(20), 10).await.expect("load").paused, ["api"]);
}
