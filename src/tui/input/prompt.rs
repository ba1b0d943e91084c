//! Keys inside the silence prompt: pick a duration (1, 2, 3, or c to type one), then
//! what to silence (a, s, g); j/k and Enter work in both lists; Esc cancels.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::event::Command;
use crate::tui::alerts::{self, DURATIONS, PromptStep};
use crate::tui::input::Effect;
use crate::tui::ui_state::UiState;
use crate::view::snapshot::Snapshot;

/// The longest custom duration one can type; longer is a mistake, not a duration.
const MAX_TYPED: usize = 24;

pub(super) fn handle(ui: &mut UiState, key: KeyEvent, snapshot: &Snapshot) -> Effect {
    let Some(prompt) = ui.prompt.as_mut() else {
        return Effect::Nothing;
    };
    if key.code == KeyCode::Esc {
        ui.prompt = None;
        ui.message = Some("silence cancelled".to_string());
        return Effect::Nothing;
    }
    let targets = alerts::targets(&prompt.alert).len();
    let custom = DURATIONS.len();
    let next = match &mut prompt.step {
        PromptStep::Duration { choice } => match key.code {
            KeyCode::Char(c @ '1'..='9') => {
                let index = usize::from(c as u8 - b'1');
                DURATIONS
                    .get(index)
                    .map(|(duration, _)| PromptStep::Target {
                        duration: *duration,
                        choice: 0,
                    })
            }
            KeyCode::Char('c') => Some(custom_step()),
            KeyCode::Down | KeyCode::Char('j') => {
                *choice = (*choice + 1).min(custom);
                None
            }
            KeyCode::Up | KeyCode::Char('k') => {
                *choice = choice.saturating_sub(1);
                None
            }
            KeyCode::Enter => Some(match DURATIONS.get(*choice) {
                Some((duration, _)) => PromptStep::Target {
                    duration: *duration,
                    choice: 0,
                },
                None => custom_step(),
            }),
            _ => None,
        },
        PromptStep::Custom { text, error } => match key.code {
            KeyCode::Enter => match alerts::parse_duration(text) {
                Ok(duration) => Some(PromptStep::Target {
                    duration,
                    choice: 0,
                }),
                Err(why) => {
                    *error = Some(why);
                    None
                }
            },
            KeyCode::Backspace => {
                text.pop();
                *error = None;
                None
            }
            KeyCode::Char(c)
                if !key.modifiers.contains(KeyModifiers::CONTROL) && text.len() < MAX_TYPED =>
            {
                text.push(c);
                *error = None;
                None
            }
            _ => None,
        },
        PromptStep::Target { duration, choice } => {
            let picked = match key.code {
                KeyCode::Char('a') => Some(0),
                KeyCode::Char('s') => Some(1),
                KeyCode::Char('g') if targets > 2 => Some(2),
                KeyCode::Enter => Some(*choice),
                KeyCode::Down | KeyCode::Char('j') => {
                    *choice = (*choice + 1).min(targets - 1);
                    None
                }
                KeyCode::Up | KeyCode::Char('k') => {
                    *choice = choice.saturating_sub(1);
                    None
                }
                _ => None,
            };
            let duration = *duration;
            return match picked {
                Some(index) => confirm(ui, duration, index, snapshot),
                None => Effect::Nothing,
            };
        }
    };
    // An Alertmanager's alert is silenced exactly, by its labels: no target to pick.
    if let Some(PromptStep::Target { duration, .. }) = next
        && ui.prompt.as_ref().is_some_and(|p| p.alert.origin.is_some())
    {
        return confirm_remote(ui, duration);
    }
    if let (Some(step), Some(prompt)) = (next, ui.prompt.as_mut()) {
        prompt.step = step;
    }
    Effect::Nothing
}

/// Closes the prompt and asks the core for a silence in the alert's Alertmanager.
fn confirm_remote(ui: &mut UiState, duration: std::time::Duration) -> Effect {
    let Some(prompt) = ui.prompt.take() else {
        return Effect::Nothing;
    };
    let alert = &prompt.alert;
    let source = alert.origin.as_ref().map_or("", |o| o.source.as_str());
    let time = humantime::format_duration(duration);
    ui.message = Some(format!(
        "silencing {} in Alertmanager {source} for {time}",
        alert.key
    ));
    Effect::Send(Command::SilenceRemote {
        alert: alert.id,
        duration,
        by: ui.operator.clone(),
        comment: None,
        reply: None,
    })
}

fn custom_step() -> PromptStep {
    PromptStep::Custom {
        text: String::new(),
        error: None,
    }
}

/// Closes the prompt and asks the core for the silence, unless the alert it was opened
/// on closed meanwhile: a silence chosen for an outage must not quiet the next one.
fn confirm(
    ui: &mut UiState,
    duration: std::time::Duration,
    index: usize,
    snapshot: &Snapshot,
) -> Effect {
    let Some(prompt) = ui.prompt.take() else {
        return Effect::Nothing;
    };
    let open = (snapshot.alerts.iter()).any(|alert| alert.id == prompt.alert.id);
    if !open {
        ui.message = Some(format!(
            "#{} ({}) closed while you chose: nothing silenced",
            prompt.alert.id, prompt.alert.key
        ));
        return Effect::Nothing;
    }
    let mut targets = alerts::targets(&prompt.alert);
    if index >= targets.len() {
        ui.prompt = Some(prompt);
        return Effect::Nothing;
    }
    let (target, label) = targets.swap_remove(index);
    let time = humantime::format_duration(duration);
    ui.message = Some(format!("silencing {label} for {time}"));
    Effect::Send(Command::Silence {
        target,
        duration,
        by: ui.operator.clone(),
        comment: None,
        reply: None,
    })
}
