//! Table tests of what a receiver gets: the webhook JSON, the environment, Slack's
//! text and blocks.

use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::payload::{Payload, env_vars, rfc3339};
use super::slack::{self, escape};
use super::{Notice, NoticeKind};
use crate::config::Severity;
use crate::view::alert::{
    Ack, AlertKey, AlertKind, AlertState, AlertView, Gravity, Silence, SilenceTarget,
};
use crate::words::short_age;

pub(super) fn at(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
}

pub(super) fn alert(id: u64) -> AlertView {
    AlertView {
        id,
        key: AlertKey {
            kind: AlertKind::ServiceDown,
            rule: None,
            subject: "payments".into(),
        },
        group: Some("core".into()),
        severity: Severity::Critical,
        state: AlertState::Firing,
        summary: "payments is DOWN: connection refused".into(),
        started: at(0),
        fired: Some(at(30)),
        resolved: None,
        ended: None,
        peak: Gravity::of(Severity::High, AlertKind::ServiceDown),
        ack: None,
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: Vec::new(),
        origin: None,
    }
}

pub(super) fn notice(kind: NoticeKind, alert: AlertView, now: SystemTime) -> Notice {
    Notice {
        id: alert.id,
        kind,
        alert: Arc::new(alert),
        at: now,
    }
}

fn webhook_json(notice: &Notice) -> Value {
    let bytes = Payload::new(notice, Some("db1"), at(300)).to_bytes();
    serde_json::from_slice(&bytes).expect("valid JSON")
}

#[test]
fn webhook_body_has_every_alert_field() {
    let body = webhook_json(&notice(NoticeKind::Firing, alert(42), at(240)));
    assert_eq!(
        body,
        json!({
            "notice": "firing",
            "notice_id": 42,
            "alert": {
                "id": 42,
                "key": "service_down/payments",
                "incident": "service_down/payments",
                "type": "service_down",
                "rule": null,
                "subject": "payments",
                "group": "core",
                "severity": "critical",
                "state": "firing",
                "ended": null,
                "summary": "payments is DOWN: connection refused",
                "started": "2023-11-14T22:13:20.000Z",
                "fired": "2023-11-14T22:13:50.000Z",
                "resolved": null,
                "closed": null,
                "age_seconds": 240,
                "ack": null,
                "silence": null,
                "flapping": false
            },
            "sent_at": "2023-11-14T22:18:20.000Z",
            "lookout": { "version": env!("CARGO_PKG_VERSION"), "host": "db1" }
        })
    );
}

#[test]
fn webhook_body_carries_ack_silence_and_resolve() {
    let mut view = alert(7);
    view.key = AlertKey {
        kind: AlertKind::Rule,
        rule: Some("slow-checkout".into()),
        subject: "checkout".into(),
    };
    view.state = AlertState::Resolved;
    view.resolved = Some(at(600));
    view.ack = Some(Ack {
        by: "ana@db1".into(),
        at: at(60),
        note: Some("on it".into()),
    });
    view.silence = Some(Silence {
        id: 3,
        target: SilenceTarget::Group("core".into()),
        created: at(70),
        until: at(3670),
        by: "ana@db1".into(),
        comment: None,
    });
    let body = webhook_json(&notice(NoticeKind::Resolved, view, at(900)));
    let alert = &body["alert"];
    assert_eq!(body["notice"], "resolved");
    assert_eq!(alert["type"], "rule");
    assert_eq!(alert["rule"], "slow-checkout");
    assert_eq!(alert["key"], "rule:slow-checkout/checkout");
    assert_eq!(alert["resolved"], "2023-11-14T22:23:20.000Z");
    assert_eq!(alert["closed"], "2023-11-14T22:23:20.000Z");
    assert_eq!(
        alert["age_seconds"], 600,
        "a resolved alert's age is how long it lasted"
    );
    assert_eq!(
        alert["ack"],
        json!({"by": "ana@db1", "at": "2023-11-14T22:14:20.000Z", "note": "on it"})
    );
    assert_eq!(alert["silence"]["target"], "group");
    assert_eq!(alert["silence"]["value"], "core");
    assert_eq!(alert["silence"]["until"], "2023-11-14T23:14:30.000Z");
}

#[test]
fn times_out_of_range_are_clamped_not_panics() {
    assert_eq!(
        rfc3339(UNIX_EPOCH - Duration::from_secs(5)),
        "1970-01-01T00:00:00.000Z"
    );
    let far = UNIX_EPOCH + Duration::from_secs(400_000_000_000);
    assert_eq!(rfc3339(far), "9999-12-31T23:59:59.000Z");
}

#[test]
fn env_vars_name_the_alert() {
    let mut view = alert(9);
    view.summary = "a\0b".into();
    let vars = env_vars(&notice(NoticeKind::Reminder, view, at(10)));
    let get = |name: &str| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    };
    assert_eq!(get("LOOKOUT_NOTICE"), Some("reminder"));
    assert_eq!(get("LOOKOUT_ALERT_ID"), Some("9"));
    assert_eq!(get("LOOKOUT_ALERT_TYPE"), Some("service_down"));
    assert_eq!(get("LOOKOUT_ALERT_INCIDENT"), Some("service_down/payments"));
    assert_eq!(get("LOOKOUT_ALERT_SUBJECT"), Some("payments"));
    assert_eq!(get("LOOKOUT_ALERT_SEVERITY"), Some("critical"));
    assert_eq!(get("LOOKOUT_ALERT_STATE"), Some("firing"));
    assert_eq!(get("LOOKOUT_ALERT_SUMMARY"), Some("ab"), "NUL left out");
}

#[test]
fn slack_text_reads_as_one_line() {
    let cases = [
        (
            NoticeKind::Firing,
            ":red_circle: [CRITICAL] payments is DOWN: connection refused (firing 4m)",
        ),
        (
            NoticeKind::Reminder,
            ":red_circle: [CRITICAL] payments is DOWN: connection refused (still firing after 4m)",
        ),
        (
            NoticeKind::Worsened,
            ":red_circle: [CRITICAL] payments is DOWN: connection refused (worsened, firing 4m)",
        ),
    ];
    for (kind, want) in cases {
        let body = slack::payload(&notice(kind, alert(1), at(240)), Some("db1"));
        assert_eq!(body["text"], want, "{kind:?}");
    }
    let mut view = alert(1);
    view.state = AlertState::Resolved;
    view.resolved = Some(at(3900));
    let body = slack::payload(&notice(NoticeKind::Resolved, view, at(4000)), None);
    assert_eq!(
        body["text"],
        ":large_green_circle: [RESOLVED] payments is DOWN: connection refused (critical, lasted 1h 5m)"
    );
}

#[test]
fn slack_blocks_are_header_section_context() {
    let body = slack::payload(&notice(NoticeKind::Firing, alert(5), at(90)), Some("db1"));
    let blocks = body["blocks"].as_array().expect("blocks");
    let types: Vec<&str> = blocks.iter().filter_map(|b| b["type"].as_str()).collect();
    assert_eq!(types, ["header", "section", "context"]);
    assert_eq!(blocks[0]["text"]["type"], "plain_text");
    assert_eq!(blocks[0]["text"]["text"], ":red_circle: CRITICAL: firing");
    assert_eq!(
        blocks[1]["text"]["text"],
        "*payments is DOWN: connection refused*"
    );
    let fields: Vec<&str> = blocks[1]["fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["text"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "*Severity*\ncritical",
            "*State*\nfiring",
            "*Subject*\npayments",
            "*Age*\n1m",
            "*Group*\ncore"
        ]
    );
    assert_eq!(
        blocks[2]["elements"][0]["text"],
        "lookout on db1 · service_down/payments · alert 5"
    );
}

#[test]
fn slack_text_cannot_mention_or_link() {
    let mut view = alert(1);
    view.summary = "<!channel> see <https://evil|here> & more".into();
    let body = slack::payload(&notice(NoticeKind::Firing, view, at(1)), None);
    let text = body.to_string();
    assert!(!text.contains("<!channel>"), "{text}");
    assert!(!text.contains("<https"), "{text}");
    assert_eq!(escape("a<b>&c"), "a&lt;b&gt;&amp;c");
}

#[test]
fn ages_are_short() {
    let cases = [
        (0, "0s"),
        (59, "59s"),
        (60, "1m"),
        (3599, "59m"),
        (3600, "1h"),
        (3900, "1h 5m"),
        (86_400, "1d"),
        (90_000, "1d 1h"),
    ];
    for (secs, want) in cases {
        assert_eq!(short_age(Duration::from_secs(secs)), want, "{secs}s");
    }
}
