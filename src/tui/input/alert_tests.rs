//! Key handling for alerts: focus, movement, ack, un-ack, ending a silence, the detail
//! and history views, the severity filter (the silence prompt: `prompt_tests.rs`). Sample alerts in pane order:
//! 44 /var (crit, silenced), 41 billing (crit, firing), 43 cpu (high, flapping),
//! 42 notify (high, acked), 50 jobs db, 47 stuck jobs, 46 media, 45 auth (pending),
//! 49 long subject (low), 48 inventory (low, silenced).

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{Effect, Grid, handle_key};
use crate::config::Severity;
use crate::event::Command;
use crate::state::sample::sample_snapshot;
use crate::state::sample_alerts::sample_alerts;
use crate::test_support::at;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Mode, UiState};
use crate::view::snapshot::Snapshot;

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

/// Presses keys as the app does: the selection settled on the snapshot before each key
/// and after it.
pub(super) fn press(ui: &mut UiState, snap: &Snapshot, codes: &[KeyCode]) -> Effect {
    let mut effect = Effect::Nothing;
    for code in codes {
        ui.settle(snap);
        effect = handle_key(ui, KeyEvent::new(*code, KeyModifiers::NONE), snap, GRID);
        ui.settle(snap);
    }
    effect
}

fn some(name: &str) -> Option<String> {
    Some(name.to_string())
}

#[test]
fn focus_moves_by_tab_bang_and_esc() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    // Groups: ungrouped (reports, media, geo) then edge, core, data.
    press(&mut ui, &snap, &[Tab, Tab, Tab]);
    assert_eq!(
        (ui.focus, ui.selected.clone()),
        (Focus::Cards, some("payments"))
    );
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(ui.focus, Focus::Alerts, "after the last group");
    press(&mut ui, &snap, &[Tab]);
    assert_eq!(
        (ui.focus, ui.selected.clone()),
        (Focus::Cards, some("reports")),
        "back to the first"
    );
    press(&mut ui, &snap, &[Char('!')]);
    assert_eq!(ui.focus, Focus::Alerts);
    press(&mut ui, &snap, &[Esc]);
    assert_eq!(ui.focus, Focus::Cards);
    press(&mut ui, &snap, &[Char('!'), Char('!')]);
    assert_eq!(ui.focus, Focus::Cards);
    // From a detail view, `!` goes to the dashboard's alert pane.
    ui.mode = Mode::Detail("billing".into());
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
        assert_eq!(
            ui.selected,
            some("reports"),
            "cards keep their selection: {keys:?}"
        );
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
    // /var/lib/postgresql: under silence 7, of every alert about it. `S` asks first,
    // saying how wide it is; `y` ends it.
    assert_eq!(
        press(&mut ui, &snap, &[Char('g'), Char('S')]),
        Effect::Nothing
    );
    let asked = ui.confirm.as_ref().map(|c| c.lines.join(" "));
    assert_eq!(
        asked.as_deref(),
        Some(
            "bo@ops-laptop's silence #7 is of every alert about /var/lib/postgresql, not \
             only resource_exhaustion//var/lib/postgresql: it quiets 1 alert now. End it for \
             all of them?"
        )
    );
    assert_eq!(
        press(&mut ui, &snap, &[Char('y')]),
        Effect::Send(Command::Unsilence {
            silence: 7,
            reply: None
        })
    );
    assert_eq!(
        ui.message.as_deref(),
        Some("ending bo@ops-laptop's silence of every alert about /var/lib/postgresql")
    );
    // A silenced alert can still be acked.
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), ack(44));
}

#[test]
fn on_the_cards_alert_keys_take_the_services_worst_alert() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.selected = some("billing");
    let effect = press(&mut ui, &snap, &[Char('a')]);
    assert!(
        matches!(effect, Effect::Send(Command::Ack { alert: 41, .. })),
        "{effect:?}"
    );
    ui.selected = some("gateway"); // no alert
    assert_eq!(press(&mut ui, &snap, &[Char('a')]), Effect::Nothing);
    assert_eq!(
        ui.message.as_deref(),
        Some("no alert on this service (! goes to the alert pane)")
    );
    ui.mode = Mode::Detail("notify".into());
    assert!(matches!(
        press(&mut ui, &snap, &[Char('u')]),
        Effect::Send(Command::Unack { alert: 42, .. })
    ));
    // `r` on an alert checks its service now.
    ui.mode = Mode::Dashboard;
    ui.focus = Focus::Alerts;
    assert_eq!(
        press(&mut ui, &snap, &[Char('j'), Char('r')]),
        Effect::Send(Command::CheckNow("billing".into()))
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
    assert_eq!(
        (ui.mode.clone(), ui.focus),
        (Mode::Dashboard, Focus::Alerts)
    );

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

/// The snapshot with a new critical alert that sorts first, as one arriving between
/// two frames does.
fn with_new_critical(snap: &Snapshot) -> Snapshot {
    let mut next = snap.clone();
    let mut critical = (*next.alerts[1]).clone();
    critical.id = 60;
    critical.key.subject = "ledger".to_string();
    critical.started = at(0) - std::time::Duration::from_secs(100_000);
    next.alerts.insert(0, std::sync::Arc::new(critical));
    next
}

fn ack_of(id: u64) -> Effect {
    Effect::Send(Command::Ack {
        alert: id,
        by: "ana@db1".to_string(),
        note: None,
        reply: None,
    })
}

#[test]
fn the_cursor_stays_on_its_alert_while_the_list_re_sorts_under_it() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    // On media (46), fifth row; a critical alert arrives and sorts first.
    press(&mut ui, &snap, &[Down, Down, Down, Down, Down, Down]);
    assert_eq!(ui.alert_selected, Some(46));
    let moved = with_new_critical(&snap);
    ui.settle(&moved);
    assert_eq!(press(&mut ui, &moved, &[Char('a')]), ack_of(46));
    // From the first draw on, the first row is selected by id: an alert sorting above
    // it does not take its place.
    let mut fresh = self::ui();
    fresh.focus = Focus::Alerts;
    fresh.settle(&snap);
    assert_eq!(fresh.alert_selected, Some(44));
    assert_eq!(press(&mut fresh, &moved, &[Char('a')]), ack_of(44));
}

#[test]
fn a_selected_alert_that_resolves_is_said_gone_and_nothing_is_done() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    press(&mut ui, &snap, &[Down]);
    assert_eq!(ui.alert_selected, Some(41));
    // billing (41) resolves between two frames: it leaves the pane for the history.
    let mut resolved = snap.clone();
    let mut billing = (*resolved.alerts.remove(1)).clone();
    billing.state = crate::view::alert::AlertState::Resolved;
    billing.resolved = Some(at(0));
    resolved
        .alert_history
        .insert(0, std::sync::Arc::new(billing));
    ui.settle(&resolved);
    assert_eq!(ui.alert_selected, Some(41), "the id stays");
    for key in ['a', 'A', 's', 'u', 'S'] {
        assert_eq!(press(&mut ui, &resolved, &[Char(key)]), Effect::Nothing);
        assert_eq!(
            ui.message.as_deref(),
            Some(
                "the selected alert (service_down/billing) has resolved: nothing done; \
                 j/k selects another"
            ),
            "{key}"
        );
        assert_eq!((&ui.prompt, &ui.ack_prompt), (&None, &None), "{key}");
    }
    // j takes the alert now on its row (cpu, 43); k the one above it (/var, 44).
    let mut down = ui.clone();
    press(&mut down, &resolved, &[Down]);
    assert_eq!(down.alert_selected, Some(43));
    press(&mut ui, &resolved, &[Up]);
    assert_eq!(ui.alert_selected, Some(44));
}

#[test]
fn ending_a_group_silence_from_one_alert_asks_and_any_other_key_keeps_it() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    // inventory (48), last, under cy@pager's silence of group core.
    assert_eq!(press(&mut ui, &snap, &[End, Char('S')]), Effect::Nothing);
    let confirm = ui.confirm.clone().expect("a question");
    assert_eq!(
        confirm.lines[0],
        "cy@pager's silence #8 is of every alert in group core,"
    );
    for key in [Enter, Esc, Char('n'), Char('S')] {
        ui.confirm = Some(confirm.clone());
        assert_eq!(press(&mut ui, &snap, &[key]), Effect::Nothing, "{key:?}");
        assert_eq!(ui.confirm, None);
        assert_eq!(
            ui.message.as_deref(),
            Some("the silence of every alert in group core stays")
        );
    }
    // One alert's own silence ends at once.
    let mut own = snap.clone();
    let inventory = std::sync::Arc::make_mut(own.alerts.last_mut().expect("alerts"));
    let key = inventory.key.clone();
    if let Some(silence) = inventory.silence.as_mut() {
        silence.target = crate::view::alert::SilenceTarget::Alert(key);
    }
    assert_eq!(
        press(&mut ui, &own, &[Char('S')]),
        Effect::Send(Command::Unsilence {
            silence: 8,
            reply: None
        })
    );
    // A maintenance window is config: nothing to end from here.
    let mut window = snap.clone();
    let inventory = std::sync::Arc::make_mut(window.alerts.last_mut().expect("alerts"));
    if let Some(silence) = inventory.silence.as_mut() {
        silence.id = crate::alert::MAINTENANCE_SILENCE_ID;
        silence.comment = Some("nightly-backup".into());
    }
    assert_eq!(press(&mut ui, &window, &[Char('S')]), Effect::Nothing);
    assert_eq!(ui.confirm, None);
    assert!(
        ui.message
            .as_deref()
            .is_some_and(|m| m.contains("maintenance window nightly-backup")),
        "{:?}",
        ui.message
    );
}
