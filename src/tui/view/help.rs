//! The `?` overlay: every key binding in a centred box. On screens too small for all of
//! them it shows what fits and says how many more there are.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use crate::keymap::{Action, Key, KeyMap};
use crate::tui::keys::Binding;
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;

/// Widest the box grows; wide enough for the longest binding on one line.
const MAX_WIDTH: u16 = 72;

/// The help box over whatever is on screen.
pub struct HelpOverlay<'a> {
    /// `keys::BINDINGS` in the app; a parameter so tests can vary it.
    pub bindings: &'a [Binding],
    /// Whose keys each binding shows: the defaults with `[keys]` over them.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
}

/// " Esc or ? closes ": Esc always closes the help, and so does its own key.
fn closing(keys: &KeyMap) -> String {
    match keys.keys_of(Action::ToggleHelp).next().map(Key::label) {
        Some(key) if key != "Esc" => format!(" Esc or {key} closes "),
        _ => " Esc closes ".to_string(),
    }
}

/// "j Down / k Up": each action's keys, the actions apart by " / ".
fn keys_text(keys: &KeyMap, actions: &[Action]) -> String {
    let each: Vec<String> = actions.iter().map(|a| keys.labels(*a)).collect();
    each.join(" / ")
}

impl Widget for &HelpOverlay<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let theme = self.theme;
        let wanted = u16::try_from(self.bindings.len() + 4).unwrap_or(u16::MAX);
        let width = area.width.min(MAX_WIDTH);
        let height = area.height.min(wanted);
        let boxed = Rect::new(
            area.x + (area.width - width) / 2,
            area.y + (area.height - height) / 2,
            width,
            height,
        );
        if boxed.is_empty() {
            return;
        }
        // A blank margin keeps the box apart from the cards under it, also without colour.
        let margin = Rect::new(
            boxed.x.saturating_sub(1),
            boxed.y.saturating_sub(1),
            boxed.width + 2,
            boxed.height + 2,
        );
        Clear.render(margin.intersection(area), buf);
        let block = Block::bordered()
            .border_set(theme.overlay_border())
            .title(Line::from(" keys ").style(Style::new().add_modifier(Modifier::BOLD)))
            .title_bottom(Line::from(closing(self.keys)).right_aligned());
        let inner = block.inner(boxed);
        block.render(boxed, buf);
        if inner.is_empty() {
            return;
        }
        let key_texts: Vec<String> = self
            .bindings
            .iter()
            .map(|b| keys_text(self.keys, b.actions))
            .collect();
        let key_width = key_texts
            .iter()
            .map(|text| format::width(text))
            .max()
            .unwrap_or(0);
        // On narrow boxes the key column shrinks so the action stays readable.
        let key_width = key_width.min(usize::from(inner.width) / 2);
        // A blank line under the top border when there is room for it.
        let pad = u16::from(usize::from(inner.height) >= self.bindings.len() + 2);
        let inner = Rect {
            y: inner.y + pad,
            height: inner.height - pad,
            ..inner
        };
        let rows = usize::from(inner.height);
        let fits_all = self.bindings.len() <= rows;
        let shown = if fits_all {
            self.bindings.len()
        } else {
            rows.saturating_sub(1)
        };
        let ellipsis = theme.ellipsis();
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let lines = self.bindings.iter().zip(&key_texts).take(shown);
        for (row, (binding, keys)) in lines.enumerate() {
            let y = inner.y + u16::try_from(row).unwrap_or(0);
            let x = inner.x + 1;
            put(buf, inner, (x, y), keys, key_width, bold, ellipsis);
            let action_x = x.saturating_add(u16::try_from(key_width + 2).unwrap_or(0));
            put(
                buf,
                inner,
                (action_x, y),
                binding.action,
                usize::MAX,
                Style::new(),
                ellipsis,
            );
        }
        if !fits_all {
            let more = self.bindings.len() - shown;
            let text = format!("+{more} more: enlarge the window");
            let y = inner.y + u16::try_from(shown).unwrap_or(0);
            put(
                buf,
                inner,
                (inner.x + 1, y),
                &text,
                usize::MAX,
                theme.dim(),
                ellipsis,
            );
        }
    }
}
