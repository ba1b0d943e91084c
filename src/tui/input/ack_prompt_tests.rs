//! Keys in the ack-note prompt (`A`): typing, Backspace, Enter with and without a note,
//! Esc, the cap on the note's length, and which alerts it opens on.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::alert_tests::{press, snapshot, ui};
use super::{Effect, Grid, handle_key};
use crate::event::Command;
use crate::tui::ack_prompt::MAX_NOTE;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::UiState;

fn chars(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

fn ack(alert: u64, note: Option<&str>) -> Effect {
    Effect::Send(Command::Ack {
        alert,
        by: "ana@db1".to_string(),
        note: note.map(str::to_string),
        reply: None,
    })
}

/// The operator's screen with the pane focused on billing (41, firing).
fn on_billing() -> UiState {
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    ui.alert_selected = Some(41);
    ui
}

fn typed(ui: &UiState) -> Option<&str> {
    ui.ack_prompt.as_ref().map(|p| p.text.as_str())
}

#[test]
fn type_a_note_and_enter_acks_with_it() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = on_billing();
    assert_eq!(press(&mut ui, &snap, &[Char('A')]), Effect::Nothing);
    assert_eq!(ui.ack_prompt.as_ref().map(|p| p.alert.id), Some(41));
    assert_eq!(typed(&ui), Some(""));
    // Every key is the prompt's: q types, j does not move, Backspace edits.
    let mut keys = chars(" on it, qjx");
    keys.extend([Backspace, Char(' '), Tab, Down]);
    assert_eq!(press(&mut ui, &snap, &keys), Effect::Nothing);
    assert_eq!(typed(&ui), Some(" on it, qj "));
    assert_eq!(ui.alert_selected, Some(41));
    let shifted = KeyEvent::new(Char('B'), KeyModifiers::SHIFT);
    let grid = Grid {
        columns: 2,
        page: 4,
        list_page: 3,
    };
    handle_key(&mut ui, shifted, &snap, grid);
    assert_eq!(typed(&ui), Some(" on it, qj B"));
    // Enter sends the trimmed note and says what `a` says.
    assert_eq!(
        press(&mut ui, &snap, &[Enter]),
        ack(41, Some("on it, qj B"))
    );
    assert_eq!(ui.ack_prompt, None);
    assert_eq!(
        ui.message.as_deref(),
        Some("acknowledging service_down/billing as ana@db1")
    );
    // Ctrl-C still quits from inside the prompt.
    press(&mut ui, &snap, &[Char('A')]);
    let ctrl_c = KeyEvent::new(Char('c'), KeyModifiers::CONTROL);
    assert_eq!(handle_key(&mut ui, ctrl_c, &snap, grid), Effect::Quit);
}

#[test]
fn an_empty_note_is_none_and_esc_sends_nothing() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = on_billing();
    assert_eq!(press(&mut ui, &snap, &[Char('A'), Enter]), ack(41, None));
    let mut keys = vec![Char('A')];
    keys.extend(chars("  "));
    keys.push(Enter);
    assert_eq!(press(&mut ui, &snap, &keys), ack(41, None), "blanks");
    let mut keys = vec![Char('A')];
    keys.extend(chars("never mind"));
    keys.push(Esc);
    assert_eq!(press(&mut ui, &snap, &keys), Effect::Nothing);
    assert_eq!(ui.ack_prompt, None);
    assert_eq!(ui.message.as_deref(), Some("ack cancelled"));
    assert_eq!(ui.focus, Focus::Alerts, "Esc closed only the prompt");
}

#[test]
fn the_note_stops_at_its_cap() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = on_billing();
    let mut keys = vec![Char('A')];
    keys.extend(chars(&"ü".repeat(MAX_NOTE + 50)));
    press(&mut ui, &snap, &keys);
    assert_eq!(typed(&ui).map(|t| t.chars().count()), Some(MAX_NOTE));
    let full = "ü".repeat(MAX_NOTE);
    assert_eq!(press(&mut ui, &snap, &[Enter]), ack(41, Some(&full)));
}

#[test]
fn which_alerts_the_prompt_opens_on() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = on_billing();
    // notify (42) is acked by ana@db1: the core takes a new ack, so `A` adds a note
    // where `a` refuses.
    ui.alert_selected = Some(42);
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), Effect::Nothing);
    assert_eq!(ui.ack_prompt, None);
    let mut keys = vec![Char('A')];
    keys.extend(chars("still on it"));
    keys.push(Enter);
    assert_eq!(press(&mut ui, &snap, &keys), ack(42, Some("still on it")));
    // Resolved alerts: the same message as `a`, and no prompt.
    press(&mut ui, &snap, &[Char('H'), Char('A')]);
    assert_eq!(ui.ack_prompt, None);
    assert_eq!(
        ui.message.as_deref(),
        Some("service_down/payments is resolved already")
    );
    // No alert at all: the same message as `a`.
    let mut cards = ui_on_cards();
    assert_eq!(press(&mut cards, &snap, &[Char('A')]), Effect::Nothing);
    assert_eq!(cards.ack_prompt, None);
    assert!(cards.message.is_some_and(|m| m.starts_with("no alert")));
}

fn ui_on_cards() -> UiState {
    let mut ui = ui();
    ui.selected = Some("gateway".into());
    ui
}

#[test]
fn a_note_typed_while_its_alert_resolves_is_kept_for_the_alert_open_after_it() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = on_billing();
    let mut keys = vec![Char('A')];
    keys.extend(chars("db failover"));
    press(&mut ui, &snap, &keys);
    // billing (41) resolves and fails again (62) before Enter.
    let mut next = snap.clone();
    let mut again = (*next.alerts.remove(1)).clone();
    let mut resolved = again.clone();
    resolved.state = crate::view::alert::AlertState::Resolved;
    next.alert_history.insert(0, std::sync::Arc::new(resolved));
    again.id = 62;
    next.alerts.insert(1, std::sync::Arc::new(again));
    assert_eq!(press(&mut ui, &next, &[Enter]), Effect::Nothing);
    let prompt = ui.ack_prompt.as_ref().expect("the prompt stays open");
    assert_eq!(prompt.text, "db failover", "the note is kept");
    assert_eq!(prompt.alert.id, 62);
    assert_eq!(
        prompt.notice.as_deref(),
        Some("#41 resolved while you typed; Enter acks #62 (firing), open about the same")
    );
    assert_eq!(
        press(&mut ui, &next, &[Enter]),
        ack(62, Some("db failover"))
    );

    // Nothing open about it: the prompt says so and keeps the note until Esc.
    let mut ui = on_billing();
    press(&mut ui, &snap, &keys);
    let mut gone = snap.clone();
    gone.alerts.remove(1);
    assert_eq!(press(&mut ui, &gone, &[Enter, Enter]), Effect::Nothing);
    let prompt = ui.ack_prompt.as_ref().expect("the prompt stays open");
    assert_eq!(prompt.text, "db failover");
    assert_eq!(
        prompt.notice.as_deref(),
        Some("#41 resolved while you typed: nothing to ack (Esc closes)")
    );
    press(&mut ui, &gone, &[Esc]);
    assert_eq!(ui.ack_prompt, None);
}
