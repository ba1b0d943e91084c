//! Fixed-shape words and numbers for the machine: sizes, rates, percentages, uptimes,
//! bars and the marks that say a threshold is crossed without colour. Widths never depend
//! on the value more than the format says, so the panel does not jitter between frames.

use std::time::Duration;

use ratatui::style::Style;
use ratatui::text::Span;

use crate::contract::Resource;
use crate::tui::view::theme::Theme;
use crate::view::machine::Level;
use crate::view::machine::SystemView;

/// Shown for anything the machine could not tell.
pub const NA: &str = "n/a";

/// A byte count in at most five cells: "512B", "9.5K", "123M", "16.0G".
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["K", "M", "G", "T", "P"];
    if n < 1024 {
        return format!("{n}B");
    }
    let mut value = n as f64 / 1024.0;
    let mut unit = 0;
    while value >= 999.5 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if value < 9.95 {
        format!("{value:.1}{}", UNITS[unit])
    } else {
        format!("{value:.0}{}", UNITS[unit])
    }
}

/// A rate: "478K/s".
pub fn rate(bytes_per_second: f64) -> String {
    let whole = bytes_per_second.max(0.0).round() as u64;
    format!("{}/s", bytes(whole))
}

/// A whole percentage in four cells, right-aligned: "  5%", " 45%", "100%".
pub fn percent(value: f64) -> String {
    format!("{:>3.0}%", value.clamp(0.0, 100.0))
}

/// "12d 3h", "3h17m", "17m"; minutes at most, so it changes once a minute.
pub fn uptime(d: Duration) -> String {
    let minutes = d.as_secs() / 60;
    let (days, hours, mins) = (minutes / 1440, (minutes % 1440) / 60, minutes % 60);
    match (days, hours) {
        (0, 0) => format!("{mins}m"),
        (0, h) => format!("{h}h{mins:02}m"),
        (d, h) => format!("{d}d {h}h"),
    }
}

/// A load average: "2.41", "12.3".
pub fn load(value: f64) -> String {
    if value < 10.0 {
        format!("{value:.2}")
    } else {
        format!("{value:.1}")
    }
}

/// A horizontal bar `width` cells wide, filled to `percent`: "█████▍░░░░" or "#####.....".
pub fn bar(percent: f64, width: usize, theme: &Theme) -> String {
    let share = (percent / 100.0).clamp(0.0, 1.0);
    let eighths = (share * width as f64 * 8.0).round() as usize;
    let (full, part) = (eighths / 8, eighths % 8);
    let mut out = String::with_capacity(width * 3);
    if theme.ascii {
        let filled = (full + usize::from(part >= 4)).min(width);
        out.push_str(&"#".repeat(filled));
        out.push_str(&".".repeat(width - filled));
        return out;
    }
    const PARTS: [&str; 8] = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"];
    out.push_str(&"█".repeat(full.min(width)));
    let mut used = full.min(width);
    if part > 0 && used < width {
        out.push_str(PARTS[part]);
        used += 1;
    }
    out.push_str(&"░".repeat(width - used));
    out
}

/// Where a reading stands against its threshold (`Clear` when it has none).
pub fn level(view: &SystemView, resource: Resource, subject: Option<&str>) -> Level {
    view.rules
        .iter()
        .find(|r| r.resource == resource && r.subject.as_deref() == subject)
        .map_or(Level::Clear, |r| r.level)
}

/// The mark after a reading: "!" when its threshold is exceeded, "+" while it is above
/// but not yet for long enough, a space otherwise (so widths stay put).
pub fn mark(level: Level) -> &'static str {
    match level {
        Level::Clear => " ",
        Level::Pending { .. } => "+",
        Level::Exceeded { .. } => "!",
    }
}

/// The colour channel for a level: red exceeded, yellow pending.
pub fn style(level: Level, theme: &Theme) -> Style {
    match level {
        Level::Clear => Style::new(),
        Level::Pending { .. } => theme.warn(),
        Level::Exceeded { .. } => theme.fail(),
    }
}

/// A reading and its mark as one styled span: " 97%!".
pub fn reading(text: String, level: Level, theme: &Theme) -> Span<'static> {
    Span::styled(format!("{text}{}", mark(level)), style(level, theme))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ASCII: Theme = Theme {
        color: false,
        ascii: true,
    };
    const UNICODE: Theme = Theme {
        color: false,
        ascii: false,
    };

    #[test]
    fn sizes_fit_in_five_cells() {
        let cases = [
            (0, "0B"),
            (1023, "1023B"),
            (1024, "1.0K"),
            (9_700, "9.5K"),
            (123 << 20, "123M"),
            (1_023_000, "999K"),
            (1_048_000, "1.0M"),
            (16 << 30, "16G"),
            (5 << 40, "5.0T"),
        ];
        for (n, want) in cases {
            assert_eq!(bytes(n), want, "{n}");
            assert!(bytes(n).len() <= 5);
        }
        assert_eq!(rate(489_472.4), "478K/s");
        assert_eq!(rate(-3.0), "0B/s");
    }

    #[test]
    fn percentages_uptimes_and_loads() {
        assert_eq!(
            [percent(4.6), percent(45.0), percent(100.4), percent(-1.0)],
            ["  5%", " 45%", "100%", "  0%"]
        );
        let h = |h: u64, m: u64| Duration::from_secs(h * 3600 + m * 60 + 59);
        assert_eq!(
            [
                uptime(h(0, 17)),
                uptime(h(3, 7)),
                uptime(h(12 * 24 + 3, 17))
            ],
            ["17m", "3h07m", "12d 3h"]
        );
        assert_eq!([load(2.414), load(12.34)], ["2.41", "12.3"]);
    }

    #[test]
    fn bars_in_both_glyph_sets() {
        assert_eq!(bar(50.0, 10, &ASCII), "#####.....");
        assert_eq!(bar(0.0, 4, &ASCII), "....");
        assert_eq!(bar(100.0, 4, &ASCII), "####");
        assert_eq!(bar(55.0, 10, &UNICODE), "█████▌░░░░");
        assert_eq!(bar(120.0, 3, &UNICODE), "███");
    }
}
