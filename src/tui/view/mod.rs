//! Pure drawing: (snapshot, UI state, clock) → frame. No I/O, no locks.

mod ack_prompt;
mod alert_detail;
mod alert_history;
mod alert_layout;
mod alert_marks;
mod alert_pane;
mod alert_row;
mod alert_summary;
mod alert_text;
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
mod popup;
mod silence_prompt;
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
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::state::Snapshot;
use crate::tui::alerts;
use crate::tui::keys::BINDINGS;
use crate::tui::ui_state::{Mode, UiState};
use ack_prompt::AckBox;
use alert_detail::AlertDetail;
use alert_history::AlertHistory;
use alert_layout::PaneShape;
use alert_pane::AlertPane;
use alert_summary::AlertSummary;
use dashboard::Dashboard;
use detail::DetailView;
use help::HelpOverlay;
use layout::{Grid, dashboard_area};
use silence_prompt::SilenceBox;
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
    let buf = frame.buffer_mut();
    let theme = Theme::new(ui);
    let visible = ui.visible(snapshot);
    let main = dashboard_area(area);
    let status = Rect {
        y: main.bottom(),
        height: area.height.min(1),
        ..area
    };
    let machine = snapshot.system.as_deref();
    let summary = |line: Option<Rect>, buf: &mut Buffer| {
        if let Some(line) = line {
            let widget = AlertSummary {
                snapshot,
                ui,
                focusable: false,
                theme: &theme,
                now,
            };
            (&widget).render(line, buf);
        }
    };
    match (ui.mode, machine) {
        (Mode::System, Some(view)) => {
            let (body, line) = alert_layout::summary_line(main);
            let detail = SystemDetail {
                view,
                theme: &theme,
                now,
            };
            (&detail).render(body, buf);
            summary(line, buf);
        }
        (Mode::Detail(id), _) if snapshot.services.get(id).is_some() => {
            if let Some(view) = snapshot.services.get(id) {
                let (body, line) = alert_layout::summary_line(main);
                let detail = DetailView {
                    view,
                    theme: &theme,
                    now,
                };
                (&detail).render(body, buf);
                summary(line, buf);
            }
        }
        (Mode::AlertDetail { id, .. }, _) => match alerts::find(snapshot, id) {
            Some(alert) => {
                let service = snapshot
                    .services
                    .iter()
                    .find(|s| s.config.name == alert.key.subject);
                let detail = AlertDetail {
                    alert,
                    service: service.map(AsRef::as_ref),
                    system: machine,
                    theme: &theme,
                    now,
                };
                (&detail).render(main, buf);
            }
            None => alert_detail::gone(main, buf, &theme),
        },
        (Mode::AlertHistory, _) => {
            let history = AlertHistory {
                snapshot,
                ui,
                theme: &theme,
                now,
            };
            (&history).render(main, buf);
        }
        _ => dashboard(buf, main, snapshot, ui, &visible, &theme, now),
    }
    let bar = StatusBar {
        snapshot,
        ui,
        shown: visible.len(),
        theme: &theme,
        now,
    };
    (&bar).render(status, buf);
    if let Some(prompt) = &ui.prompt {
        let prompt = SilenceBox {
            prompt,
            theme: &theme,
        };
        (&prompt).render(area, buf);
    }
    if let Some(prompt) = &ui.ack_prompt {
        let prompt = AckBox {
            prompt,
            theme: &theme,
        };
        (&prompt).render(area, buf);
    }
    if ui.help_open {
        let help = HelpOverlay {
            bindings: BINDINGS,
            theme: &theme,
        };
        (&help).render(area, buf);
    }
}

/// The dashboard: cards, the alert pane under them, and the machine beside or under both.
fn dashboard(
    buf: &mut Buffer,
    main: Rect,
    snapshot: &Snapshot,
    ui: &UiState,
    visible: &[crate::event::ServiceId],
    theme: &Theme,
    now: SystemTime,
) {
    let machine = snapshot.system.as_deref();
    let (services, panel) = system_layout::split(main, shows_machine(snapshot, ui));
    let (cards, pane) = alert_layout::split(services, snapshot.alerts.is_empty());
    let dashboard = Dashboard {
        snapshot,
        visible,
        selected: ui.effective_selection(visible),
        filter: &ui.filter,
        theme,
        now,
    };
    (&dashboard).render(cards, buf);
    match pane {
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
    match (panel, machine) {
        (Some((area, Shape::Side)), Some(view)) => {
            let panel = SystemPanel { view, theme, now };
            (&panel).render(area, buf);
        }
        (Some((area, _)), Some(view)) => {
            let strip = SystemStrip { view, theme, now };
            (&strip).render(area, buf);
        }
        _ => {}
    }
}

/// True when the machine is drawn on the dashboard: sampled, and not hidden with `m`.
fn shows_machine(snapshot: &Snapshot, ui: &UiState) -> bool {
    snapshot.system.is_some() && !ui.hide_system
}

/// The dashboard's split at this frame size: the cards' area and the alert pane's.
fn split(area: Rect, snapshot: &Snapshot, ui: &UiState) -> (Rect, Option<(Rect, PaneShape)>) {
    let services = system_layout::split(dashboard_area(area), shows_machine(snapshot, ui)).0;
    alert_layout::split(services, snapshot.alerts.is_empty())
}

/// The services' part of a frame of this size (`area` is the whole frame).
fn services_area(area: Rect, snapshot: &Snapshot, ui: &UiState) -> Rect {
    split(area, snapshot, ui).0
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

/// Rows of the alert list on screen, for PgUp/PgDn: the history's, or the pane's.
pub fn list_page(area: Rect, snapshot: &Snapshot, ui: &UiState) -> usize {
    let rows = match ui.mode {
        Mode::AlertHistory => dashboard_area(area)
            .height
            .saturating_sub(alert_history::HEADER_LINES),
        _ => match split(area, snapshot, ui).1 {
            Some((pane, PaneShape::Block)) => pane.height.saturating_sub(1),
            _ => 1,
        },
    };
    usize::from(rows).max(1)
}
