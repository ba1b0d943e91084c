//! Keys inside the ack-note prompt: typing and Backspace edit the note, Enter acks with
//! it (an empty note is none), Esc cancels. An alert that resolved while the note was
//! typed keeps the prompt open with the note: Enter then acks the alert open about the
//! same thing, if there is one.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::tui::alerts;
use crate::tui::input::Effect;
use crate::tui::ui_state::UiState;
use crate::view::snapshot::Snapshot;

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
            let id = prompt.alert.id;
            match alerts::find(snapshot, id) {
                Some(alert) if !alert.state.is_closed() => {
                    let note = prompt.note();
                    let alert = std::sync::Arc::clone(alert);
                    ui.ack_prompt = None;
                    return super::alerts::ack(ui, &alert, note);
                }
                _ => {
                    let key = prompt.alert.key.clone();
                    match alerts::open_about(snapshot, &key) {
                        Some(next) => {
                            prompt.notice = Some(format!(
                                "#{id} resolved while you typed; Enter acks #{} ({}), \
                                 open about the same",
                                next.id,
                                next.state.as_str()
                            ));
                            prompt.alert = std::sync::Arc::clone(next);
                        }
                        None => {
                            prompt.notice = Some(format!(
                                "#{id} resolved while you typed: nothing to ack \
                                 (Esc closes)"
                            ));
                        }
                    }
                }
            }
        }
        _ => {}
    }
    Effect::Nothing
}
