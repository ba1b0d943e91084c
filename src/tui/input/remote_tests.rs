//! Keys on an Alertmanager's alert: `a`, `A` and `s` ask how long and silence it there
//! (no target to pick: it is silenced by its labels); `u` and `S` end the silence made
//! for it, and say whose wider silence they leave alone.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::Effect;
use super::alert_tests::{press, snapshot, ui};
use crate::event::Command;
use crate::sources::alertmanager::sample::sample_alertmanager;
use crate::test_support::at;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::UiState;
use crate::view::alert::AlertView;
use crate::view::snapshot::Snapshot;

/// The sample fleet's alerts with `team-am`'s merged in.
fn merged() -> Snapshot {
    let mut snapshot = snapshot();
    let am = sample_alertmanager(at(0));
    snapshot.alerts.extend(am.alerts.iter().cloned());
    snapshot.alerts.sort_by(|a, b| AlertView::pane_order(a, b));
    snapshot.alertmanagers = vec![am];
    snapshot
}

/// The pane focused on `team-am`'s alert of this rule; its id.
fn on(ui: &mut UiState, snapshot: &Snapshot, rule: &str) -> u64 {
    let alert = snapshot
        .alerts
        .iter()
        .find(|a| a.key.rule.as_deref() == Some(rule) && !a.is_own())
        .expect("a team-am alert");
    ui.focus = Focus::Alerts;
    ui.alert_selected = Some(alert.id);
    alert.id
}

#[test]
fn a_a_and_s_ask_how_long_then_silence_it_in_alertmanager() {
    let snap = merged();
    for key in ['a', 'A', 's'] {
        let mut ui = ui();
        let id = on(&mut ui, &snap, "KubePodCrashLooping");
        assert_eq!(
            press(&mut ui, &snap, &[KeyCode::Char(key)]),
            Effect::Nothing
        );
        assert!(ui.prompt.is_some(), "{key}: the duration prompt");
        let effect = press(&mut ui, &snap, &[KeyCode::Char('2')]);
        assert_eq!(
            effect,
            Effect::Send(Command::SilenceRemote {
                alert: id,
                duration: Duration::from_secs(3600),
                by: "ana@db1".into(),
                comment: None,
                reply: None,
            }),
            "{key}"
        );
        assert!(ui.prompt.is_none());
        assert_eq!(
            ui.message.as_deref(),
            Some("silencing rule:KubePodCrashLooping/payments in Alertmanager team-am for 1h")
        );
    }
}

#[test]
fn a_typed_duration_silences_it_too() {
    use KeyCode::*;
    let snap = merged();
    let mut ui = ui();
    let id = on(&mut ui, &snap, "KubePodCrashLooping");
    let effect = press(
        &mut ui,
        &snap,
        &[Char('s'), Char('c'), Char('9'), Char('0'), Char('m'), Enter],
    );
    let Effect::Send(Command::SilenceRemote {
        alert, duration, ..
    }) = effect
    else {
        panic!("not a remote silence: {effect:?}");
    };
    assert_eq!((alert, duration), (id, Duration::from_secs(90 * 60)));
}

#[test]
fn u_and_s_end_the_silence_made_for_it() {
    let snap = merged();
    for key in ['u', 'S'] {
        let mut ui = ui();
        let id = on(&mut ui, &snap, "CheckoutLatencyHigh");
        let effect = press(&mut ui, &snap, &[KeyCode::Char(key)]);
        assert_eq!(
            effect,
            Effect::Send(Command::ExpireRemote {
                alert: id,
                reply: None
            }),
            "{key}"
        );
        assert_eq!(
            ui.message.as_deref(),
            Some("ending the silence of rule:CheckoutLatencyHigh/checkout in Alertmanager team-am")
        );
    }
}

#[test]
fn u_leaves_a_wider_silence_alone_and_says_whose_it_is() {
    let snap = merged();
    let mut ui = ui();
    on(&mut ui, &snap, "NodeFilesystemAlmostFull");
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('u')]),
        Effect::Nothing
    );
    let message = ui.message.clone().unwrap_or_default();
    assert!(
        message.contains("silenced by 8c41d2aa-0f3e-4c55-b1d9-2e6f7a8b9c0d (cy@pager)"),
        "{message}"
    );
    on(&mut ui, &snap, "KubePodCrashLooping");
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('S')]),
        Effect::Nothing
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("rule:KubePodCrashLooping/payments has no silence in Alertmanager team-am")
    );
}

#[test]
fn a_card_acts_on_lookouts_own_alert_not_on_an_alertmanagers() {
    let mut snap = merged();
    // Only team-am speaks of "payments": the card's `a` has nothing of lookout's to ack.
    snap.alerts
        .retain(|a| !(a.is_own() && a.key.subject == "payments"));
    assert!(
        snap.services.iter().any(|s| s.config.name == "payments"),
        "a payments card"
    );
    let mut ui = ui();
    ui.selected = Some("payments".into());
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('a')]),
        Effect::Nothing
    );
    assert!(ui.prompt.is_none());
    assert_eq!(
        ui.message.as_deref(),
        Some("no alert on this service (! goes to the alert pane)")
    );
}

#[test]
fn an_alertmanagers_critical_alert_does_not_ring_lookouts_bell() {
    let am = sample_alertmanager(at(0));
    let remote: Vec<_> = (am.alerts.iter())
        .filter(|a| a.severity == crate::config::Severity::Critical)
        .map(|a| {
            let mut firing = (**a).clone();
            firing.state = crate::view::alert::AlertState::Firing;
            std::sync::Arc::new(firing)
        })
        .collect();
    assert!(
        !remote.is_empty(),
        "the sample has a critical Alertmanager alert"
    );
    let mut rung = std::collections::HashSet::new();
    assert!(!crate::tui::alerts::bell_due(&mut rung, &remote));
}
