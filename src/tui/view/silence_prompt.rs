//! The silence prompt: a small box over the screen that asks how long (15m, 1h, 4h, or a
//! typed duration) and then what (this alert, its subject, its group).

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::Widget;

use crate::tui::alerts::{DURATIONS, PromptStep, SilencePrompt, targets};
use crate::tui::view::popup::{Popup, put_lines};
use crate::tui::view::theme::Theme;

const MAX_WIDTH: u16 = 64;

/// The prompt box, centred.
pub struct SilenceBox<'a> {
    pub prompt: &'a SilencePrompt,
    pub theme: &'a Theme,
}

impl Widget for &SilenceBox<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
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
        let popup = Popup {
            title: format!(" silence {} ", self.prompt.alert.key),
            hint: " Enter picks  Esc cancels ",
            lines: lines.len(),
            max_width: MAX_WIDTH,
            theme,
        };
        let inner = popup.draw(area, buf);
        put_lines(buf, inner, &lines, theme);
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
                let question = match &self.prompt.alert.origin {
                    Some(remote) => format!("For how long, in Alertmanager {}?", remote.source),
                    None => "For how long?".to_string(),
                };
                (question, choices, Some(*choice))
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
