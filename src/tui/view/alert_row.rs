//! One alert on one line, for the pane and the history: severity word, state symbol and
//! word, a flapping mark, age, subject, summary, and what was done about it ("acked by
//! ana@db1", "silenced, 45m left"). Narrow rows keep the symbol and drop the state word.

use std::time::{Duration, SystemTime};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use crate::tui::view::alert_text::{self, age, severity_short};
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::view::alert::AlertView;

/// From this width a row shows the state word.
const WIDE: u16 = 64;
/// From this width what was done about an alert gets a column of its own on the right.
const REMARK_COLUMN: u16 = 100;
const REMARK_MAX: usize = 34;
/// Cells before the subject: marker, severity, symbol, state word, flap mark, age, gaps.
const FIXED_WIDE: u16 = 26;
const FIXED_NARROW: u16 = 16;

#[cfg(test)]
thread_local! {
    /// Rows built on this thread, so tests can prove a frame builds only what it shows.
    pub static ROWS_BUILT: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// One alert as a list row.
pub struct AlertRow<'a> {
    pub alert: &'a AlertView,
    /// The age shown: since it started (active) or since it resolved (history).
    pub age: Duration,
    pub selected: bool,
    /// From `subject_width`, the same for every row of a list so the columns line up.
    pub subject_width: usize,
    /// From `origin_width`: where each alert comes from (lookout or an Alertmanager's
    /// name); 0 for no such column.
    pub origin_width: usize,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

/// The origin column's width for rows of this width, when alerts are read from
/// Alertmanagers with these names: room for the longest name (at most 12 cells), none
/// without Alertmanagers or on narrow rows.
pub fn origin_width<'a>(width: u16, names: impl Iterator<Item = &'a str>) -> usize {
    let longest = names.map(format::width).max();
    match longest {
        Some(longest) if width >= WIDE => longest.max(OWN.len()).min(12),
        _ => 0,
    }
}

/// The origin column's word for lookout's own alerts.
const OWN: &str = "lookout";

/// The subject column's width for rows of this width.
pub fn subject_width(width: u16) -> usize {
    if width >= WIDE {
        usize::from((width - FIXED_WIDE) / 4).clamp(8, 24)
    } else {
        usize::from(width.saturating_sub(FIXED_NARROW) / 3).clamp(6, 16)
    }
}

impl Widget for &AlertRow<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let row = Rect {
            height: 1,
            ..area.intersection(buf.area)
        };
        if row.is_empty() {
            return;
        }
        #[cfg(test)]
        ROWS_BUILT.with(|n| n.set(n.get() + 1));
        let (alert, theme) = (self.alert, self.theme);
        let text_style = theme.alert_text(alert.state);
        let ellipsis = theme.ellipsis();
        let mut x = row.x;
        let cell = |buf: &mut Buffer, x: &mut u16, text: &str, width: usize, style: Style| {
            *x = x.saturating_add(put(buf, row, (*x, row.y), text, width, style, ""));
        };
        let lead = if self.selected { theme.marker() } else { " " };
        cell(buf, &mut x, lead, 1, Style::new());
        let severity = format!("{:<4} ", severity_short(alert.severity));
        cell(buf, &mut x, &severity, 5, theme.severity(alert.severity));
        let symbol_style = if alert.state == crate::view::alert::AlertState::Firing {
            theme.severity(alert.severity)
        } else {
            text_style
        };
        cell(
            buf,
            &mut x,
            theme.alert_symbol(alert.state),
            1,
            symbol_style,
        );
        let flap = if alert.flapping { theme.flap() } else { " " };
        if row.width >= WIDE {
            let word = format!(" {:<8}", alert.state.as_str());
            let bold = text_style.add_modifier(Modifier::BOLD);
            cell(buf, &mut x, &word, 9, bold);
        }
        cell(buf, &mut x, flap, 1, theme.warn());
        cell(
            buf,
            &mut x,
            &format!(" {:>6}  ", age(self.age)),
            9,
            Style::new(),
        );
        if self.origin_width > 0 {
            let (origin, style) = match &alert.origin {
                Some(remote) => (remote.source.as_str(), Style::new()),
                None => (OWN, theme.dim()),
            };
            put(
                buf,
                row,
                (x, row.y),
                origin,
                self.origin_width,
                style,
                ellipsis,
            );
            x = x.saturating_add(u16::try_from(self.origin_width + 2).unwrap_or(u16::MAX));
        }
        let subject = &alert.key.subject;
        put(
            buf,
            row,
            (x, row.y),
            subject,
            self.subject_width,
            Style::new().add_modifier(Modifier::BOLD),
            ellipsis,
        );
        x = x.saturating_add(u16::try_from(self.subject_width + 2).unwrap_or(u16::MAX));
        let remark = alert_text::remark(alert, theme, self.now);
        let mut tail = Rect {
            x,
            width: row.right().saturating_sub(x),
            ..row
        };
        let remark_cells = format::width(&remark).min(REMARK_MAX);
        let remark_x = row
            .right()
            .saturating_sub(u16::try_from(remark_cells).unwrap_or(0));
        let column = row.width >= REMARK_COLUMN && remark_x > tail.x.saturating_add(8);
        let summary = if remark.is_empty() {
            alert.summary.clone()
        } else if column {
            let at = (remark_x, row.y);
            put(buf, row, at, &remark, remark_cells, theme.dim(), ellipsis);
            tail.width = remark_x.saturating_sub(tail.x + 2);
            alert.summary.clone()
        } else {
            format!("{remark}{}{}", theme.separator(), alert.summary)
        };
        put(
            buf,
            tail,
            (tail.x, tail.y),
            &summary,
            usize::MAX,
            text_style,
            ellipsis,
        );
        if self.selected {
            buf.set_style(row, theme.selected());
        }
    }
}
