//! A one-line sparkline of the newest response times (a query's values), right-aligned
//! so the latest check is always at the right edge; failed checks get their own mark, not
//! just a colour.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Color;
use ratatui::widgets::Widget;

use crate::kinds::Level;
use crate::kinds::ValueLimits;
use crate::kinds::query;
use crate::tui::view::theme::Theme;
use crate::view::service::{HistorySample, ServiceView};

/// Response-time history drawn with the theme's levels (blocks, or " .:-=+*#").
pub struct Spark<'a> {
    /// Oldest first; only the newest `width` are drawn.
    pub samples: &'a [HistorySample],
    /// Passing checks slower than this are drawn in the DEGRADED colour.
    pub slow: Duration,
    pub theme: &'a Theme,
}

/// A query's values drawn like [`Spark`], scaled between the lowest and highest value
/// shown and coloured by the level each value had; checks without a value get the
/// failure mark.
pub struct ValueSpark<'a> {
    /// Oldest first; only the newest `width` are drawn.
    pub samples: &'a [HistorySample],
    pub limits: &'a ValueLimits,
    pub theme: &'a Theme,
}

/// The sparkline a service's card shows: values for a query (scrape durations for a
/// target), response times otherwise.
pub fn render_for(view: &ServiceView, theme: &Theme, area: Rect, buf: &mut Buffer) {
    match view.config.check.value_card() {
        Some(facts) => {
            let spark = ValueSpark {
                samples: &view.samples,
                limits: &facts.limits,
                theme,
            };
            (&spark).render(area, buf);
        }
        None => {
            let spark = Spark {
                samples: &view.samples,
                slow: view.config.degraded_after,
                theme,
            };
            (&spark).render(area, buf);
        }
    }
}

impl Widget for &ValueSpark<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let shown = self.samples.len().min(usize::from(area.width));
        let newest = &self.samples[self.samples.len() - shown..];
        let values = newest.iter().filter_map(HistorySample::value);
        let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
            (lo.min(v), hi.max(v))
        });
        let levels = self.theme.levels();
        let steps = levels.len() - 1;
        let pad = area.width - u16::try_from(shown).unwrap_or(area.width);
        let y = area.bottom() - 1;
        for (i, sample) in newest.iter().enumerate() {
            let x = area.x + pad + u16::try_from(i).unwrap_or(0);
            let (symbol, style) = match sample.value() {
                Some(value) => {
                    let share = if high > low {
                        (value - low) / (high - low)
                    } else {
                        0.5
                    };
                    // Rounded up so the lowest value still shows a mark.
                    let level = ((share * steps as f64).ceil() as usize).clamp(1, steps);
                    let color = match query::level(self.limits, value) {
                        _ if !sample.passed() => Color::Red,
                        Level::Critical => Color::Red,
                        Level::Warning => Color::Yellow,
                        Level::Normal | Level::Unknown => Color::Green,
                    };
                    (levels[level], self.theme.fg(color))
                }
                None => (self.theme.fail_mark(), self.theme.fail()),
            };
            buf[(x, y)].set_symbol(symbol).set_style(style);
        }
    }
}

impl Widget for &Spark<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let shown = self.samples.len().min(usize::from(area.width));
        let newest = &self.samples[self.samples.len() - shown..];
        let top = newest
            .iter()
            .filter(|s| s.passed())
            .map(|s| s.latency_us())
            .max()
            .unwrap_or(0)
            .max(1);
        let levels = self.theme.levels();
        let steps = u64::try_from(levels.len() - 1).unwrap_or(1);
        let slow_us = self.slow.as_micros();
        let pad = area.width - u16::try_from(shown).unwrap_or(area.width);
        let y = area.bottom() - 1;
        for (i, sample) in newest.iter().enumerate() {
            let x = area.x + pad + u16::try_from(i).unwrap_or(0);
            let (symbol, style) = if sample.passed() {
                let level = (u64::from(sample.latency_us()) * steps).div_ceil(u64::from(top));
                let level = usize::try_from(level.clamp(1, steps)).unwrap_or(1);
                let slow = u128::from(sample.latency_us()) > slow_us;
                let color = if slow { Color::Yellow } else { Color::Green };
                (levels[level], self.theme.fg(color))
            } else {
                (self.theme.fail_mark(), self.theme.fail())
            };
            buf[(x, y)].set_symbol(symbol).set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(ms: u64, passed: bool) -> HistorySample {
        HistorySample::new(0, Duration::from_millis(ms), passed, None)
    }

    fn value(value: Option<f64>) -> HistorySample {
        HistorySample::new(0, Duration::from_millis(5), value.is_some(), value)
    }

    fn draw_values(samples: &[HistorySample], limits: &ValueLimits) -> String {
        let theme = Theme {
            color: false,
            ascii: true,
        };
        let area = Rect::new(0, 0, u16::try_from(samples.len()).unwrap_or(0), 1);
        let mut buf = Buffer::empty(area);
        let spark = ValueSpark {
            samples,
            limits,
            theme: &theme,
        };
        (&spark).render(area, &mut buf);
        buf.content().iter().map(|c| c.symbol()).collect()
    }

    #[test]
    fn values_scale_between_the_lowest_and_highest_shown() {
        let limits = ValueLimits {
            warn: Some(80.0),
            crit: Some(95.0),
            below: false,
        };
        let samples: Vec<_> = [Some(10.0), Some(55.0), None, Some(100.0), Some(-20.0)]
            .into_iter()
            .map(value)
            .collect();
        // -20 is the floor (still a mark), 100 the top; no value is the fail mark.
        assert_eq!(draw_values(&samples, &limits), ":+x#.");
        let flat: Vec<_> = [Some(3.0), Some(3.0)].into_iter().map(value).collect();
        assert_eq!(draw_values(&flat, &limits), "==");
    }

    fn draw(samples: &[HistorySample], width: u16, ascii: bool) -> String {
        let theme = Theme {
            color: false,
            ascii,
        };
        let area = Rect::new(0, 0, width, 1);
        let mut buf = Buffer::empty(area);
        let spark = Spark {
            samples,
            slow: Duration::from_secs(1),
            theme: &theme,
        };
        (&spark).render(area, &mut buf);
        buf.content().iter().map(|c| c.symbol()).collect()
    }

    #[test]
    fn shows_the_newest_points_at_the_right_edge() {
        // Ten old slow checks, then four fast ones: only the newest four fit.
        let mut samples: Vec<_> = (0..10).map(|_| sample(800, true)).collect();
        samples.extend([
            sample(10, true),
            sample(20, true),
            sample(40, false),
            sample(80, true),
        ]);
        assert_eq!(draw(&samples, 4, false), "▁▂✕█");
        assert_eq!(draw(&samples, 4, true), ".:x#");
    }

    #[test]
    fn short_history_is_right_aligned() {
        let samples = [sample(50, true), sample(100, true)];
        assert_eq!(draw(&samples, 5, true), "   =#");
        assert_eq!(draw(&[], 3, true), "   ");
    }
}
