//! The board and the pane rows of Alertmanager alerts: severities and states mapped,
//! subjects and summaries found, ids that hold while an alert lasts, the silences `u`
//! may end, and reads failing and recovering.

use std::time::Duration;

use super::remote::severity_of;
use super::{AlertmanagerError, Board, REMOTE_ID_BASE};
use crate::config::{AlertmanagerConfig, Severity};
use crate::sources::alertmanager::sample::{SAMPLE_AM, sample_picture};
use crate::test_support::at;
use crate::view::alert::{AlertKind, AlertState};
use crate::view::alertmanager::{AmAlertState, SilenceState};

fn config(name: &str) -> AlertmanagerConfig {
    let url = "http://127.0.0.1:9093".parse().expect("url");
    AlertmanagerConfig::new(name, url)
}

fn refused() -> AlertmanagerError {
    AlertmanagerError::Unreachable {
        request: "GET /api/v2/alerts".into(),
        cause: "connect: Connection refused".into(),
    }
}

#[test]
fn severity_labels_map_to_lookouts_four() {
    let cases = [
        (Some("critical"), Severity::Critical),
        (Some("page"), Severity::Critical),
        (Some("Error"), Severity::High),
        (Some("high"), Severity::High),
        (Some("warning"), Severity::Medium),
        (Some("medium"), Severity::Medium),
        (Some("something-else"), Severity::Medium),
        (None, Severity::Medium),
        (Some("info"), Severity::Low),
        (Some("none"), Severity::Low),
    ];
    for (label, expected) in cases {
        let mut labels = crate::view::alertmanager::LabelSet::new();
        if let Some(label) = label {
            labels.insert("severity".into(), label.into());
        }
        assert_eq!(severity_of(&labels), expected, "severity={label:?}");
    }
}

#[test]
fn rows_carry_rule_subject_state_and_summary() {
    let mut board = Board::new(&[config(SAMPLE_AM)]);
    board.polled(0, Ok(sample_picture(at(0))), Duration::ZERO, at(0));
    let view = &board.views()[0];
    assert_eq!(view.reached, Some(at(0)));
    assert_eq!(view.active_silences, 2);
    let rows: Vec<_> = view
        .alerts
        .iter()
        .map(|a| (a.key.to_string(), a.severity, a.state, a.summary.as_str()))
        .collect();
    assert_eq!(
        rows,
        [
            (
                "rule:KubePodCrashLooping/payments".to_string(),
                Severity::Critical,
                AlertState::Firing,
                "pod payments/api-7f9 restarts every 2m (CrashLoopBackOff)"
            ),
            (
                "rule:NodeFilesystemAlmostFull/db-us2-3:9100".to_string(),
                Severity::Medium,
                AlertState::Silenced,
                "/var/lib is 91% full"
            ),
            (
                "rule:CheckoutLatencyHigh/checkout".to_string(),
                Severity::Medium,
                AlertState::Silenced,
                "checkout p99 2.4s > 1s for 10m"
            ),
            (
                "rule:TargetDown/node".to_string(),
                Severity::Low,
                AlertState::Silenced,
                "TargetDown on node"
            ),
        ]
    );
    assert!(view.alerts.iter().all(|a| a.key.kind == AlertKind::Rule));
    assert!(
        view.alerts
            .iter()
            .all(|a| a.id >= REMOTE_ID_BASE && !a.is_own())
    );
}

#[test]
fn only_a_silence_of_exactly_the_alerts_labels_is_its_own() {
    let mut board = Board::new(&[config(SAMPLE_AM)]);
    board.polled(0, Ok(sample_picture(at(0))), Duration::ZERO, at(0));
    let view = &board.views()[0];
    let own = |name: &str| {
        let alert = view
            .alerts
            .iter()
            .find(|a| a.key.rule.as_deref() == Some(name));
        let remote = alert.and_then(|a| a.origin.clone()).expect("remote alert");
        let ids: Vec<String> = remote.own_silences().map(|s| s.id.clone()).collect();
        (ids, remote.nothing_to_expire(&alert.expect("alert").key))
    };
    let (checkout, _) = own("CheckoutLatencyHigh");
    assert_eq!(checkout, ["3f2a9c1e-5b7d-4e21-9a0c-7d1e2f3a4b5c"]);
    let (wide, why) = own("NodeFilesystemAlmostFull");
    assert!(wide.is_empty());
    assert!(
        why.contains("8c41d2aa-0f3e-4c55-b1d9-2e6f7a8b9c0d (cy@pager), which covers more"),
        "{why}"
    );
    let (none, why) = own("KubePodCrashLooping");
    assert!(none.is_empty());
    assert!(
        why.ends_with("has no silence in Alertmanager team-am"),
        "{why}"
    );
}

#[test]
fn an_expired_silence_is_not_ended_again() {
    let mut picture = sample_picture(at(0));
    for silence in &mut picture.silences {
        silence.state = SilenceState::Expired;
    }
    let mut board = Board::new(&[config(SAMPLE_AM)]);
    board.polled(0, Ok(picture), Duration::ZERO, at(0));
    let view = &board.views()[0];
    assert_eq!(view.active_silences, 0);
    let origins = view.alerts.iter().filter_map(|a| a.origin.clone());
    assert!(
        origins
            .into_iter()
            .all(|o| o.own_silences().next().is_none())
    );
}

#[test]
fn ids_hold_while_an_alert_lasts_and_new_alerts_get_new_ones() {
    let mut board = Board::new(&[config(SAMPLE_AM)]);
    board.polled(0, Ok(sample_picture(at(0))), Duration::ZERO, at(0));
    let first = board.views()[0].alerts.clone();
    let id_of = |alerts: &[std::sync::Arc<crate::view::alert::AlertView>], rule: &str| {
        alerts
            .iter()
            .find(|a| a.key.rule.as_deref() == Some(rule))
            .map(|a| a.id)
    };
    let mut next = sample_picture(at(0));
    next.alerts
        .retain(|a| a.labels["alertname"] != "TargetDown");
    let mut fresh = next.alerts[0].clone();
    fresh.fingerprint = "ffff000011112222".into();
    fresh.labels.insert("alertname".into(), "Fresh".into());
    fresh.state = AmAlertState::Unprocessed;
    next.alerts.push(fresh);
    board.polled(0, Ok(next), Duration::ZERO, at(15));
    let second = board.views()[0].alerts.clone();
    for rule in [
        "KubePodCrashLooping",
        "CheckoutLatencyHigh",
        "NodeFilesystemAlmostFull",
    ] {
        assert_eq!(id_of(&first, rule), id_of(&second, rule), "{rule}");
    }
    assert_eq!(id_of(&second, "TargetDown"), None);
    let fresh = second
        .iter()
        .find(|a| a.key.rule.as_deref() == Some("Fresh"))
        .expect("fresh");
    assert_eq!(fresh.state, AlertState::Pending);
    assert!(first.iter().all(|a| a.id != fresh.id));
    assert!(board.find(fresh.id).is_some_and(|(source, _)| source == 0));
}

#[test]
fn failed_reads_keep_the_last_alerts_and_count_until_one_succeeds() {
    let mut board = Board::new(&[config(SAMPLE_AM)]);
    board.polled(0, Ok(sample_picture(at(0))), Duration::ZERO, at(0));
    board.polled(0, Err(refused()), Duration::ZERO, at(15));
    board.polled(0, Err(refused()), Duration::ZERO, at(16));
    let view = board.views()[0].clone();
    assert_eq!(view.alerts.len(), 4, "the last good read stays shown");
    let problem = view.problem.clone().expect("a problem");
    assert_eq!((problem.since, problem.failures), (at(15), 2));
    assert!(
        problem.error.contains("Connection refused"),
        "{}",
        problem.error
    );
    board.polled(0, Ok(sample_picture(at(20))), Duration::ZERO, at(20));
    let view = &board.views()[0];
    assert_eq!((view.problem.clone(), view.reached), (None, Some(at(20))));
}

#[test]
fn a_reload_keeps_what_an_unchanged_alertmanager_showed() {
    let mut board = Board::new(&[config("a"), config("b")]);
    board.polled(1, Ok(sample_picture(at(0))), Duration::ZERO, at(0));
    board.reload(&[config("b"), config("c")]);
    let views = board.views();
    let names: Vec<&str> = views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, ["b", "c"]);
    assert_eq!(views[0].alerts.len(), 4);
    assert!(views[1].alerts.is_empty() && views[1].reached.is_none());
    assert!(
        board
            .find(views[0].alerts[0].id)
            .is_some_and(|(at, _)| at == 0)
    );
}
