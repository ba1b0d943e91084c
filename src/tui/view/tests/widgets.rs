//! Snapshots of each widget on its own.

use std::sync::Arc;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{now, text};
use crate::keymap::{Action, Key, KeyMap};
use crate::state::sample::sample_snapshot;
use crate::state::sample_alerts::sample_alerts;
use crate::tui::keys::BINDINGS;
use crate::tui::ui_state::UiState;
use crate::tui::view::card::ServiceCard;
use crate::tui::view::chart::ResponseChart;
use crate::tui::view::help::HelpOverlay;
use crate::tui::view::layout::Density;
use crate::tui::view::line_item::ServiceLine;
use crate::tui::view::status_bar::StatusBar;
use crate::tui::view::theme::Theme;
use crate::view::alert::AlertView;

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

/// The most severe sample alert about a service, as the dashboard marks it.
fn mark<'a>(alerts: &'a [Arc<AlertView>], name: &str) -> Option<&'a AlertView> {
    alerts
        .iter()
        .find(|a| a.key.subject == name)
        .map(AsRef::as_ref)
}

/// The first `n` sample services as cards, one under the other; the first is selected.
/// Services with a sample alert carry its mark.
fn cards(n: usize, density: Density, theme: &Theme, width: u16) -> String {
    let snapshot = sample_snapshot(12, now());
    let (alerts, _) = sample_alerts(now());
    let height = crate::tui::view::layout::card_height(density);
    let mut out = String::new();
    for (i, view) in snapshot.services.iter().take(n).enumerate() {
        let card = ServiceCard {
            view,
            selected: i == 0,
            density,
            alert: mark(&alerts, &view.config.name),
            theme,
            now: now(),
        };
        out.push_str(&text(&draw(&card, width, height)));
    }
    out
}

#[test]
fn tall_cards_unicode() {
    insta::assert_snapshot!(cards(12, Density::Tall, &UNICODE, 40));
}

#[test]
fn tall_cards_ascii() {
    insta::assert_snapshot!(cards(6, Density::Tall, &ASCII, 40));
}

#[test]
fn compact_cards_unicode() {
    insta::assert_snapshot!(cards(12, Density::Compact, &UNICODE, 40));
}

#[test]
fn compact_cards_ascii_narrow() {
    insta::assert_snapshot!(cards(6, Density::Compact, &ASCII, 26));
}

fn lines(theme: &Theme, width: u16) -> String {
    let snapshot = sample_snapshot(12, now());
    let (alerts, _) = sample_alerts(now());
    let mut out = String::new();
    for (i, view) in snapshot.services.iter().enumerate() {
        let line = ServiceLine {
            view,
            selected: i == 1,
            alert: mark(&alerts, &view.config.name),
            theme,
        };
        out.push_str(&text(&draw(&line, width, 1)));
    }
    out
}

#[test]
fn lines_narrow_unicode() {
    insta::assert_snapshot!(lines(&UNICODE, 40));
}

#[test]
fn lines_wide_ascii() {
    insta::assert_snapshot!(lines(&ASCII, 110));
}

/// The status bar at several widths, for a UI state built by `setup`.
fn status(setup: impl Fn(&mut UiState, &mut crate::view::snapshot::Snapshot)) -> String {
    let mut snapshot = sample_snapshot(12, now());
    let mut ui = UiState::default();
    setup(&mut ui, &mut snapshot);
    let mut out = String::new();
    for width in [160, 100, 80, 60, 40, 24, 10] {
        let bar = StatusBar {
            snapshot: &snapshot,
            ui: &ui,
            shown: 5,
            jobs: None,
            theme: &UNICODE,
            now: now(),
        };
        out.push_str(&text(&draw(&bar, width, 1)));
    }
    out
}

#[test]
fn status_bar_plain() {
    insta::assert_snapshot!(status(|_, _| {}));
}

#[test]
fn status_bar_with_lag_message_and_filter() {
    insta::assert_snapshot!(status(|ui, snapshot| {
        snapshot.max_lag = std::time::Duration::from_millis(1400);
        ui.message = Some("checking gateway now".to_string());
        ui.filter = "pay".to_string();
        ui.filter_editing = true;
    }));
}

#[test]
fn status_bar_ignores_lag_up_to_a_second() {
    let bar = status(|_, snapshot| snapshot.max_lag = std::time::Duration::from_secs(1));
    assert!(!bar.contains("lag"), "{bar}");
}

#[test]
fn help_fits_80x24_and_truncates_at_40x12() {
    let defaults = KeyMap::default();
    let help = HelpOverlay {
        bindings: BINDINGS,
        keys: &defaults,
        theme: &UNICODE,
    };
    let big = text(&draw(&help, 80, 24));
    for binding in BINDINGS {
        assert!(
            big.contains(binding.action),
            "{} missing:\n{big}",
            binding.action
        );
    }
    insta::assert_snapshot!("help_80x24", big);
    let help = HelpOverlay {
        bindings: BINDINGS,
        keys: &defaults,
        theme: &ASCII,
    };
    insta::assert_snapshot!("help_40x12_ascii", text(&draw(&help, 40, 12)));
}

#[test]
fn help_shows_the_keys_the_config_chose() {
    let key = |text| Key::parse(text).expect(text);
    let keys = KeyMap::with(&[
        (Action::CheckNow, vec![key("c"), key("f5")]),
        (Action::Ack, vec![key("r")]),
        (Action::ToggleHelp, vec![key("f1")]),
    ]);
    let help = HelpOverlay {
        bindings: BINDINGS,
        keys: &keys,
        theme: &UNICODE,
    };
    let shown = text(&draw(&help, 80, 24));
    let line = |what: &str| {
        shown
            .lines()
            .find(|l| l.contains(what))
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .unwrap_or_default()
    };
    assert!(
        line("check the service now").contains("║ c F5 check"),
        "{shown}"
    );
    assert!(line("ack / un-ack").contains("║ r / u ack"), "{shown}");
    assert!(line("this help").contains("║ F1 this help"), "{shown}");
    assert!(shown.contains("Esc or F1 closes"), "{shown}");
}

#[test]
fn chart_marks_failures_on_the_top_edge() {
    let snapshot = sample_snapshot(12, now());
    for (name, theme) in [("chart_unicode", UNICODE), ("chart_ascii", ASCII)] {
        let chart = ResponseChart {
            samples: &snapshot.services[2].samples,
            theme: &theme,
            now: now(),
        };
        insta::assert_snapshot!(name, text(&draw(&chart, 60, 12)));
    }
}
