//! The machine under the services (screens too narrow or short for the side panel):
//! three lines (a rule with the host, then CPU, load, memory and swap, then disks and
//! network), or one line of the main figures on the smallest screens.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::contract::Resource;
use crate::tui::view::format::{put, put_line};
use crate::tui::view::system_chart::spark_line;
use crate::tui::view::system_parts::{self as parts, heading, plain};
use crate::tui::view::system_text::{self as text, NA};
use crate::tui::view::theme::Theme;
use crate::view::machine::Level;
use crate::view::machine::SystemView;

/// Cells of CPU history in the three-line strip.
const SPARK_WIDTH: usize = 12;

/// The strip; one line when given one row, three otherwise.
pub struct SystemStrip<'a> {
    pub view: &'a SystemView,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &SystemStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let ellipsis = self.theme.ellipsis();
        let row = |i: u16| Rect {
            y: area.y + i,
            height: 1,
            ..area
        };
        if area.height < 3 {
            put_line(buf, row(area.height - 1), &self.one_line(), ellipsis);
            return;
        }
        self.rule(row(0), buf);
        put_line(buf, row(1), &self.figures(), ellipsis);
        put_line(buf, row(2), &self.storage(), ellipsis);
    }
}

impl SystemStrip<'_> {
    /// "─ db-primary-1 · up 12d 3h · 4 cores ──── ! 1 exceeded  + 1 pending ─".
    fn rule(&self, row: Rect, buf: &mut Buffer) {
        let (view, theme) = (self.view, self.theme);
        for x in row.left()..row.right() {
            buf[(x, row.y)]
                .set_symbol(theme.rule())
                .set_style(theme.dim());
        }
        let mut title = parts::title(view, theme);
        if let Some(cores) = parts::cores(view) {
            title = format!("{title}{}{cores}", theme.separator());
        }
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let room = usize::from(row.width.saturating_sub(2));
        put(
            buf,
            row,
            (row.x + 1, row.y),
            &format!(" {title} "),
            room,
            bold,
            theme.ellipsis(),
        );
        let exceeded = view
            .rules
            .iter()
            .filter(|r| matches!(r.level, Level::Exceeded { .. }))
            .count();
        let pending = view.rules.len() - exceeded;
        let mut counts = Vec::new();
        if exceeded > 0 {
            counts.push(Span::styled(
                format!(" ! {exceeded} exceeded "),
                theme.fail(),
            ));
        }
        if pending > 0 {
            counts.push(Span::styled(format!(" + {pending} pending "), theme.warn()));
        }
        let counts = Line::from(counts);
        let width = u16::try_from(counts.width()).unwrap_or(u16::MAX);
        let title_end = 3 + u16::try_from(text_width(&title)).unwrap_or(u16::MAX);
        if width > 0 && title_end + width + 1 < row.width {
            let x = row.right() - width - 1;
            buf.set_line(x, row.y, &counts, width);
        }
    }

    /// "cpu  97%+ ▂▃▅▇█  load 2.41 1.87 1.12  mem  68% 11G/16G  swap  10% 205M/2.0G".
    fn figures(&self) -> Line<'static> {
        let (view, theme) = (self.view, self.theme);
        let spark = spark_line(&parts::cpu_history(view), SPARK_WIDTH, 100.0, theme);
        let mut spans = vec![
            heading("cpu ", theme),
            parts::cpu(view, theme),
            plain(format!(" {spark}  ")),
            heading("load ", theme),
            parts::load(view, theme),
            plain(" "),
            heading("mem ", theme),
        ];
        spans.extend(parts::usage_short(
            view.latest.memory,
            Resource::Memory,
            view,
            theme,
        ));
        spans.push(plain("  "));
        spans.push(heading("swap ", theme));
        spans.extend(parts::usage_short(
            view.latest.swap,
            Resource::Swap,
            view,
            theme,
        ));
        Line::from(spans)
    }

    /// "disk / 45% · /boot 20% · /var/lib/postgresql 93%!  net eth0 rx 478K/s tx 120K/s".
    fn storage(&self) -> Line<'static> {
        let (view, theme) = (self.view, self.theme);
        let mut spans = vec![heading("disk", theme)];
        if view.latest.filesystems.is_empty() {
            spans.push(plain(format!(" {NA}")));
        }
        for fs in &view.latest.filesystems {
            spans.push(plain(format!(" {}", fs.mount)));
            spans.push(match fs.percent() {
                Some(p) => parts::disk_percent(view, &fs.mount, p, theme),
                None => plain(format!("{NA:>4} ")),
            });
        }
        spans.push(plain(" "));
        spans.push(heading("net", theme));
        if view.latest.networks.is_empty() {
            spans.push(plain(format!(" {NA}")));
        }
        for net in &view.latest.networks {
            spans.push(plain(format!(" {} {}", net.name, parts::rates(net.rates))));
        }
        Line::from(spans)
    }

    /// "cpu  97%+ mem  68%  swap n/a  disk  93%! load 2.41 1.87 1.12".
    fn one_line(&self) -> Line<'static> {
        let (view, theme) = (self.view, self.theme);
        let mut spans = vec![
            heading("cpu", theme),
            parts::cpu(view, theme),
            heading(" mem", theme),
        ];
        let percent = |usage: Option<crate::view::machine_sample::Usage>, resource| match usage
            .and_then(|u| u.percent())
        {
            Some(p) => text::reading(text::percent(p), text::level(view, resource, None), theme),
            None => plain(format!("{NA:>4} ")),
        };
        spans.push(percent(view.latest.memory, Resource::Memory));
        spans.push(heading(" swap", theme));
        spans.push(percent(view.latest.swap, Resource::Swap));
        spans.push(heading(" disk", theme));
        spans.push(match parts::fullest_disk(view) {
            Some((mount, p)) => parts::disk_percent(view, mount, p, theme),
            None => plain(format!("{NA:>4} ")),
        });
        spans.push(heading(" load ", theme));
        spans.push(parts::load(view, theme));
        Line::from(spans)
    }
}

fn text_width(text: &str) -> usize {
    crate::tui::view::format::width(text)
}
