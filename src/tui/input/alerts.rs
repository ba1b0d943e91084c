//! Keys for alerts: the pane's focus and movement, the alert detail and history views,
//! acknowledging (with or without a note), silencing, and the severity filter.

use std::sync::Arc;

use crate::alert::MAINTENANCE_SILENCE_ID;
use crate::config::Severity;
use crate::event::Command;
use crate::tui::ack_prompt::AckPrompt;
use crate::tui::alerts::{self, Focus, PromptStep, SilencePrompt, silence_target};
use crate::tui::confirm::Confirm;
use crate::tui::input::{Effect, Grid};
use crate::tui::keys::Action;
use crate::tui::ui_state::{Mode, UiState};
use crate::view::alert::{AlertState, AlertView, Silence, SilenceTarget};
use crate::view::alertmanager::Remote;
use crate::view::check::ServiceId;
use crate::view::snapshot::Snapshot;

/// Handles `action` where it concerns alerts; `None` leaves it to the service keys.
pub(super) fn handle(
    ui: &mut UiState,
    action: Action,
    snapshot: &Snapshot,
    grid: Grid,
) -> Option<Effect> {
    match action {
        Action::Ack | Action::AckWithNote | Action::Unack | Action::Silence | Action::Unsilence => {
            return Some(act(ui, action, snapshot));
        }
        Action::SeverityFilter => {
            ui.min_severity = alerts::next_filter(ui.min_severity);
            ui.message = Some(filter_message(ui.min_severity).to_string());
            return Some(Effect::Nothing);
        }
        Action::History => {
            ui.mode = if ui.mode == Mode::AlertHistory {
                Mode::Dashboard
            } else {
                Mode::AlertHistory
            };
            return Some(Effect::Nothing);
        }
        Action::FocusAlerts => {
            if ui.mode == Mode::Dashboard && ui.focus == Focus::Alerts {
                ui.focus = Focus::Cards;
            } else {
                ui.mode = Mode::Dashboard;
                ui.focus = Focus::Alerts;
                // Coming into the pane, an alert that closed while the cards had the
                // keys is not held: the first one shown is selected, in plain sight.
                let list = &snapshot.alerts;
                if !list.iter().any(|a| Some(a.id) == ui.alert_selected) {
                    ui.alert_selected = alerts::nth(list, ui.min_severity, 0).map(|a| a.id);
                    ui.alert_row = 0;
                }
            }
            return Some(Effect::Nothing);
        }
        _ => {}
    }
    let min = ui.min_severity;
    match ui.mode.clone() {
        Mode::AlertHistory => match action {
            Action::Back => ui.mode = Mode::Dashboard,
            Action::OpenDetail => {
                if let Some(alert) = selected(&snapshot.alert_history, min, ui.history_selected) {
                    ui.mode = Mode::AlertDetail {
                        id: alert.id,
                        from_history: true,
                    };
                }
            }
            _ if is_movement(action) => {
                let list = &snapshot.alert_history;
                let moved = moved(list, min, ui.history_selected, 0, action, grid);
                ui.history_selected = moved.or(ui.history_selected);
            }
            Action::NextPane | Action::StartFilter => {}
            _ => return None,
        },
        Mode::AlertDetail { id, from_history } => match action {
            Action::Back if from_history => ui.mode = Mode::AlertHistory,
            Action::Back => ui.mode = Mode::Dashboard,
            _ if is_movement(action) => {
                let (list, selection) = if from_history {
                    (&snapshot.alert_history, &mut ui.history_selected)
                } else {
                    (&snapshot.alerts, &mut ui.alert_selected)
                };
                if let Some(next) = moved(list, min, Some(id), 0, action, grid) {
                    *selection = Some(next);
                    ui.mode = Mode::AlertDetail {
                        id: next,
                        from_history,
                    };
                }
            }
            Action::OpenDetail | Action::NextPane | Action::StartFilter => {}
            _ => return None,
        },
        Mode::Dashboard if ui.focus == Focus::Alerts => match action {
            Action::Back => ui.focus = Focus::Cards,
            // The jobs panel comes after the alerts, when the config has one.
            Action::NextPane if snapshot.jobs.is_some() => ui.focus = Focus::Jobs,
            Action::NextPane => {
                ui.focus = Focus::Cards;
                ui.selected = None;
                ui.settle(snapshot);
            }
            Action::OpenDetail => match selected(&snapshot.alerts, min, ui.alert_selected) {
                Some(alert) => {
                    ui.mode = Mode::AlertDetail {
                        id: alert.id,
                        from_history: false,
                    };
                }
                None => ui.message = Some(gone(ui, snapshot)),
            },
            _ if is_movement(action) => {
                let list = &snapshot.alerts;
                let moved = moved(list, min, ui.alert_selected, ui.alert_row, action, grid);
                ui.alert_selected = moved.or(ui.alert_selected);
            }
            Action::Left | Action::Right => {}
            _ => return None,
        },
        _ => return None,
    }
    Some(Effect::Nothing)
}

/// The service an alert key's `r` or `p` goes to: the selected alert's subject.
pub(super) fn subject_service(ui: &UiState, snapshot: &Snapshot) -> Option<ServiceId> {
    let alert = target(ui, snapshot)?;
    snapshot
        .services
        .iter()
        .find(|s| s.config.name == alert.key.subject)
        .map(|s| s.id)
}

fn is_movement(action: Action) -> bool {
    matches!(
        action,
        Action::Up | Action::Down | Action::PageUp | Action::PageDown | Action::Home | Action::End
    )
}

/// The selected alert, when it is shown: never another one in its place.
fn selected(
    list: &[Arc<AlertView>],
    min: Option<Severity>,
    id: Option<u64>,
) -> Option<&Arc<AlertView>> {
    let (index, _) = alerts::position(list, min, id);
    alerts::nth(list, min, index?)
}

/// What a key that acts on the selected alert says when that alert is gone.
fn gone(ui: &UiState, snapshot: &Snapshot) -> String {
    let Some(id) = ui.alert_selected else {
        return "no alert selected".to_string();
    };
    let another = alerts::select_another(&ui.keys);
    match snapshot.alert_history.iter().find(|a| a.id == id) {
        Some(alert) => format!(
            "the selected alert ({}) has {}: nothing done; {another}",
            alert.key,
            alert.state.as_str()
        ),
        None => format!("the selected alert (#{id}) is gone: nothing done; {another}"),
    }
}

/// The id selected after a movement key in a list of alerts; from `row` when the
/// current selection is not shown (it resolved).
fn moved(
    list: &[Arc<AlertView>],
    min: Option<Severity>,
    current: Option<u64>,
    row: usize,
    action: Action,
    grid: Grid,
) -> Option<u64> {
    let (index, count) = alerts::position(list, min, current);
    let last = count.checked_sub(1)?;
    let page = grid.list_page.max(1);
    let Some(index) = index else {
        // The selected alert is gone from `row`: the one now there is the next, the one
        // above it the previous.
        let next = match action {
            Action::Up => row.saturating_sub(1),
            Action::PageUp => row.saturating_sub(page),
            Action::PageDown => row.saturating_add(page),
            Action::Home => 0,
            Action::End => last,
            _ => row,
        };
        return alerts::nth(list, min, next.min(last)).map(|alert| alert.id);
    };
    let next = match action {
        Action::Down => (index + 1).min(last),
        Action::Up => index.saturating_sub(1),
        Action::PageDown => index.saturating_add(page).min(last),
        Action::PageUp => index.saturating_sub(page),
        Action::Home => 0,
        Action::End => last,
        _ => index,
    };
    alerts::nth(list, min, next).map(|alert| alert.id)
}

/// The alert `a`, `A`, `u`, `s` and `S` act on: the one in detail, the pane's or history's
/// selection, or the worst alert of the selected service.
fn target<'a>(ui: &UiState, snapshot: &'a Snapshot) -> Option<&'a Arc<AlertView>> {
    let min = ui.min_severity;
    match &ui.mode {
        Mode::AlertDetail { id, .. } => alerts::find(snapshot, *id),
        Mode::AlertHistory => selected(&snapshot.alert_history, min, ui.history_selected),
        Mode::Dashboard if ui.focus == Focus::Alerts => {
            selected(&snapshot.alerts, min, ui.alert_selected)
        }
        Mode::Dashboard if ui.focus == Focus::Jobs => None,
        Mode::Dashboard => {
            let id = ui.selected_id(snapshot, &ui.visible(snapshot))?;
            alerts::worst_for(snapshot, &snapshot.services.get(id)?.config.name)
        }
        Mode::Detail(name) => alerts::worst_for(snapshot, name),
        Mode::System => None,
    }
}

fn act(ui: &mut UiState, action: Action, snapshot: &Snapshot) -> Effect {
    let Some(alert) = target(ui, snapshot).map(Arc::clone) else {
        let to_pane = ui
            .keys
            .aside(Action::FocusAlerts, " goes to the alert pane");
        let text = match ui.mode {
            Mode::Dashboard if ui.focus == Focus::Cards => {
                format!("no alert on this service{to_pane}")
            }
            Mode::Dashboard if ui.focus == Focus::Jobs => format!("no alert selected{to_pane}"),
            Mode::Detail(_) => "no alert on this service".to_string(),
            Mode::Dashboard if ui.focus == Focus::Alerts => gone(ui, snapshot),
            _ => "no alert selected".to_string(),
        };
        ui.message = Some(text);
        return Effect::Nothing;
    };
    if let Some(remote) = &alert.origin {
        return remote_act(ui, action, &alert, remote);
    }
    let key = &alert.key;
    let (message, effect) = match (action, alert.state) {
        (_, state) if state.is_closed() => (
            format!("{key} is {} already", state.as_str()),
            Effect::Nothing,
        ),
        (Action::Ack, AlertState::Acked) => {
            let by = alert.ack.as_ref().map_or("someone", |ack| ack.by.as_str());
            (format!("{key} is acked already by {by}"), Effect::Nothing)
        }
        (Action::Ack, _) => return ack(ui, &alert, None),
        // The core takes a new ack over an old one, so an acked alert may get a note.
        (Action::AckWithNote, _) => {
            ui.ack_prompt = Some(AckPrompt::new(Arc::clone(&alert)));
            return Effect::Nothing;
        }
        (Action::Unack, _) if alert.ack.is_none() => {
            (format!("{key} is not acked"), Effect::Nothing)
        }
        (Action::Unack, _) => (
            format!("un-acknowledging {key}"),
            Effect::Send(Command::Unack {
                alert: alert.id,
                reply: None,
            }),
        ),
        (Action::Unsilence, _) => match &alert.silence {
            None => (format!("{key} is not silenced"), Effect::Nothing),
            Some(silence) => return end_silence(ui, snapshot, &alert, silence),
        },
        _ => {
            ui.prompt = Some(SilencePrompt {
                alert: Arc::clone(&alert),
                step: PromptStep::Duration { choice: 0 },
            });
            return Effect::Nothing;
        }
    };
    ui.message = Some(message);
    effect
}

/// `S`: ends the silence on `alert` at once when it covers that alert alone; asks first
/// when it covers more (its subject, its group), naming how many alerts it quiets now;
/// says a maintenance window cannot be ended from here.
fn end_silence(
    ui: &mut UiState,
    snapshot: &Snapshot,
    alert: &AlertView,
    silence: &Silence,
) -> Effect {
    let key = &alert.key;
    if silence.id == MAINTENANCE_SILENCE_ID {
        let name = silence.comment.as_deref().unwrap_or("maintenance");
        ui.message = Some(format!(
            "{key} is in the maintenance window {name}, which is config: it ends with the \
             window, or edit [[alerts.maintenance]]"
        ));
        return Effect::Nothing;
    }
    let command = Command::Unsilence {
        silence: silence.id,
        reply: None,
    };
    if silence.target == SilenceTarget::Alert(key.clone()) {
        ui.message = Some(format!("ending the silence on {key}"));
        return Effect::Send(command);
    }
    let covered = (snapshot.alerts.iter())
        .filter(|a| a.silence.as_ref().is_some_and(|s| s.id == silence.id))
        .count();
    let what = silence_target(&silence.target);
    ui.confirm = Some(Confirm {
        title: "end a silence".to_string(),
        lines: vec![
            format!("{}'s silence #{} is of {what},", silence.by, silence.id),
            format!(
                "not only {key}: it quiets {covered} alert{} now.",
                if covered == 1 { "" } else { "s" }
            ),
            "End it for all of them?".to_string(),
        ],
        command,
        doing: format!("ending {}'s silence of {what}", silence.by),
        kept: format!("the silence of {what} stays"),
    });
    Effect::Nothing
}

/// The keys on an Alertmanager's alert: `a`, `A` and `s` silence it there (asking how
/// long), `u` and `S` end the silences made for it.
fn remote_act(ui: &mut UiState, action: Action, alert: &Arc<AlertView>, remote: &Remote) -> Effect {
    let key = &alert.key;
    let source = &remote.source;
    let (message, effect) = match action {
        Action::Ack | Action::AckWithNote | Action::Silence => {
            ui.prompt = Some(SilencePrompt {
                alert: Arc::clone(alert),
                step: PromptStep::Duration { choice: 0 },
            });
            return Effect::Nothing;
        }
        _ if remote.own_silences().next().is_some() => (
            format!("ending the silence of {key} in Alertmanager {source}"),
            Effect::Send(Command::ExpireRemote {
                alert: alert.id,
                reply: None,
            }),
        ),
        _ => (remote.nothing_to_expire(key), Effect::Nothing),
    };
    ui.message = Some(message);
    effect
}

/// Asks the core to acknowledge `alert` as this screen's operator, and says so.
pub(super) fn ack(ui: &mut UiState, alert: &AlertView, note: Option<String>) -> Effect {
    ui.message = Some(format!("acknowledging {} as {}", alert.key, ui.operator));
    Effect::Send(Command::Ack {
        alert: alert.id,
        by: ui.operator.clone(),
        note,
        reply: None,
    })
}

fn filter_message(min: Option<Severity>) -> &'static str {
    match min {
        None => "alerts: every severity",
        Some(Severity::Low) => "alerts: low and above",
        Some(Severity::Medium) => "alerts: medium and above",
        Some(Severity::High) => "alerts: high and above",
        Some(Severity::Critical) => "alerts: critical only",
    }
}
