//! Keys for the job monitor: `J` starts or stops it from any screen; while the jobs
//! panel has the focus, `r` asks for a pass now, and Esc or Tab go back to the cards.

use crate::event::Command;
use crate::state::Snapshot;
use crate::tui::alerts::Focus;
use crate::tui::input::Effect;
use crate::tui::keys::Action;
use crate::tui::ui_state::{Mode, UiState};

/// What `J` says when the config has no `[jobs]`.
const NO_JOBS: &str = "no [jobs] in the config: nothing to start";

/// Handles `action` where it concerns the job monitor; `None` leaves it to the others.
pub(super) fn handle(ui: &mut UiState, action: Action, snapshot: &Snapshot) -> Option<Effect> {
    if action == Action::ToggleJobs {
        return Some(toggle(ui, snapshot));
    }
    if ui.mode != Mode::Dashboard || ui.focus != Focus::Jobs {
        return None;
    }
    let Some(jobs) = snapshot.jobs.as_deref() else {
        // A reload took `[jobs]` away: the cards have the focus again.
        ui.focus = Focus::Cards;
        return None;
    };
    match action {
        Action::Back => ui.focus = Focus::Cards,
        Action::NextPane => {
            ui.focus = Focus::Cards;
            ui.selected = None;
            ui.settle(snapshot);
        }
        Action::CheckNow if jobs.running => {
            ui.message = Some("job monitor: a pass now".to_string());
            return Some(Effect::Send(Command::RunJobsPass));
        }
        Action::CheckNow => {
            let starts = ui.keys.aside(Action::ToggleJobs, " starts it");
            ui.message = Some(format!("the job monitor is off{starts}"));
        }
        // The panel has no selection: movement, Enter and `p` do nothing here.
        Action::Up
        | Action::Down
        | Action::Left
        | Action::Right
        | Action::PageUp
        | Action::PageDown
        | Action::Home
        | Action::End
        | Action::OpenDetail
        | Action::TogglePause => {}
        _ => return None,
    }
    Some(Effect::Nothing)
}

/// `J`: asks the core to start or stop the monitor, and says which.
fn toggle(ui: &mut UiState, snapshot: &Snapshot) -> Effect {
    let Some(jobs) = snapshot.jobs.as_deref() else {
        ui.message = Some(NO_JOBS.to_string());
        return Effect::Nothing;
    };
    let text = if jobs.running {
        "stopping the job monitor"
    } else {
        "starting the job monitor"
    };
    ui.message = Some(text.to_string());
    Effect::Send(Command::ToggleJobs)
}
