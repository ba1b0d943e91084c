//! The dashboard screen: the cards, the alert pane under them, the machine and the job
//! monitor beside or under both, each where `jobs_layout::place` puts it; and the
//! grid's shape at a frame size, for the key handler.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::keymap::Action;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Mode, UiState};
use crate::tui::view::alert_history;
use crate::tui::view::alert_layout::PaneShape;
use crate::tui::view::alert_pane::AlertPane;
use crate::tui::view::alert_summary::AlertSummary;
use crate::tui::view::dashboard::Dashboard;
use crate::tui::view::jobs_layout::{self, JobsShape, Parts, Placement};
use crate::tui::view::jobs_panel::JobsPanel;
use crate::tui::view::jobs_strip::JobsStrip;
use crate::tui::view::layout::{Grid, dashboard_area};
use crate::tui::view::system_layout::Shape;
use crate::tui::view::system_panel::{self, SystemPanel};
use crate::tui::view::system_strip::SystemStrip;
use crate::tui::view::theme::Theme;
use crate::view::check::ServiceId;
use crate::view::snapshot::Snapshot;

/// Everything the dashboard screen draws from.
pub struct DashboardScreen<'a> {
    pub snapshot: &'a Snapshot,
    pub ui: &'a UiState,
    /// From `UiState::visible`.
    pub visible: &'a [ServiceId],
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl DashboardScreen<'_> {
    /// Draws the dashboard into `main` (the frame less the status bar); true when the
    /// job monitor found room on it.
    pub fn draw(&self, main: Rect, buf: &mut Buffer) -> bool {
        let (snapshot, ui, theme, now) = (self.snapshot, self.ui, self.theme, self.now);
        let placed = placement(main, snapshot, ui);
        let dashboard = Dashboard {
            snapshot,
            visible: self.visible,
            selected: ui.selected_id(snapshot, self.visible),
            filter: &ui.filter,
            // Typing the filter, Esc clears it; after, the key for "back" does.
            clears: if ui.filter_editing {
                " (Esc clears the filter)".to_string()
            } else {
                ui.keys.aside(Action::Back, " clears the filter")
            },
            theme,
            now,
        };
        (&dashboard).render(placed.cards, buf);
        match placed.pane {
            Some((area, PaneShape::Block)) => {
                let pane = AlertPane {
                    snapshot,
                    ui,
                    theme,
                    now,
                };
                (&pane).render(area, buf);
            }
            Some((area, PaneShape::Line)) => {
                let line = AlertSummary {
                    snapshot,
                    ui,
                    focusable: true,
                    theme,
                    now,
                };
                (&line).render(area, buf);
            }
            None => {}
        }
        match (placed.machine, snapshot.system.as_deref()) {
            (Some((area, Shape::Side)), Some(view)) => {
                let panel = SystemPanel {
                    view,
                    keys: &ui.keys,
                    theme,
                    now,
                };
                (&panel).render(area, buf);
            }
            (Some((area, _)), Some(view)) => {
                let strip = SystemStrip { view, theme, now };
                (&strip).render(area, buf);
            }
            _ => {}
        }
        let (Some((area, shape)), Some(view)) = (placed.jobs, snapshot.jobs.as_deref()) else {
            return false;
        };
        let focused = ui.focus == Focus::Jobs;
        match shape {
            JobsShape::Panel => {
                let panel = JobsPanel {
                    view,
                    focused,
                    keys: &ui.keys,
                    theme,
                    now,
                };
                (&panel).render(area, buf);
            }
            JobsShape::Strip => {
                let strip = JobsStrip {
                    view,
                    focused,
                    keys: &ui.keys,
                    theme,
                    now,
                };
                (&strip).render(area, buf);
            }
        }
        true
    }
}

/// Where each part goes in the dashboard area `main`. The machine is drawn when sampled
/// and not hidden with `m`; the jobs while the config has `[jobs]`.
fn placement(main: Rect, snapshot: &Snapshot, ui: &UiState) -> Placement {
    let machine = snapshot.system.as_deref().filter(|_| !ui.hide_system);
    let parts = Parts {
        machine: machine.map(system_panel::wanted_height),
        calm: snapshot.alerts.is_empty(),
        jobs: snapshot.jobs.is_some(),
    };
    jobs_layout::place(main, parts)
}

/// The cards' part of a frame of this size (`area` is the whole frame).
fn cards_area(area: Rect, snapshot: &Snapshot, ui: &UiState) -> Rect {
    placement(dashboard_area(area), snapshot, ui).cards
}

/// Cards per row on a frame of this size, so Left/Right/Up/Down follow the grid on screen
/// (1 when the dashboard shows one line per service). `area` is the whole frame.
pub fn columns_for(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    Grid::for_area(cards_area(area, snapshot, ui)).columns
}

/// Services per screenful on a frame of this size, for PgUp/PgDn. `area` is the whole
/// frame. With one line per service, group headers take some lines, so a page shows up to
/// this many.
pub fn page_size(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    Grid::for_area(cards_area(area, snapshot, ui)).page()
}

/// Rows of the alert list on screen, for PgUp/PgDn: the history's, or the pane's.
pub fn list_page(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    let rows = match ui.mode {
        Mode::AlertHistory => dashboard_area(area)
            .height
            .saturating_sub(alert_history::HEADER_LINES),
        _ => match placement(dashboard_area(area), snapshot, ui).pane {
            Some((pane, PaneShape::Block)) => pane.height.saturating_sub(1),
            _ => 1,
        },
    };
    usize::from(rows).max(1)
}
