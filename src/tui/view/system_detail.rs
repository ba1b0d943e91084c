//! The machine in full (`M`): the figures, a bar per core, charts of CPU, memory and
//! network over the history window, and tables of thresholds, filesystems, interfaces
//! and the busiest processes.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::contract::Resource;
use crate::tui::view::format::{self, put_line};
use crate::tui::view::system_chart::SeriesChart;
use crate::tui::view::system_parts::{self as parts, heading, plain};
use crate::tui::view::system_tables;
use crate::tui::view::system_text::{self as text, NA};
use crate::tui::view::theme::Theme;
use crate::view::machine::SystemView;

/// From this width, charts and tables sit side by side.
const SIDE_BY_SIDE: u16 = 100;
/// Cells per per-core bar column.
const CORE_COLUMN: u16 = 40;

/// The detail screen of the machine.
pub struct SystemDetail<'a> {
    pub view: &'a SystemView,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &SystemDetail<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let mut lines = vec![self.heading(), self.figures()];
        lines.extend(self.cores(area));
        let top = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .min(area.height);
        for (i, line) in lines.iter().take(usize::from(top)).enumerate() {
            let y = area.y + u16::try_from(i).unwrap_or(0);
            put_line(
                buf,
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                line,
                self.theme.ellipsis(),
            );
        }
        let rest = Rect {
            y: area.y + top,
            height: area.height - top,
            ..area
        };
        let (charts, tables) = if rest.width >= SIDE_BY_SIDE {
            let left = rest.width * 55 / 100;
            (
                Rect {
                    width: left,
                    ..rest
                },
                Rect {
                    x: rest.x + left + 2,
                    width: rest.width.saturating_sub(left + 2),
                    ..rest
                },
            )
        } else {
            let high = rest.height / 2;
            (
                Rect {
                    height: high,
                    ..rest
                },
                Rect {
                    y: rest.y + high,
                    height: rest.height - high,
                    ..rest
                },
            )
        };
        self.charts(charts, buf);
        let table =
            system_tables::tables(self.view, self.theme, self.now, usize::from(tables.width));
        for (y, line) in (tables.top()..tables.bottom()).zip(&table) {
            put_line(
                buf,
                Rect {
                    y,
                    height: 1,
                    ..tables
                },
                line,
                self.theme.ellipsis(),
            );
        }
    }
}

/// A chart's title, points, top of scale and how the scale is written.
type Series = (
    &'static str,
    Vec<Option<f32>>,
    Option<f32>,
    fn(f64) -> String,
);

fn percent_label(value: f64) -> String {
    format!("{value:.0}%")
}

impl SystemDetail<'_> {
    fn heading(&self) -> Line<'static> {
        let (view, theme) = (self.view, self.theme);
        let sep = theme.separator();
        let mut text = format!("machine  {}", parts::title(view, theme));
        if let Some(cores) = parts::cores(view) {
            text.push_str(&format!("{sep}{cores}"));
        }
        text.push_str(&format!(
            "{sep}sampled every {}{sep}history {}",
            format::span(view.interval),
            format::span(view.window)
        ));
        Line::from(Span::styled(
            text,
            Style::new().add_modifier(Modifier::BOLD),
        ))
    }

    fn figures(&self) -> Line<'static> {
        let (view, theme) = (self.view, self.theme);
        let mut spans = vec![heading("cpu ", theme), parts::cpu(view, theme)];
        spans.push(heading("  load ", theme));
        spans.push(parts::load(view, theme));
        if let Some(per_core) = view.latest.load.and_then(|l| l.per_core(view.latest.cores)) {
            spans.push(plain(format!(" ({per_core:.2} per core)")));
        }
        spans.push(heading("  mem ", theme));
        spans.extend(parts::usage(
            view.latest.memory,
            Resource::Memory,
            view,
            theme,
        ));
        spans.push(heading("  swap ", theme));
        spans.extend(parts::usage(view.latest.swap, Resource::Swap, view, theme));
        Line::from(spans)
    }

    /// "cpu0  ███████████▌░░░░░░░  87%" in as many columns as fit.
    fn cores(&self, area: Rect) -> Vec<Line<'static>> {
        let Some(cpu) = &self.view.latest.cpu else {
            return vec![Line::from(vec![
                heading("per core ", self.theme),
                plain(NA),
            ])];
        };
        let columns = usize::from((area.width / CORE_COLUMN).max(1));
        let bar_width = usize::from(CORE_COLUMN) - 14;
        cpu.per_core
            .chunks(columns)
            .enumerate()
            .map(|(row, values)| {
                let spans = values
                    .iter()
                    .enumerate()
                    .map(|(i, value)| {
                        let core = row * columns + i;
                        let value = f64::from(*value);
                        let bar = text::bar(value, bar_width, self.theme);
                        let cell = format!("cpu{core:<3}{bar} {}", text::percent(value));
                        plain(format!("{cell:<width$}", width = usize::from(CORE_COLUMN)))
                    })
                    .collect::<Vec<_>>();
                Line::from(spans)
            })
            .collect()
    }

    fn charts(&self, area: Rect, buf: &mut Buffer) {
        let history = &self.view.history;
        let series: [Series; 3] = [
            (
                "cpu %",
                history.iter().map(|p| p.cpu).collect(),
                Some(100.0),
                percent_label,
            ),
            (
                "memory %",
                history.iter().map(|p| p.memory).collect(),
                Some(100.0),
                percent_label,
            ),
            (
                "network rx",
                history.iter().map(|p| p.rx).collect(),
                None,
                text::rate,
            ),
        ];
        let each = area.height / 3;
        if each < 3 {
            return;
        }
        for (i, (title, values, top, label)) in series.iter().enumerate() {
            let y = area.y + each * u16::try_from(i).unwrap_or(0);
            let chart = SeriesChart {
                title,
                values,
                top: *top,
                label: *label,
                theme: self.theme,
            };
            (&chart).render(
                Rect {
                    y,
                    height: each - 1,
                    ..area
                },
                buf,
            );
        }
    }
}
