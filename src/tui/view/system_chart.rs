//! Charts of the machine's history: a one-line sparkline and a block chart several rows
//! high, both with the newest point at the right edge, in blocks or in ASCII.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::Widget;

use crate::tui::view::format::put;
use crate::tui::view::theme::Theme;

/// The newest `width` columns of `values`: when there are more points than columns, each
/// column is the highest of its points, so a short spike still shows. Right-aligned.
pub fn columns(values: &[Option<f32>], width: usize) -> Vec<Option<f32>> {
    if width == 0 {
        return Vec::new();
    }
    let per = values.len().div_ceil(width).max(1);
    // Buckets end at the newest point, so the right edge is always "now".
    let mut out: Vec<Option<f32>> = values
        .rchunks(per)
        .map(|chunk| chunk.iter().flatten().copied().reduce(f32::max))
        .collect();
    out.reverse();
    let start = out.len().saturating_sub(width);
    out.drain(..start);
    let mut padded = vec![None; width - out.len()];
    padded.extend(out);
    padded
}

/// A one-line sparkline of `values` (0 to `top`), `width` cells; n/a points are blank.
pub fn spark_line(values: &[Option<f32>], width: usize, top: f32, theme: &Theme) -> String {
    let levels = theme.levels();
    let steps = levels.len() - 1;
    columns(values, width)
        .into_iter()
        .map(|value| match value {
            None => " ",
            Some(v) => {
                let level = (f64::from(v / top.max(f32::MIN_POSITIVE)) * steps as f64).ceil();
                levels[(level.max(1.0) as usize).min(steps)]
            }
        })
        .collect()
}

/// A titled block chart: the title and the scale on the first row, bars below.
pub struct SeriesChart<'a> {
    pub title: &'a str,
    /// Oldest first, one per sample.
    pub values: &'a [Option<f32>],
    /// The top of the scale; `None` scales to the highest value shown.
    pub top: Option<f32>,
    /// How the top of the scale is written ("100%", "1.2M/s").
    pub label: fn(f64) -> String,
    pub theme: &'a Theme,
}

impl Widget for &SeriesChart<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = self.theme;
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let width = usize::from(area.width);
        put(
            buf,
            area,
            (area.x, area.y),
            self.title,
            width,
            bold,
            theme.ellipsis(),
        );
        let shown = columns(self.values, width);
        let highest = shown.iter().flatten().copied().fold(0.0_f32, f32::max);
        let top = self.top.unwrap_or(highest).max(f32::MIN_POSITIVE);
        let scale = format!("max {}", (self.label)(f64::from(top)));
        let scale_width = u16::try_from(scale.len()).unwrap_or(0);
        let x = area.right().saturating_sub(scale_width);
        if usize::from(scale_width) + self.title.len() < width {
            put(buf, area, (x, area.y), &scale, width, theme.dim(), "");
        }
        let rows = area.height.saturating_sub(1);
        if rows == 0 {
            return;
        }
        let levels = theme.levels();
        let steps = levels.len() - 1;
        let style = theme.fg(ratatui::style::Color::Cyan);
        for (i, value) in shown.iter().enumerate() {
            let Some(value) = value else { continue };
            let x = area.x + u16::try_from(i).unwrap_or(0);
            let share = f64::from((value / top).clamp(0.0, 1.0));
            let units = (share * f64::from(rows) * steps as f64).round() as usize;
            let units = units.max(usize::from(*value > 0.0));
            for row in 0..rows {
                let filled = units.saturating_sub(usize::from(row) * steps).min(steps);
                if filled == 0 {
                    break;
                }
                let y = area.bottom() - 1 - row;
                buf[(x, y)].set_symbol(levels[filled]).set_style(style);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASCII: Theme = Theme {
        color: false,
        ascii: true,
    };

    #[test]
    fn columns_keep_the_newest_and_the_peaks() {
        let values: Vec<Option<f32>> = [1.0, 9.0, 2.0, 3.0, 4.0].map(Some).to_vec();
        assert_eq!(columns(&values, 8).len(), 8);
        assert_eq!(columns(&values, 8)[3..], values[..]);
        // 5 points into 2 columns: buckets of 3 from the newest end.
        assert_eq!(columns(&values, 2), [Some(9.0), Some(4.0)]);
        assert_eq!(columns(&[None, Some(2.0)], 1), [Some(2.0)]);
        assert!(columns(&values, 0).is_empty());
    }

    #[test]
    fn sparklines_are_right_aligned_and_blank_for_n_a() {
        let values = [Some(0.0), None, Some(50.0), Some(100.0)];
        assert_eq!(spark_line(&values, 6, 100.0, &ASCII), "  . =#");
    }
}
