//! Webhook and Slack channels against a real receiver on loopback: the body, the
//! headers, the log lines, and secrets (URL path, query, header values) kept out of logs.

mod notify_support;

use lookout::config::{NotifyChannel, Severity};
use lookout::log::events;
use lookout::notify::{Health, NoticeKind, Notifier};
use notify_support::{Capture, Receiver, Reply, alert, channel, finish, notice};
use tokio_util::sync::CancellationToken;

#[tokio::test]
async fn webhook_posts_the_alert_as_json_with_the_configured_headers() {
    let logs = Capture::default();
    let _guard = logs.install();
    let receiver = Receiver::ok().await;
    let config = channel(
        "ops-hook",
        NotifyChannel::Webhook {
            url: receiver.url("/hook"),
            headers: vec![
                ("Authorization".into(), "Bearer abc".into()),
                ("X-Team".into(), "payments".into()),
            ],
        },
    );
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(42, Severity::Critical)));
    finish(notifier).await;

    let requests = receiver.requests();
    assert_eq!(requests.len(), 1);
    let request = &requests[0];
    assert_eq!(request.path, "/hook");
    assert_eq!(request.headers["content-type"], "application/json");
    assert_eq!(request.headers["authorization"], "Bearer abc");
    assert_eq!(request.headers["x-team"], "payments");
    let body = request.json();
    assert_eq!(body["notice"], "firing");
    let alert = &body["alert"];
    assert_eq!(alert["id"], 42);
    assert_eq!(alert["type"], "service_down");
    assert_eq!(alert["rule"], serde_json::Value::Null);
    assert_eq!(alert["subject"], "payments");
    assert_eq!(alert["group"], "core");
    assert_eq!(alert["severity"], "critical");
    assert_eq!(alert["state"], "firing");
    assert_eq!(alert["summary"], "payments is DOWN: connection refused");
    assert_eq!(alert["started"], "2023-11-14T22:13:20.000Z");
    assert_eq!(alert["fired"], "2023-11-14T22:13:50.000Z");
    assert_eq!(alert["resolved"], serde_json::Value::Null);
    assert_eq!(alert["ack"], serde_json::Value::Null);
    assert_eq!(alert["silence"], serde_json::Value::Null);
    assert_eq!(alert["flapping"], false);
    let sent_at = body["sent_at"].as_str().expect("sent_at");
    humantime::parse_rfc3339(sent_at).expect("RFC 3339");
    assert_eq!(body["lookout"]["version"], env!("CARGO_PKG_VERSION"));

    let sent = logs.events(events::NOTIFICATION_SENT);
    assert_eq!(sent.len(), 1, "{}", logs.text());
    let line = &sent[0];
    assert_eq!(line["level"], "info");
    assert_eq!(line["alert_id"], 42);
    assert_eq!(line["alert"], "service_down/payments");
    assert_eq!(line["notice"], "firing");
    assert_eq!(line["channel"], "ops-hook");
    assert_eq!(line["kind"], "webhook");
    assert_eq!(line["attempt"], 1);
    assert_eq!(line["status"], 200);
    assert!(logs.events(events::NOTIFICATION_FAILED).is_empty());
}

#[tokio::test]
async fn slack_gets_fallback_text_and_blocks() {
    let _guard = Capture::default().install();
    let receiver = Receiver::ok().await;
    let config = channel(
        "team-slack",
        NotifyChannel::Slack {
            url: receiver.url("/services/T0/B0/x"),
        },
    );
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(1, Severity::Critical)));
    let mut resolved = alert(1, Severity::Critical);
    resolved.state = lookout::view::alert::AlertState::Resolved;
    resolved.resolved = Some(notify_support::at(200));
    notifier.notify(notice(NoticeKind::Resolved, resolved));
    finish(notifier).await;

    let requests = receiver.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].headers["content-type"], "application/json");
    let firing = requests[0].json();
    assert_eq!(
        firing["text"],
        ":red_circle: [CRITICAL] payments is DOWN: connection refused (firing 4m)"
    );
    let blocks = firing["blocks"].as_array().expect("blocks");
    let types: Vec<&str> = blocks.iter().filter_map(|b| b["type"].as_str()).collect();
    assert_eq!(types, ["header", "section", "context"]);
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[1]["text"]["type"], "mrkdwn");
    for field in blocks[1]["fields"].as_array().expect("fields") {
        assert_eq!(field["type"], "mrkdwn");
    }
    let resolved = requests[1].json();
    let text = resolved["text"].as_str().expect("text");
    assert!(
        text.starts_with(":large_green_circle: [RESOLVED]"),
        "{text}"
    );
    assert!(text.ends_with("(critical, lasted 3m)"), "{text}");
}

#[tokio::test]
async fn a_slack_refusal_says_why_and_is_not_retried() {
    let logs = Capture::default();
    let _guard = logs.install();
    let refusal = Reply {
        body: "invalid_payload\nmore detail",
        ..Reply::status(400)
    };
    let receiver = Receiver::start(Vec::new(), refusal).await;
    let mut config = channel(
        "team-slack",
        NotifyChannel::Slack {
            url: receiver.url("/services/T0/B0/x"),
        },
    );
    config.retries = 3;
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(1, Severity::High)));
    finish(notifier).await;

    assert_eq!(receiver.requests().len(), 1);
    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(failed.len(), 1, "{}", logs.text());
    assert_eq!(failed[0]["error"], "HTTP 400 Bad Request: invalid_payload");
    assert_eq!(failed[0]["kind"], "slack");
    assert_eq!(failed[0]["will_retry"], false);
}

#[tokio::test]
async fn secrets_in_urls_and_headers_never_reach_the_log() {
    const PATH_TOKEN: &str = "T0KEN-in-path-7f3a";
    const QUERY_TOKEN: &str = "sig-in-query-91c2";
    const HEADER_SECRET: &str = "hdr-secret-55aa";
    let logs = Capture::default();
    let _guard = logs.install();
    let failing = Receiver::start(Vec::new(), Reply::status(500)).await;
    let refusing = {
        // A port that was just free: connection refused.
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("addr")
    };
    let rejecting = Receiver::start(Vec::new(), Reply::status(403)).await;
    let ok = Receiver::ok().await;
    let secret_path = format!("/hooks/{PATH_TOKEN}?sig={QUERY_TOKEN}");
    let headers = vec![("X-Api-Key".to_string(), HEADER_SECRET.to_string())];
    let hook = |name: &str, url: reqwest::Url| {
        let mut config = channel(
            name,
            NotifyChannel::Webhook {
                url,
                headers: headers.clone(),
            },
        );
        config.retries = 1;
        config.backoff = std::time::Duration::from_millis(1);
        config
    };
    let refused_url = reqwest::Url::parse(&format!("http://{refusing}{secret_path}")).expect("url");
    let channels = [
        hook("failing", failing.url(&secret_path)),
        hook("refused", refused_url),
        hook("rejecting", rejecting.url(&secret_path)),
        hook("fine", ok.url(&secret_path)),
        channel(
            "slack",
            NotifyChannel::Slack {
                url: failing.url(&secret_path),
            },
        ),
    ];
    let cancel = CancellationToken::new();
    let notifier = Notifier::start(&channels, &cancel, &Health::default());
    notifier.notify(notice(NoticeKind::Firing, alert(3, Severity::High)));
    // failing 2 + refused 2 + rejecting 1 (no retry on 403) + slack 1, at least: the
    // failing ones are then held and tried again until stopped.
    logs.wait_for(events::NOTIFICATION_FAILED, 6).await;
    logs.wait_for(events::NOTIFICATION_SENT, 1).await;
    cancel.cancel();
    finish(notifier).await;

    assert_eq!(ok.requests()[0].headers["x-api-key"], HEADER_SECRET);
    let text = logs.text();
    assert_eq!(logs.events(events::NOTIFICATION_SENT).len(), 1, "{text}");
    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert!(failed.len() >= 6, "{text}");
    assert!(text.contains("HTTP 500"), "{text}");
    assert!(text.contains("connect"), "{text}");
    for secret in [PATH_TOKEN, QUERY_TOKEN, HEADER_SECRET, "/hooks/"] {
        assert!(!text.contains(secret), "{secret} leaked: {text}");
    }
}
