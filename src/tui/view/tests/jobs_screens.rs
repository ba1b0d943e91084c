//! Whole screens with the job monitor: a panel under the machine's beside the services,
//! lines under the alert pane, a word in the status bar; at work, stopped, failing,
//! watching and in a dry run; with the focus; in Unicode and in ASCII without colour.

use std::sync::Arc;

use super::{now, screen, text, ui, with_alerts};
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::state::sample_jobs::{
    dry_run_jobs_view, failing_jobs_view, sample_jobs_view, starting_jobs_view, stopped_jobs_view,
    watcher_jobs_view,
};
use crate::state::sample_system::sample_system_view;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::view::jobs::JobsView;
use crate::view::snapshot::Snapshot;

/// The sample fleet with its machine and alerts, and `jobs`.
fn fleet(jobs: JobsView) -> Snapshot {
    let mut snapshot = with_alerts(sample_snapshot(40, now()));
    snapshot.system = Some(Arc::new(sample_system_view(now())));
    snapshot.jobs = Some(Arc::new(jobs));
    snapshot
}

fn snap(name: &str, (width, height): (u16, u16), snapshot: &Snapshot, ui: &UiState) {
    insta::assert_snapshot!(name, text(&screen(width, height, snapshot, ui)));
}

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 12)];

#[test]
fn the_jobs_beside_under_or_in_a_word() {
    let snapshot = fleet(sample_jobs_view(now()));
    for size in SIZES {
        for (glyphs, tag) in [(Glyphs::Unicode, "unicode"), (Glyphs::Ascii, "ascii")] {
            let (width, height) = size;
            snap(
                &format!("jobs_{width}x{height}_{tag}"),
                size,
                &snapshot,
                &ui(glyphs, false),
            );
        }
    }
}

#[test]
fn without_machine_or_alerts_the_jobs_take_their_room() {
    let mut snapshot = sample_snapshot(40, now());
    snapshot.jobs = Some(Arc::new(sample_jobs_view(now())));
    for size in [(160, 48), (80, 24)] {
        let (width, height) = size;
        let name = format!("jobs_alone_{width}x{height}");
        snap(&name, size, &snapshot, &ui(Glyphs::Unicode, false));
    }
    // Alerts but no machine: the pane's block has room for two lines of jobs.
    let snapshot = with_alerts(snapshot);
    let ascii = ui(Glyphs::Ascii, false);
    snap("jobs_two_lines_80x24_ascii", (80, 24), &snapshot, &ascii);
}

#[test]
fn stopped_failing_watching_and_dry_run() {
    let views = [
        ("stopped", stopped_jobs_view(now())),
        ("failing", failing_jobs_view(now())),
        ("watching", watcher_jobs_view(now())),
        ("dry_run", dry_run_jobs_view(now())),
        ("starting", starting_jobs_view(now())),
    ];
    for (tag, view) in views {
        let snapshot = fleet(view);
        for size in [(160, 48), (80, 24)] {
            let (width, height) = size;
            let name = format!("jobs_{tag}_{width}x{height}");
            snap(&name, size, &snapshot, &ui(Glyphs::Unicode, false));
        }
    }
    let ascii = ui(Glyphs::Ascii, false);
    snap(
        "jobs_failing_40x12_ascii",
        (40, 12),
        &fleet(failing_jobs_view(now())),
        &ascii,
    );
}

#[test]
fn the_focus_marks_the_panel_the_strip_or_the_word() {
    let snapshot = fleet(sample_jobs_view(now()));
    let mut focused = ui(Glyphs::Unicode, false);
    focused.focus = Focus::Jobs;
    for size in SIZES {
        let (width, height) = size;
        snap(
            &format!("jobs_focused_{width}x{height}"),
            size,
            &snapshot,
            &focused,
        );
    }
}

#[test]
fn the_word_stands_in_on_screens_without_the_jobs() {
    let snapshot = fleet(failing_jobs_view(now()));
    let mut detail = ui(Glyphs::Unicode, false);
    detail.mode = Mode::Detail(sample_name(2));
    let shown = text(&screen(80, 24, &snapshot, &detail));
    assert!(shown.contains("jobs:error"), "{shown}");
    // On the dashboard at 80x24 the strip says it; the word is not repeated.
    let shown = text(&screen(80, 24, &snapshot, &ui(Glyphs::Unicode, false)));
    assert!(!shown.contains("jobs:error"), "{shown}");
    assert!(shown.contains("database error"), "{shown}");
}

#[test]
fn the_question_before_the_monitor_writes() {
    use crate::tui::jobs_prompt::{JobsPrompt, JobsWrite};
    use crate::view::jobs::Preview;

    let mut stopped = stopped_jobs_view(now());
    let mut ui = ui(Glyphs::Unicode, false);
    ui.jobs_prompt = Some(JobsPrompt {
        write: JobsWrite::Start,
        preview: 3,
        asked: std::time::Instant::now(),
    });
    // Before the dry run answers, and with an older answer: it says it is looking.
    let looking = text(&screen(80, 24, &fleet(stopped.clone()), &ui));
    assert!(
        looking.contains("Looking at what a pass would do now"),
        "{looking}"
    );
    let pass = sample_jobs_view(now()).last_pass.expect("a pass");
    stopped.preview = Some(Preview {
        sequence: 2,
        outcome: Ok(Arc::clone(&pass)),
    });
    let stale = text(&screen(80, 24, &fleet(stopped.clone()), &ui));
    assert!(
        stale.contains("Looking at"),
        "an older answer was taken: {stale}"
    );
    stopped.preview = Some(Preview {
        sequence: 3,
        outcome: Ok(pass),
    });
    for size in SIZES {
        let (width, height) = size;
        snap(
            &format!("jobs_question_{width}x{height}"),
            size,
            &fleet(stopped.clone()),
            &ui,
        );
    }
}
