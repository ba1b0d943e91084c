//! The outbox on a real SQLite file: notices written with their change read back in
//! order with the alert as it was, settled ones are gone, and ids are never reused.

use std::sync::Arc;

use super::tests::{alert, at, silence};
use super::{AlertStore, OwedNotice, SilenceWrite};
use crate::view::alert::{AlertState, SilenceTarget};
use crate::view::notice::NoticeKind;

fn owed(id: u64, channel: &str, kind: NoticeKind, alert_id: u64) -> OwedNotice {
    let mut view = alert(alert_id, AlertState::Firing);
    view.summary = format!("owed {id}");
    OwedNotice {
        id,
        channel: channel.to_string(),
        addressed: ["hook".to_string(), "slack".to_string()].into(),
        notice: kind,
        at: at(id * 1000),
        alert: Arc::new(view),
    }
}

fn ids(owed: &[OwedNotice]) -> Vec<(u64, &str, &str)> {
    owed.iter()
        .map(|n| (n.id, n.channel.as_str(), n.notice.as_str()))
        .collect()
}

#[tokio::test]
async fn owed_notices_read_back_in_order_until_settled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    let fresh = store.load_outbox().await.expect("load");
    assert!(fresh.owed.is_empty());
    assert_eq!(fresh.next_id, 1);

    let firing = Arc::new(alert(7, AlertState::Firing));
    let written = [
        owed(1, "hook", NoticeKind::Firing, 7),
        owed(2, "slack", NoticeKind::Firing, 7),
        owed(3, "hook", NoticeKind::Resolved, 8),
    ];
    store
        .save_with_notices(&[], &[firing], &written, &[])
        .await
        .expect("save");
    store.close().await;

    let store = AlertStore::open(dir.path()).await.expect("reopen");
    let outbox = store.load_outbox().await.expect("load");
    assert_eq!(
        ids(&outbox.owed),
        [
            (1, "hook", "firing"),
            (2, "slack", "firing"),
            (3, "hook", "resolved")
        ]
    );
    let first = &outbox.owed[0];
    assert_eq!(first.at, at(1000), "the time it was owed, kept");
    assert_eq!(first.alert.id, 7);
    assert_eq!(first.alert.summary, "owed 1", "the alert as it was then");
    assert_eq!(
        &*first.addressed,
        ["hook", "slack"],
        "the channels it was made for"
    );
    assert_eq!(outbox.next_id, 4);

    // Delivered: deleted, alone or with other writes in the same transaction.
    store
        .save_with_notices(
            &[],
            &[],
            &[owed(4, "hook", NoticeKind::Reminder, 7)],
            &[1, 3],
        )
        .await
        .expect("settle");
    store
        .save_with_notices(&[], &[], &[], &[4])
        .await
        .expect("settle alone");
    let outbox = store.load_outbox().await.expect("load");
    assert_eq!(ids(&outbox.owed), [(2, "slack", "firing")]);

    store
        .save_with_notices(&[], &[], &[], &[2])
        .await
        .expect("settle the rest");
    let empty = store.load_outbox().await.expect("load");
    assert!(empty.owed.is_empty());
    assert_eq!(
        empty.next_id, 5,
        "an id once owed is never handed out again"
    );
}

#[tokio::test]
async fn a_notice_is_written_only_with_its_change() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    // A silence that cannot be stored (its id is beyond SQLite's integers) fails the
    // whole write: the notice owed with it is not left behind alone.
    let api = SilenceTarget::Subject("api".to_string());
    let bad = silence(u64::MAX, api, at(5000));
    let failed = store
        .save_with_notices(
            &[SilenceWrite::Save(bad)],
            &[],
            &[owed(1, "hook", NoticeKind::Firing, 7)],
            &[],
        )
        .await;
    assert!(failed.is_err());
    assert!(store.load_outbox().await.expect("load").owed.is_empty());
}

#[tokio::test]
async fn an_unknown_notice_word_is_reported_as_damage() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = AlertStore::open(dir.path()).await.expect("open");
    store
        .save_with_notices(&[], &[], &[owed(1, "hook", NoticeKind::Firing, 7)], &[])
        .await
        .expect("save");
    sqlx::query("UPDATE outbox SET notice = 'shouted'")
        .execute(&store.pool)
        .await
        .expect("damage");
    let err = store.load_outbox().await.expect_err("refused");
    assert!(err.to_string().contains("\"shouted\""), "{err}");
}
