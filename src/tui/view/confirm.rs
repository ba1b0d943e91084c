//! The yes-or-no box: what `y` would do, with the keys on its border (the confirmation
//! of a wide command, and the job monitor's question before it writes).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::tui::view::format::width;
use crate::tui::view::popup::{Popup, put_lines};
use crate::tui::view::theme::Theme;

const MAX_WIDTH: u16 = 72;

/// `text` in lines of at most `room` cells, broken between words (a word longer than a
/// line is left whole, to be cut where it is drawn).
fn wrap(text: &str, room: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && width(&line) + 1 + width(word) > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

pub struct QuestionBox<'a> {
    pub title: &'a str,
    pub lines: &'a [String],
    pub theme: &'a Theme,
}

impl Widget for &QuestionBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        // The box is as wide as Popup makes it; its lines sit inside the border and a
        // cell of padding on each side. The question is wrapped, never cut: it is what
        // `y` is about.
        let room = usize::from(area.width.min(MAX_WIDTH).saturating_sub(4)).max(1);
        let lines: Vec<(String, Style)> = (self.lines.iter())
            .flat_map(|line| wrap(line, room))
            .map(|line| (line, Style::new()))
            .collect();
        let popup = Popup {
            title: format!(" {} ", self.title),
            hint: " y yes  any other key no ",
            lines: lines.len(),
            max_width: MAX_WIDTH,
            theme: self.theme,
        };
        let inner = popup.draw(area, buf);
        put_lines(buf, inner, &lines, self.theme);
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn wrap_breaks_between_words_and_keeps_long_words_whole() {
        assert_eq!(wrap("end it for all", 8), ["end it", "for all"]);
        assert_eq!(
            wrap("a /var/lib/postgresql b", 6),
            ["a", "/var/lib/postgresql", "b"]
        );
        assert_eq!(wrap("", 5), [""]);
    }
}
