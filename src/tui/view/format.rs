//! Short, fixed-shape text for numbers and times, and width-safe writing into a buffer.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// A response time in at most five cells: "<1ms", "43ms", "1.2s", "12s", "3m04s".
pub fn latency(d: Duration) -> String {
    let ms = d.as_millis();
    match ms {
        0 => "<1ms".to_string(),
        1..=999 => format!("{ms}ms"),
        1_000..=9_999 => format!("{}.{}s", ms / 1000, (ms % 1000) / 100),
        10_000..=59_999 => format!("{}s", ms / 1000),
        _ => span(d),
    }
}

/// A longer span, for intervals and chart axes: "10s", "5m", "2m30s", "1h", "1h30m".
pub fn span(d: Duration) -> String {
    let secs = d.as_secs();
    let (h, m, s) = (secs / 3600, (secs % 3600) / 60, secs % 60);
    match (h, m, s) {
        (0, 0, _) if d.subsec_millis() > 0 && secs < 10 => latency(d),
        (0, 0, s) => format!("{s}s"),
        (0, m, 0) => format!("{m}m"),
        (0, m, s) => format!("{m}m{s:02}s"),
        (h, 0, _) => format!("{h}h"),
        (h, m, _) => format!("{h}h{m:02}m"),
    }
}

/// Uptime rounded down to 0.1 % so an imperfect service never reads "100%".
pub fn uptime(share: Option<f64>) -> String {
    match share {
        None => "-".to_string(),
        Some(s) if s >= 1.0 => "100%".to_string(),
        Some(s) => format!("{:.1}%", (s.max(0.0) * 1000.0).floor() / 10.0),
    }
}

/// Wall-clock time of day in UTC, "HH:MM:SS" (no time-zone database is needed).
pub fn clock(at: SystemTime) -> String {
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs()) % 86_400;
    format!(
        "{:02}:{:02}:{:02}",
        secs / 3600,
        (secs % 3600) / 60,
        secs % 60
    )
}

/// How long before `now` something happened; zero if it lies in the future.
pub fn age(now: SystemTime, at: SystemTime) -> Duration {
    now.duration_since(at).unwrap_or(Duration::ZERO)
}

/// Display width in cells, as the buffer will count it.
pub fn width(text: &str) -> usize {
    Span::raw(text).width()
}

/// Writes `text` at (x, y) in at most `max` cells, ending with `ellipsis` when it had to
/// be cut. Returns the cells used. Writes nothing outside `area`, so callers never panic.
pub fn put(
    buf: &mut Buffer,
    area: Rect,
    (x, y): (u16, u16),
    text: &str,
    max: usize,
    style: Style,
    ellipsis: &str,
) -> u16 {
    let area = area.intersection(buf.area);
    if y < area.top() || y >= area.bottom() || x < area.left() || x >= area.right() {
        return 0;
    }
    let max = max.min(usize::from(area.right() - x));
    if max == 0 {
        return 0;
    }
    if width(text) <= max {
        let (end, _) = buf.set_stringn(x, y, text, max, style);
        return end - x;
    }
    let (end, _) = buf.set_stringn(x, y, text, max - 1, style);
    let (end, _) = buf.set_stringn(end, y, ellipsis, 1, style);
    end - x
}

/// Writes a styled line into one row, cut with `ellipsis` where it does not fit.
pub fn put_line(buf: &mut Buffer, row: Rect, line: &Line<'_>, ellipsis: &str) {
    let mut x = row.x;
    let total = line.width();
    for span in &line.spans {
        let room = usize::from(row.right().saturating_sub(x));
        // Only the span that runs out of room gets the ellipsis.
        let cut = if total > usize::from(row.width) {
            ellipsis
        } else {
            ""
        };
        let style = line.style.patch(span.style);
        x = x.saturating_add(put(buf, row, (x, row.y), &span.content, room, style, cut));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_table() {
        let cases = [
            (Duration::from_micros(400), "<1ms"),
            (Duration::from_millis(43), "43ms"),
            (Duration::from_millis(999), "999ms"),
            (Duration::from_millis(1_249), "1.2s"),
            (Duration::from_secs(5), "5.0s"),
            (Duration::from_millis(12_900), "12s"),
            (Duration::from_secs(184), "3m04s"),
        ];
        for (d, want) in cases {
            assert_eq!(latency(d), want, "{d:?}");
        }
    }

    #[test]
    fn span_table() {
        let cases = [
            (Duration::from_millis(500), "500ms"),
            (Duration::from_secs(10), "10s"),
            (Duration::from_secs(300), "5m"),
            (Duration::from_secs(150), "2m30s"),
            (Duration::from_secs(3600), "1h"),
            (Duration::from_secs(5400), "1h30m"),
        ];
        for (d, want) in cases {
            assert_eq!(span(d), want, "{d:?}");
        }
    }

    #[test]
    fn uptime_never_rounds_up_to_perfect() {
        assert_eq!(uptime(None), "-");
        assert_eq!(uptime(Some(1.0)), "100%");
        assert_eq!(uptime(Some(0.9999)), "99.9%");
        assert_eq!(uptime(Some(0.5)), "50.0%");
        assert_eq!(uptime(Some(0.0)), "0.0%");
    }

    #[test]
    fn clock_is_utc_time_of_day() {
        let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(clock(at), "22:13:20");
    }

    #[test]
    fn put_cuts_with_an_ellipsis_and_stays_inside() {
        let area = Rect::new(0, 0, 6, 1);
        let mut buf = Buffer::empty(area);
        assert_eq!(
            put(&mut buf, area, (0, 0), "gateway", 6, Style::new(), "~"),
            6
        );
        assert_eq!(
            buf.content().iter().map(|c| c.symbol()).collect::<String>(),
            "gatew~"
        );
        assert_eq!(put(&mut buf, area, (0, 1), "x", 6, Style::new(), "~"), 0);
        assert_eq!(put(&mut buf, area, (6, 0), "x", 6, Style::new(), "~"), 0);
        assert_eq!(put(&mut buf, area, (4, 0), "abc", 9, Style::new(), "~"), 2);
    }
}
