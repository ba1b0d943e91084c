//! Key handling for the services: movement, filter, commands, help.

use super::*;
use crate::state::State;
use crate::test_support::{at, config, http_service};

fn key(code: KeyCode) -> KeyEvent {
    KeyEvent::new(code, KeyModifiers::NONE)
}

fn snapshot() -> Snapshot {
    let names = [
        ("a", "web"),
        ("b", "web"),
        ("c", "db"),
        ("d", "db"),
        ("e", "db"),
    ];
    let services = names
        .iter()
        .map(|(name, group)| {
            let mut s = http_service(name);
            s.group = Some(group.to_string());
            s
        })
        .collect();
    State::new(&config(services)).snapshot(at(0))
}

const GRID: Grid = Grid {
    columns: 2,
    page: 4,
    list_page: 3,
};

/// Presses keys as the app does: the selection settled on the snapshot before each key
/// and after it.
fn press(ui: &mut UiState, snap: &Snapshot, codes: &[KeyCode]) -> Effect {
    let mut effect = Effect::Nothing;
    for code in codes {
        ui.settle(snap);
        effect = handle_key(ui, key(*code), snap, GRID);
        ui.settle(snap);
    }
    effect
}

fn some(name: &str) -> Option<String> {
    Some(name.to_string())
}

#[test]
fn movement_table() {
    use KeyCode::*;
    let cases: &[(&[KeyCode], &str)] = &[
        (&[Char('j')], "c"),
        (&[Down, Down], "e"),
        (&[Down, Down, Down], "e"),
        (&[Char('l')], "b"),
        (&[Right, Char('k')], "a"),
        (&[Left], "a"),
        (&[End], "e"),
        (&[Char('G'), Char('g')], "a"),
        (&[PageDown], "e"),
        (&[End, PageUp], "a"),
        (&[Tab], "c"),
        (&[Tab, Tab], "c"), // past the last group: the alert pane
        (&[Tab, Tab, Tab], "a"),
    ];
    let snap = snapshot();
    for (keys, want) in cases {
        let mut ui = UiState::default();
        press(&mut ui, &snap, keys);
        assert_eq!(ui.selected.as_deref(), Some(*want), "{keys:?}");
    }
}

#[test]
fn filter_is_live_and_esc_clears_it() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = UiState::default();
    press(&mut ui, &snap, &[Char('/'), Char('d'), Char('b')]);
    assert!(ui.filter_editing);
    assert_eq!(ui.filter, "db");
    assert_eq!(ui.visible(&snap), [2, 3, 4]);
    // 'q' while typing is text, not quit.
    assert_eq!(press(&mut ui, &snap, &[Char('q')]), Effect::Nothing);
    press(&mut ui, &snap, &[Backspace, Enter]);
    assert!(!ui.filter_editing);
    assert_eq!(ui.filter, "db");
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.filter, "");
    press(&mut ui, &snap, &[Char('/'), Char('x'), Esc]);
    assert!(!ui.filter_editing);
    assert_eq!(ui.filter, "");
}

#[test]
fn commands_target_the_selection_or_the_detail() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = UiState::default();
    assert_eq!(
        press(&mut ui, &snap, &[Char('r')]),
        Effect::Send(Command::CheckNow("a".into()))
    );
    assert_eq!(ui.message.as_deref(), Some("checking a now"));
    assert_eq!(
        press(&mut ui, &snap, &[Char('j'), Char('p')]),
        Effect::Send(Command::TogglePause("c".into()))
    );
    press(&mut ui, &snap, &[Enter]);
    assert_eq!(ui.mode, Mode::Detail("c".into()));
    press(&mut ui, &snap, &[Char('l')]);
    assert_eq!(ui.mode, Mode::Detail("d".into()));
    assert_eq!(
        press(&mut ui, &snap, &[Char('r')]),
        Effect::Send(Command::CheckNow("d".into()))
    );
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.mode, Mode::Dashboard);
}

#[test]
fn check_now_on_a_paused_service_says_it_is_paused_and_asks_nothing() {
    let mut snap = snapshot();
    let mut a = (*snap.services[0]).clone();
    a.state = crate::contract::ServiceState::Paused;
    snap.services[0] = std::sync::Arc::new(a);
    let mut ui = UiState::default();
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('r')]),
        Effect::Nothing
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("a is paused, so it is not checked: resume it first")
    );
}

#[test]
fn help_swallows_keys_until_closed() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = UiState::default();
    press(&mut ui, &snap, &[Char('?')]);
    assert!(ui.help_open);
    assert_eq!(press(&mut ui, &snap, &[Char('r')]), Effect::Nothing);
    assert_eq!(press(&mut ui, &snap, &[Char('q')]), Effect::Nothing);
    assert!(!ui.help_open);
    assert_eq!(press(&mut ui, &snap, &[Char('q')]), Effect::Quit);
}

#[test]
fn capital_r_asks_for_a_reload() {
    let snap = snapshot();
    let mut ui = UiState::default();
    let key = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::SHIFT);
    assert_eq!(
        handle_key(&mut ui, key, &snap, GRID),
        Effect::Send(Command::Reload("key"))
    );
    assert_eq!(ui.message.as_deref(), Some("reloading the config…"));
}

#[test]
fn ctrl_c_quits_from_anywhere() {
    let snap = snapshot();
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    for editing in [false, true] {
        let mut ui = UiState {
            filter_editing: editing,
            ..UiState::default()
        };
        assert_eq!(handle_key(&mut ui, ctrl_c, &snap, GRID), Effect::Quit);
    }
}

#[test]
fn empty_fleet_does_not_panic() {
    let snap = State::new(&config(Vec::new())).snapshot(at(0));
    let mut ui = UiState::default();
    for code in [
        KeyCode::Down,
        KeyCode::Enter,
        KeyCode::Tab,
        KeyCode::Char('r'),
        KeyCode::End,
    ] {
        assert_eq!(handle_key(&mut ui, key(code), &snap, GRID), Effect::Nothing);
    }
    assert_eq!(ui.mode, Mode::Dashboard);
}

#[test]
fn remapped_keys_act_and_the_old_ones_do_not() {
    use crate::keymap::{Key, KeyMap};
    let parse = |text| Key::parse(text).expect(text);
    let snap = snapshot();
    let mut ui = UiState {
        keys: KeyMap::with(&[
            (Action::CheckNow, vec![parse("c")]),
            (Action::Down, vec![parse("n")]),
            (Action::ToggleHelp, vec![parse("f1")]),
            (Action::Quit, vec![]),
        ]),
        ..UiState::default()
    };
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('c')]),
        Effect::Send(Command::CheckNow("a".into()))
    );
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('r')]),
        Effect::Nothing
    );
    press(&mut ui, &snap, &[KeyCode::Char('n')]);
    assert_eq!(ui.selected, some("c"), "n moves down");
    press(&mut ui, &snap, &[KeyCode::Char('j')]);
    assert_eq!(ui.selected, some("c"), "j does nothing now");
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('q')]),
        Effect::Nothing
    );
    // The help opens and closes with its new key (and Esc), not with `?`.
    press(&mut ui, &snap, &[KeyCode::Char('?')]);
    assert!(!ui.help_open);
    press(&mut ui, &snap, &[KeyCode::F(1)]);
    assert!(ui.help_open);
    press(&mut ui, &snap, &[KeyCode::F(1)]);
    assert!(!ui.help_open);
    let ctrl_c = KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL);
    assert_eq!(handle_key(&mut ui, ctrl_c, &snap, GRID), Effect::Quit);
}

#[test]
fn a_selection_the_filter_hides_moves_to_the_card_shown_and_stays_there() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = UiState::default();
    press(&mut ui, &snap, &[Char('l')]);
    assert_eq!(ui.selected, some("b"));
    // "db" hides b: the card shown selected is c, and that is what `p` pauses.
    press(&mut ui, &snap, &[Char('/'), Char('d'), Char('b'), Enter]);
    assert_eq!(ui.selected, some("c"));
    assert_eq!(
        press(&mut ui, &snap, &[Char('p')]),
        Effect::Send(Command::TogglePause("c".into()))
    );
    // Clearing the filter brings b back, but the selection stays on c, as shown.
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.filter, "");
    assert_eq!(ui.selected, some("c"));
    assert_eq!(
        press(&mut ui, &snap, &[Char('p')]),
        Effect::Send(Command::TogglePause("c".into()))
    );
}

#[test]
fn the_selection_follows_its_service_when_a_reload_renumbers_them() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = UiState::default();
    press(&mut ui, &snap, &[Char('j'), Enter]);
    assert_eq!(ui.mode, Mode::Detail("c".into()));
    // A reload puts a new service first: every id moves by one.
    let mut services: Vec<_> = snap.services.iter().map(|s| (*s.config).clone()).collect();
    services.insert(0, http_service("new"));
    let reloaded = State::new(&config(services)).snapshot(at(0));
    assert_eq!(
        press(&mut ui, &reloaded, &[Char('r')]),
        Effect::Send(Command::CheckNow("c".into()))
    );
    press(&mut ui, &reloaded, &[Esc]);
    assert_eq!(ui.selected, some("c"));
    // Removed by the next reload: the detail closes and says why.
    let without: Vec<_> = reloaded
        .services
        .iter()
        .filter(|s| s.config.name != "c")
        .map(|s| (*s.config).clone())
        .collect();
    let removed = State::new(&config(without)).snapshot(at(0));
    // The selection is not handed to a neighbour: keys meant for c act on nothing, and
    // the status bar says why.
    assert_eq!(press(&mut ui, &removed, &[Enter]), Effect::Nothing);
    assert_eq!(press(&mut ui, &removed, &[Char('p')]), Effect::Nothing);
    assert_eq!(ui.mode, Mode::Dashboard);
    assert_eq!(ui.selected, some("c"));
    assert!(
        ui.message
            .as_deref()
            .is_some_and(|m| m.starts_with("c is gone")),
        "{:?}",
        ui.message
    );
    // A move starts again from the first card.
    press(&mut ui, &removed, &[Char('l'), Enter]);
    assert_eq!(
        ui.mode,
        Mode::Detail("new".into()),
        "the first visible card"
    );
    // Back in the config, c is selectable again.
    press(&mut ui, &reloaded, &[Esc]);
    ui.selected = some("c");
    ui.settle(&reloaded);
    assert_eq!(
        press(&mut ui, &reloaded, &[Char('p')]),
        Effect::Send(Command::TogglePause("c".into()))
    );
    ui.mode = Mode::Detail("c".into());
    ui.settle(&removed);
    assert_eq!(ui.mode, Mode::Dashboard);
    assert_eq!(
        ui.message.as_deref(),
        Some("c is not in the config any more")
    );
}
