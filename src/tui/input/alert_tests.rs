//! Key handling for alerts: focus, movement, ack, un-ack, ending a silence, the detail
//! and history views, the severity filter (the silence prompt: `prompt_tests.rs`). Sample alerts in pane order:
//! 44 /var (crit, silenced), 41 billing (crit, firing), 43 cpu (high, flapping),
//! 42 notify (high, acked), 50 jobs db, 47 stuck jobs, 46 media, 45 auth (pending),
//! 49 long subject (low), 48 inventory (low, silenced).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Effect, Grid, handle_key};
use crate::config::Severity;
use crate::event::Command;
use crate::state::Snapshot;
use crate::state::sample::sample_snapshot;
use crate::state::sample_alerts::sample_alerts;
use crate::test_support::at;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Mode, UiState};

const GRID: Grid = Grid {
    columns: 2,
    page: 4,
    list_page: 3,
};

pub(super) fn snapshot() -> Snapshot {
    let mut snapshot = sample_snapshot(12, at(0));
    (snapshot.alerts, snapshot.alert_history) = sample_alerts(at(0));
    snapshot
}

pub(super) fn ui() -> UiState {
    UiState {
        operator: "ana@db1".to_string(),
        ..UiState::default()
    }
}

pub(super) fn press(ui: &mut UiState, snap: &Snapshot, codes: &[KeyCode]) -> Effect {
    let mut effect = Effect::Nothing;
    for code in codes {
        effect = handle_key(ui, KeyEvent::new(*code, KeyModifiers::NONE), snap, GRID);
    }
    effect
}

#[test]
fn focus_moves_by_tab_bang_and_esc() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    // Groups: ungrouped (reports, media, geo) then edge, core, data.
    press(&mut ui, &snap, &[Tab, Tab, Tab]);
    assert_eq!((ui.focus, ui.selected), (Focus::Cards, Some(6)));
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(ui.focus, Focus::Alerts, "after the last group");
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(
        (ui.focus, ui.selected),
        (Focus::Cards, Some(9)),
        "back to the first"
    );
    press(&mut ui, &snap, &[Char('!')]);
    assert_eq!(ui.focus, Focus::Alerts);
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.focus, Focus::Cards);
    press(&mut ui, &snap, &[Char('!'), Char('!')]);
    assert_eq!(ui.focus, Focus::Cards);
    // From a detail view, `!` goes to the dashboard's alert pane.
    ui.mode = Mode::Detail(2);
    press(&mut ui, &snap, &[Char('!')]);
    assert_eq!((ui.mode, ui.focus), (Mode::Dashboard, Focus::Alerts));
}

#[test]
fn movement_in_the_pane_selects_by_id() {
    use KeyCode::*;
    let cases: &[(&[KeyCode], Option<u64>)] = &[
        (&[Char('j')], Some(41)),
        (&[Down, Down, Char('k')], Some(41)),
        (&[Char('G')], Some(48)),
        (&[End, Char('g')], Some(44)),
        (&[PageDown], Some(42)),
        (&[PageDown, PageDown, PageDown, PageDown], Some(48)),
        (&[Up], Some(44)),
    ];
    let snap = snapshot();
    for (keys, want) in cases {
        let mut ui = ui();
        ui.focus = Focus::Alerts;
        press(&mut ui, &snap, keys);
        assert_eq!(ui.alert_selected, *want, "{keys:?}");
        assert_eq!(ui.selected, None, "cards keep their selection: {keys:?}");
    }
}

#[test]
fn ack_unack_and_end_a_silence() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    let ack = |id| {
        Effect::Send(Command::Ack {
            alert: id,
            by: "ana@db1".to_string(),
            note: None,
            reply: None,
        })
    };
    // j: billing, firing.
    assert_eq!(press(&mut ui, &snap, &[Char('j'), Char('a')]), ack(41));
    assert_eq!(
        ui.message.as_deref(),
        Some("acknowledging service_down/billing as ana@db1")
    );
    assert_eq!(press(&mut ui, &snap, &[Char('u')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("service_down/billing is not acked")
    );
    assert_eq!(press(&mut ui, &snap, &[Char('S')]), Effect::Nothing);
    // notify: acked by ana@db1.
    assert_eq!(
        press(&mut ui, &snap, &[Char('j'), Char('j'), Char('a')]),
        Effect::Nothing
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("service_down/notify is acked already by ana@db1")
    );
    assert_eq!(
        press(&mut ui, &snap, &[Char('u')]),
        Effect::Send(Command::Unack {
            alert: 42,
            reply: None
        })
    );
    // /var/lib/postgresql: under silence 7.
    assert_eq!(
        press(&mut ui, &snap, &[Char('g'), Char('S')]),
        Effect::Send(Command::Unsilence {
            silence: 7,
            reply: None
        })
    );
    // A silenced alert can still be acked.
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), ack(44));
}

#[test]
fn on_the_cards_alert_keys_take_the_services_worst_alert() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.selected = Some(2); // billing
    let effect = press(&mut ui, &snap, &[Char('a')]);
    assert!(
        matches!(effect, Effect::Send(Command::Ack { alert: 41, .. })),
        "{effect:?}"
    );
    ui.selected = Some(0); // gateway: no alert
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("no alert on this service (! goes to the alert pane)")
    );
    ui.mode = Mode::Detail(8); // notify, in detail
    assert!(matches!(
        press(&mut ui, &snap, &[Char('u')]),
        Effect::Send(Command::Unack { alert: 42, .. })
    ));
    // `r` on an alert checks its service now.
    ui.mode = Mode::Dashboard;
    ui.focus = Focus::Alerts;
    assert_eq!(
        press(&mut ui, &snap, &[Char('j'), Char('r')]),
        Effect::Send(Command::CheckNow(2))
    );
}

#[test]
fn detail_and_history_views() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    press(&mut ui, &snap, &[Char('j'), Enter]);
    assert_eq!(
        ui.mode,
        Mode::AlertDetail {
            id: 41,
            from_history: false
        }
    );
    press(&mut ui, &snap, &[Char('j')]);
    assert_eq!(
        ui.mode,
        Mode::AlertDetail {
            id: 43,
            from_history: false
        }
    );
    assert_eq!(ui.alert_selected, Some(43));
    press(&mut ui, &snap, &[Esc]);
    assert_eq!((ui.mode, ui.focus), (Mode::Dashboard, Focus::Alerts));

    press(&mut ui, &snap, &[Char('H')]);
    assert_eq!(ui.mode, Mode::AlertHistory);
    press(&mut ui, &snap, &[Char('j'), Char('j'), Enter]);
    assert_eq!(
        ui.mode,
        Mode::AlertDetail {
            id: 38,
            from_history: true
        }
    );
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("cpu_spike/cpu is resolved already")
    );
    press(&mut ui, &snap, &[Char('k')]);
    assert_eq!(
        ui.mode,
        Mode::AlertDetail {
            id: 39,
            from_history: true
        }
    );
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.mode, Mode::AlertHistory);
    assert_eq!(ui.history_selected, Some(39));
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.mode, Mode::Dashboard);
    press(&mut ui, &snap, &[Char('H'), Char('H')]);
    assert_eq!(ui.mode, Mode::Dashboard, "H toggles");
}

#[test]
fn severity_filter_cycles_and_the_selection_follows_it() {
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    let want = [
        (Some(Severity::Medium), "alerts: medium and above"),
        (Some(Severity::High), "alerts: high and above"),
        (Some(Severity::Critical), "alerts: critical only"),
        (None, "alerts: every severity"),
    ];
    for (min, message) in want {
        press(&mut ui, &snap, &[KeyCode::Char('f')]);
        assert_eq!(
            (ui.min_severity, ui.message.as_deref()),
            (min, Some(message))
        );
    }
    // At critical only, End reaches billing, the last critical one.
    ui.min_severity = Some(Severity::Critical);
    press(&mut ui, &snap, &[KeyCode::End]);
    assert_eq!(ui.alert_selected, Some(41));
}

#[test]
fn no_alerts_no_panic() {
    use KeyCode::*;
    let snap = sample_snapshot(3, at(0));
    let mut ui = ui();
    for code in [
        Char('!'),
        Down,
        Enter,
        Char('a'),
        Char('u'),
        Char('s'),
        Char('S'),
        Char('H'),
    ] {
        assert_eq!(press(&mut ui, &snap, &[code]), Effect::Nothing, "{code:?}");
    }
    assert_eq!(ui.prompt, None);
    press(&mut ui, &snap, &[Enter, Esc]);
    assert_eq!(ui.mode, Mode::Dashboard);
}
