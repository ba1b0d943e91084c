//! Lines made of phrases that give way by importance: `fit` keeps what fits of a line,
//! most important first, each phrase whole or in its short form; `flow` wraps phrases
//! over lines without splitting one.

use ratatui::style::Style;
use ratatui::text::Span;

use crate::tui::view::format;

/// A piece of a line; pieces of higher `rank` give way first when room runs out: to
/// their `short` form, then altogether.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub text: String,
    pub short: Option<String>,
    pub style: Style,
    pub rank: u8,
}

impl Phrase {
    pub fn new(text: impl Into<String>, style: Style, rank: u8) -> Self {
        Self {
            text: text.into(),
            short: None,
            style,
            rank,
        }
    }

    /// The same phrase with a shorter form to fall back on.
    pub fn or_short(self, short: impl Into<String>) -> Self {
        Self {
            short: Some(short.into()),
            ..self
        }
    }
}

/// The phrases, in their order, joined by `separator` in at most `room` cells. They are
/// taken by rank (0 first, always kept), each whole or in its short form; the first rank
/// where one does not fit is the last one taken, so a less important phrase never
/// stands where a more important one was left out.
pub fn fit(phrases: &[Phrase], separator: &str, room: usize) -> Vec<Span<'static>> {
    let gap = format::width(separator);
    let mut chosen: Vec<Option<&str>> = vec![None; phrases.len()];
    let mut used = 0;
    let mut ranks: Vec<u8> = phrases.iter().map(|p| p.rank).collect();
    ranks.sort_unstable();
    ranks.dedup();
    for rank in ranks {
        let mut all_fit = true;
        for (i, phrase) in phrases.iter().enumerate().filter(|(_, p)| p.rank == rank) {
            let cost = |text: &str| format::width(text) + if used == 0 { 0 } else { gap };
            let forms = std::iter::once(phrase.text.as_str()).chain(phrase.short.as_deref());
            let pick = forms
                .clone()
                .find(|text| used + cost(text) <= room)
                .or_else(|| (rank == 0).then(|| forms.last().unwrap_or_default()));
            match pick {
                Some(text) => {
                    used += cost(text);
                    chosen[i] = Some(text);
                }
                None => all_fit = false,
            }
        }
        if !all_fit {
            break;
        }
    }
    let mut spans = Vec::new();
    for (phrase, text) in phrases.iter().zip(chosen) {
        let Some(text) = text else { continue };
        if !spans.is_empty() {
            spans.push(Span::raw(separator.to_string()));
        }
        spans.push(Span::styled(text.to_string(), phrase.style));
    }
    spans
}

/// Phrases joined by `separator` and wrapped into lines of at most `width` cells, each
/// starting with `indent`; a phrase is never split (one too long is cut when drawn).
pub fn flow(phrases: &[String], separator: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for phrase in phrases {
        let candidate = if line.is_empty() {
            format!("{indent}{phrase}")
        } else {
            format!("{line}{separator}{phrase}")
        };
        if line.is_empty() || format::width(&candidate) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = format!("{indent}{phrase}");
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str, rank: u8) -> Phrase {
        Phrase::new(text, Style::new(), rank)
    }

    fn joined(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fit_keeps_the_most_important_that_fit() {
        let phrases = [
            phrase("jobs", 0),
            phrase("rescuing", 0),
            phrase("pending 12", 3),
            phrase("last pass: 2 requeued", 2).or_short("2 fixed"),
            phrase("failed 9", 3),
        ];
        let cases = [
            (
                80,
                "jobs · rescuing · pending 12 · last pass: 2 requeued · failed 9",
            ),
            (55, "jobs · rescuing · pending 12 · last pass: 2 requeued"),
            (40, "jobs · rescuing · last pass: 2 requeued"),
            (30, "jobs · rescuing · 2 fixed"),
            (20, "jobs · rescuing"),
            (5, "jobs · rescuing"),
        ];
        for (room, want) in cases {
            assert_eq!(joined(&fit(&phrases, " · ", room)), want, "{room}");
        }
    }

    #[test]
    fn flow_wraps_between_phrases() {
        let phrases: Vec<String> = ["2 requeued", "1 retried", "1 failed", "more left"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            flow(&phrases, " · ", " ", 24),
            [" 2 requeued · 1 retried", " 1 failed · more left"]
        );
        assert_eq!(flow(&phrases, " · ", "", 5).len(), 4, "one a line at worst");
        assert!(flow(&[], " · ", " ", 10).is_empty());
    }
}
