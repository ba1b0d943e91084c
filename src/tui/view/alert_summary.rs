//! The alert pane in one line, for small screens and under detail views:
//! "2 firing · 1 acked · crit billing DOWN 4m". With the focus it shows the selected
//! alert instead: "▸ 3/10 high notify DOWN 9m acked". Less fits, less is said.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::Widget;

use crate::tui::alerts::{self, Focus};
use crate::tui::ui_state::UiState;
use crate::tui::view::alert_text::{counts_text, filter_label, glance, state_counts};
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::view::alert::{AlertState, AlertView};
use crate::view::snapshot::Snapshot;

/// The pane as one line.
pub struct AlertSummary<'a> {
    pub snapshot: &'a Snapshot,
    pub ui: &'a UiState,
    /// False under detail views, where the dashboard's focus does not apply.
    pub focusable: bool,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &AlertSummary<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let row = Rect {
            height: 1,
            ..area.intersection(buf.area)
        };
        if row.is_empty() {
            return;
        }
        let (snapshot, ui, theme) = (self.snapshot, self.ui, self.theme);
        let list = &snapshot.alerts;
        let min = ui.min_severity;
        let (index, shown) = alerts::position(list, min, ui.alert_selected);
        let focused = self.focusable && ui.focus == Focus::Alerts;
        let ellipsis = theme.ellipsis();
        let filter = filter_label(min, theme)
            .map(|l| format!("{l}: "))
            .unwrap_or_default();
        let worst = if focused {
            index.and_then(|index| alerts::nth(list, min, index))
        } else {
            // The first firing alert, else the first shown.
            let mut shown_alerts = alerts::shown(list, min);
            let first = shown_alerts.clone().next();
            shown_alerts
                .find(|a| a.state == AlertState::Firing)
                .or(first)
        };
        let Some(worst) = worst else {
            let text = match list.len() {
                0 => " no alerts".to_string(),
                _ if focused && shown > 0 => format!(
                    " {filter}-/{shown} the selected alert is gone ({})",
                    alerts::select_another(&ui.keys)
                ),
                n => format!(" {filter}no alerts ({n} less severe)"),
            };
            let style = theme.fg(Color::Green);
            put(buf, row, (row.x, row.y), &text, usize::MAX, style, ellipsis);
            self.focus_marker(row, focused, buf);
            return;
        };
        let width = usize::from(row.width);
        let counts = state_counts(list);
        let text = if focused {
            let at = format!("{}/{shown} ", index.map_or(0, |i| i + 1));
            let state = describe(worst);
            let full = format!(" {filter}{at}{} {state}", glance(worst, self.now));
            if format::width(&full) < width {
                full
            } else {
                format!(" {at}{}", glance(worst, self.now))
            }
        } else {
            let sep = theme.separator();
            let levels = [
                format!(
                    " {filter}{}{sep}{}",
                    counts_text(&counts, 4, theme),
                    glance(worst, self.now)
                ),
                format!(
                    " {}{sep}{}",
                    counts_text(&counts, 2, theme),
                    glance(worst, self.now)
                ),
                format!(
                    " {}{sep}{}",
                    counts_text(&counts, 1, theme),
                    glance(worst, self.now)
                ),
                format!(" {} (+{})", glance(worst, self.now), list.len() - 1),
            ];
            let fits = levels.iter().find(|l| format::width(l) <= width);
            fits.unwrap_or(&levels[3]).clone()
        };
        let style = if worst.state == AlertState::Firing {
            theme.severity(worst.severity)
        } else {
            theme.alert_text(worst.state)
        };
        put(buf, row, (row.x, row.y), &text, usize::MAX, style, ellipsis);
        self.focus_marker(row, focused, buf);
    }
}

impl AlertSummary<'_> {
    /// With the focus, the line starts with the marker and is drawn in reverse video.
    fn focus_marker(&self, row: Rect, focused: bool, buf: &mut Buffer) {
        if focused {
            put(
                buf,
                row,
                (row.x, row.y),
                self.theme.marker(),
                1,
                Style::new(),
                "",
            );
            buf.set_style(row, self.theme.selected().add_modifier(Modifier::BOLD));
        }
    }
}

/// The state word, with "flapping" when it is.
fn describe(alert: &AlertView) -> String {
    if alert.flapping {
        format!("{} flapping", alert.state.as_str())
    } else {
        alert.state.as_str().to_string()
    }
}
