//! One service as a bordered card: symbol, name and state word in the title (and its
//! worst active alert, "! crit", and its kind's caution, like "insecure" when a certificate is not verified),
//! the figures, a sparkline of the newest checks and, when failing, why.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Widget};

use crate::tui::view::format::{self, put};
use crate::tui::view::layout::Density;
use crate::tui::view::spark;
use crate::tui::view::theme::Theme;
use crate::tui::view::{alert_text, facts, query_facts};
use crate::view::alert::AlertView;
use crate::view::service::ServiceView;

/// A card for the dashboard grid; `Density::Compact` or `Density::Tall`.
pub struct ServiceCard<'a> {
    pub view: &'a ServiceView,
    pub selected: bool,
    pub density: Density,
    /// The most severe active alert about this service, marked in the title.
    pub alert: Option<&'a AlertView>,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

/// "! crit", "✓ high": an alert's state symbol and short severity, for cards and rows.
pub fn alert_mark(alert: &AlertView, theme: &Theme) -> String {
    format!(
        "{} {}",
        theme.alert_symbol(alert.state),
        alert_text::severity_short(alert.severity)
    )
}

impl Widget for &ServiceCard<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = self.theme;
        let block = Block::bordered()
            .border_set(theme.border(self.selected))
            .border_style(theme.state(self.view.state));
        let inner = block.inner(area);
        block.render(area, buf);
        self.title(area, buf);
        let row = |i: u16| Rect {
            y: inner.y + i,
            height: 1,
            ..inner
        };
        match (self.density, inner.height) {
            (_, 0) => {}
            (Density::Tall, 4..) => {
                self.tall_figures(row(0), row(1), buf);
                self.spark(row(2), buf);
                let (text, style) = facts::status_line(self.view, theme, self.now);
                self.text(row(3), &text, style, buf);
            }
            (_, height) => {
                let (text, style) = facts::headline(self.view, theme, self.now);
                self.text(row(0), &text, style, buf);
                if height >= 2 {
                    self.spark(row(1), buf);
                }
            }
        }
    }
}

impl ServiceCard<'_> {
    /// "▸● gateway ──── DEGRADED": the selection marker, symbol and name on the left, the
    /// state word on the right, drawn over the top border.
    fn title(&self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let state = self.view.state;
        let word = state.as_str();
        let inner_width = usize::from(area.width.saturating_sub(2));
        let word_width = word.len() + 2;
        let (y, right) = (area.y, area.right().saturating_sub(1));
        let mut x = area.x.saturating_add(1);
        let room = |x: u16| usize::from(right.saturating_sub(x));
        let mut name_room = inner_width;
        if inner_width >= word_width + 6 {
            let word_x = right - u16::try_from(word_width).unwrap_or(0);
            let word_style = theme.state(state).add_modifier(Modifier::BOLD);
            put(
                buf,
                area,
                (word_x, y),
                &format!(" {word} "),
                word_width,
                word_style,
                "",
            );
            name_room -= word_width + 1;
            // Marks go right to left before the state word, each while the name keeps room.
            let mut edge = word_x;
            let mut mark = |text: &str, style: Style, name_room: &mut usize| {
                let mark_width = format::width(text);
                if *name_room >= mark_width + 8 {
                    edge -= u16::try_from(mark_width).unwrap_or(0);
                    put(buf, area, (edge, y), text, mark_width, style, "");
                    *name_room -= mark_width;
                }
            };
            if let Some(alert) = self.alert {
                let text = format!(" {} ", alert_mark(alert, theme));
                let style = theme.severity(alert.severity).add_modifier(Modifier::BOLD);
                mark(&text, style, &mut name_room);
            }
            if let Some(caution) = self.view.config.check.caution() {
                mark(&format!(" {caution} "), theme.warn(), &mut name_room);
            }
        }
        let name_style = if self.selected {
            theme.selected()
        } else {
            Style::new().add_modifier(Modifier::BOLD)
        };
        let lead = if self.selected { theme.marker() } else { " " };
        x += put(
            buf,
            area,
            (x, y),
            lead,
            room(x).min(name_room),
            name_style,
            "",
        );
        x += put(
            buf,
            area,
            (x, y),
            theme.symbol(state),
            room(x),
            theme.state(state),
            "",
        );
        let name = format!(" {} ", self.view.config.name);
        let left = name_room.saturating_sub(2);
        put(
            buf,
            area,
            (x, y),
            &name,
            left.min(room(x)),
            name_style,
            theme.ellipsis(),
        );
    }

    fn text(&self, row: Rect, text: &str, style: Style, buf: &mut Buffer) {
        put(
            buf,
            row,
            (row.x, row.y),
            text,
            usize::MAX,
            style,
            self.theme.ellipsis(),
        );
    }

    /// "last 43ms ... up 99.2%" and "p50 41ms  p95 88ms ... 360 checks" ("... cert 41d"
    /// for an HTTPS server's certificate); for a query
    /// "now 97.3% ... up 99.2%" and "warn>80%  crit>95% ... 360 checks", for a scrape
    /// target "scrape 2.1ms ... up 100%" and "pool node ... 360 checks".
    fn tall_figures(&self, first: Rect, second: Rect, buf: &mut Buffer) {
        let view = self.view;
        if let Some(value) = view.config.check.value_card() {
            let now = format!("{} {}", value.label, query_facts::last_value(view, &value));
            let up = format!("up {}", format::uptime(view.stats.uptime));
            self.split_row(first, &now, &up, buf);
            let checks = facts::checks(view.stats.checks);
            self.split_row(second, &value.context, &checks, buf);
            return;
        }
        let last = format!("last {}", facts::last_figure(view));
        let up = format!("up {}", format::uptime(view.stats.uptime));
        self.split_row(first, &last, &up, buf);
        let percentiles = format!(
            "p50 {}  p95 {}",
            facts::optional(view.stats.p50),
            facts::optional(view.stats.p95)
        );
        // The certificate's time left matters more than the count of checks.
        match facts::certificate_figure(view, self.now) {
            Some(cert) => {
                let style = facts::certificate_style(view, self.theme, self.now);
                self.split_row_styled(second, &percentiles, &cert, style, buf);
            }
            None => self.split_row(second, &percentiles, &facts::checks(view.stats.checks), buf),
        }
    }

    /// Left text, and right text flush right when both fit with a gap.
    fn split_row(&self, row: Rect, left: &str, right: &str, buf: &mut Buffer) {
        self.split_row_styled(row, left, right, self.theme.dim(), buf);
    }

    /// [`Self::split_row`] with the right text in `style`.
    fn split_row_styled(&self, row: Rect, left: &str, right: &str, style: Style, buf: &mut Buffer) {
        let ellipsis = self.theme.ellipsis();
        let width = usize::from(row.width);
        let (lw, rw) = (format::width(left), format::width(right));
        put(
            buf,
            row,
            (row.x, row.y),
            left,
            width,
            Style::new(),
            ellipsis,
        );
        if lw + rw + 2 <= width {
            let x = row.right() - u16::try_from(rw).unwrap_or(0);
            put(buf, row, (x, row.y), right, rw, style, ellipsis);
        }
    }

    fn spark(&self, row: Rect, buf: &mut Buffer) {
        spark::render_for(self.view, self.theme, row, buf);
    }
}
