//! Keys around alerts that close or have paged: coming back into the pane after the held
//! alert closed, and pausing a service whose alert paged.

use crossterm::event::KeyCode;

use super::Effect;
use super::alert_tests::{press, snapshot, ui};
use crate::event::Command;
use crate::tui::alerts::Focus;

#[test]
fn coming_back_into_the_pane_selects_the_first_alert_when_the_held_one_closed() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    press(&mut ui, &snap, &[Char('!'), Char('j')]);
    let held = ui.alert_selected.expect("an alert selected");
    // Back to the cards; the selected alert resolves meanwhile.
    press(&mut ui, &snap, &[Char('!')]);
    let mut closed = snap.clone();
    closed.alerts.retain(|alert| alert.id != held);
    assert_eq!(ui.focus, Focus::Cards);
    press(&mut ui, &closed, &[Char('!')]);
    assert_eq!(ui.focus, Focus::Alerts);
    assert_eq!(ui.alert_selected, closed.alerts.first().map(|a| a.id));
    assert_eq!(ui.alert_row, 0);
}

#[test]
fn pausing_a_service_whose_alert_paged_asks_first_and_others_pause_at_once() {
    use KeyCode::*;
    let mut snap = snapshot();
    // A paged alert of the sample, made to be about the third card.
    let name = snap.services[2].config.name.clone();
    let at = (snap.alerts.iter())
        .position(|a| a.is_own() && a.fired.is_some())
        .expect("a paged alert in the sample");
    let mut alert = (*snap.alerts[at]).clone();
    alert.key.subject = name.clone();
    snap.alerts[at] = std::sync::Arc::new(alert.clone());
    let mut ui = ui();
    ui.selected = Some(name.clone());
    assert_eq!(press(&mut ui, &snap, &[Char('p')]), Effect::Nothing);
    let lines = ui
        .confirm
        .as_ref()
        .map(|c| c.lines.join(" "))
        .unwrap_or_default();
    assert!(
        lines.contains(&format!("#{}", alert.id)) && lines.contains("ended (paused)"),
        "{lines}"
    );
    assert_eq!(
        press(&mut ui, &snap, &[Char('y')]),
        Effect::Send(Command::SetPaused(name.clone(), true))
    );
    // Any other answer keeps it checked.
    press(&mut ui, &snap, &[Char('p')]);
    assert_eq!(press(&mut ui, &snap, &[Char('n')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some(format!("{name} stays checked").as_str())
    );
    // A service with no paged alert pauses at once.
    let quiet = (snap.services.iter())
        .map(|s| s.config.name.clone())
        .find(|n| !snap.alerts.iter().any(|a| a.key.subject == *n))
        .expect("a service without alerts");
    ui.selected = Some(quiet.clone());
    assert_eq!(
        press(&mut ui, &snap, &[Char('p')]),
        Effect::Send(Command::TogglePause(quiet))
    );
}
