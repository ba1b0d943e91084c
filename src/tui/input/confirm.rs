//! Keys in a yes-or-no question: `y` (or `Y`) sends what it asks about; any other key,
//! Esc or Enter included, keeps things as they are. Enter is "no" on purpose: it is the
//! key pressed by habit.

use crossterm::event::{KeyCode, KeyEvent};

use crate::tui::input::Effect;
use crate::tui::ui_state::UiState;

pub(super) fn handle(ui: &mut UiState, key: KeyEvent) -> Effect {
    let Some(confirm) = ui.confirm.take() else {
        return Effect::Nothing;
    };
    match key.code {
        KeyCode::Char('y' | 'Y') => {
            ui.message = Some(confirm.doing);
            Effect::Send(confirm.command)
        }
        _ => {
            ui.message = Some(confirm.kept);
            Effect::Nothing
        }
    }
}
