//! Table tests of the other condition sources: error rates, the machine, rules on
//! states and on the machine, a reloaded config; and which changes notify.

use std::sync::Arc;

use super::engine::AlertEngine;
use super::engine_tests_support::{DOWN, Fleet, UP, ack, only, rule, run, svc, words};
use super::events::AlertChange;
use crate::config::{
    AlertsConfig, MaintenanceWindow, Metric, Op, RuleThreshold, Schedule, Selector, Severity,
};
use crate::contract::ServiceState;
use crate::state::sample_system::sample_system_view;
use crate::test_support::at;
use crate::view::alert::AlertState;
use crate::view::snapshot::Snapshot;

#[test]
fn error_rate_needs_enough_checks_and_stays_quiet_while_down() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let with = |state, failed: (usize, usize)| {
        let mut s = svc("api", state, 0);
        s.failed = failed;
        vec![s]
    };
    run(
        &mut engine,
        &[
            (0, with(UP, (5, 9)), &[]),
            (10, with(UP, (6, 20)), &["high_error_rate/api#1 firing!"]),
            // Failing now and then, then DOWN: the same incident, worse.
            (20, with(DOWN, (12, 20)), &["service_down/api#1 worsened!"]),
        ],
    );
    assert_eq!(only(&engine).key.to_string(), "service_down/api");
    // Exactly 20 % is not above 20 %.
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    run(
        &mut engine,
        &[
            (0, with(UP, (4, 20)), &[]),
            (10, with(UP, (5, 20)), &["high_error_rate/api#1 firing!"]),
        ],
    );
    assert_eq!(
        only(&engine).summary,
        "api failed 5 of its last 20 checks (25%, above 20%)"
    );
}

#[test]
fn the_machine_raises_resource_alerts_from_exceeded_thresholds() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let events = engine.evaluate(&machine(0), at(0));
    assert_eq!(
        words(&events),
        ["resource_exhaustion//var/lib/postgresql#1 firing!"]
    );
    let alert = only(&engine);
    assert_eq!(alert.severity, Severity::High);
    assert_eq!(
        alert.summary,
        "disk /var/lib/postgresql at 93% (above 90% for 1m)"
    );
    let events = engine.evaluate(&Default::default(), at(10));
    assert_eq!(
        words(&events),
        ["resource_exhaustion//var/lib/postgresql#1 resolved!"]
    );
    // What the resolved notice says is true now, not the alarm again.
    assert_eq!(
        engine.history()[0].summary,
        "/var/lib/postgresql back under its threshold"
    );
}

#[test]
fn a_threshold_still_exceeded_under_its_line_says_where_it_clears() {
    let mut view = sample_system_view(at(0));
    for rule in view.rules.iter_mut().filter(|r| r.subject.is_some()) {
        rule.value = 87.0;
    }
    let snapshot = Snapshot {
        system: Some(Arc::new(view)),
        ..Snapshot::default()
    };
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.evaluate(&snapshot, at(0));
    assert_eq!(
        only(&engine).summary,
        "disk /var/lib/postgresql at 87% (exceeded 90%, clears at 85%)"
    );
}

fn machine(secs: u64) -> Snapshot {
    Snapshot {
        system: Some(Arc::new(sample_system_view(at(secs)))),
        ..Snapshot::default()
    }
}

#[test]
fn rules_on_the_machine_watch_cpu_memory_and_each_disk() {
    let mut hot = rule("hot", Metric::Cpu, Op::Gt, 95.0, 0);
    hot.summary = Some("{subject} at {value}, limit {threshold}".to_string());
    let config = AlertsConfig {
        rules: vec![
            hot,
            rule("memory", Metric::Memory, Op::Gt, 90.0, 0),
            rule("full", Metric::Disk, Op::Ge, 50.0, 60),
        ],
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let events = engine.evaluate(&machine(0), at(0));
    assert_eq!(
        words(&events),
        [
            "resource_exhaustion//var/lib/postgresql#1 firing!",
            "rule:hot/cpu#2 firing!",
            "rule:full//var/lib/postgresql#3 pending",
        ]
    );
    let hot = engine
        .active()
        .into_iter()
        .find(|a| a.id == 2)
        .expect("hot");
    assert_eq!(hot.summary, "cpu at 96.5%, limit 95%");
    let events = engine.evaluate(&machine(60), at(60));
    assert_eq!(words(&events), ["rule:full//var/lib/postgresql#3 firing!"]);
    assert_eq!(engine.evaluate(&machine(70), at(70)), []);
}

#[test]
fn a_state_rule_and_a_window_over_everything() {
    let mut paused = rule("paused", Metric::State, Op::Eq, 0.0, 600);
    paused.threshold = RuleThreshold::State(ServiceState::Paused);
    let all = MaintenanceWindow {
        name: "freeze".to_string(),
        selector: Selector::default(),
        schedule: Schedule::Once {
            start: at(1000),
            end: at(2000),
        },
    };
    let config = AlertsConfig {
        rules: vec![paused],
        maintenance: vec![all],
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let mut fleet = Fleet::default();
    let api = |state| vec![svc("api", state, 0)];
    let mut step = |secs, state, machine_too: bool| {
        let mut snapshot = fleet.snapshot(&api(state));
        if machine_too {
            snapshot.system = Some(Arc::new(sample_system_view(at(secs))));
        }
        words(&engine.evaluate(&snapshot, at(secs)))
    };
    assert_eq!(
        step(0, ServiceState::Paused, false),
        ["rule:paused/api#1 pending"]
    );
    assert_eq!(
        step(600, ServiceState::Paused, false),
        ["rule:paused/api#1 firing!"]
    );
    assert_eq!(
        step(1000, ServiceState::Paused, true),
        [
            "rule:paused/api#1 silenced",
            "resource_exhaustion//var/lib/postgresql#2 silenced",
            "resource_exhaustion//var/lib/postgresql#2 firing",
        ]
    );
    // It was paged before the window: its close is told, window or not.
    assert_eq!(step(1100, UP, true), ["rule:paused/api#1 resolved!"]);
}

#[test]
fn a_reload_keeps_alerts_and_acks_and_applies_the_new_rules() {
    let slow = rule("slow", Metric::LatencyP95, Op::Gt, 500.0, 0);
    let config = AlertsConfig {
        rules: vec![slow.clone()],
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let api = |p95| {
        let mut s = svc("api", UP, 0);
        s.p95_ms = Some(p95);
        vec![s]
    };
    run(&mut engine, &[(0, api(800), &["rule:slow/api#1 firing!"])]);
    engine.ack(1, ack("ana", 5)).expect("firing");
    engine.set_config(&config);
    run(&mut engine, &[(10, api(800), &[])]);
    assert_eq!(only(&engine).state, AlertState::Acked);
    let worse = AlertsConfig {
        rules: vec![crate::config::AlertRule {
            severity: Severity::Critical,
            ..slow
        }],
        ..AlertsConfig::default()
    };
    engine.set_config(&worse);
    run(
        &mut engine,
        &[(20, api(800), &["rule:slow/api#1 worsened!"])],
    );
    // The rule taken out of the config: the alert ends, saying so; it did not resolve.
    engine.set_config(&AlertsConfig::default());
    run(&mut engine, &[(30, api(800), &["rule:slow/api#1 ended!"])]);
    let ended = &engine.history()[0];
    assert_eq!(ended.state, AlertState::Ended);
    assert_eq!(
        ended.ended.as_deref(),
        Some("rule slow no longer applies to api in the config")
    );
}

#[test]
fn a_pending_alert_taken_early_fires_without_paging() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let api = vec![svc("api", super::engine_tests_support::DEGRADED, 0)];
    run(
        &mut engine,
        &[(0, api.clone(), &["performance_degradation/api#1 pending"])],
    );
    engine
        .ack(1, ack("ana", 10))
        .expect("pending alerts can be acked");
    assert_eq!(only(&engine).state, AlertState::Pending);
    run(
        &mut engine,
        &[(300, api, &["performance_degradation/api#1 firing"])],
    );
    assert_eq!(only(&engine).state, AlertState::Acked);
    assert_eq!(engine.next_due(), None);
}

#[test]
fn which_changes_notify() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 0)]), at(0));
    let firing = only(&engine);
    let mut acked = (*firing).clone();
    acked.state = AlertState::Acked;
    let mut flapping = (*firing).clone();
    flapping.flapping = true;
    let mut silenced = (*firing).clone();
    silenced.state = AlertState::Silenced;
    silenced.silence = Some(crate::view::alert::Silence {
        id: 3,
        target: crate::view::alert::SilenceTarget::Subject("api".into()),
        created: at(0),
        until: at(3600),
        by: "ana".into(),
        comment: None,
    });
    let mut pending = (*firing).clone();
    pending.fired = None;
    pending.state = AlertState::Pending;
    use AlertChange::*;
    let cases = [
        (Firing, &*firing, true),
        (Firing, &acked, false),
        (Firing, &flapping, true),
        (Reminder, &*firing, true),
        (Worsened, &*firing, true),
        (Released, &*firing, true),
        (Released, &acked, false),
        (Unsilenced, &*firing, false),
        (FlapEnded, &*firing, false),
        (Resolved, &*firing, true),
        (Resolved, &pending, false),
        (Resolved, &flapping, true),
        (Firing, &silenced, false),
        (Reminder, &silenced, false),
        (Resolved, &silenced, true),
        (Ended, &silenced, true),
        (Pending, &pending, false),
        (Acked, &acked, false),
        (Unacked, &*firing, false),
        (Silenced, &*firing, false),
        (FlapStarted, &flapping, false),
    ];
    for (change, alert, want) in cases {
        assert_eq!(change.notifies(alert), want, "{change:?} {:?}", alert.state);
    }
}

#[test]
fn a_state_directory_that_refuses_writes_is_an_alert_until_it_takes_them() {
    use crate::view::snapshot::StoreTrouble;
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let with = |trouble: Option<StoreTrouble>| Snapshot {
        store: trouble.map(Arc::new),
        ..Snapshot::default()
    };
    let full = |waiting| StoreTrouble {
        since: at(5),
        error: "the disk holding the alert database /var/lib/lookout/lookout.db is full"
            .to_string(),
        waiting,
        repaired: false,
    };
    assert!(engine.evaluate(&with(None), at(0)).is_empty());
    let events = engine.evaluate(&with(Some(full(1))), at(6));
    assert_eq!(
        words(&events),
        ["alert_store_failed/state-directory#1 firing!"]
    );
    let alert = only(&engine);
    assert_eq!((alert.severity, alert.started), (Severity::High, at(5)));
    engine.evaluate(&with(Some(full(3))), at(7));
    assert_eq!(
        only(&engine).summary,
        "acks and silences are not being saved (3 waiting, which a restart would lose): \
         the disk holding the alert database /var/lib/lookout/lookout.db is full"
    );
    let events = engine.evaluate(&with(None), at(8));
    assert_eq!(
        words(&events),
        ["alert_store_failed/state-directory#1 resolved!"]
    );
    // The resolved notice says what is true now, not the failure.
    assert_eq!(
        engine.history()[0].summary,
        "acks and silences are saved again"
    );
    // A failure put right by the next write is still heard of, once.
    let repaired = StoreTrouble {
        repaired: true,
        ..full(0)
    };
    let events = engine.evaluate(&with(Some(repaired)), at(20));
    assert_eq!(
        words(&events),
        ["alert_store_failed/state-directory#2 firing!"]
    );
    assert!(
        only(&engine)
            .summary
            .starts_with("a write to the state directory failed and was made again"),
        "{}",
        only(&engine).summary
    );
    let events = engine.evaluate(&with(None), at(21));
    assert_eq!(
        words(&events),
        ["alert_store_failed/state-directory#2 resolved!"]
    );
}

#[test]
fn a_channel_that_lost_a_notice_is_an_alert_until_it_delivers_again() {
    use crate::view::snapshot::{ChannelTrouble, NoticeHealth};
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let with = |channels: &[&str], lost: u64| Snapshot {
        notices: Some(Arc::new(NoticeHealth {
            channels: channels.iter().map(|c| c.to_string()).collect(),
            trouble: (lost > 0)
                .then(|| ChannelTrouble {
                    channel: "pager".to_string(),
                    since: at(5),
                    holding: Some("firing service_down/api #52".to_string()),
                    lost,
                    last_lost: Some("reminder service_down/db #50".to_string()),
                    error: "HTTP 502".to_string(),
                })
                .into_iter()
                .collect(),
        })),
        ..Snapshot::default()
    };
    assert!(engine.evaluate(&with(&["pager"], 0), at(0)).is_empty());
    let events = engine.evaluate(&with(&["pager"], 1), at(6));
    assert_eq!(words(&events), ["notification_failed/pager#1 firing!"]);
    engine.evaluate(&with(&["pager"], 2), at(65));
    assert_eq!(
        only(&engine).summary,
        "notices to pager not getting through for 1m; firing service_down/api #52 is held \
         and tried again, at most a minute apart; 2 notices lost (last: reminder service_down/db #50): \
         HTTP 502"
    );
    let events = engine.evaluate(&with(&["pager"], 0), at(70));
    assert_eq!(words(&events), ["notification_failed/pager#1 resolved!"]);
    assert_eq!(
        engine.history()[0].summary,
        "notices to pager go through again"
    );
    // A channel taken out of the config ends its alert, saying so.
    engine.evaluate(&with(&["pager"], 1), at(80));
    let events = engine.evaluate(&with(&[], 0), at(81));
    assert_eq!(words(&events), ["notification_failed/pager#2 ended!"]);
}
