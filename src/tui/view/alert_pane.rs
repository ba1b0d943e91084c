//! The alert pane under the cards: a rule with the counts per state, the severity filter
//! and where the page is, then one row per alert, most severe first. Only the rows on
//! screen are built, however many alerts there are. Calm: "no alerts" and the last one
//! resolved.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use crate::keymap::{Action, KeyMap};
use crate::tui::alerts::{self, Focus};
use crate::tui::ui_state::UiState;
use crate::tui::view::alert_row::{AlertRow, origin_width, subject_width};
use crate::tui::view::alert_text::{self, counts_text, filter_label, state_counts};
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::view::snapshot::Snapshot;

/// What the pane tells how to act on the selection, when it has the focus and room:
/// "a ack  u un-ack  s silence  Enter detail  H history" with the default keys.
fn hint(keys: &KeyMap) -> String {
    keys.hint(&[
        (&[Action::Ack], "ack"),
        (&[Action::Unack], "un-ack"),
        (&[Action::Silence], "silence"),
        (&[Action::OpenDetail], "detail"),
        (&[Action::History], "history"),
    ])
}

/// The pane as a block of rows.
pub struct AlertPane<'a> {
    pub snapshot: &'a Snapshot,
    pub ui: &'a UiState,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

/// The first row of the page that holds `index`, `page` rows to a page. Unfocused, the
/// pane shows the top: the most severe alerts.
pub fn page_start(index: usize, page: usize, focused: bool) -> usize {
    if focused {
        index - index % page.max(1)
    } else {
        0
    }
}

impl Widget for &AlertPane<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let (snapshot, ui, theme) = (self.snapshot, self.ui, self.theme);
        let list = &snapshot.alerts;
        let focused = ui.focus == Focus::Alerts;
        let (index, shown) = alerts::position(list, ui.min_severity, ui.alert_selected);
        let rows = Rect {
            y: area.y + 1,
            height: area.height - 1,
            ..area
        };
        let page = usize::from(rows.height);
        let start = page_start(index.unwrap_or(ui.alert_row), page, focused);
        self.title(Rect { height: 1, ..area }, (start, shown, page), buf);
        if rows.is_empty() {
            return;
        }
        if shown == 0 {
            return self.calm(rows, buf);
        }
        let subject_width = subject_width(rows.width);
        let names = snapshot.alertmanagers.iter().map(|am| am.name.as_str());
        let origin_width = origin_width(rows.width, names);
        let visible = alerts::shown(list, ui.min_severity).skip(start).take(page);
        for (offset, (alert, y)) in visible.zip(rows.top()..rows.bottom()).enumerate() {
            let row = AlertRow {
                alert,
                age: alert.age(self.now),
                selected: focused && Some(start + offset) == index,
                subject_width,
                origin_width,
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

impl AlertPane<'_> {
    /// "─ alerts · 2 firing · 1 acked ──── ≥high · 1-10 of 14 ─".
    fn title(&self, row: Rect, (start, shown, page): (usize, usize, usize), buf: &mut Buffer) {
        let (ui, theme) = (self.ui, self.theme);
        for x in row.left()..row.right() {
            buf[(x, row.y)]
                .set_symbol(theme.rule())
                .set_style(theme.dim());
        }
        let focused = ui.focus == Focus::Alerts;
        let lead = if focused {
            format!(" {} alerts", theme.marker())
        } else {
            " alerts".to_string()
        };
        let list = &self.snapshot.alerts;
        let gone = focused
            && ui.alert_selected.is_some()
            && alerts::position(list, ui.min_severity, ui.alert_selected)
                .0
                .is_none();
        // The action keys would do nothing with the selection gone: that is said in
        // place of the counts, where it is read first.
        let counts = if gone {
            format!(
                "the selected alert is gone ({})",
                alerts::select_another(&ui.keys)
            )
        } else {
            counts_text(&state_counts(list), 4, theme)
        };
        let label = if counts.is_empty() {
            format!("{lead} ")
        } else {
            format!("{lead}{}{counts} ", theme.separator())
        };
        let label_style = if focused {
            theme.selected()
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        let room = usize::from(row.width.saturating_sub(2));
        let at = (row.x.saturating_add(1), row.y);
        let used = put(buf, row, at, &label, room, label_style, theme.ellipsis());
        let mut right: Vec<String> = Vec::new();
        if focused && !gone {
            right.push(hint(&ui.keys));
        }
        right.extend(filter_label(ui.min_severity, theme));
        if shown > page && page > 0 {
            let end = (start + page).min(shown);
            right.push(format!("{}-{end} of {shown}", start + 1));
        }
        // The hint goes first when room runs out; then the rest is cut from the left.
        let free = usize::from(row.width).saturating_sub(usize::from(used) + 4);
        let mut text = format!(" {} ", right.join(theme.separator()));
        if focused && format::width(&text) > free {
            right.remove(0);
            text = format!(" {} ", right.join(theme.separator()));
        }
        let width = format::width(&text);
        if right.is_empty() || width > free {
            return;
        }
        let x = row
            .right()
            .saturating_sub(u16::try_from(width + 1).unwrap_or(0));
        put(buf, row, (x, row.y), &text, width, theme.dim(), "");
    }

    /// No alerts (or none at this severity): one calm line, and the last resolved alert.
    fn calm(&self, rows: Rect, buf: &mut Buffer) {
        let (snapshot, theme) = (self.snapshot, self.theme);
        let line = |i: u16| Rect {
            y: rows.y + i,
            height: 1,
            ..rows
        };
        let hidden = snapshot.alerts.len();
        let text = match filter_label(self.ui.min_severity, theme) {
            Some(label) if hidden > 0 => {
                format!(
                    " no alert at {label}: {hidden} less severe{}",
                    self.ui.keys.aside(Action::SeverityFilter, " shows them")
                )
            }
            _ => " no alerts".to_string(),
        };
        let first = line(0);
        put(
            buf,
            first,
            (first.x, first.y),
            &text,
            usize::MAX,
            theme.fg(ratatui::style::Color::Green),
            theme.ellipsis(),
        );
        if rows.height < 2 {
            return;
        }
        if let Some(last) = snapshot.alert_history.first() {
            let ago = last
                .resolved
                .map(|at| alert_text::age(format::age(self.now, at)))
                .unwrap_or_default();
            let lasted = alert_text::lasted(last)
                .map(|d| format!(", lasted {}", alert_text::age(d)))
                .unwrap_or_default();
            let text = format!(
                " last resolved {ago} ago: {} {} {}{lasted} {}",
                alert_text::severity_short(last.severity),
                last.key.subject,
                alert_text::kind_label(&last.key),
                self.ui.keys.aside(Action::History, ": history"),
            );
            let second = line(1);
            put(
                buf,
                second,
                (second.x, second.y),
                &text,
                usize::MAX,
                theme.dim(),
                theme.ellipsis(),
            );
        }
    }
}
