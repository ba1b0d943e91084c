//! Keys inside the ack-note prompt: typing and Backspace edit the note, Enter acks with
//! it (an empty note is none), Esc cancels.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::alert::AlertState;
use crate::state::Snapshot;
use crate::tui::alerts;
use crate::tui::input::Effect;
use crate::tui::ui_state::UiState;

pub(super) fn handle(ui: &mut UiState, key: KeyEvent, snapshot: &Snapshot) -> Effect {
    let Some(prompt) = ui.ack_prompt.as_mut() else {
        return Effect::Nothing;
    };
    match key.code {
        KeyCode::Esc => {
            ui.ack_prompt = None;
            ui.message = Some("ack cancelled".to_string());
        }
        KeyCode::Backspace => {
            prompt.text.pop();
        }
        KeyCode::Char(c) if !key.modifiers.contains(KeyModifiers::CONTROL) => prompt.push(c),
        KeyCode::Enter => {
            let note = prompt.note();
            let id = prompt.alert.id;
            let key = prompt.alert.key.clone();
            ui.ack_prompt = None;
            // The alert may have resolved while the note was typed; the core refuses those.
            return match alerts::find(snapshot, id) {
                Some(alert) if alert.state != AlertState::Resolved => {
                    super::alerts::ack(ui, alert, note)
                }
                _ => {
                    ui.message = Some(format!("{key} is resolved already"));
                    Effect::Nothing
                }
            };
        }
        _ => {}
    }
    Effect::Nothing
}
