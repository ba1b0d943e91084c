//! The silence prompt: a small box over the screen that asks how long (15m, 1h, 4h, or a
//! typed duration) and then what (this alert, its subject, its group).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use crate::tui::alerts::{DURATIONS, PromptStep, SilencePrompt, targets};
use crate::tui::view::format::put;
use crate::tui::view::theme::Theme;

const MAX_WIDTH: u16 = 64;

/// The prompt box, centred.
pub struct SilenceBox<'a> {
    pub prompt: &'a SilencePrompt,
    pub theme: &'a Theme,
}

impl Widget for &SilenceBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        let theme = self.theme;
        let (question, choices, selected) = self.content();
        let mut lines: Vec<(String, Style)> = vec![(question, Style::new())];
        for (i, choice) in choices.into_iter().enumerate() {
            let lead = if Some(i) == selected {
                theme.marker()
            } else {
                " "
            };
            let style = if Some(i) == selected {
                theme.selected()
            } else {
                Style::new()
            };
            lines.push((format!("{lead} {choice}"), style));
        }
        if let PromptStep::Custom {
            error: Some(error), ..
        } = &self.prompt.step
        {
            lines.push((error.clone(), theme.fail()));
        }
        let wanted = u16::try_from(lines.len() + 4).unwrap_or(u16::MAX);
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
        // A blank margin keeps the box apart from what is under it, also without colour.
        let margin = Rect::new(
            boxed.x.saturating_sub(1),
            boxed.y.saturating_sub(1),
            boxed.width + 2,
            boxed.height + 2,
        );
        Clear.render(margin.intersection(area), buf);
        let title = format!(" silence {} ", self.prompt.alert.key);
        let block = Block::bordered()
            .border_set(theme.overlay_border())
            .title(Line::from(title).style(Style::new().add_modifier(Modifier::BOLD)))
            .title_bottom(Line::from(" Enter picks  Esc cancels ").right_aligned());
        let inner = block.inner(boxed);
        block.render(boxed, buf);
        let pad = u16::from(usize::from(inner.height) > lines.len());
        let inner = Rect {
            x: inner.x + 1,
            y: inner.y + pad,
            width: inner.width.saturating_sub(2),
            height: inner.height - pad,
        };
        for (y, (text, style)) in (inner.top()..inner.bottom()).zip(&lines) {
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
}

impl SilenceBox<'_> {
    /// The question, the choices, and which one is selected.
    fn content(&self) -> (String, Vec<String>, Option<usize>) {
        match &self.prompt.step {
            PromptStep::Duration { choice } => {
                let mut choices: Vec<String> = DURATIONS
                    .iter()
                    .enumerate()
                    .map(|(i, (_, label))| format!("{}  {label}", i + 1))
                    .collect();
                choices.push("c  another duration (90m, 2h30m, 1d)".to_string());
                ("For how long?".to_string(), choices, Some(*choice))
            }
            PromptStep::Custom { text, .. } => (
                format!("For how long? {text}{}", self.theme.cursor()),
                vec!["e.g. 90m, 2h30m, 1d; Enter when done".to_string()],
                None,
            ),
            PromptStep::Target { duration, choice } => {
                let keys = ["a", "s", "g"];
                let choices = targets(&self.prompt.alert)
                    .into_iter()
                    .zip(keys)
                    .map(|((_, label), key)| format!("{key}  {label}"))
                    .collect();
                let time = humantime::format_duration(*duration);
                (format!("Silence for {time} what?"), choices, Some(*choice))
            }
        }
    }
}
