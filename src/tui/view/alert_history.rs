//! The history of closed alerts (`H`), resolved or ended, newest first: one row each with
//! when it closed, how long it lasted, why it ended and who had acked it. Only the page
//! on screen is built.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use crate::keymap::{Action, KeyMap};
use crate::tui::alerts;
use crate::tui::ui_state::UiState;
use crate::tui::view::alert_pane::page_start;
use crate::tui::view::alert_row::{AlertRow, subject_width};
use crate::tui::view::alert_text::filter_label;
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::view::snapshot::Snapshot;

/// Lines above the list: the heading and a blank line.
pub const HEADER_LINES: u16 = 2;

/// "j/k move  Enter detail  f severity  Esc back" with the default keys.
fn hint(keys: &KeyMap) -> String {
    keys.hint(&[
        (&[Action::Down, Action::Up], "move"),
        (&[Action::OpenDetail], "detail"),
        (&[Action::SeverityFilter], "severity"),
        (&[Action::Back], "back"),
    ])
}

/// The history screen.
pub struct AlertHistory<'a> {
    pub snapshot: &'a Snapshot,
    pub ui: &'a UiState,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &AlertHistory<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let (ui, theme) = (self.ui, self.theme);
        let list = &self.snapshot.alert_history;
        let (index, shown) = alerts::position(list, ui.min_severity, ui.history_selected);
        let header = HEADER_LINES.min(area.height);
        let rows = Rect {
            y: area.y + header,
            height: area.height - header,
            ..area
        };
        let page = usize::from(rows.height);
        let start = page_start(index.unwrap_or(0), page, true);
        let mut heading = format!("past alerts{}{shown}", theme.separator());
        if let Some(label) = filter_label(ui.min_severity, theme) {
            heading.push_str(&format!(" at {label}"));
        }
        if shown > page && page > 0 {
            let end = (start + page).min(shown);
            heading.push_str(&format!("{}{}-{end}", theme.separator(), start + 1));
        }
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let ellipsis = theme.ellipsis();
        let used = put(
            buf,
            area,
            (area.x, area.y),
            &heading,
            usize::MAX,
            bold,
            ellipsis,
        );
        let free = usize::from(area.width.saturating_sub(used));
        let hint = hint(&self.ui.keys);
        let hint_width = format::width(&hint);
        if hint_width + 2 <= free {
            let x = area.right() - u16::try_from(hint_width).unwrap_or(0);
            put(buf, area, (x, area.y), &hint, hint_width, theme.dim(), "");
        }
        if rows.is_empty() {
            return;
        }
        if shown == 0 {
            let text = if list.is_empty() {
                "no resolved alerts yet".to_string()
            } else {
                format!(
                    "none at this severity: {} in all{}",
                    list.len(),
                    self.ui.keys.aside(Action::SeverityFilter, " shows more")
                )
            };
            put(
                buf,
                rows,
                (rows.x, rows.y),
                &text,
                usize::MAX,
                theme.dim(),
                ellipsis,
            );
            return;
        }
        let subject_width = subject_width(rows.width);
        let visible = alerts::shown(list, ui.min_severity).skip(start).take(page);
        for (offset, (alert, y)) in visible.zip(rows.top()..rows.bottom()).enumerate() {
            let since = alert.resolved.unwrap_or(alert.started);
            let row = AlertRow {
                alert,
                age: format::age(self.now, since),
                selected: Some(start + offset) == index,
                subject_width,
                // Only lookout's own alerts are kept once resolved.
                origin_width: 0,
                theme,
                now: self.now,
            };
            (&row).render(
                Rect {
                    y,
                    height: 1,
                    ..rows
                },
                buf,
            );
        }
    }
}
