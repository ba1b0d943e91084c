//! Pure drawing: (snapshot, UI state, clock) → frame. No I/O, no locks.

mod card;
mod chart;
mod check_info;
mod dashboard;
mod detail;
mod facts;
mod format;
mod help;
mod layout;
mod line_item;
mod spark;
mod status_bar;
mod theme;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use ratatui::Frame;
use ratatui::layout::Rect;

use crate::state::Snapshot;
use crate::tui::keys::BINDINGS;
use crate::tui::ui_state::{Mode, UiState};
use dashboard::Dashboard;
use detail::DetailView;
use help::HelpOverlay;
use layout::{Grid, dashboard_area};
use status_bar::StatusBar;
use theme::Theme;

/// Draws the whole screen. `now` is the only clock the frame sees, so a frame is a pure
/// function of its inputs and tests can pin it.
pub fn render(frame: &mut Frame, snapshot: &Snapshot, ui: &UiState, now: SystemTime) {
    let area = frame.area();
    let theme = Theme::new(ui);
    let visible = ui.visible(snapshot);
    let main = dashboard_area(area);
    let status = Rect {
        y: main.bottom(),
        height: area.height.min(1),
        ..area
    };
    let detail = match ui.mode {
        Mode::Detail(id) => snapshot.services.get(id),
        Mode::Dashboard => None,
    };
    match detail {
        Some(view) => {
            let detail = DetailView {
                view,
                theme: &theme,
                now,
            };
            frame.render_widget(&detail, main);
        }
        None => {
            let dashboard = Dashboard {
                snapshot,
                visible: &visible,
                selected: ui.effective_selection(&visible),
                filter: &ui.filter,
                theme: &theme,
                now,
            };
            frame.render_widget(&dashboard, main);
        }
    }
    let bar = StatusBar {
        snapshot,
        ui,
        shown: visible.len(),
        theme: &theme,
        now,
    };
    frame.render_widget(&bar, status);
    if ui.help_open {
        let help = HelpOverlay {
            bindings: BINDINGS,
            theme: &theme,
        };
        frame.render_widget(&help, area);
    }
}

/// Cards per row on a frame of this size, so Left/Right/Up/Down follow the grid on screen
/// (1 when the dashboard shows one line per service). `area` is the whole frame.
pub fn columns_for(area: Rect) -> usize {
    Grid::for_area(dashboard_area(area)).columns
}

/// Services per screenful on a frame of this size, for PgUp/PgDn. `area` is the whole
/// frame. With one line per service, group headers take some lines, so a page shows up to
/// this many.
pub fn page_size(area: Rect) -> usize {
    Grid::for_area(dashboard_area(area)).page()
}
