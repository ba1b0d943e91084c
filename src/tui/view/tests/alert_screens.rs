//! Whole screens with alerts: the pane under the cards (with the machine in its place),
//! its focus and filter, the alert detail, the history, the silence and ack-note
//! prompts, the calm
//! pane, and ten thousand alerts building only the rows on screen.

use std::sync::Arc;

use super::{ack_prompt, now, prompt, screen, text, ui, with_alerts};
use crate::config::Severity;
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::state::sample_alerts::many_alerts;
use crate::state::sample_system::sample_system_view;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::tui::view::alert_row::ROWS_BUILT;
use crate::view::snapshot::Snapshot;

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 12)];

fn snap(name: &str, width: u16, height: u16, snapshot: &Snapshot, ui: &UiState) {
    insta::assert_snapshot!(name, text(&screen(width, height, snapshot, ui)));
}

/// Forty services, the machine, and the sample alerts.
fn fleet() -> Snapshot {
    let mut snapshot = with_alerts(sample_snapshot(40, now()));
    snapshot.system = Some(Arc::new(sample_system_view(now())));
    snapshot
}

#[test]
fn the_pane_under_the_cards_at_every_size() {
    let snapshot = fleet();
    for (width, height) in SIZES {
        for (glyphs, tag) in [(Glyphs::Unicode, "unicode"), (Glyphs::Ascii, "ascii")] {
            let mut ui = ui(glyphs, false);
            ui.selected = Some(sample_name(2));
            snap(
                &format!("alerts_{width}x{height}_{tag}"),
                width,
                height,
                &snapshot,
                &ui,
            );
        }
    }
    // Without the machine the services take its room; the pane stays under them.
    let mut plain = snapshot.clone();
    plain.system = None;
    snap(
        "alerts_80x24_no_machine",
        80,
        24,
        &plain,
        &ui(Glyphs::Unicode, false),
    );
}

#[test]
fn focus_selection_and_filter() {
    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.focus = Focus::Alerts;
    ui.alert_selected = Some(43);
    snap("alerts_focused_160x48", 160, 48, &snapshot, &ui);
    snap("alerts_focused_40x12", 40, 12, &snapshot, &ui);
    // Past the first page: the pane shows the page of the selection.
    ui.alert_selected = Some(48);
    snap("alerts_focused_last_80x24", 80, 24, &snapshot, &ui);
    ui.min_severity = Some(Severity::High);
    ui.alert_selected = Some(42);
    snap("alerts_at_least_high_80x24", 80, 24, &snapshot, &ui);
    ui.focus = Focus::Cards;
    ui.min_severity = Some(Severity::Critical);
    snap("alerts_critical_only_40x12", 40, 12, &snapshot, &ui);
}

#[test]
fn alert_detail_screens() {
    let snapshot = fleet();
    // (alert, from history, size, glyphs, name)
    let cases = [
        (
            41,
            false,
            (160, 48),
            Glyphs::Unicode,
            "billing_160x48_unicode",
        ),
        (41, false, (80, 24), Glyphs::Ascii, "billing_80x24_ascii"),
        (43, false, (80, 24), Glyphs::Unicode, "cpu_flapping_80x24"),
        (44, false, (120, 30), Glyphs::Unicode, "silenced_120x30"),
        (42, false, (40, 12), Glyphs::Unicode, "acked_40x12"),
        (40, true, (80, 24), Glyphs::Unicode, "resolved_80x24"),
    ];
    for (id, from_history, (width, height), glyphs, name) in cases {
        let mut ui = ui(glyphs, false);
        ui.mode = Mode::AlertDetail { id, from_history };
        snap(
            &format!("alert_detail_{name}"),
            width,
            height,
            &snapshot,
            &ui,
        );
    }
    let mut ui = ui(Glyphs::Unicode, false);
    ui.mode = Mode::AlertDetail {
        id: 9999,
        from_history: false,
    };
    let gone = text(&screen(80, 24, &snapshot, &ui));
    assert!(gone.contains("this alert is no longer kept"), "{gone}");
}

#[test]
fn remapped_keys_are_the_ones_the_hints_name() {
    use crate::keymap::{Action, Key, KeyMap};
    let parse = |text| Key::parse(text).expect(text);
    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.keys = KeyMap::with(&[
        (Action::Ack, vec![parse("y")]),
        (Action::Back, vec![parse("backspace")]),
        (Action::Down, vec![parse("n")]),
        (Action::Up, vec![parse("N")]),
    ]);
    ui.mode = Mode::AlertDetail {
        id: 41,
        from_history: false,
    };
    let detail = text(&screen(160, 48, &snapshot, &ui));
    assert!(detail.contains("y ack  u un-ack"), "{detail}");
    assert!(detail.contains("n/N next alert"), "{detail}");
    assert!(detail.contains("Bksp back"), "{detail}");
    assert!(!detail.contains("Esc back"), "{detail}");
    ui.mode = Mode::AlertHistory;
    let history = text(&screen(160, 48, &snapshot, &ui));
    assert!(
        history.contains("n/N move  Enter detail  f severity  Bksp back"),
        "{history}"
    );
}

#[test]
fn history_screens() {
    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.mode = Mode::AlertHistory;
    ui.history_selected = Some(38);
    snap("alert_history_160x48_unicode", 160, 48, &snapshot, &ui);
    let mut ascii = super::ui(Glyphs::Ascii, false);
    ascii.mode = Mode::AlertHistory;
    snap("alert_history_80x24_ascii", 80, 24, &snapshot, &ascii);
    ascii.min_severity = Some(Severity::Critical);
    snap("alert_history_critical_40x12", 40, 12, &snapshot, &ascii);
}

#[test]
fn silence_prompt_steps() {
    let snapshot = fleet();
    for step in 0..3 {
        let mut ui = ui(Glyphs::Unicode, false);
        ui.focus = Focus::Alerts;
        ui.alert_selected = Some(41);
        ui.prompt = prompt(&snapshot, step);
        snap(
            &format!("silence_prompt_{step}_80x24"),
            80,
            24,
            &snapshot,
            &ui,
        );
    }
    let mut ui = ui(Glyphs::Ascii, false);
    ui.prompt = prompt(&snapshot, 0);
    snap("silence_prompt_40x12_ascii", 40, 12, &snapshot, &ui);
}

#[test]
fn ack_note_prompt_at_every_size() {
    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.focus = Focus::Alerts;
    ui.alert_selected = Some(41);
    ui.ack_prompt = ack_prompt(&snapshot, 41, "restarting the billing pods");
    snap("ack_prompt_80x24", 80, 24, &snapshot, &ui);
    let wide = text(&screen(160, 48, &snapshot, &ui));
    assert!(
        wide.contains("Note (optional): restarting the billing pods▏"),
        "{wide}"
    );
    // Acked already: the box says whose ack the new one replaces.
    ui.ack_prompt = ack_prompt(&snapshot, 42, "");
    let acked = text(&screen(80, 24, &snapshot, &ui));
    assert!(acked.contains("replaces the ack by ana@db1"), "{acked}");
    // Narrow and ASCII: the end of a long note stays in sight, next to the cursor.
    let mut ascii = super::ui(Glyphs::Ascii, false);
    let long = format!("{} end", "x".repeat(150));
    ascii.ack_prompt = ack_prompt(&snapshot, 41, &long);
    snap("ack_prompt_40x12_ascii", 40, 12, &snapshot, &ascii);
}

#[test]
fn calm_pane_says_no_alerts_and_the_last_resolved() {
    let mut snapshot = fleet();
    snapshot.alerts.clear();
    let plain = ui(Glyphs::Unicode, false);
    snap("alerts_calm_160x48", 160, 48, &snapshot, &plain);
    snap("alerts_calm_80x24", 80, 24, &snapshot, &plain);
    snapshot.alert_history.clear();
    let shown = text(&screen(40, 12, &snapshot, &plain));
    assert!(shown.contains(" no alerts "), "{shown}");
    let shown = text(&screen(80, 24, &snapshot, &plain));
    assert!(shown.contains(" no alerts "), "{shown}");
    assert!(!shown.contains("last resolved"), "{shown}");
}

#[test]
fn details_of_services_keep_an_alert_line() {
    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.mode = Mode::Detail(sample_name(8));
    let shown = text(&screen(80, 24, &snapshot, &ui));
    let last = shown.lines().nth(22).unwrap_or_default();
    assert!(last.contains("6 firing"), "{shown}");
    ui.mode = Mode::System;
    let shown = text(&screen(80, 24, &snapshot, &ui));
    let last = shown.lines().nth(22).unwrap_or_default();
    assert!(last.contains("crit billing DOWN"), "{shown}");
}

/// Rows of alerts the frame builds.
fn rows_built(snapshot: &Snapshot, ui: &UiState, (width, height): (u16, u16)) -> usize {
    ROWS_BUILT.with(|n| n.set(0));
    screen(width, height, snapshot, ui);
    ROWS_BUILT.with(std::cell::Cell::get)
}

#[test]
fn ten_thousand_alerts_build_only_the_rows_on_screen() {
    let mut snapshot = fleet();
    snapshot.alerts = many_alerts(10_000, now());
    snapshot.alert_history = many_alerts(10_000, now());
    let mut ui = ui(Glyphs::Unicode, true);
    // 160x48: the pane is 12 lines, a rule and 11 rows.
    assert_eq!(rows_built(&snapshot, &ui, (160, 48)), 11);
    ui.focus = Focus::Alerts;
    ui.alert_selected = snapshot.alerts.last().map(|a| a.id);
    assert_eq!(rows_built(&snapshot, &ui, (160, 48)), 10_000 % 11);
    ui.alert_selected = snapshot.alerts.get(5000).map(|a| a.id);
    assert_eq!(rows_built(&snapshot, &ui, (160, 48)), 11);
    let shown = text(&screen(160, 48, &snapshot, &ui));
    let start = 5000 - 5000 % 11;
    let range = format!("{}-{} of 10000", start + 1, start + 11);
    assert!(shown.contains(&range), "{range}:\n{shown}");
    ui.min_severity = Some(Severity::Critical);
    assert_eq!(rows_built(&snapshot, &ui, (160, 48)), 11);
    assert_eq!(rows_built(&snapshot, &ui, (40, 12)), 0, "one summary line");
    ui.mode = Mode::AlertHistory;
    assert_eq!(rows_built(&snapshot, &ui, (160, 48)), 45);
    ui.mode = Mode::Dashboard;
    let shown = text(&screen(160, 48, &snapshot, &ui));
    assert!(shown.contains("4000 firing"), "{shown}");
}

#[test]
fn a_question_before_ending_a_wide_silence_and_a_selection_gone() {
    use crate::event::Command;
    use crate::tui::confirm::Confirm;

    let snapshot = fleet();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.focus = Focus::Alerts;
    ui.confirm = Some(Confirm {
        title: "end a silence".to_string(),
        lines: vec![
            "cy@pager's silence #8 is of every alert in group core,".to_string(),
            "not only high_error_rate/inventory: it quiets 1 alert now.".to_string(),
            "End it for all of them?".to_string(),
        ],
        command: Command::Unsilence {
            silence: 8,
            reply: None,
        },
        doing: String::new(),
        kept: String::new(),
    });
    for (width, height) in SIZES {
        snap(
            &format!("confirm_{width}x{height}"),
            width,
            height,
            &snapshot,
            &ui,
        );
    }
    // The selected alert resolved: nothing is highlighted, and the line says so.
    let mut gone = ui.clone();
    gone.confirm = None;
    gone.alert_selected = Some(999);
    gone.alert_row = 2;
    let shown = text(&screen(80, 24, &snapshot, &gone));
    assert!(
        shown.contains("the selected alert is gone (j/k selects another)"),
        "{shown}"
    );
    let marker = "▸";
    let pane: Vec<&str> = shown.lines().filter(|l| l.contains(" firing ")).collect();
    assert!(
        pane.iter().all(|l| !l.contains(marker)),
        "a row is marked:\n{shown}"
    );
}
