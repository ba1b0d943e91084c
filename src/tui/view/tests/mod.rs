//! Buffer and whole-screen tests for the drawing layer, on a fixed clock and the
//! deterministic sample fleet.

mod properties;
mod screens;
mod system_screens;
mod widgets;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

use crate::state::Snapshot;
use crate::tui::ui_state::{Glyphs, UiState};

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

/// The whole frame as the terminal would show it.
fn screen(width: u16, height: u16, snapshot: &Snapshot, ui: &UiState) -> Buffer {
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
