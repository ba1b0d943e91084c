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
mod system_chart;
mod system_detail;
mod system_layout;
mod system_panel;
mod system_parts;
mod system_strip;
mod system_tables;
mod system_text;
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
use system_detail::SystemDetail;
use system_layout::Shape;
use system_panel::SystemPanel;
use system_strip::SystemStrip;
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
    let machine = snapshot.system.as_deref();
    match (ui.mode, machine) {
        (Mode::System, Some(view)) => {
            let detail = SystemDetail {
                view,
                theme: &theme,
                now,
            };
            frame.render_widget(&detail, main);
        }
        (Mode::Detail(id), _) if snapshot.services.get(id).is_some() => {
            if let Some(view) = snapshot.services.get(id) {
                let detail = DetailView {
                    view,
                    theme: &theme,
                    now,
                };
                frame.render_widget(&detail, main);
            }
        }
        _ => {
            let (services, panel) = system_layout::split(main, shows_machine(snapshot, ui));
            let dashboard = Dashboard {
                snapshot,
                visible: &visible,
                selected: ui.effective_selection(&visible),
                filter: &ui.filter,
                theme: &theme,
                now,
            };
            frame.render_widget(&dashboard, services);
            match (panel, machine) {
                (Some((area, Shape::Side)), Some(view)) => {
                    let panel = SystemPanel {
                        view,
                        theme: &theme,
                        now,
                    };
                    frame.render_widget(&panel, area);
                }
                (Some((area, _)), Some(view)) => {
                    let strip = SystemStrip {
                        view,
                        theme: &theme,
                        now,
                    };
                    frame.render_widget(&strip, area);
                }
                _ => {}
            }
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

/// True when the machine is drawn on the dashboard: sampled, and not hidden with `m`.
fn shows_machine(snapshot: &Snapshot, ui: &UiState) -> bool {
    snapshot.system.is_some() && !ui.hide_system
}

/// The services' part of a frame of this size (`area` is the whole frame).
fn services_area(area: Rect, snapshot: &Snapshot, ui: &UiState) -> Rect {
    system_layout::split(dashboard_area(area), shows_machine(snapshot, ui)).0
}

/// Cards per row on a frame of this size, so Left/Right/Up/Down follow the grid on screen
/// (1 when the dashboard shows one line per service). `area` is the whole frame.
pub fn columns_for(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    Grid::for_area(services_area(area, snapshot, ui)).columns
}

/// Services per screenful on a frame of this size, for PgUp/PgDn. `area` is the whole
/// frame. With one line per service, group headers take some lines, so a page shows up to
/// this many.
pub fn page_size(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    Grid::for_area(services_area(area, snapshot, ui)).page()
}
