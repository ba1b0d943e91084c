//! Channels are independent: a stuck one delays no other, notices go only where their
//! severity reaches, and a full queue drops its oldest notice and says so.

mod notify_support;

use std::time::Duration;

use lookout::config::Severity;
use lookout::log::events;
use lookout::notify::{Health, NoticeKind, Notifier};
use notify_support::{Capture, Receiver, Reply, alert, finish, notice, webhook};
use tokio_util::sync::CancellationToken;

fn stuck() -> Reply {
    Reply {
        gated: true,
        ..Reply::status(200)
    }
}

#[tokio::test]
async fn a_stuck_channel_does_not_delay_another() {
    let logs = Capture::default();
    let _guard = logs.install();
    let slow = Receiver::start(Vec::new(), stuck()).await;
    let fast = Receiver::ok().await;
    let mut slow_hook = webhook("slow", slow.url("/slow"));
    slow_hook.timeout = Duration::from_secs(3600);
    let channels = [slow_hook, webhook("fast", fast.url("/fast"))];
    let cancel = CancellationToken::new();
    let notifier = Notifier::start(&channels, &cancel, &Health::default());
    for id in 1..=3 {
        notifier.notify(notice(NoticeKind::Firing, alert(id, Severity::High)));
    }
    // Bounded waits: with a shared queue or worker these would time out.
    slow.wait_for(1).await;
    logs.wait_for(events::NOTIFICATION_SENT, 3).await;
    let sent = logs.events(events::NOTIFICATION_SENT);
    assert!(
        sent.iter().all(|line| line["channel"] == "fast"),
        "{sent:?}"
    );
    assert_eq!(
        slow.requests().len(),
        1,
        "the slow one is still on its first"
    );

    cancel.cancel();
    finish(notifier).await;
    let failed = logs.events(events::NOTIFICATION_FAILED);
    let stopped: Vec<(u64, u64)> = failed
        .iter()
        .map(|line| {
            assert_eq!(line["channel"], "slow", "{line}");
            let error = line["error"].as_str().expect("error");
            assert!(error.contains("still owed"), "{line}");
            assert_eq!(
                line["will_retry"], true,
                "kept for the next channels: {line}"
            );
            (
                line["alert_id"].as_u64().expect("id"),
                line["attempt"].as_u64().expect("attempt"),
            )
        })
        .collect();
    assert_eq!(stopped, [(1, 1), (2, 0), (3, 0)], "attempts made on each");
}

#[tokio::test]
async fn notices_go_only_to_channels_they_are_severe_enough_for() {
    let _guard = Capture::default().install();
    let receiver = Receiver::ok().await;
    let channels: Vec<_> = [
        ("all", Severity::Low),
        ("high", Severity::High),
        ("critical", Severity::Critical),
    ]
    .into_iter()
    .map(|(name, min)| {
        let mut config = webhook(name, receiver.url(&format!("/{name}")));
        config.min_severity = min;
        config
    })
    .collect();
    let notifier = Notifier::start(&channels, &CancellationToken::new(), &Health::default());
    for (id, severity) in [
        (1, Severity::Low),
        (2, Severity::Medium),
        (3, Severity::High),
        (4, Severity::Critical),
    ] {
        notifier.notify(notice(NoticeKind::Firing, alert(id, severity)));
    }
    finish(notifier).await;

    let mut got: Vec<(String, u64)> = receiver
        .requests()
        .iter()
        .map(|r| {
            (
                r.path.clone(),
                r.json()["alert"]["id"].as_u64().expect("id"),
            )
        })
        .collect();
    got.sort();
    let want: Vec<(String, u64)> = [
        ("/all", 1),
        ("/all", 2),
        ("/all", 3),
        ("/all", 4),
        ("/critical", 4),
        ("/high", 3),
        ("/high", 4),
    ]
    .into_iter()
    .map(|(path, id)| (path.to_string(), id))
    .collect();
    assert_eq!(got, want);
}

#[tokio::test]
async fn a_full_queue_drops_the_oldest_notice_and_logs_it() {
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::start(vec![stuck()], Reply::status(200)).await;
    let config = webhook("busy", receiver.url("/busy"));
    let notifier =
        Notifier::with_capacity(&[config], &CancellationToken::new(), 2, &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(1, Severity::High)));
    receiver.wait_for(1).await; // the worker holds notice 1; the queue is empty
    for id in 2..=5 {
        notifier.notify(notice(NoticeKind::Firing, alert(id, Severity::High)));
    }
    let dropped = logs.events(events::NOTIFICATION_FAILED);
    let ids: Vec<_> = dropped.iter().map(|line| &line["alert_id"]).collect();
    assert_eq!(ids, [2, 3], "the oldest go first");
    for line in &dropped {
        assert_eq!(line["error"], "queue full");
        assert_eq!(line["will_retry"], false);
        assert_eq!(line["channel"], "busy");
    }

    receiver.release();
    finish(notifier).await;
    let delivered: Vec<u64> = receiver
        .requests()
        .iter()
        .map(|r| r.json()["alert"]["id"].as_u64().expect("id"))
        .collect();
    assert_eq!(delivered, [1, 4, 5]);
}
