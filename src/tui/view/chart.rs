//! Response time over the history window for the detail view. Failed checks sit on the
//! top edge with their own mark, so they stand out without colour and do not squash the
//! scale the way a 5 s timeout would.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::symbols::{Marker, line};
use ratatui::text::Line;
use ratatui::widgets::{Axis, Block, Borders, Chart, Dataset, GraphType, Widget};

use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::view::service::HistorySample;

/// The shortest time span the x axis covers, so a fresh service is not stretched.
const MIN_SPAN: Duration = Duration::from_secs(60);

/// Samples as points: x in seconds before `now` (negative), y in milliseconds.
pub struct ResponseChart<'a> {
    pub samples: &'a [HistorySample],
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &ResponseChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        let title = format!(
            " response time{}{} failed ",
            theme.separator(),
            theme.fail_mark()
        );
        let Some((inner, time)) = frame(area, buf, title, self.samples, theme, self.now) else {
            return;
        };
        let top_ms = self
            .samples
            .iter()
            .filter(|s| s.passed())
            .map(|s| s.latency_us())
            .max()
            .map_or(1.0, |us| f64::from(us) / 1000.0 * 1.1)
            .max(1.0);
        let passed: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter(|s| s.passed())
            .map(|s| (time.x(s), f64::from(s.latency_us()) / 1000.0))
            .collect();
        let failed: Vec<(f64, f64)> = self
            .samples
            .iter()
            .filter(|s| !s.passed())
            .map(|s| (time.x(s), top_ms))
            .collect();
        let (pass_marker, fail_marker) = markers(theme);
        let datasets = vec![
            Dataset::default()
                .graph_type(GraphType::Scatter)
                .marker(pass_marker)
                .style(theme.fg(Color::Green))
                .data(&passed),
            Dataset::default()
                .graph_type(GraphType::Scatter)
                .marker(fail_marker)
                .style(theme.fail())
                .data(&failed),
        ];
        let y_label = |ms: f64| format::latency(Duration::from_secs_f64(ms / 1000.0));
        let y_axis = Axis::default()
            .bounds([0.0, top_ms])
            .style(theme.dim())
            .labels(["0".to_string(), y_label(top_ms / 2.0), y_label(top_ms)]);
        draw(datasets, time.axis(theme), y_axis, inner, buf, theme);
    }
}

/// The top-ruled block a chart sits in, titled `title`, and the time axis of its
/// samples; `None` when there is no room, or no sample yet (then it says so).
pub(super) fn frame(
    area: Rect,
    buf: &mut Buffer,
    title: String,
    samples: &[HistorySample],
    theme: &Theme,
    now: SystemTime,
) -> Option<(Rect, TimeAxis)> {
    let area = area.intersection(buf.area);
    let block = Block::new()
        .borders(Borders::TOP)
        .border_set(theme.border(false))
        .border_style(theme.dim())
        .title(Line::from(title));
    let inner = block.inner(area);
    block.render(area, buf);
    if inner.is_empty() {
        return None;
    }
    let Some(oldest) = samples.first() else {
        let at = (inner.x, inner.y);
        put(buf, inner, at, "no checks yet", usize::MAX, theme.dim(), "");
        return None;
    };
    Some((inner, TimeAxis::new(now, oldest.at())))
}

/// The x axis: from the oldest sample (at least `MIN_SPAN` back, in whole minutes, so
/// the labels are round: "-1h", "-30m", "now") to now.
pub(super) struct TimeAxis {
    now_ms: u128,
    span: Duration,
}

impl TimeAxis {
    fn new(now: SystemTime, oldest: SystemTime) -> Self {
        let span = format::age(now, oldest).max(MIN_SPAN);
        Self {
            now_ms: now.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis()),
            span: Duration::from_secs(span.as_secs().div_ceil(60) * 60),
        }
    }

    /// Where `sample` falls: seconds before now (negative).
    pub(super) fn x(&self, sample: &HistorySample) -> f64 {
        (sample.at_ms as f64 - self.now_ms as f64) / 1000.0
    }

    pub(super) fn axis(&self, theme: &Theme) -> Axis<'static> {
        Axis::default()
            .bounds([-self.span.as_secs_f64(), 0.0])
            .style(theme.dim())
            .labels([
                format!("-{}", format::span(self.span)),
                format!("-{}", format::span(self.span / 2)),
                "now".to_string(),
            ])
    }
}

/// The marker of a point and of a check that failed (or read nothing).
pub(super) fn markers(theme: &Theme) -> (Marker, Marker) {
    if theme.ascii {
        (Marker::Custom('*'), Marker::Custom('x'))
    } else {
        (Marker::Braille, Marker::Custom('✕'))
    }
}

/// Draws the scatter chart in `inner`, with ASCII axes where the theme wants them.
pub(super) fn draw(
    datasets: Vec<Dataset<'_>>,
    x_axis: Axis<'_>,
    y_axis: Axis<'_>,
    inner: Rect,
    buf: &mut Buffer,
    theme: &Theme,
) {
    Chart::new(datasets)
        .x_axis(x_axis)
        .y_axis(y_axis)
        .legend_position(None)
        .render(inner, buf);
    if theme.ascii {
        asciify_axes(inner, buf);
    }
}

/// The chart draws its axes with box-drawing lines; LANG=C consoles get + - | instead.
fn asciify_axes(area: Rect, buf: &mut Buffer) {
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            let ascii = match cell.symbol() {
                line::VERTICAL => "|",
                line::HORIZONTAL => "-",
                line::BOTTOM_LEFT => "+",
                _ => continue,
            };
            cell.set_symbol(ascii);
        }
    }
}
