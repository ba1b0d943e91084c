//! Snapshots of the alert widgets on their own: rows at several widths, the one-line
//! summary as it gives up detail, the pane as a block.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{now, text, with_alerts};
use crate::tui::alerts::Focus;
use crate::tui::ui_state::UiState;
use crate::tui::view::alert_pane::AlertPane;
use crate::tui::view::alert_row::{AlertRow, subject_width};
use crate::tui::view::alert_summary::AlertSummary;
use crate::tui::view::theme::Theme;
use crate::view::snapshot::Snapshot;

const UNICODE: Theme = Theme {
    color: false,
    ascii: false,
};
const ASCII: Theme = Theme {
    color: false,
    ascii: true,
};

fn draw(widget: impl Widget, width: u16, height: u16) -> Buffer {
    let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
    widget.render(buf.area, &mut buf);
    buf
}

fn alerts() -> Snapshot {
    with_alerts(Snapshot::default())
}

/// Every sample alert, active then resolved, as rows `width` wide; the second selected.
fn rows(theme: &Theme, width: u16) -> String {
    let snapshot = alerts();
    let mut out = String::new();
    let all = snapshot.alerts.iter().chain(&snapshot.alert_history);
    for (i, alert) in all.enumerate() {
        let row = AlertRow {
            alert,
            age: alert.age(now()),
            selected: i == 1,
            subject_width: subject_width(width),
            origin_width: 0,
            theme,
            now: now(),
        };
        out.push_str(&text(&draw(&row, width, 1)));
    }
    out
}

#[test]
fn alert_rows_wide_unicode() {
    insta::assert_snapshot!(rows(&UNICODE, 120));
}

#[test]
fn alert_rows_80_ascii() {
    insta::assert_snapshot!(rows(&ASCII, 80));
}

#[test]
fn alert_rows_narrow_unicode() {
    insta::assert_snapshot!(rows(&UNICODE, 48));
}

/// The summary line at several widths, for a UI state built by `setup`.
fn summaries(setup: impl Fn(&mut UiState, &mut Snapshot)) -> String {
    let mut snapshot = alerts();
    let mut ui = UiState::default();
    setup(&mut ui, &mut snapshot);
    let mut out = String::new();
    for width in [100, 60, 42, 40, 30, 16] {
        let line = AlertSummary {
            snapshot: &snapshot,
            ui: &ui,
            focusable: true,
            theme: &UNICODE,
            now: now(),
        };
        out.push_str(&text(&draw(&line, width, 1)));
    }
    out
}

#[test]
fn summary_gives_up_detail_as_it_narrows() {
    insta::assert_snapshot!(summaries(|_, _| {}));
}

#[test]
fn summary_with_the_focus_shows_the_selection() {
    insta::assert_snapshot!(summaries(|ui, _| {
        ui.focus = Focus::Alerts;
        ui.alert_selected = Some(43);
    }));
}

#[test]
fn summary_when_calm_or_filtered_out() {
    let calm = summaries(|_, snapshot| snapshot.alerts.clear());
    assert!(calm.lines().all(|l| l.starts_with(" no alerts")), "{calm}");
    let filtered = summaries(|ui, snapshot| {
        snapshot
            .alerts
            .retain(|a| a.severity < crate::config::Severity::Critical);
        ui.min_severity = Some(crate::config::Severity::Critical);
    });
    insta::assert_snapshot!(filtered);
}

#[test]
fn pane_block_focused_and_not() {
    let snapshot = alerts();
    let mut ui = UiState::default();
    let mut out = String::new();
    for focus in [Focus::Cards, Focus::Alerts] {
        ui.focus = focus;
        ui.alert_selected = Some(48);
        let pane = AlertPane {
            snapshot: &snapshot,
            ui: &ui,
            theme: &UNICODE,
            now: now(),
        };
        out.push_str(&text(&draw(&pane, 120, 6)));
    }
    insta::assert_snapshot!(out);
}
