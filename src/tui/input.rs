//! Turning a key press into a change of `UiState` and, maybe, a `Command` for the core.
//! Pure: it sees the snapshot and the grid's shape, and touches nothing else.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::event::{Command, ServiceId};
use crate::state::Snapshot;
use crate::tui::keys::{Action, action_for};
use crate::tui::ui_state::{Mode, UiState};

/// What the app loop must do after a key, beyond redrawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    Nothing,
    Quit,
    Send(Command),
}

/// The dashboard's shape at the current size, so movement follows what is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Cards per row.
    pub columns: usize,
    /// Cards per screenful.
    pub page: usize,
}

pub fn handle_key(ui: &mut UiState, key: KeyEvent, snapshot: &Snapshot, grid: Grid) -> Effect {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    if ctrl_c {
        return Effect::Quit;
    }
    if ui.filter_editing {
        edit_filter(ui, key);
        return Effect::Nothing;
    }
    if ui.help_open {
        if matches!(key.code, KeyCode::Esc | KeyCode::Char('?' | 'q')) {
            ui.help_open = false;
        }
        return Effect::Nothing;
    }
    let Some(action) = action_for(key) else {
        return Effect::Nothing;
    };
    ui.message = None;
    let visible = ui.visible(snapshot);
    let target = match ui.mode {
        Mode::Detail(id) => Some(id),
        Mode::Dashboard => ui.effective_selection(&visible),
        Mode::System => None,
    };
    match action {
        Action::Quit => return Effect::Quit,
        Action::ToggleHelp => ui.help_open = true,
        Action::StartFilter => ui.filter_editing = true,
        Action::Back => back(ui),
        Action::OpenDetail => {
            if let Some(id) = target {
                ui.mode = Mode::Detail(id);
            }
        }
        Action::NextPane => ui.selected = next_group(snapshot, &visible, target),
        Action::CheckNow => {
            if let Some(id) = target {
                ui.message = Some(format!("checking {} now", name(snapshot, id)));
                return Effect::Send(Command::CheckNow(id));
            }
        }
        Action::TogglePause => {
            if let Some(id) = target {
                return Effect::Send(Command::TogglePause(id));
            }
        }
        Action::ToggleSystem => toggle_system(ui, snapshot),
        Action::OpenSystem => open_system(ui, snapshot),
        Action::Reload => {
            ui.message = Some("reloading the config…".to_string());
            return Effect::Send(Command::Reload("key R"));
        }
        _ if ui.mode == Mode::System => {}
        movement => {
            let moved = move_selection(movement, &visible, target, grid);
            ui.selected = moved;
            if let (Mode::Detail(_), Some(id)) = (ui.mode, moved) {
                ui.mode = Mode::Detail(id);
            }
        }
    }
    Effect::Nothing
}

fn edit_filter(ui: &mut UiState, key: KeyEvent) {
    match key.code {
        KeyCode::Esc => {
            ui.filter.clear();
            ui.filter_editing = false;
        }
        KeyCode::Enter => ui.filter_editing = false,
        KeyCode::Backspace => {
            ui.filter.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => ui.filter.push(c),
        _ => {}
    }
}

/// `m`: hides or shows the machine's panel (there is none while `[system]` is off).
fn toggle_system(ui: &mut UiState, snapshot: &Snapshot) {
    if snapshot.system.is_none() {
        ui.message = Some(NO_MACHINE.to_string());
        return;
    }
    ui.hide_system = !ui.hide_system;
    if ui.mode == Mode::System {
        ui.mode = Mode::Dashboard;
    }
}

/// `M`: the machine's detail view, or back from it.
fn open_system(ui: &mut UiState, snapshot: &Snapshot) {
    if ui.mode == Mode::System {
        ui.mode = Mode::Dashboard;
    } else if snapshot.system.is_some() {
        ui.mode = Mode::System;
    } else {
        ui.message = Some(NO_MACHINE.to_string());
    }
}

const NO_MACHINE: &str = "no machine sample yet ([system] enabled = false, or starting)";

fn back(ui: &mut UiState) {
    if matches!(ui.mode, Mode::Detail(_) | Mode::System) {
        ui.mode = Mode::Dashboard;
    } else {
        ui.filter.clear();
    }
}

fn name(snapshot: &Snapshot, id: ServiceId) -> &str {
    snapshot
        .services
        .get(id)
        .map_or("?", |s| s.config.name.as_str())
}

/// The next selection after a movement key, over the visible services in screen order.
fn move_selection(
    action: Action,
    visible: &[ServiceId],
    current: Option<ServiceId>,
    grid: Grid,
) -> Option<ServiceId> {
    let last = visible.len().checked_sub(1)?;
    let index = current
        .and_then(|id| visible.iter().position(|v| *v == id))
        .unwrap_or(0);
    let columns = grid.columns.max(1);
    let page = grid.page.max(1);
    let next = match action {
        Action::Down => index.saturating_add(columns).min(last),
        Action::Up => index.saturating_sub(columns),
        Action::Right => (index + 1).min(last),
        Action::Left => index.saturating_sub(1),
        Action::PageDown => index.saturating_add(page).min(last),
        Action::PageUp => index.saturating_sub(page),
        Action::Home => 0,
        Action::End => last,
        _ => index,
    };
    visible.get(next).copied()
}

/// The first visible service of the group after the current one's, wrapping around.
fn next_group(
    snapshot: &Snapshot,
    visible: &[ServiceId],
    current: Option<ServiceId>,
) -> Option<ServiceId> {
    let group_of = |id: ServiceId| {
        snapshot
            .services
            .get(id)
            .and_then(|s| s.config.group.clone())
    };
    let current = current?;
    let start = visible.iter().position(|v| *v == current)?;
    let here = group_of(current);
    visible
        .iter()
        .skip(start + 1)
        .find(|id| group_of(**id) != here)
        .or_else(|| visible.first())
        .copied()
}

#[cfg(test)]
mod tests {
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
    };

    fn press(ui: &mut UiState, snap: &Snapshot, codes: &[KeyCode]) -> Effect {
        let mut effect = Effect::Nothing;
        for code in codes {
            effect = handle_key(ui, key(*code), snap, GRID);
        }
        effect
    }

    #[test]
    fn movement_table() {
        use KeyCode::*;
        let cases: &[(&[KeyCode], Option<ServiceId>)] = &[
            (&[Char('j')], Some(2)),
            (&[Down, Down], Some(4)),
            (&[Down, Down, Down], Some(4)),
            (&[Char('l')], Some(1)),
            (&[Right, Char('k')], Some(0)),
            (&[Left], Some(0)),
            (&[End], Some(4)),
            (&[Char('G'), Char('g')], Some(0)),
            (&[PageDown], Some(4)),
            (&[End, PageUp], Some(0)),
            (&[Tab], Some(2)),
            (&[Tab, Tab], Some(0)),
        ];
        let snap = snapshot();
        for (keys, want) in cases {
            let mut ui = UiState::default();
            press(&mut ui, &snap, keys);
            assert_eq!(ui.selected, *want, "{keys:?}");
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
            Effect::Send(Command::CheckNow(0))
        );
        assert_eq!(ui.message.as_deref(), Some("checking a now"));
        assert_eq!(
            press(&mut ui, &snap, &[Char('j'), Char('p')]),
            Effect::Send(Command::TogglePause(2))
        );
        press(&mut ui, &snap, &[Enter]);
        assert_eq!(ui.mode, Mode::Detail(2));
        press(&mut ui, &snap, &[Char('l')]);
        assert_eq!(ui.mode, Mode::Detail(3));
        assert_eq!(
            press(&mut ui, &snap, &[Char('r')]),
            Effect::Send(Command::CheckNow(3))
        );
        press(&mut ui, &snap, &[Esc]);
        assert_eq!(ui.mode, Mode::Dashboard);
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
            Effect::Send(Command::Reload("key R"))
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
}
