//! Properties over many sizes and states: no panics, no colour under NO_COLOR, the
//! selection always on screen.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use std::sync::Arc;

use super::{screen, text, ui};
use crate::contract::ServiceState;
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::state::sample_jobs::{
    dry_run_jobs_view, failing_jobs_view, many_stuck_jobs_view, stopped_jobs_view,
    watcher_jobs_view,
};
use crate::state::sample_system::sample_system_view;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::tui::view::{columns_for, page_size};
use crate::view::jobs::JobsView;
use crate::view::snapshot::Snapshot;

#[test]
fn no_size_panics() {
    let widths = [
        0, 1, 2, 3, 5, 8, 13, 20, 37, 39, 40, 41, 64, 75, 76, 80, 114, 159, 160, 250,
    ];
    let heights = [
        0, 1, 2, 3, 4, 5, 7, 11, 12, 13, 14, 15, 19, 24, 29, 30, 31, 48, 70,
    ];
    let fleets = [
        Snapshot::default(),
        sample_snapshot(5, super::now()),
        super::with_alerts(sample_snapshot(40, super::now())),
        with_jobs(many_stuck_jobs_view(200, super::now())),
    ];
    for (i, snapshot) in fleets.iter().enumerate() {
        for (w, width) in widths.iter().enumerate() {
            for (h, height) in heights.iter().enumerate() {
                let glyphs = if (w + h) % 2 == 0 {
                    Glyphs::Unicode
                } else {
                    Glyphs::Ascii
                };
                let mut ui = ui(glyphs, (w + i) % 2 == 0);
                ui.selected = snapshot.services.last().map(|s| s.config.name.clone());
                if snapshot.jobs.is_some() && h % 2 == 0 {
                    ui.focus = Focus::Jobs;
                }
                screen(*width, *height, snapshot, &ui);
                ui.mode = Mode::Detail(sample_name(i));
                ui.help_open = true;
                ui.filter_editing = true;
                ui.message = Some("a message that is long enough to need cutting".to_string());
                screen(*width, *height, snapshot, &ui);
                ui.help_open = false;
                for mode in super::alert_modes() {
                    ui.mode = mode;
                    ui.focus = crate::tui::alerts::Focus::Alerts;
                    ui.prompt = super::prompt(snapshot, h % 4);
                    screen(*width, *height, snapshot, &ui);
                    ui.prompt = None;
                    ui.ack_prompt = super::ack_prompt(snapshot, 42, "a note");
                    screen(*width, *height, snapshot, &ui);
                    ui.ack_prompt = None;
                }
            }
        }
    }
}

fn colourless(buf: &Buffer) -> bool {
    buf.content()
        .iter()
        .all(|cell| cell.fg == Color::Reset && cell.bg == Color::Reset)
}

#[test]
fn without_colour_every_state_is_still_a_word() {
    // Five services show every state, and fit on the smallest screen.
    let mut snapshot = super::with_alerts(sample_snapshot(5, super::now()));
    snapshot.max_lag = std::time::Duration::from_secs(3);
    for glyphs in [Glyphs::Unicode, Glyphs::Ascii] {
        for (width, height) in [(160, 48), (80, 24), (40, 12)] {
            let mut plain = ui(glyphs, false);
            let buf = screen(width, height, &snapshot, &plain);
            assert!(colourless(&buf), "colour at {width}x{height}");
            let shown = text(&buf);
            for state in ServiceState::ALL {
                assert!(shown.contains(state.as_str()), "{state} missing:\n{shown}");
            }
            if width == 160 {
                for word in ["firing", "acked", "silenced", "pending", "crit", "low"] {
                    assert!(shown.contains(word), "{word} missing:\n{shown}");
                }
            }
            plain.mode = Mode::Detail(sample_name(2));
            plain.help_open = true;
            assert!(colourless(&screen(width, height, &snapshot, &plain)));
            // The same screen with colour on does use it, so the check above can fail.
            let coloured = screen(width, height, &snapshot, &ui(glyphs, true));
            assert!(!colourless(&coloured), "no colour at {width}x{height}");
        }
    }
}

#[test]
fn ascii_mode_draws_only_ascii() {
    let snapshot = super::with_alerts(sample_snapshot(40, super::now()));
    let mut plain = ui(Glyphs::Ascii, false);
    plain.filter_editing = true;
    plain.min_severity = Some(crate::config::Severity::Medium);
    for (width, height) in [(160, 48), (80, 24), (40, 12), (120, 20)] {
        let modes = [Mode::Dashboard, Mode::Detail(sample_name(2))];
        for (i, mode) in modes.into_iter().chain(super::alert_modes()).enumerate() {
            plain.mode = mode.clone();
            plain.focus = crate::tui::alerts::Focus::Alerts;
            plain.prompt = super::prompt(&snapshot, i % 4);
            let shown = text(&screen(width, height, &snapshot, &plain));
            assert!(shown.is_ascii(), "{width}x{height} {mode:?}:\n{shown}");
            let prompt = plain.prompt.take();
            plain.ack_prompt = super::ack_prompt(&snapshot, 42, &"x".repeat(200));
            let shown = text(&screen(width, height, &snapshot, &plain));
            assert!(shown.is_ascii(), "ack {width}x{height} {mode:?}:\n{shown}");
            (plain.ack_prompt, plain.prompt) = (None, prompt);
        }
    }
}

/// The sample fleet with alerts, the machine and `jobs`.
fn with_jobs(jobs: JobsView) -> Snapshot {
    let mut snapshot = super::with_alerts(sample_snapshot(40, super::now()));
    snapshot.system = Some(Arc::new(sample_system_view(super::now())));
    snapshot.jobs = Some(Arc::new(jobs));
    snapshot
}

#[test]
fn the_jobs_rest_on_words_not_colour_or_unicode() {
    let views = [
        many_stuck_jobs_view(50, super::now()),
        stopped_jobs_view(super::now()),
        failing_jobs_view(super::now()),
        watcher_jobs_view(super::now()),
        dry_run_jobs_view(super::now()),
    ];
    for view in views {
        let snapshot = with_jobs(view);
        for (width, height) in [(160, 48), (80, 24), (40, 12), (120, 30)] {
            for focus in [Focus::Cards, Focus::Jobs] {
                let mut plain = ui(Glyphs::Ascii, false);
                plain.focus = focus;
                let buf = screen(width, height, &snapshot, &plain);
                let shown = text(&buf);
                assert!(colourless(&buf), "colour at {width}x{height}");
                assert!(shown.is_ascii(), "{width}x{height}:\n{shown}");
                assert!(shown.contains("jobs"), "{width}x{height}:\n{shown}");
            }
        }
    }
}

/// Text of the reverse-video cells on each row: where the selection is drawn.
fn reversed(buf: &Buffer) -> Vec<String> {
    let width = usize::from(buf.area.width);
    buf.content()
        .chunks(width)
        .map(|row| {
            row.iter()
                .filter(|c| c.modifier.contains(Modifier::REVERSED))
                .map(|c| c.symbol())
                .collect()
        })
        .filter(|s: &String| !s.is_empty())
        .collect()
}

#[test]
fn the_selection_is_always_on_screen() {
    let snapshot = sample_snapshot(40, super::now());
    let mut ui = UiState::default();
    let visible = ui.visible(&snapshot);
    for (width, height) in [
        (160, 48),
        (120, 30),
        (80, 24),
        (40, 12),
        (40, 6),
        (40, 3),
        (90, 2),
    ] {
        for id in &visible {
            ui.selected = Some(snapshot.services[*id].config.name.clone());
            let marked = reversed(&screen(width, height, &snapshot, &ui));
            let name = &snapshot.services[*id].config.name;
            assert_eq!(marked.len(), 1, "{width}x{height} {name}: {marked:?}");
            let words: Vec<&str> = marked[0].split_whitespace().collect();
            assert!(
                words.iter().any(|w| w.ends_with(name.as_str())),
                "{width}x{height} {name}: {marked:?}"
            );
        }
    }
}

#[test]
fn grid_shape_for_the_key_handler() {
    // (size, columns and page without the machine, then with it beside or under). The
    // alert pane takes a row of cards at 80x24 with the machine, a line at 40x12.
    let cases = [
        ((160, 48), (4, 24), (3, 18)),
        ((80, 24), (2, 8), (2, 6)),
        ((40, 12), (1, 10), (1, 9)),
        ((0, 0), (1, 1), (1, 1)),
    ];
    let plain = crate::view::snapshot::Snapshot::default();
    let mut machine = plain.clone();
    machine.system = Some(Arc::new(sample_system_view(super::now())));
    // The jobs take the machine's column on wide screens, and no card elsewhere.
    let mut jobs = plain.clone();
    jobs.jobs = Some(Arc::new(stopped_jobs_view(super::now())));
    let ui = crate::tui::ui_state::UiState::default();
    for ((width, height), without, with) in cases {
        let area = Rect::new(0, 0, width, height);
        let shape = |snapshot| {
            (
                columns_for(area, snapshot, &ui),
                page_size(area, snapshot, &ui),
            )
        };
        assert_eq!(shape(&plain), without, "{width}x{height}");
        assert_eq!(shape(&machine), with, "{width}x{height} with the machine");
        let beside = if width == 160 { with } else { without };
        assert_eq!(shape(&jobs), beside, "{width}x{height} with the jobs");
    }
}
