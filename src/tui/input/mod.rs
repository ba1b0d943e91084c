//! Turning a key press into a change of `UiState` and, maybe, a `Command` for the core.
//! Pure: it sees the snapshot and the grid's shape, and touches nothing else. The alert
//! pane, views and prompts and the job monitor have their own files (`alerts.rs`,
//! `prompt.rs`, `ack_prompt.rs`, `confirm.rs`, `jobs.rs`).

mod ack_prompt;
mod alerts;
mod confirm;
mod jobs;
mod prompt;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::contract::ServiceState;
use crate::event::Command;
use crate::tui::alerts::Focus;
use crate::tui::keys::{self, Action};
use crate::tui::ui_state::{Mode, UiState};
use crate::view::check::ServiceId;
use crate::view::snapshot::Snapshot;

/// What the app loop must do after a key, beyond redrawing.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Rows of the alert list on screen (the pane, or the history), for PgUp/PgDn.
    pub list_page: usize,
}

pub fn handle_key(ui: &mut UiState, key: KeyEvent, snapshot: &Snapshot, grid: Grid) -> Effect {
    let ctrl_c = key.modifiers.contains(KeyModifiers::CONTROL) && key.code == KeyCode::Char('c');
    if ctrl_c {
        return Effect::Quit;
    }
    if ui.prompt.is_some() {
        return prompt::handle(ui, key, snapshot);
    }
    if ui.confirm.is_some() {
        return confirm::handle(ui, key);
    }
    if ui.jobs_prompt.is_some() {
        return jobs::answer(ui, key);
    }
    if ui.ack_prompt.is_some() {
        return ack_prompt::handle(ui, key, snapshot);
    }
    if ui.filter_editing {
        edit_filter(ui, key);
        return Effect::Nothing;
    }
    if ui.help_open {
        let closes = matches!(
            keys::action(&ui.keys, key),
            Some(Action::ToggleHelp | Action::Back | Action::Quit)
        );
        if closes || key.code == KeyCode::Esc {
            ui.help_open = false;
        }
        return Effect::Nothing;
    }
    let Some(action) = keys::action(&ui.keys, key) else {
        return Effect::Nothing;
    };
    ui.message = None;
    if let Some(effect) = alerts::handle(ui, action, snapshot, grid) {
        return effect;
    }
    if let Some(effect) = jobs::handle(ui, action, snapshot) {
        return effect;
    }
    let visible = ui.visible(snapshot);
    let target = match &ui.mode {
        Mode::Detail(name) => id_named(snapshot, name),
        Mode::Dashboard if ui.focus == Focus::Alerts => alerts::subject_service(ui, snapshot),
        Mode::Dashboard => ui.selected_id(snapshot, &visible),
        Mode::AlertDetail { .. } => alerts::subject_service(ui, snapshot),
        Mode::System | Mode::AlertHistory => None,
    };
    let target_name = target.map(|id| name(snapshot, id).to_string());
    match action {
        Action::Quit => return Effect::Quit,
        Action::ToggleHelp => ui.help_open = true,
        Action::StartFilter => ui.filter_editing = true,
        Action::Back => back(ui),
        Action::OpenDetail => {
            if let Some(name) = target_name {
                ui.mode = Mode::Detail(name);
            }
        }
        Action::NextPane => match next_group(snapshot, &visible, target) {
            Some(id) => ui.selected = Some(name(snapshot, id).to_string()),
            // Past the last group: the alert pane (also with no alerts, so Tab always
            // walks the same way); in a detail view, the first group again.
            None if ui.mode == Mode::Dashboard => ui.focus = Focus::Alerts,
            None => ui.selected = visible.first().map(|id| name(snapshot, *id).to_string()),
        },
        Action::CheckNow => {
            if let Some(name) = target_name {
                let paused = (snapshot.services.iter())
                    .any(|s| s.config.name == name && s.state == ServiceState::Paused);
                if paused {
                    ui.message = Some(format!(
                        "{name} is paused, so it is not checked: resume it first"
                    ));
                    return Effect::Nothing;
                }
                ui.message = Some(format!("checking {name} now"));
                return Effect::Send(Command::CheckNow(name));
            }
        }
        Action::TogglePause => {
            if let Some(name) = target_name {
                return pause(ui, snapshot, name);
            }
        }
        Action::ToggleSystem => toggle_system(ui, snapshot),
        Action::OpenSystem => open_system(ui, snapshot),
        Action::Reload => {
            ui.message = Some("reloading the config…".to_string());
            return Effect::Send(Command::Reload("key"));
        }
        _ if ui.mode != Mode::Dashboard && !matches!(ui.mode, Mode::Detail(_)) => {}
        movement => {
            let from_gone = target.is_none() && ui.selection_gone(snapshot);
            if from_gone && !is_movement(movement) {
                return Effect::Nothing;
            }
            let moved = if from_gone {
                // The selected service left: a move starts again from the first card.
                visible.first().copied()
            } else {
                move_selection(movement, &visible, target, grid)
            };
            let moved = moved.map(|id| name(snapshot, id).to_string());
            if let (Mode::Detail(_), Some(name)) = (&ui.mode, &moved) {
                ui.mode = Mode::Detail(name.clone());
            }
            ui.selected = moved;
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

/// The id of the service called `name` in `snapshot`.
fn id_named(snapshot: &Snapshot, name: &str) -> Option<ServiceId> {
    snapshot
        .services
        .iter()
        .find(|s| s.config.name == name)
        .map(|s| s.id)
}

fn name(snapshot: &Snapshot, id: ServiceId) -> &str {
    snapshot
        .services
        .get(id)
        .map_or("?", |s| s.config.name.as_str())
}

fn is_movement(action: Action) -> bool {
    matches!(
        action,
        Action::Down
            | Action::Up
            | Action::Right
            | Action::Left
            | Action::PageDown
            | Action::PageUp
            | Action::Home
            | Action::End
    )
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

/// The first visible service of the group after the current one's; `None` after the
/// last group (the alert pane comes next) or with nothing selected.
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
        .copied()
}

#[cfg(test)]
mod ack_prompt_tests;
#[cfg(test)]
mod alert_tests;
#[cfg(test)]
mod jobs_tests;
#[cfg(test)]
mod paged_tests;
#[cfg(test)]
mod prompt_tests;
#[cfg(test)]
mod remote_tests;
#[cfg(test)]
mod tests;

/// `p` on a card: pauses or resumes it; pausing a service whose alert has paged asks
/// first, since it ends that alert (receivers hear `ended`, paused) while the service
/// may still be down.
fn pause(ui: &mut UiState, snapshot: &Snapshot, name: String) -> Effect {
    let paused = (snapshot.services.iter())
        .any(|s| s.config.name == name && s.state == ServiceState::Paused);
    let paged =
        (snapshot.alerts.iter()).find(|a| a.is_own() && a.key.subject == name && a.fired.is_some());
    let Some(alert) = paged.filter(|_| !paused) else {
        return Effect::Send(Command::TogglePause(name));
    };
    ui.confirm = Some(crate::tui::confirm::Confirm {
        title: format!("pause {name}"),
        lines: vec![
            format!(
                "{name} has an open alert: #{} {} ({}).",
                alert.id,
                alert.key.kind.as_str(),
                alert.state.as_str()
            ),
            "Pausing ends it; receivers are told it ended (paused), not resolved.".to_string(),
            "Pause it?".to_string(),
        ],
        command: Command::SetPaused(name.clone(), true),
        doing: format!("pausing {name}"),
        kept: format!("{name} stays checked"),
    });
    Effect::Nothing
}
