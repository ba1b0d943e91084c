//! One service on one line, for small screens: marker, symbol, name (and its worst
//! active alert, "! crit"), state word, last response time; on wider lines also p95,
//! uptime and the failure or a sparkline.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::tui::view::card::alert_mark;
use crate::tui::view::facts;
use crate::tui::view::format::{self, put};
use crate::tui::view::spark;
use crate::tui::view::theme::Theme;
use crate::view::alert::AlertView;
use crate::view::service::ServiceView;

/// Cells for marker, symbol, gaps, the longest state word and a response time.
const FIXED: usize = 18;
/// From this width a line also shows p95 and uptime.
const WIDE: usize = 64;
const WIDE_EXTRAS: usize = 19;
const NAME_MAX: usize = 24;

/// A service as a dashboard row.
pub struct ServiceLine<'a> {
    pub view: &'a ServiceView,
    pub selected: bool,
    /// The most severe active alert about this service, marked after the name.
    pub alert: Option<&'a AlertView>,
    pub theme: &'a Theme,
}

impl Widget for &ServiceLine<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let row = Rect {
            height: 1,
            ..area.intersection(buf.area)
        };
        if row.is_empty() {
            return;
        }
        let (theme, view) = (self.theme, self.view);
        let width = usize::from(row.width);
        let wide = width >= WIDE;
        let extras = if wide { WIDE_EXTRAS } else { 0 };
        let name_width = width.saturating_sub(FIXED + extras).clamp(4, NAME_MAX);
        let ellipsis = theme.ellipsis();
        let mut x = row.x;
        let lead = if self.selected { theme.marker() } else { " " };
        x += put(buf, row, (x, row.y), lead, 1, Style::new(), "");
        x += put(
            buf,
            row,
            (x, row.y),
            theme.symbol(view.state),
            1,
            theme.state(view.state),
            "",
        );
        x = x.saturating_add(1);
        let name = &view.config.name;
        // The alert mark takes the end of the name's column, so columns stay aligned.
        let mark = self.alert.map(|alert| alert_mark(alert, theme));
        let mark_width = mark.as_deref().map_or(0, |m| format::width(m) + 1);
        let room = if name_width >= mark_width + 4 {
            name_width - mark_width
        } else {
            name_width
        };
        put(buf, row, (x, row.y), name, room, Style::new(), ellipsis);
        if let (Some(mark), Some(alert)) = (&mark, self.alert)
            && room < name_width
        {
            let at = x.saturating_add(u16::try_from(room + 1).unwrap_or(u16::MAX));
            let style = theme.severity(alert.severity);
            put(buf, row, (at, row.y), mark, mark_width, style, "");
        }
        x = x.saturating_add(u16::try_from(name_width + 1).unwrap_or(u16::MAX));
        let word = format!("{:<8}", view.state.as_str());
        x += put(buf, row, (x, row.y), &word, 8, theme.state(view.state), "");
        x = x.saturating_add(1);
        let last = format!("{:>5}", facts::last_figure(view));
        x += put(buf, row, (x, row.y), &last, 5, Style::new(), "");
        if wide {
            let figures = format!(
                "  p95 {:>5}  {:>6}",
                facts::optional(view.stats.p95),
                format::uptime(view.stats.uptime)
            );
            x += put(buf, row, (x, row.y), &figures, WIDE_EXTRAS, theme.dim(), "");
            let tail = Rect {
                x: x.saturating_add(2),
                width: row.right().saturating_sub(x.saturating_add(2)),
                ..row
            };
            if let Some(reason) = facts::failure(view, theme) {
                put(
                    buf,
                    tail,
                    (tail.x, tail.y),
                    &reason,
                    usize::MAX,
                    theme.fail(),
                    ellipsis,
                );
            } else {
                spark::render_for(view, theme, tail, buf);
            }
        }
        if self.selected {
            buf.set_style(row, theme.selected());
        }
    }
}
