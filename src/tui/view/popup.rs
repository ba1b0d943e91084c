//! The small box prompts are drawn in: centred over the screen, kept apart from what is
//! under it by a blank margin, with a bold title and a key hint on its bottom border.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::view::format::put;
use crate::tui::view::theme::Theme;

/// A prompt's box: what it says on its borders and how many lines it holds.
pub struct Popup<'a> {
    pub title: String,
    /// The keys, on the bottom border (" Enter picks  Esc cancels ").
    pub hint: &'a str,
    pub lines: usize,
    pub max_width: u16,
    pub theme: &'a Theme,
}

impl Popup<'_> {
    /// Clears the box's place in `area`, draws its frame, and returns where its lines
    /// go: inside the border, one cell in from each side, a blank line above when there
    /// is room. Empty when nothing fits.
    pub fn draw(&self, area: Rect, buf: &mut Buffer) -> Rect {
        let area = area.intersection(buf.area);
        let wanted = u16::try_from(self.lines + 4).unwrap_or(u16::MAX);
        let width = area.width.min(self.max_width);
        let height = area.height.min(wanted);
        let boxed = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        if boxed.is_empty() {
            return Rect::default();
        }
        // A blank margin keeps the box apart from what is under it, also without colour.
        let margin = Rect::new(
            boxed.x.saturating_sub(1),
            boxed.y.saturating_sub(1),
            boxed.width + 2,
            boxed.height + 2,
        );
        Clear.render(margin.intersection(area), buf);
        let title =
            Line::from(self.title.as_str()).style(Style::new().add_modifier(Modifier::BOLD));
        let block = Block::bordered()
            .border_set(self.theme.overlay_border())
            .title(title)
            .title_bottom(Line::from(self.hint).right_aligned());
        let inner = block.inner(boxed);
        block.render(boxed, buf);
        let pad = u16::from(usize::from(inner.height) > self.lines);
        Rect {
            x: inner.x + 1,
            y: inner.y + pad,
            width: inner.width.saturating_sub(2),
            height: inner.height - pad,
        }
    }
}

/// Writes one line per row of `inner`, cut with an ellipsis; a reversed style (the
/// selection) fills its whole row.
pub fn put_lines(buf: &mut Buffer, inner: Rect, lines: &[(String, Style)], theme: &Theme) {
    for (y, (text, style)) in (inner.top()..inner.bottom()).zip(lines) {
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        put(
            buf,
            row,
            (row.x, y),
            text,
            usize::MAX,
            *style,
            theme.ellipsis(),
        );
        if style.add_modifier.contains(Modifier::REVERSED) {
            buf.set_style(row, *style);
        }
    }
}
