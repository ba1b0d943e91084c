//! Pure drawing: (snapshot, UI state, clock) → frame. No I/O, no locks.

mod ack_prompt;
mod alert_detail;
mod alert_detail_remote;
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
mod confirm;
mod dashboard;
mod dashboard_screen;
mod detail;
mod facts;
mod format;
mod help;
mod jobs_layout;
mod jobs_panel;
mod jobs_strip;
mod jobs_text;
mod layout;
mod line_item;
mod phrases;
mod popup;
mod query_facts;
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
mod value_chart;

#[cfg(test)]
mod tests;

use std::time::SystemTime;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::tui::alerts;
use crate::tui::keys::BINDINGS;
use crate::tui::ui_state::{Mode, UiState};
use crate::view::snapshot::Snapshot;
use ack_prompt::AckBox;
use alert_detail::AlertDetail;
use alert_history::AlertHistory;
use alert_summary::AlertSummary;
use confirm::QuestionBox;
use detail::DetailView;
use help::HelpOverlay;
use layout::dashboard_area;
use silence_prompt::SilenceBox;
use status_bar::StatusBar;
use system_detail::SystemDetail;
use theme::Theme;

pub use dashboard_screen::{columns_for, list_page, page_size};

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
    // Set when the dashboard shows the jobs; elsewhere the status bar says a word.
    let mut jobs_shown = false;
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
    match (&ui.mode, machine) {
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
        (Mode::Detail(name), _) if snapshot.services.iter().any(|s| s.config.name == *name) => {
            if let Some(view) = snapshot.services.iter().find(|s| s.config.name == *name) {
                let (body, line) = alert_layout::summary_line(main);
                let detail = DetailView {
                    view,
                    keys: &ui.keys,
                    theme: &theme,
                    now,
                };
                (&detail).render(body, buf);
                summary(line, buf);
            }
        }
        (Mode::AlertDetail { id, .. }, _) => match alerts::find(snapshot, *id) {
            Some(alert) => {
                let service = snapshot
                    .services
                    .iter()
                    .find(|s| s.config.name == alert.key.subject);
                let detail = AlertDetail {
                    alert,
                    service: service.map(AsRef::as_ref),
                    system: machine,
                    keys: &ui.keys,
                    theme: &theme,
                    now,
                };
                (&detail).render(main, buf);
            }
            None => alert_detail::gone(main, buf, &theme, &ui.keys),
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
        _ => {
            let screen = dashboard_screen::DashboardScreen {
                snapshot,
                ui,
                visible: &visible,
                theme: &theme,
                now,
            };
            jobs_shown = screen.draw(main, buf);
        }
    }
    let bar = StatusBar {
        snapshot,
        ui,
        shown: visible.len(),
        jobs: snapshot.jobs.as_deref().filter(|_| !jobs_shown),
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
    if let Some(confirm) = &ui.confirm {
        let question = QuestionBox {
            title: &confirm.title,
            lines: &confirm.lines,
            theme: &theme,
        };
        (&question).render(area, buf);
    }
    if let (Some(prompt), Some(jobs)) = (&ui.jobs_prompt, snapshot.jobs.as_deref()) {
        let lines = prompt.lines(jobs);
        let question = QuestionBox {
            title: prompt.title(),
            lines: &lines,
            theme: &theme,
        };
        (&question).render(area, buf);
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
            keys: &ui.keys,
            theme: &theme,
        };
        (&help).render(area, buf);
    }
}
