//! Retries against a real receiver on loopback, in tokio's paused time (the receiver
//! runs in the test's runtime): 5xx and 429 are retried with doubling backoff and
//! `Retry-After`, other 4xx are not, and a slow receiver times out each attempt.

mod notify_support;

use std::time::Duration;

use lookout::config::{NotifyConfig, Severity};
use lookout::log::events;
use lookout::notify::{Health, NoticeKind, Notifier};
use notify_support::{Capture, Receiver, Reply, alert, finish, notice, webhook};
use serde_json::Value;
use tokio_util::sync::CancellationToken;

fn retrying(receiver: &Receiver, retries: u32, backoff: Duration) -> NotifyConfig {
    let mut config = webhook("hook", receiver.url("/hook"));
    config.retries = retries;
    config.backoff = backoff;
    config.timeout = Duration::from_secs(60);
    config
}

/// Sends one notice over `config` and waits until the worker is done with it.
async fn deliver(config: NotifyConfig) {
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(8, Severity::High)));
    finish(notifier).await;
}

fn field<'a>(lines: &'a [Value], name: &str) -> Vec<&'a Value> {
    lines.iter().map(|line| &line[name]).collect()
}

#[tokio::test(start_paused = true)]
async fn server_errors_are_retried_with_doubling_backoff() {
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::start(
        vec![Reply::status(500), Reply::status(503)],
        Reply::status(200),
    )
    .await;
    deliver(retrying(&receiver, 5, Duration::from_secs(2))).await;

    let requests = receiver.requests();
    assert_eq!(requests.len(), 3, "two failures, then delivered");
    let first_gap = requests[1].at - requests[0].at;
    let second_gap = requests[2].at - requests[1].at;
    assert!(first_gap >= Duration::from_secs(2), "{first_gap:?}");
    assert!(second_gap >= Duration::from_secs(4), "{second_gap:?}");
    assert!(second_gap < Duration::from_secs(5), "{second_gap:?}");

    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(field(&failed, "attempt"), [1, 2]);
    assert_eq!(field(&failed, "status"), [500, 503]);
    assert_eq!(field(&failed, "will_retry"), [true, true]);
    assert_eq!(field(&failed, "retry_in_ms"), [2000, 4000]);
    assert_eq!(field(&failed, "level"), ["warn", "warn"]);
    let sent = logs.events(events::NOTIFICATION_SENT);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0]["attempt"], 3);
}

#[tokio::test(start_paused = true)]
async fn client_errors_are_not_retried() {
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::start(Vec::new(), Reply::status(400)).await;
    deliver(retrying(&receiver, 5, Duration::from_secs(1))).await;

    assert_eq!(receiver.requests().len(), 1);
    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["status"], 400);
    assert_eq!(failed[0]["error"], "HTTP 400 Bad Request");
    assert_eq!(failed[0]["will_retry"], false);
    assert!(logs.events(events::NOTIFICATION_SENT).is_empty());
}

#[tokio::test(start_paused = true)]
async fn too_many_requests_waits_as_long_as_retry_after_says() {
    let logs = Capture::default();
    let _guard = logs.install();
    let limited = Reply {
        retry_after: Some("30"),
        ..Reply::status(429)
    };
    let receiver = Receiver::start(vec![limited], Reply::status(200)).await;
    deliver(retrying(&receiver, 2, Duration::from_millis(100))).await;

    let requests = receiver.requests();
    assert_eq!(requests.len(), 2);
    let gap = requests[1].at - requests[0].at;
    assert!(gap >= Duration::from_secs(30), "{gap:?}");
    assert!(gap < Duration::from_secs(31), "{gap:?}");
    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(field(&failed, "status"), [429]);
    assert_eq!(field(&failed, "retry_in_ms"), [30_000]);
    assert_eq!(logs.events(events::NOTIFICATION_SENT).len(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_receiver_slower_than_the_timeout_fails_each_attempt_then_is_held() {
    let logs = Capture::default();
    let _guard = logs.install();
    let slow = Reply {
        delay: Duration::from_secs(3600),
        ..Reply::status(200)
    };
    let receiver = Receiver::start(Vec::new(), slow).await;
    let mut config = retrying(&receiver, 2, Duration::from_secs(1));
    config.timeout = Duration::from_secs(5);
    let cancel = CancellationToken::new();
    let notifier = Notifier::start(&[config], &cancel, &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(8, Severity::High)));
    receiver.wait_for(4).await;
    cancel.cancel();
    finish(notifier).await;

    let requests = receiver.requests();
    // Each attempt waits out its 5 s, then the backoff (1 s, then 2 s); past the
    // retries the notice is held and tried again (4 s here, a minute at most).
    assert!(requests[1].at - requests[0].at >= Duration::from_secs(6));
    assert!(requests[2].at - requests[1].at >= Duration::from_secs(7));
    assert!(requests[3].at - requests[2].at <= Duration::from_secs(5 + 60));
    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(field(&failed, "attempt")[..3], [1, 2, 3]);
    assert_eq!(field(&failed, "will_retry")[..3], [true, true, true]);
    assert_eq!(field(&failed, "error")[0], "timed out after 5s");
    assert!(logs.events(events::NOTIFICATION_SENT).is_empty());
}

#[tokio::test(start_paused = true)]
async fn a_page_whose_retries_fail_is_held_and_sent_once_the_receiver_takes_it() {
    // Every test here installs a capture: tracing decides a log line's interest once
    // for the process, and a thread without a subscriber would switch it off.
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::start(
        vec![Reply::status(502), Reply::status(502), Reply::status(503)],
        Reply::status(200),
    )
    .await;
    let health = Health::default();
    let config = retrying(&receiver, 1, Duration::from_secs(1));
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &health);
    assert_eq!(health.view().channels, ["hook"]);
    // Both attempts fail: the page is held, and the channel is in trouble.
    notifier.notify(notice(NoticeKind::Firing, alert(8, Severity::High)));
    receiver.wait_for(2).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    let trouble = health.view().trouble;
    assert_eq!(trouble.len(), 1, "{trouble:?}");
    assert_eq!(trouble[0].channel, "hook");
    let held = trouble[0].holding.clone().unwrap_or_default();
    assert!(
        held.starts_with("firing ") && held.ends_with("#8"),
        "{held}"
    );
    assert_eq!(trouble[0].lost, 0, "held, not lost");
    assert!(trouble[0].error.contains("502"), "{}", trouble[0].error);
    // A notice made meanwhile waits its turn behind it.
    notifier.notify(notice(NoticeKind::Resolved, alert(8, Severity::High)));
    // Tried again, refused again, then taken: the page, then what followed, in order.
    receiver.wait_for(5).await;
    let bodies: Vec<String> = (receiver.requests().iter())
        .map(|r| r.json()["notice"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(bodies, ["firing", "firing", "firing", "firing", "resolved"]);
    finish(notifier).await;
    assert_eq!(health.view().trouble, [], "delivered: the trouble is over");
}

#[tokio::test(start_paused = true)]
async fn a_refusal_for_good_loses_the_notice_and_says_so() {
    // Every test here installs a capture: tracing decides a log line's interest once
    // for the process, and a thread without a subscriber would switch it off.
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::start(vec![Reply::status(404)], Reply::status(200)).await;
    let health = Health::default();
    let config = retrying(&receiver, 3, Duration::from_secs(1));
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &health);
    notifier.notify(notice(NoticeKind::Firing, alert(8, Severity::High)));
    receiver.wait_for(1).await;
    tokio::time::sleep(Duration::from_millis(10)).await;
    let trouble = health.view().trouble;
    assert_eq!(trouble.len(), 1, "{trouble:?}");
    assert_eq!((trouble[0].lost, trouble[0].holding.clone()), (1, None));
    finish(notifier).await;
}
