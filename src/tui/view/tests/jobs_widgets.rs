//! The job monitor's widgets on their own: the panel in each state, with the focus, on a
//! narrow width and with thousands of stuck rows; the strip giving way as it narrows;
//! the status bar's word.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{now, text};
use crate::keymap::KeyMap;
use crate::state::sample::sample_snapshot;
use crate::state::sample_jobs::{
    dry_run_jobs_view, failing_jobs_view, many_stuck_jobs_view, sample_jobs_view,
    starting_jobs_view, stopped_jobs_view, watcher_jobs_view,
};
use crate::tui::alerts::Focus;
use crate::tui::ui_state::UiState;
use crate::tui::view::jobs_panel::JobsPanel;
use crate::tui::view::jobs_strip::JobsStrip;
use crate::tui::view::status_bar::StatusBar;
use crate::tui::view::theme::Theme;
use crate::view::jobs::JobsView;

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

fn panel(view: &JobsView, focused: bool, theme: &Theme, (width, height): (u16, u16)) -> String {
    let panel = JobsPanel {
        view,
        focused,
        keys: &KeyMap::default(),
        theme,
        now: now(),
    };
    text(&draw(&panel, width, height))
}

fn strip(view: &JobsView, focused: bool, theme: &Theme, width: u16, height: u16) -> String {
    let strip = JobsStrip {
        view,
        focused,
        keys: &KeyMap::default(),
        theme,
        now: now(),
    };
    text(&draw(&strip, width, height))
}

#[test]
fn the_panel_in_every_state() {
    let views = [
        sample_jobs_view(now()),
        stopped_jobs_view(now()),
        failing_jobs_view(now()),
        watcher_jobs_view(now()),
        dry_run_jobs_view(now()),
        starting_jobs_view(now()),
    ];
    let mut out = String::new();
    for view in &views {
        out.push_str(&panel(view, false, &UNICODE, (40, 24)));
    }
    insta::assert_snapshot!("panel_states_unicode", out);
    let failing = panel(&failing_jobs_view(now()), true, &ASCII, (40, 16));
    insta::assert_snapshot!("panel_failing_focused_ascii", failing);
}

#[test]
fn with_the_focus_the_panel_says_what_the_keys_do() {
    let working = panel(&sample_jobs_view(now()), true, &UNICODE, (40, 20));
    assert!(working.contains("▸ jobs · rescuing"), "{working}");
    assert!(working.contains(" r pass now · J stop ┛"), "{working}");
    let stopped = panel(&stopped_jobs_view(now()), true, &ASCII, (40, 20));
    assert!(stopped.contains("> jobs | off"), "{stopped}");
    assert!(stopped.contains(" J start #"), "{stopped}");
    let calm = panel(&sample_jobs_view(now()), false, &UNICODE, (40, 20));
    assert!(!calm.contains("r pass now"), "{calm}");
}

#[test]
fn only_the_stuck_rows_that_fit_are_shown() {
    let view = many_stuck_jobs_view(10_000, now());
    let shown = panel(&view, false, &UNICODE, (40, 30));
    let rows = shown.lines().filter(|l| l.ends_with("requeued│")).count();
    assert!(rows > 5, "{shown}");
    assert!(
        shown.contains(&format!("+{} more", 10_000 - rows)),
        "{shown}"
    );
    // Too short for any row: the counts and the pass come first.
    let short = panel(&view, false, &UNICODE, (40, 8));
    assert!(short.contains("pending") && !short.contains("+"), "{short}");
}

#[test]
fn a_narrow_panel_lists_one_count_a_line() {
    let shown = panel(&sample_jobs_view(now()), false, &UNICODE, (30, 30));
    for count in [
        "pending       1204",
        "completed    88412",
        "other            2",
    ] {
        assert!(shown.contains(count), "{count}:\n{shown}");
    }
    assert!(
        shown.contains("│b7c… processing"),
        "a long id is cut:\n{shown}"
    );
}

#[test]
fn the_strip_gives_way_as_it_narrows() {
    let views = [
        sample_jobs_view(now()),
        failing_jobs_view(now()),
        stopped_jobs_view(now()),
    ];
    let mut out = String::new();
    for view in &views {
        for width in [140, 100, 80, 60, 40, 24] {
            out.push_str(&strip(view, false, &UNICODE, width, 1));
        }
        for width in [120, 80, 50] {
            out.push_str(&strip(view, false, &UNICODE, width, 2));
        }
    }
    insta::assert_snapshot!("strip_widths_unicode", out);
    let focused = strip(&sample_jobs_view(now()), true, &ASCII, 140, 2);
    insta::assert_snapshot!("strip_focused_ascii", focused);
}

#[test]
fn the_status_bar_word_says_the_state_and_the_focus() {
    let snapshot = sample_snapshot(5, now());
    let cases = [
        (sample_jobs_view(now()), "jobs:stuck"),
        (stopped_jobs_view(now()), "jobs:off"),
        (failing_jobs_view(now()), "jobs:error"),
        (starting_jobs_view(now()), "jobs:wait"),
    ];
    for (view, word) in &cases {
        let mut ui = UiState::default();
        for focused in [false, true] {
            if focused {
                ui.focus = Focus::Jobs;
            }
            let bar = StatusBar {
                snapshot: &snapshot,
                ui: &ui,
                shown: 5,
                jobs: Some(view),
                theme: &UNICODE,
                now: now(),
            };
            let shown = text(&draw(&bar, 60, 1));
            let want = if focused {
                format!("▸{word}")
            } else {
                format!(" {word}")
            };
            assert!(shown.contains(&want), "{want}: {shown}");
        }
    }
    let mut calm = sample_jobs_view(now());
    calm.last_pass = None;
    if let Some(census) = &mut calm.census {
        census.oldest_claimed = None;
    }
    let bar = StatusBar {
        snapshot: &snapshot,
        ui: &UiState::default(),
        shown: 5,
        jobs: Some(&calm),
        theme: &UNICODE,
        now: now(),
    };
    assert!(text(&draw(&bar, 60, 1)).contains("jobs:ok"));
}
