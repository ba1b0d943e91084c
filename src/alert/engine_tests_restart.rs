//! Alerts across a restart: what the store kept taken up again (acks, ids, silences that
//! ended while stopped, held pages, flapping, the reminder clock).

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_cover::down_key;
use super::engine_tests_support::{DOWN, Fleet, UP, ack, only, run, svc, words};
use super::store::Persisted;
use crate::config::{AlertsConfig, Severity};
use crate::test_support::at;
use crate::view::alert::{AlertKind, AlertState, AlertView, Gravity, Silence, SilenceTarget};

fn stored(id: u64, state: AlertState, acked: bool) -> AlertView {
    AlertView {
        id,
        key: down_key("api"),
        group: None,
        severity: Severity::High,
        state,
        summary: "api is DOWN".to_string(),
        started: at(0),
        fired: Some(at(0)),
        resolved: (state == AlertState::Resolved).then(|| at(5)),
        ended: None,
        peak: Gravity::of(Severity::High, AlertKind::ServiceDown),
        ack: acked.then(|| ack("ana", 1)),
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: Vec::new(),
        origin: None,
    }
}

#[test]
fn a_restored_alert_keeps_its_ack_and_ids_stay_monotonic() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let history = vec![stored(3, AlertState::Resolved, false)];
    engine.restore(
        Persisted {
            alerts: vec![stored(7, AlertState::Acked, true)],
            history,
            silences: Vec::new(),
            next_alert_id: 42,
            next_silence_id: 5,
            paused: Vec::new(),
        },
        at(100),
    );
    run(
        &mut engine,
        &[
            (100, vec![svc("api", DOWN, 0)], &[]),
            (
                110,
                vec![svc("api", UP, 110)],
                &["service_down/api#7 resolved!"],
            ),
            (
                120,
                vec![svc("api", DOWN, 120)],
                &["service_down/api#42 firing!"],
            ),
        ],
    );
    assert_eq!(only(&engine).ack, None);
    let ids: Vec<u64> = engine.history().iter().map(|a| a.id).collect();
    assert_eq!(ids, [7, 3]);
    let (silence, _) = engine.silence(
        SilenceTarget::Group("x".into()),
        Duration::from_secs(60),
        "a".into(),
        None,
        at(130),
    );
    assert_eq!(silence.id, 5);
}

#[test]
fn a_restored_alert_waits_for_its_service_to_be_checked_again() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(
        Persisted {
            alerts: vec![stored(7, AlertState::Acked, true)],
            history: Vec::new(),
            silences: Vec::new(),
            next_alert_id: 8,
            next_silence_id: 1,
            paused: Vec::new(),
        },
        at(100),
    );
    let unknown = || vec![svc("api", crate::contract::ServiceState::Unknown, 0)];
    run(
        &mut engine,
        &[
            (100, unknown(), &[]),
            (110, unknown(), &[]),
            (120, vec![svc("api", DOWN, 115)], &[]),
        ],
    );
    let alert = only(&engine);
    assert_eq!((alert.id, alert.state), (7, AlertState::Acked));
}

#[test]
fn a_restored_alert_whose_condition_is_gone_resolves() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(
        Persisted {
            alerts: vec![stored(7, AlertState::Firing, false)],
            history: Vec::new(),
            silences: Vec::new(),
            next_alert_id: 1,
            next_silence_id: 1,
            paused: Vec::new(),
        },
        at(100),
    );
    assert_eq!(only(&engine).id, 7);
    run(
        &mut engine,
        &[(
            100,
            vec![svc("api", UP, 50)],
            &["service_down/api#7 resolved!"],
        )],
    );
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(
        Persisted {
            alerts: vec![stored(7, AlertState::Firing, false)],
            history: Vec::new(),
            silences: Vec::new(),
            next_alert_id: 1,
            next_silence_id: 1,
            paused: Vec::new(),
        },
        at(100),
    );
    engine.evaluate(&Default::default(), at(100));
    assert!(
        engine.active().is_empty(),
        "its service is gone from the config"
    );
}

#[test]
fn history_is_bounded_by_count_and_age() {
    let config = AlertsConfig {
        history_max: 3,
        history_keep: Duration::from_secs(3600),
        // Five outages in 100 s would flap and be held open as one.
        flap_transitions: 100,
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let mut fleet = Fleet::default();
    for k in 0..5 {
        engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, k * 20)]), at(k * 20));
        engine.evaluate(
            &fleet.snapshot(&[svc("api", UP, k * 20 + 10)]),
            at(k * 20 + 10),
        );
    }
    let ids: Vec<u64> = engine.history().iter().map(|a| a.id).collect();
    assert_eq!(ids, [5, 4, 3]);
    engine.evaluate(&fleet.snapshot(&[svc("api", UP, 0)]), at(3680));
    let ids: Vec<u64> = engine.history().iter().map(|a| a.id).collect();
    assert_eq!(
        ids,
        [5],
        "resolved at 90s; 4 and 3 (at 70s and 50s) aged out"
    );
}

/// What a store holds after a stop (or a crash between writes): `alert` open with the
/// given silence on it, and `silences` live.
pub(super) fn kept(alert: AlertView, silences: Vec<Silence>) -> Persisted {
    Persisted {
        alerts: vec![alert],
        history: Vec::new(),
        silences,
        next_alert_id: 8,
        next_silence_id: 10,
        paused: Vec::new(),
    }
}

fn silence_of_api(id: u64, until: u64) -> Silence {
    Silence {
        id,
        target: SilenceTarget::Subject("api".into()),
        created: at(0),
        until: at(until),
        by: "ana".into(),
        comment: None,
    }
}

#[test]
fn a_silence_that_ended_while_stopped_lets_its_alert_fire_again_once_seen_still_failing() {
    let silenced = || {
        let mut alert = stored(7, AlertState::Silenced, false);
        alert.silence = Some(silence_of_api(9, 50));
        // It fired under the silence: its page was held back.
        alert.page_owed = true;
        alert
    };
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    // The store keeps live silences only: #9 ended at 50, lookout starts at 100, before
    // its service has been checked.
    let events = engine.restore(kept(silenced(), Vec::new()), at(100));
    assert_eq!(
        words(&events),
        [] as [&str; 0],
        "no page on the last run's word"
    );
    let alert = only(&engine);
    assert_eq!(
        (alert.state, alert.silence.clone()),
        (AlertState::Firing, None)
    );
    let lines: Vec<&str> = alert.timeline.iter().map(|t| t.what.as_str()).collect();
    assert_eq!(
        lines,
        [
            "its silence #9 ended at 2023-11-14T22:14:10Z while lookout was stopped",
            "silence ended",
        ]
    );
    // Checked again and still down: it pages now.
    let mut fleet = Fleet::default();
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 90)]), at(101));
    assert_eq!(
        words(&events),
        [
            "service_down/api#7 unsilenced",
            "service_down/api#7 released!"
        ]
    );
    // Recovered while lookout was stopped: no false page while its service waits for
    // its first check, then the outage resolves.
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(kept(silenced(), Vec::new()), at(100));
    let mut fleet = Fleet::default();
    let unknown = svc("api", crate::contract::ServiceState::Unknown, 100);
    let events = engine.evaluate(&fleet.snapshot(&[unknown]), at(100));
    assert_eq!(words(&events), [] as [&str; 0], "not checked yet");
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", UP, 60)]), at(101));
    assert_eq!(words(&events), ["service_down/api#7 resolved!"]);
    // Acked, it goes back to acked, and nobody is paged.
    let mut acked = stored(7, AlertState::Silenced, true);
    acked.silence = Some(silence_of_api(9, 50));
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let events = engine.restore(kept(acked, Vec::new()), at(100));
    assert_eq!(words(&events), [] as [&str; 0]);
    assert_eq!(only(&engine).state, AlertState::Acked);
    let mut fleet = Fleet::default();
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 90)]), at(101));
    assert_eq!(words(&events), ["service_down/api#7 unsilenced"]);
    // It had paged before its silence (nothing owed): the restart pages nobody.
    let mut paged = silenced();
    paged.page_owed = false;
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(kept(paged, Vec::new()), at(100));
    let mut fleet = Fleet::default();
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 90)]), at(101));
    assert_eq!(words(&events), ["service_down/api#7 unsilenced"]);
}

/// A restart in the middle of a flapping episode: the incident stays one, held open with
/// its ack, and resolves only after a whole quiet window from the restart (the trial
/// that found this saw each restart resolve the incident and page it again).
#[test]
fn a_flapping_incident_stays_held_open_with_its_ack_across_a_restart() {
    let mut flapping = stored(7, AlertState::Acked, true);
    flapping.flapping = true;
    let config = AlertsConfig::default();
    let window = config.flap_window.as_secs();
    let mut engine = AlertEngine::new(&config);
    let events = engine.restore(kept(flapping, Vec::new()), at(100));
    assert_eq!(words(&events), [] as [&str; 0]);
    let mut fleet = Fleet::default();
    // Up at the first look after the restart: held open, still acked, nobody told.
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", UP, 95)]), at(101));
    assert_eq!(words(&events), [] as [&str; 0], "no resolve at the restart");
    let alert = only(&engine);
    assert_eq!((alert.state, alert.flapping), (AlertState::Acked, true));
    // Down again within the window: the same incident, acked, no page.
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", DOWN, 130)]), at(131));
    assert!(
        words(&events).iter().all(|w| !w.ends_with('!')),
        "no page: {:?}",
        words(&events)
    );
    assert_eq!(only(&engine).id, 7);
    // Up for a whole window: it settles and resolves, once.
    engine.evaluate(&fleet.snapshot(&[svc("api", UP, 160)]), at(161));
    let events = engine.evaluate(&fleet.snapshot(&[svc("api", UP, 160)]), at(161 + window));
    assert!(
        words(&events)
            .iter()
            .any(|w| w.starts_with("service_down/api#7 resolved")),
        "{:?}",
        words(&events)
    );
}

#[test]
fn a_crash_between_a_silence_and_its_alerts_is_put_right_at_start() {
    // The alert row says silenced by #9, which the store never got (a phantom).
    let mut phantom = stored(7, AlertState::Silenced, false);
    phantom.silence = Some(silence_of_api(9, 5000));
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let events = engine.restore(kept(phantom, Vec::new()), at(100));
    assert_eq!(
        words(&events),
        [] as [&str; 0],
        "paged once seen still failing"
    );
    assert_eq!(
        only(&engine).timeline[0].what,
        "its silence #9 is not in the store: let go"
    );
    // The store has #9, which the alert row never heard of (an orphan).
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let orphan = stored(7, AlertState::Firing, false);
    let events = engine.restore(kept(orphan, vec![silence_of_api(9, 5000)]), at(100));
    assert_eq!(words(&events), ["service_down/api#7 silenced"]);
    let alert = only(&engine);
    assert_eq!(
        (alert.state, alert.silence.as_ref().map(|s| s.id)),
        (AlertState::Silenced, Some(9))
    );
    // Consistent already: nothing to say.
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut right = stored(7, AlertState::Silenced, false);
    right.silence = Some(silence_of_api(9, 5000));
    let events = engine.restore(kept(right, vec![silence_of_api(9, 5000)]), at(100));
    assert!(events.is_empty(), "{:?}", words(&events));
}
