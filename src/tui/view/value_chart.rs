//! A query's value (a target's scrape duration) over the history window for the detail
//! view, on an axis scaled to the values seen and labelled in the unit. Checks that read no value sit on the
//! top edge with the failure mark.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::Marker;
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Widget};

use crate::event::Level;
use crate::sources::prometheus;
use crate::state::HistorySample;
use crate::tui::view::chart::asciify_axes;
use crate::tui::view::format::{self, put};
use crate::tui::view::query_facts::ValueFacts;
use crate::tui::view::theme::Theme;

/// The shortest time span the x axis covers, so a fresh service is not stretched.
const MIN_SPAN: Duration = Duration::from_secs(60);

/// Samples as points: x in seconds before `now` (negative), y the value.
pub struct ValueChart<'a> {
    pub samples: &'a [HistorySample],
    pub facts: &'a ValueFacts<'a>,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &ValueChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let theme = self.theme;
        let title = format!(
            " {}{}{} no value ",
            self.facts.chart_title,
            theme.separator(),
            theme.fail_mark()
        );
        let block = Block::new()
            .borders(Borders::TOP)
            .border_set(theme.border(false))
            .border_style(theme.dim())
            .title(Line::from(title));
        let inner = block.inner(area);
        block.render(area, buf);
        if inner.is_empty() {
            return;
        }
        let Some(oldest) = self.samples.first() else {
            put(
                buf,
                inner,
                (inner.x, inner.y),
                "no checks yet",
                usize::MAX,
                theme.dim(),
                "",
            );
            return;
        };
        let now_ms = self
            .now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis());
        let x_of = |s: &HistorySample| (s.at_ms as f64 - now_ms as f64) / 1000.0;
        let span = format::age(self.now, oldest.at()).max(MIN_SPAN);
        let span = Duration::from_secs(span.as_secs().div_ceil(60) * 60);
        let (low, high) = bounds(self.samples);
        let limits = &self.facts.limits;
        // A failed check that still read a value (a target that is down) counts as
        // critical whatever the limits say.
        let level_of = |s: &HistorySample, v: f64| match s.passed() {
            true => prometheus::level(limits, v),
            false => Level::Critical,
        };
        let points = |wanted: &[Level]| -> Vec<(f64, f64)> {
            self.samples
                .iter()
                .filter_map(|s| s.value().map(|v| (s, v)))
                .filter(|(s, v)| wanted.contains(&level_of(s, *v)))
                .map(|(s, v)| (x_of(s), v))
                .collect()
        };
        let normal = points(&[Level::Normal]);
        let warning = points(&[Level::Warning]);
        let critical = points(&[Level::Critical]);
        let missing: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter(|s| s.value().is_none())
            .map(|s| (x_of(s), high))
            .collect();
        let (point, mark) = if theme.ascii {
            (Marker::Custom('*'), Marker::Custom('x'))
        } else {
            (Marker::Braille, Marker::Custom('✕'))
        };
        let dataset = |data, marker, color| {
            Dataset::default()
                .graph_type(GraphType::Scatter)
                .marker(marker)
                .style(theme.fg(color))
                .data(data)
        };
        let datasets = vec![
            dataset(&normal, point, Color::Green),
            dataset(&warning, point, Color::Yellow),
            dataset(&critical, point, Color::Red),
            dataset(&missing, mark, Color::Red),
        ];
        let secs = span.as_secs_f64();
        let x_axis = Axis::default()
            .bounds([-secs, 0.0])
            .style(theme.dim())
            .labels([
                format!("-{}", format::span(span)),
                format!("-{}", format::span(span / 2)),
                "now".to_string(),
            ]);
        let unit = self.facts.unit;
        let y_axis = Axis::default()
            .bounds([low, high])
            .style(theme.dim())
            .labels([low, (low + high) / 2.0, high].map(|v| prometheus::show(v, unit)));
        Chart::new(datasets)
            .x_axis(x_axis)
            .y_axis(y_axis)
            .legend_position(None)
            .render(inner, buf);
        if theme.ascii {
            asciify_axes(inner, buf);
        }
    }
}

/// The y axis: from zero (or the lowest value, when below zero) to a little over the
/// highest value; never empty.
fn bounds(samples: &[HistorySample]) -> (f64, f64) {
    let (low, high) = samples
        .iter()
        .filter_map(HistorySample::value)
        .fold((0.0_f64, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
    let high = if high > low { high * 1.1 } else { low + 1.0 };
    (low, high)
}
