//! A query's value (a target's scrape duration) over the history window for the detail
//! view, on an axis scaled to the values seen and labelled in the unit. Checks that read no value sit on the
//! top edge with the failure mark.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::{Axis, Dataset, GraphType, Widget};

use crate::kinds::Level;
use crate::kinds::ValueCard;
use crate::kinds::query;
use crate::tui::view::chart::{draw, frame, markers};
use crate::tui::view::theme::Theme;
use crate::view::service::HistorySample;

/// Samples as points: x in seconds before `now` (negative), y the value.
pub struct ValueChart<'a> {
    pub samples: &'a [HistorySample],
    pub facts: &'a ValueCard<'a>,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &ValueChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let title = format!(
            " {}{}{} no value ",
            self.facts.chart_title,
            theme.separator(),
            theme.fail_mark()
        );
        let Some((inner, time)) = frame(area, buf, title, self.samples, theme, self.now) else {
            return;
        };
        let (low, high) = bounds(self.samples);
        let limits = &self.facts.limits;
        // A failed check that still read a value (a target that is down) counts as
        // critical whatever the limits say.
        let level_of = |s: &HistorySample, v: f64| match s.passed() {
            true => query::level(limits, v),
            false => Level::Critical,
        };
        let points = |wanted: &[Level]| -> Vec<(f64, f64)> {
            self.samples
                .iter()
                .filter_map(|s| s.value().map(|v| (s, v)))
                .filter(|(s, v)| wanted.contains(&level_of(s, *v)))
                .map(|(s, v)| (time.x(s), v))
                .collect()
        };
        let normal = points(&[Level::Normal]);
        let warning = points(&[Level::Warning]);
        let critical = points(&[Level::Critical]);
        let missing: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter(|s| s.value().is_none())
            .map(|s| (time.x(s), high))
            .collect();
        let (point, mark) = markers(theme);
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
        let unit = self.facts.unit;
        let y_axis = Axis::default()
            .bounds([low, high])
            .style(theme.dim())
            .labels([low, (low + high) / 2.0, high].map(|v| query::show(v, unit)));
        draw(datasets, time.axis(theme), y_axis, inner, buf, theme);
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
