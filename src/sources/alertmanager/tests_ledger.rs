//! Forwarding's rules, with time passed in: which alerts go, with which labels, when they
//! go again, and how they end (resolved, or replaced by a new severity).

use std::sync::Arc;
use std::time::SystemTime;

use super::ledger::{AlertLists, Batch, Ledger};
use super::outgoing::{forwarded, outgoing};
use crate::config::Severity;
use crate::test_support::at;
use crate::view::alert::{AlertKey, AlertKind, AlertState, AlertView, Gravity};
use crate::view::alertmanager::LabelSet;

fn alert(id: u64, state: AlertState) -> AlertView {
    AlertView {
        id,
        key: AlertKey {
            kind: AlertKind::ServiceDown,
            rule: None,
            subject: "payments".into(),
        },
        group: Some("core".into()),
        severity: Severity::Critical,
        state,
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

fn lists(active: &[&AlertView], history: &[&AlertView]) -> AlertLists {
    let arcs = |views: &[&AlertView]| views.iter().map(|v| Arc::new((*v).clone())).collect();
    AlertLists {
        active: arcs(active),
        history: arcs(history),
    }
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// One alert of a batch: its `lookout_alert_id`, `severity` and `endsAt`.
type Sent = (String, String, Option<SystemTime>);

/// Each alert of a batch, then how many are news and how many ended.
fn shape(batch: &Batch) -> (Vec<Sent>, usize, usize) {
    let alerts = batch
        .alerts
        .iter()
        .map(|a| {
            (
                a.labels["lookout_alert_id"].clone(),
                a.labels["severity"].clone(),
                a.ends_at,
            )
        })
        .collect();
    (alerts, batch.fresh, batch.resolved)
}

fn entry(id: &str, severity: &str, ends_at: SystemTime) -> Sent {
    (id.to_string(), severity.to_string(), Some(ends_at))
}

#[test]
fn labels_and_annotations_say_what_where_and_how_bad() {
    let down = outgoing(&alert(7, AlertState::Firing), Some("db1"));
    assert_eq!(
        down.labels,
        labels(&[
            ("alertname", "service_down"),
            ("group", "core"),
            ("instance", "db1"),
            ("lookout_alert_id", "7"),
            ("service", "payments"),
            ("severity", "critical"),
        ])
    );
    assert_eq!(
        down.annotations,
        labels(&[("summary", "payments is DOWN: connection refused")])
    );
    assert_eq!(
        down.starts_at,
        at(30),
        "when it fired, not when it was pending"
    );
    assert_eq!((down.ends_at, down.generator_url), (None, None));

    let mut slow = alert(8, AlertState::Firing);
    slow.key = AlertKey {
        kind: AlertKind::Rule,
        rule: Some("slow-api".into()),
        subject: "api".into(),
    };
    slow.group = None;
    slow.severity = Severity::High;
    slow.fired = None;
    let slow = outgoing(&slow, None);
    assert_eq!(
        slow.labels,
        labels(&[
            ("alertname", "slow-api"),
            ("lookout_alert_id", "8"),
            ("service", "api"),
            ("severity", "high"),
        ])
    );
    assert_eq!(slow.starts_at, at(0));
}

#[test]
fn firing_acked_and_silenced_alerts_are_forwarded() {
    let cases = [
        (AlertState::Pending, false),
        (AlertState::Firing, true),
        (AlertState::Acked, true),
        (AlertState::Silenced, true),
        (AlertState::Resolved, false),
    ];
    for (state, want) in cases {
        assert_eq!(forwarded(&alert(1, state)), want, "{state:?}");
    }
}

#[test]
fn an_alert_goes_out_when_it_fires_again_each_resend_and_once_resolved() {
    let mut ledger = Ledger::new(Some(Arc::from("db1")));
    let firing = alert(1, AlertState::Firing);
    let pending = alert(2, AlertState::Pending);
    ledger.observe(&lists(&[&firing, &pending], &[]), at(30));
    let until = at(270);
    let batch = ledger.batch(at(30), until);
    assert_eq!(shape(&batch), (vec![entry("1", "critical", until)], 1, 0));
    ledger.delivered(until);
    assert!(!ledger.has_news());

    // The same list again (an ack changes nothing Alertmanager sees): nothing to tell.
    let mut acked = firing.clone();
    acked.state = AlertState::Acked;
    ledger.observe(&lists(&[&acked, &pending], &[]), at(40));
    assert!(!ledger.has_news());

    // The resend interval passed: renewed, not news.
    ledger.renew_all();
    let batch = ledger.batch(at(90), at(330));
    assert_eq!(shape(&batch), (vec![entry("1", "critical", at(330))], 0, 0));
    ledger.delivered(at(330));

    // Resolved at 100, seen at 101: sent once with its end.
    let mut resolved = firing.clone();
    resolved.state = AlertState::Resolved;
    resolved.resolved = Some(at(100));
    ledger.observe(&lists(&[], &[&resolved]), at(101));
    let batch = ledger.batch(at(101), at(341));
    assert_eq!(shape(&batch), (vec![entry("1", "critical", at(100))], 1, 1));
    ledger.delivered(at(341));
    assert!(!ledger.has_news());
    ledger.renew_all();
    assert!(ledger.batch(at(150), at(390)).alerts.is_empty());
}

#[test]
fn a_new_summary_is_news_and_a_new_severity_is_a_new_alert() {
    let mut ledger = Ledger::new(None);
    let firing = alert(1, AlertState::Firing);
    ledger.observe(&lists(&[&firing], &[]), at(30));
    ledger.batch(at(30), at(270));
    ledger.delivered(at(270));

    let mut reworded = firing.clone();
    reworded.summary = "payments is DOWN: HTTP 503".into();
    ledger.observe(&lists(&[&reworded], &[]), at(40));
    let batch = ledger.batch(at(40), at(280));
    assert_eq!(shape(&batch), (vec![entry("1", "critical", at(280))], 1, 0));
    assert_eq!(
        batch.alerts[0].annotations["summary"],
        "payments is DOWN: HTTP 503"
    );
    ledger.delivered(at(280));

    // Labels are the alert's identity there: the critical one ends, a high one opens.
    let mut milder = reworded.clone();
    milder.severity = Severity::High;
    ledger.observe(&lists(&[&milder], &[]), at(50));
    let batch = ledger.batch(at(50), at(290));
    assert_eq!(
        shape(&batch),
        (
            vec![entry("1", "high", at(290)), entry("1", "critical", at(50))],
            2,
            1
        )
    );
}

#[test]
fn what_failed_to_go_out_goes_with_the_next_post_until_alertmanager_ends_it_itself() {
    let mut ledger = Ledger::new(None);
    let firing = alert(1, AlertState::Firing);
    ledger.observe(&lists(&[&firing], &[]), at(30));
    ledger.batch(at(30), at(270));
    ledger.delivered(at(270));

    // Alertmanager goes away; the alert resolves; the post fails and is kept.
    ledger.observe(&lists(&[], &[]), at(100));
    assert_eq!(ledger.batch(at(100), at(340)).resolved, 1);
    assert!(ledger.has_news(), "not delivered: still to tell");
    assert_eq!(
        shape(&ledger.batch(at(200), at(440))),
        (vec![entry("1", "critical", at(100))], 1, 1),
        "gone from the history too: its end is when it was seen gone"
    );
    // Past the endsAt it was last given, Alertmanager resolved it on its own.
    assert!(ledger.batch(at(270), at(510)).alerts.is_empty());
    assert!(!ledger.has_news());

    // An alert never delivered needs no end.
    let again = alert(2, AlertState::Firing);
    ledger.observe(&lists(&[&again], &[]), at(300));
    ledger.observe(&lists(&[], &[]), at(301));
    assert!(!ledger.has_news());
}
