//! Buffer and whole-screen tests for the drawing layer, on a fixed clock and the
//! deterministic sample fleet.

mod alert_screens;
mod alert_widgets;
mod attached_screens;
mod certificate_screens;
mod insecure_screens;
mod jobs_screens;
mod jobs_widgets;
mod properties;
mod query_screens;
mod remote_screens;
mod screens;
mod system_screens;
mod widgets;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::state::sample_alerts::sample_alerts;
use crate::tui::ack_prompt::AckPrompt;
use crate::tui::alerts::{PromptStep, SilencePrompt};
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::view::snapshot::Snapshot;

/// The fixed "now" of every test: 2023-11-14 22:13:20 UTC.
fn now() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn ui(glyphs: Glyphs, color: bool) -> UiState {
    UiState {
        glyphs,
        color,
        ..UiState::default()
    }
}

/// The whole frame as the terminal would show it, the selection settled on the snapshot
/// first as the app does before each frame.
fn screen(width: u16, height: u16, snapshot: &Snapshot, ui: &UiState) -> Buffer {
    let mut ui = ui.clone();
    ui.settle(snapshot);
    let ui = &ui;
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| super::render(frame, snapshot, ui, now()))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The buffer's symbols, one line per row, for snapshots and `contains` checks.
fn text(buf: &Buffer) -> String {
    let width = usize::from(buf.area.width).max(1);
    let mut out = String::new();
    for row in buf.content().chunks(width) {
        for cell in row {
            out.push_str(cell.symbol());
        }
        out.push('\n');
    }
    out
}

/// The snapshot with the sample alerts, active and resolved.
fn with_alerts(mut snapshot: Snapshot) -> Snapshot {
    (snapshot.alerts, snapshot.alert_history) = sample_alerts(now());
    snapshot
}

/// The alert views: a detail of an active, a flapping and a resolved alert, the history.
fn alert_modes() -> [Mode; 4] {
    [
        Mode::AlertDetail {
            id: 41,
            from_history: false,
        },
        Mode::AlertDetail {
            id: 43,
            from_history: false,
        },
        Mode::AlertDetail {
            id: 40,
            from_history: true,
        },
        Mode::AlertHistory,
    ]
}

/// The silence prompt on the first alert at each step (`step` 0 to 2; 3 is none).
fn prompt(snapshot: &Snapshot, step: usize) -> Option<SilencePrompt> {
    let step = match step {
        0 => PromptStep::Duration { choice: 1 },
        1 => PromptStep::Custom {
            text: "9x".to_string(),
            error: Some("\"9x\" is not a duration: try 90m or 2h30m".to_string()),
        },
        2 => PromptStep::Target {
            duration: Duration::from_secs(3600),
            choice: 2,
        },
        _ => return None,
    };
    let alert = snapshot.alerts.get(1)?.clone();
    Some(SilencePrompt { alert, step })
}

/// The ack-note prompt on alert `id` with `text` typed.
fn ack_prompt(snapshot: &Snapshot, id: u64, text: &str) -> Option<AckPrompt> {
    let alert = snapshot.alerts.iter().find(|alert| alert.id == id)?;
    let mut prompt = AckPrompt::new(alert.clone());
    text.chars().for_each(|c| prompt.push(c));
    Some(prompt)
}
