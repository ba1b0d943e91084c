//! Keys for the job monitor: `J` starts or stops it from any screen; while the jobs
//! panel has the focus, `r` asks for a pass now, and Esc or Tab go back to the cards.
//! A key that would make it write to the queue's database asks first, showing what a
//! pass would change (a dry run made then): `y` goes ahead, any other key does not.

use crossterm::event::{KeyCode, KeyEvent};

use crate::event::Command;
use crate::tui::alerts::Focus;
use crate::tui::input::Effect;
use crate::tui::jobs_prompt::{JobsPrompt, JobsWrite, PREVIEW_FRESH};
use crate::tui::keys::Action;
use crate::tui::ui_state::{Mode, UiState};
use crate::view::jobs::{JobsView, Role};
use crate::view::snapshot::Snapshot;

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
        Action::CheckNow if jobs.running && writes(jobs) => {
            return Some(ask(ui, JobsWrite::PassNow));
        }
        Action::CheckNow if jobs.running => {
            ui.message = Some("job monitor: a pass now (it writes nothing)".to_string());
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
    if jobs.running {
        ui.message = Some("stopping the job monitor".to_string());
        return Effect::Send(Command::SetJobsRunning(false));
    }
    if !writes(jobs) {
        ui.message = Some("starting the job monitor (it writes nothing)".to_string());
        return Effect::Send(Command::SetJobsRunning(true));
    }
    ask(ui, JobsWrite::Start)
}

/// True when a pass would write: not `dry_run`, and not left to another lookout.
fn writes(jobs: &JobsView) -> bool {
    !jobs.dry_run && !matches!(jobs.role, Some(Role::Watcher | Role::DryRun))
}

/// Opens the question about `write` and asks the monitor for a dry run to show in it.
fn ask(ui: &mut UiState, write: JobsWrite) -> Effect {
    ui.previews += 1;
    ui.jobs_prompt = Some(JobsPrompt {
        write,
        preview: ui.previews,
        asked: std::time::Instant::now(),
    });
    Effect::Send(Command::PreviewJobsPass(ui.previews))
}

/// A key while the question is open: `y` goes ahead; any other key, Enter included,
/// does not.
pub(super) fn answer(ui: &mut UiState, key: KeyEvent) -> Effect {
    let Some(prompt) = ui.jobs_prompt.take() else {
        return Effect::Nothing;
    };
    if matches!(key.code, KeyCode::Char('y' | 'Y')) {
        let age = prompt.asked.elapsed();
        if age > PREVIEW_FRESH {
            // The rows may have moved since: look again, and ask again.
            let effect = ask(ui, prompt.write);
            ui.message = Some(format!(
                "that dry run was {} old: looked again; y when it reads right",
                crate::words::short_age(age)
            ));
            return effect;
        }
        ui.message = Some(match prompt.write {
            JobsWrite::Start => "starting the job monitor".to_string(),
            JobsWrite::PassNow => "job monitor: a pass now".to_string(),
        });
        return Effect::Send(prompt.command());
    }
    ui.message = Some(match prompt.write {
        JobsWrite::Start => "the job monitor stays off".to_string(),
        JobsWrite::PassNow => "no pass now".to_string(),
    });
    Effect::Nothing
}
