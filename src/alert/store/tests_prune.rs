//! Pruning by age and by count, ended silences, and ids that are never handed out
//! twice even after the rows holding the highest ones are gone.

use std::sync::Arc;
use std::time::Duration;

use super::tests::{alert, at, reopen, silence};
use super::{AlertStore, SilenceWrite};
use crate::view::alert::{AlertState, SilenceTarget};

#[tokio::test]
async fn prune_drops_old_and_surplus_history_and_ended_silences() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let now = at(1_000_000);
    let hour = Duration::from_secs(3600);
    let mut saved = Vec::new();
    for id in 1..=10 {
        let mut done = alert(id, AlertState::Resolved);
        // 1..=4 resolved two hours ago, 5..=10 in the last hour (10 the newest).
        let ago = if id <= 4 {
            2 * hour
        } else {
            hour / (id as u32)
        };
        done.resolved = Some(now - ago);
        saved.push(Arc::new(done));
    }
    let mut old_but_active = alert(11, AlertState::Acked);
    old_but_active.started = now - 10 * hour;
    saved.push(Arc::new(old_but_active));
    store.save_alerts(&saved).await.expect("save");
    let target = SilenceTarget::Group("web".into());
    store
        .save(
            &[SilenceWrite::Save(silence(1, target.clone(), now - hour))],
            &[],
        )
        .await
        .expect("ended silence");
    store
        .save(&[SilenceWrite::Save(silence(2, target.clone(), now))], &[])
        .await
        .expect("ends now");
    store
        .save(&[SilenceWrite::Save(silence(3, target, now + hour))], &[])
        .await
        .expect("live silence");
    assert_eq!(store.load(now, 100).await.expect("load").silences.len(), 1);

    // Four too old, then keep the newest three of the six left, two silences.
    let deleted = store.prune(now, hour, 3).await.expect("prune");
    assert_eq!(deleted, 4 + 3 + 2);
    let loaded = store.load(now, 100).await.expect("load");
    let ids: Vec<u64> = loaded.history.iter().map(|a| a.id).collect();
    assert_eq!(ids, [10, 9, 8]);
    assert_eq!(loaded.alerts.len(), 1, "active alerts are never pruned");
    assert_eq!(
        loaded.silences.iter().map(|s| s.id).collect::<Vec<_>>(),
        [3]
    );
    assert_eq!(store.prune(now, hour, 3).await.expect("again"), 0);
}

#[tokio::test]
async fn ids_are_never_handed_out_twice_after_pruning_or_deleting() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    store
        .save_alert(&alert(3, AlertState::Firing))
        .await
        .expect("save");
    let mut newest = alert(41, AlertState::Resolved);
    newest.silence = Some(silence(17, SilenceTarget::Subject("db".into()), at(5)));
    store.save_alert(&newest).await.expect("save");
    store
        .save(
            &[SilenceWrite::Save(silence(
                9,
                SilenceTarget::Subject("db".into()),
                at(5),
            ))],
            &[],
        )
        .await
        .expect("save silence");
    store
        .save(&[SilenceWrite::Delete(9)], &[])
        .await
        .expect("delete");
    store
        .save(&[SilenceWrite::Delete(9)], &[])
        .await
        .expect("deleting twice is fine");
    let now = at(10_000_000);
    assert!(store.prune(now, Duration::ZERO, 0).await.expect("prune") >= 1);

    let loaded = reopen(store, dir.path())
        .await
        .load(now, 10)
        .await
        .expect("load");
    assert!(loaded.history.is_empty());
    assert!(loaded.silences.is_empty());
    assert_eq!(loaded.alerts.len(), 1);
    assert_eq!(loaded.next_alert_id, 42);
    assert_eq!(
        loaded.next_silence_id, 18,
        "an alert's silence id counts too"
    );
}
