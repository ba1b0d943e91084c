//! Table tests of silences and maintenance windows.

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_support::{DOWN, UP, ack, only, run, svc, words};
use crate::config::{AlertsConfig, MaintenanceWindow, Schedule, Selector};
use crate::test_support::at;
use crate::view::alert::{AlertKey, AlertKind, AlertState, Silence, SilenceTarget};

pub(super) fn down_key(subject: &str) -> AlertKey {
    AlertKey {
        kind: AlertKind::ServiceDown,
        rule: None,
        subject: subject.to_string(),
    }
}

#[test]
fn silences_by_key_subject_and_group_hold_notices_and_what_paged_does_not_page_again() {
    let targets = [
        SilenceTarget::Alert(down_key("api")),
        SilenceTarget::Subject("api".to_string()),
        SilenceTarget::Group("web".to_string()),
    ];
    for target in targets {
        let mut engine = AlertEngine::new(&AlertsConfig::default());
        let mut api = svc("api", DOWN, 0);
        api.group = Some("web");
        let db = svc("db", UP, 0);
        run(
            &mut engine,
            &[(
                0,
                vec![api.clone(), db.clone()],
                &["service_down/api#1 firing!"],
            )],
        );
        let minutes = Duration::from_secs(15 * 60);
        let (silence, events) = engine.silence(target.clone(), minutes, "ana".into(), None, at(10));
        assert_eq!(
            words(&events),
            ["silence#1 added", "service_down/api#1 silenced"]
        );
        assert_eq!(silence.until, at(910));
        let alert = only(&engine);
        assert_eq!(alert.state, AlertState::Silenced, "{target:?}");
        assert_eq!(alert.silence.as_ref().map(|s| s.id), Some(1));
        assert_eq!(engine.next_due(), Some(at(910)));
        run(
            &mut engine,
            &[
                (
                    1800,
                    vec![api.clone(), db.clone()],
                    // Its reminder, due at 1800, was held by the silence: it goes now.
                    &[
                        "silence#1 ended",
                        "service_down/api#1 unsilenced",
                        "service_down/api#1 reminder!",
                    ],
                ),
                (1810, vec![api.clone(), db.clone()], &[]),
            ],
        );
        assert_eq!(only(&engine).state, AlertState::Firing);
        assert!(engine.silences().is_empty());
    }
}

#[test]
fn an_alert_that_fired_under_a_silence_pages_once_when_it_ends() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let target = SilenceTarget::Subject("api".to_string());
    let hour = Duration::from_secs(3600);
    engine.silence(target.clone(), hour, "ana".into(), None, at(0));
    let down = || vec![svc("api", DOWN, 0)];
    run(
        &mut engine,
        &[
            (
                10,
                down(),
                &["service_down/api#1 silenced", "service_down/api#1 firing"],
            ),
            (
                3700,
                down(),
                &[
                    "silence#1 ended",
                    "service_down/api#1 unsilenced",
                    "service_down/api#1 released!",
                ],
            ),
            (3710, down(), &[]),
        ],
    );
    assert!(!only(&engine).page_owed, "the held page went out");
    // Silenced again and the silence ends: it has paged, so no second page; the
    // reminder that fell due under the silence (at 5500) goes out as it ends.
    engine.silence(target, hour, "ana".into(), None, at(3720));
    run(
        &mut engine,
        &[(
            7400,
            down(),
            &[
                "silence#2 ended",
                "service_down/api#1 unsilenced",
                "service_down/api#1 reminder!",
            ],
        )],
    );
}

#[test]
fn a_silence_covers_alerts_that_start_under_it_and_can_be_lifted() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let target = SilenceTarget::Subject("api".to_string());
    let (silence, _) = engine.silence(target, Duration::from_secs(3600), "ana".into(), None, at(0));
    run(
        &mut engine,
        &[(
            10,
            vec![svc("api", DOWN, 10)],
            &["service_down/api#1 silenced", "service_down/api#1 firing"],
        )],
    );
    engine
        .ack(1, ack("ana", 20))
        .expect("silenced alerts can be acked");
    let events = engine.unsilence(silence.id, at(30)).expect("active");
    assert_eq!(
        words(&events),
        ["silence#1 ended", "service_down/api#1 unsilenced"]
    );
    assert_eq!(
        only(&engine).state,
        AlertState::Acked,
        "back to acked, not firing"
    );
}

#[test]
fn maintenance_windows_one_off_and_every_saturday_at_two() {
    // 2023-11-18 was a Saturday; at(0) is 2023-11-14T22:13:20Z.
    let saturday_2am = 1_700_272_800;
    let base = 1_700_000_000;
    let window = |name: &str, schedule| MaintenanceWindow {
        name: name.to_string(),
        selector: Selector {
            services: vec!["api".to_string()],
            group: None,
        },
        schedule,
    };
    let config = AlertsConfig {
        maintenance: vec![
            window(
                "migration",
                Schedule::Once {
                    start: at(100),
                    end: at(200),
                },
            ),
            window(
                "weekly",
                Schedule::Weekly {
                    days: [false, false, false, false, false, true, false],
                    start: Duration::from_secs(2 * 3600),
                    length: Duration::from_secs(2 * 3600),
                },
            ),
        ],
        reminder: None,
        ..AlertsConfig::default()
    };
    let mut engine = AlertEngine::new(&config);
    let fleet = |s| vec![svc("api", DOWN, 0), svc("db", DOWN, s)];
    run(
        &mut engine,
        &[(
            0,
            fleet(0),
            &["service_down/api#1 firing!", "service_down/db#2 firing!"],
        )],
    );
    assert_eq!(engine.next_due(), Some(at(100)));
    run(
        &mut engine,
        &[
            (100, fleet(0), &["service_down/api#1 silenced"]),
            // It paged before the window: the window's end does not page again.
            (200, fleet(0), &["service_down/api#1 unsilenced"]),
        ],
    );
    let sat = saturday_2am - base;
    assert_eq!(engine.next_due(), Some(at(sat)));
    run(
        &mut engine,
        &[
            (sat - 1, fleet(0), &[]),
            (sat, fleet(0), &["service_down/api#1 silenced"]),
        ],
    );
    let silence = only_api(&engine);
    assert_eq!(silence.by, "maintenance");
    assert_eq!(silence.comment.as_deref(), Some("weekly"));
    assert_eq!(silence.until, at(sat + 7200));
    run(
        &mut engine,
        &[(sat + 7200, fleet(0), &["service_down/api#1 unsilenced"])],
    );
}

fn only_api(engine: &AlertEngine) -> Silence {
    let active = engine.active();
    let api = active
        .iter()
        .find(|a| a.key.subject == "api")
        .expect("api alert");
    api.silence.clone().expect("silenced")
}

#[test]
fn a_silence_of_one_alert_ends_with_its_incident_and_the_next_outage_pages() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    run(
        &mut engine,
        &[(
            0,
            vec![svc("api", DOWN, 0)],
            &["service_down/api#1 firing!"],
        )],
    );
    let hour = Duration::from_secs(3600);
    let target = SilenceTarget::Alert(down_key("api"));
    engine.silence(target, hour, "ana".into(), None, at(10));
    run(
        &mut engine,
        &[
            (
                20,
                vec![svc("api", UP, 5)],
                &["service_down/api#1 resolved!", "silence#1 ended"],
            ),
            // The same service fails again within the hour: a new incident, paged.
            (
                30,
                vec![svc("api", DOWN, 0)],
                &["service_down/api#2 firing!"],
            ),
        ],
    );
    assert!(engine.silences().is_empty());
}
