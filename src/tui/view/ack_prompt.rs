//! The ack-note prompt: a one-line box over the screen where the note for an ack is
//! typed; the end of a long note stays in sight, next to the cursor.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::tui::ack_prompt::AckPrompt;
use crate::tui::view::format::width;
use crate::tui::view::popup::{Popup, put_lines};
use crate::tui::view::theme::Theme;

const MAX_WIDTH: u16 = 64;
const LABEL: &str = "Note (optional): ";

/// The prompt box, centred.
pub struct AckBox<'a> {
    pub prompt: &'a AckPrompt,
    pub theme: &'a Theme,
}

impl Widget for &AckBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let theme = self.theme;
        // Taking over someone's ack is allowed, but not without saying so.
        let replaces = (self.prompt.alert.ack.as_ref())
            .map(|ack| (format!("replaces the ack by {}", ack.by), theme.dim()));
        let notice = (self.prompt.notice.clone()).map(|text| (text, theme.warn()));
        let popup = Popup {
            title: format!(" ack {} ", self.prompt.alert.key),
            hint: " Enter acks  Esc cancels ",
            lines: 1 + usize::from(replaces.is_some()) + usize::from(notice.is_some()),
            max_width: MAX_WIDTH,
            theme,
        };
        let inner = popup.draw(area, buf);
        let cursor = theme.cursor();
        let room = usize::from(inner.width).saturating_sub(width(LABEL) + width(cursor));
        let text = tail(&self.prompt.text, room, theme.ellipsis());
        let mut lines = vec![(format!("{LABEL}{text}{cursor}"), Style::new())];
        lines.extend(replaces);
        lines.extend(notice);
        put_lines(buf, inner, &lines, theme);
    }
}

/// The end of `text` in at most `room` cells, led by `ellipsis` when the start is cut.
fn tail(text: &str, room: usize, ellipsis: &str) -> String {
    if width(text) <= room {
        return text.to_string();
    }
    let room = room.saturating_sub(width(ellipsis));
    let mut used = 0;
    let mut start = text.len();
    for (at, c) in text.char_indices().rev() {
        used += width(c.encode_utf8(&mut [0; 4]));
        if used > room {
            break;
        }
        start = at;
    }
    format!("{ellipsis}{}", &text[start..])
}

#[cfg(test)]
mod tests {
    use super::tail;

    #[test]
    fn tail_keeps_the_end_in_sight() {
        assert_eq!(tail("on it", 5, "~"), "on it");
        assert_eq!(tail("on it now", 5, "~"), "~ now");
        assert_eq!(tail("日本語", 4, "…"), "…語");
        assert_eq!(tail("abc", 0, "~"), "~");
    }
}
