//! Key handling for the job monitor: `J` anywhere, the jobs panel in the `Tab` cycle, and
//! `r` there asking for a pass (elsewhere it still checks a service).

use std::sync::Arc;

use crossterm::event::KeyCode;

use super::alert_tests::{press, snapshot, ui};
use super::{Effect, Grid, handle_key};
use crate::event::Command;
use crate::state::sample_jobs::{sample_jobs_view, stopped_jobs_view};
use crate::test_support::at;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::Mode;
use crate::view::jobs::JobsView;
use crate::view::snapshot::Snapshot;

fn with_jobs(view: JobsView) -> Snapshot {
    Snapshot {
        jobs: Some(Arc::new(view)),
        ..snapshot()
    }
}

/// Tab from the first group to the alert pane: three more groups, then the pane.
const TO_ALERTS: [KeyCode; 4] = [KeyCode::Tab; 4];

#[test]
fn capital_j_toggles_the_monitor_from_any_screen() {
    use KeyCode::*;
    let running = with_jobs(sample_jobs_view(at(0)));
    let modes = [
        Mode::Dashboard,
        Mode::Detail("billing".into()),
        Mode::System,
        Mode::AlertHistory,
    ];
    for mode in modes {
        let mut ui = ui();
        ui.mode = mode.clone();
        assert_eq!(
            press(&mut ui, &running, &[Char('J')]),
            Effect::Send(Command::SetJobsRunning(false)),
            "{mode:?}"
        );
        assert_eq!(ui.message.as_deref(), Some("stopping the job monitor"));
        assert_eq!(ui.mode, mode, "J changes no screen");
    }
    // Starting it writes to the queue's database: it asks first, with a dry run.
    let stopped = with_jobs(stopped_jobs_view(at(0)));
    let mut ui = ui();
    assert_eq!(
        press(&mut ui, &stopped, &[Char('J')]),
        Effect::Send(Command::PreviewJobsPass(1))
    );
    assert!(ui.jobs_prompt.is_some());
    assert_eq!(
        press(&mut ui, &stopped, &[Char('y')]),
        Effect::Send(Command::SetJobsRunning(true))
    );
    assert_eq!(ui.message.as_deref(), Some("starting the job monitor"));
    assert_eq!(ui.jobs_prompt, None);
}

#[test]
fn a_key_that_would_write_asks_and_any_key_but_y_keeps_things_as_they_are() {
    use KeyCode::*;
    let stopped = with_jobs(stopped_jobs_view(at(0)));
    for (key, said) in [
        (Enter, "the job monitor stays off"),
        (Char('J'), "the job monitor stays off"),
        (Esc, "the job monitor stays off"),
    ] {
        let mut ui = ui();
        press(&mut ui, &stopped, &[Char('J')]);
        assert_eq!(press(&mut ui, &stopped, &[key]), Effect::Nothing, "{key:?}");
        assert_eq!(ui.message.as_deref(), Some(said));
        assert_eq!(ui.jobs_prompt, None);
    }
    // Each question waits for its own dry run.
    let mut ui = ui();
    press(&mut ui, &stopped, &[Char('J'), Esc]);
    assert_eq!(
        press(&mut ui, &stopped, &[Char('J')]),
        Effect::Send(Command::PreviewJobsPass(2))
    );
    // A monitor that never writes starts without asking.
    let dry = with_jobs(JobsView {
        running: false,
        ..crate::state::sample_jobs::dry_run_jobs_view(at(0))
    });
    let mut ui = self::ui();
    assert_eq!(
        press(&mut ui, &dry, &[Char('J')]),
        Effect::Send(Command::SetJobsRunning(true))
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("starting the job monitor (it writes nothing)")
    );
}

#[test]
fn without_jobs_capital_j_only_says_so() {
    let mut ui = ui();
    let effect = press(&mut ui, &snapshot(), &[KeyCode::Char('J')]);
    assert_eq!(effect, Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("no [jobs] in the config: nothing to start")
    );
}

#[test]
fn tab_goes_from_the_alerts_to_the_jobs_and_back_to_the_cards() {
    use KeyCode::*;
    let snap = with_jobs(sample_jobs_view(at(0)));
    let mut ui = ui();
    press(&mut ui, &snap, &TO_ALERTS);
    assert_eq!(ui.focus, Focus::Alerts);
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(ui.focus, Focus::Jobs, "after the alerts");
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(
        (ui.focus, ui.selected),
        (Focus::Cards, Some("reports".to_string())),
        "the first"
    );
    // Without [jobs] the cycle is as it was: the alerts, then the cards.
    let plain = snapshot();
    let mut ui = super::alert_tests::ui();
    press(&mut ui, &plain, &TO_ALERTS);
    press(&mut ui, &plain, &[Tab]);
    assert_eq!(ui.focus, Focus::Cards);
}

#[test]
fn r_on_the_jobs_panel_runs_a_pass_elsewhere_it_checks_a_service() {
    use KeyCode::*;
    let snap = with_jobs(sample_jobs_view(at(0)));
    let mut ui = ui();
    assert_eq!(
        press(&mut ui, &snap, &[Char('r')]),
        Effect::Send(Command::CheckNow("reports".into())),
        "on the cards"
    );
    ui.focus = Focus::Jobs;
    assert_eq!(
        press(&mut ui, &snap, &[Char('r')]),
        Effect::Send(Command::PreviewJobsPass(1))
    );
    assert_eq!(
        press(&mut ui, &snap, &[Char('y')]),
        Effect::Send(Command::RunJobsPass)
    );
    assert_eq!(ui.message.as_deref(), Some("job monitor: a pass now"));
    // Movement, Enter and p do nothing while the panel has the focus.
    for code in [Down, Up, Enter, Char('p'), End] {
        assert_eq!(press(&mut ui, &snap, &[code]), Effect::Nothing, "{code:?}");
        assert_eq!((ui.focus, ui.mode.clone()), (Focus::Jobs, Mode::Dashboard));
    }
    // Alert keys find no alert here and say where the alerts are.
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("no alert selected (! goes to the alert pane)")
    );
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.focus, Focus::Cards);
    ui.focus = Focus::Jobs;
    press(&mut ui, &snap, &[Char('!')]);
    assert_eq!(ui.focus, Focus::Alerts, "! jumps to the alerts");
}

#[test]
fn r_while_the_monitor_is_off_says_how_to_start_it() {
    let snap = with_jobs(stopped_jobs_view(at(0)));
    let mut ui = ui();
    ui.focus = Focus::Jobs;
    assert_eq!(
        press(&mut ui, &snap, &[KeyCode::Char('r')]),
        Effect::Nothing
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("the job monitor is off (J starts it)")
    );
}

#[test]
fn a_reload_without_jobs_gives_the_focus_back_to_the_cards() {
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Jobs;
    let grid = Grid {
        columns: 2,
        page: 4,
        list_page: 3,
    };
    let key = crossterm::event::KeyEvent::from(KeyCode::Char('r'));
    ui.settle(&snap);
    assert_eq!(
        handle_key(&mut ui, key, &snap, grid),
        Effect::Send(Command::CheckNow("reports".into()))
    );
    assert_eq!(ui.focus, Focus::Cards);
}

#[test]
fn y_on_a_dry_run_too_old_looks_again_and_asks_again() {
    use KeyCode::*;
    let snap = with_jobs(sample_jobs_view(at(0)));
    let mut ui = ui();
    ui.focus = Focus::Jobs;
    assert_eq!(
        press(&mut ui, &snap, &[Char('r')]),
        Effect::Send(Command::PreviewJobsPass(1))
    );
    // The person on call looked away for half a minute before answering.
    let old = std::time::Instant::now()
        .checked_sub(std::time::Duration::from_secs(30))
        .expect("an instant 30 s ago");
    if let Some(prompt) = ui.jobs_prompt.as_mut() {
        prompt.asked = old;
    }
    assert_eq!(
        press(&mut ui, &snap, &[Char('y')]),
        Effect::Send(Command::PreviewJobsPass(2)),
        "not the pass: a new dry run"
    );
    assert_eq!(ui.jobs_prompt.map(|p| p.preview), Some(2), "asked again");
    let message = ui.message.clone().unwrap_or_default();
    assert!(message.contains("30s old: looked again"), "{message}");
    assert_eq!(
        press(&mut ui, &snap, &[Char('y')]),
        Effect::Send(Command::RunJobsPass),
        "a fresh picture: y acts"
    );
}
