//! A deterministic Alertmanager for tests and screenshots: `team-am` holding a firing
//! page, an alert silenced from lookout (its own silence), one held by a wider silence,
//! and an inhibited one; built through the same conversion the core uses.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::AlertmanagerConfig;
use crate::sources::alertmanager::{Board, Picture};
use crate::view::alertmanager::{
    AlertmanagerView, AmAlert, AmAlertState, AmSilence, LabelSet, Matcher, SilenceState,
};

/// The sample Alertmanager's name.
pub const SAMPLE_AM: &str = "team-am";

/// `team-am` as read at `now`; the same on every call.
pub fn sample_alertmanager(now: SystemTime) -> Arc<AlertmanagerView> {
    let url = reqwest::Url::parse("http://127.0.0.1:9093").ok();
    let Some(config) = url.map(|url| AlertmanagerConfig::new(SAMPLE_AM, url)) else {
        return Arc::new(AlertmanagerView {
            name: SAMPLE_AM.to_string(),
            url: String::new(),
            alerts: Vec::new(),
            active_silences: 0,
            reached: None,
            problem: None,
        });
    };
    let mut board = Board::new(std::slice::from_ref(&config));
    board.polled(0, Ok(sample_picture(now)), Duration::ZERO, now);
    board.views().remove(0)
}

/// What `team-am` holds at `now`.
pub fn sample_picture(now: SystemTime) -> Picture {
    let t = |secs: u64| now - Duration::from_secs(secs);
    let later = |secs: u64| now + Duration::from_secs(secs);
    let checkout = labels(&[
        ("alertname", "CheckoutLatencyHigh"),
        ("service", "checkout"),
        ("severity", "warning"),
        ("cluster", "eu-1"),
    ]);
    let own = AmSilence {
        id: "3f2a9c1e-5b7d-4e21-9a0c-7d1e2f3a4b5c".into(),
        matchers: checkout.iter().map(|(n, v)| Matcher::equal(n, v)).collect(),
        starts_at: t(600),
        ends_at: later(3000),
        updated_at: t(600),
        created_by: "ana@db1".into(),
        comment: "deploy in progress".into(),
        state: SilenceState::Active,
    };
    let wide = AmSilence {
        id: "8c41d2aa-0f3e-4c55-b1d9-2e6f7a8b9c0d".into(),
        matchers: vec![Matcher::equal("cluster", "us-2")],
        starts_at: t(7200),
        ends_at: later(14_400),
        updated_at: t(7200),
        created_by: "cy@pager".into(),
        comment: "us-2 maintenance".into(),
        state: SilenceState::Active,
    };
    let alerts = vec![
        alert(
            "a1b2c3d4e5f60718",
            labels(&[
                ("alertname", "KubePodCrashLooping"),
                ("namespace", "payments"),
                ("severity", "critical"),
                ("cluster", "eu-1"),
            ]),
            &[(
                "summary",
                "pod payments/api-7f9 restarts every 2m (CrashLoopBackOff)",
            )],
            (t(900), AmAlertState::Active, &[], &[]),
        ),
        alert(
            "b2c3d4e5f6071829",
            checkout,
            &[
                ("summary", "checkout p99 2.4s > 1s for 10m"),
                (
                    "runbook_url",
                    "https://runbooks.example.com/checkout-latency",
                ),
            ],
            (t(1500), AmAlertState::Suppressed, &[own.id.as_str()], &[]),
        ),
        alert(
            "c3d4e5f607182930",
            labels(&[
                ("alertname", "NodeFilesystemAlmostFull"),
                ("instance", "db-us2-3:9100"),
                ("severity", "warning"),
                ("cluster", "us-2"),
            ]),
            &[("description", "/var/lib is 91% full\nand grows 2%/h")],
            (t(5400), AmAlertState::Suppressed, &[wide.id.as_str()], &[]),
        ),
        alert(
            "d4e5f60718293041",
            labels(&[
                ("alertname", "TargetDown"),
                ("job", "node"),
                ("severity", "info"),
            ]),
            &[],
            (t(300), AmAlertState::Suppressed, &[], &["a1b2c3d4e5f60718"]),
        ),
    ];
    Picture {
        alerts,
        silences: vec![own, wide],
    }
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(n, v)| (n.to_string(), v.to_string()))
        .collect()
}

type Status<'a> = (SystemTime, AmAlertState, &'a [&'a str], &'a [&'a str]);

fn alert(
    fingerprint: &str,
    labels: LabelSet,
    annotations: &[(&str, &str)],
    (starts_at, state, silenced_by, inhibited_by): Status<'_>,
) -> AmAlert {
    AmAlert {
        fingerprint: fingerprint.to_string(),
        labels,
        annotations: self::labels(annotations),
        starts_at,
        ends_at: starts_at + Duration::from_secs(86_400),
        updated_at: starts_at,
        state,
        silenced_by: silenced_by.iter().map(|s| s.to_string()).collect(),
        inhibited_by: inhibited_by.iter().map(|s| s.to_string()).collect(),
        generator_url: Some("http://prometheus.example.com/graph".to_string()),
        receivers: vec!["oncall".to_string()],
    }
}
