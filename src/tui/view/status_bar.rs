//! The bottom line: counts per state, the job monitor in a word when the screen has no
//! room for more of it, the filter, messages, schedule lag, the config file and the
//! clock. On narrow screens the least useful parts go first.

use std::time::{Duration, SystemTime};

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::contract::ServiceState;
use crate::tui::alerts::Focus;
use crate::tui::ui_state::{Mode, UiState};
use crate::tui::view::format;
use crate::tui::view::jobs_text;
use crate::tui::view::theme::Theme;
use crate::view::jobs::JobsView;
use crate::view::snapshot::Snapshot;

/// Lag above this is shown as "behind schedule".
const LAG_WARNING: Duration = Duration::from_secs(1);
/// Each level gives up one more thing; the first level that fits is drawn.
const LEVELS: u8 = 9;

/// The status line for the whole fleet, whatever the filter shows.
pub struct StatusBar<'a> {
    pub snapshot: &'a Snapshot,
    pub ui: &'a UiState,
    /// How many services pass the filter.
    pub shown: usize,
    /// The job monitor, when the screen shows nothing else of it: "jobs:stuck".
    pub jobs: Option<&'a JobsView>,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &StatusBar<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let mut counts = [0usize; ServiceState::ALL.len()];
        for service in &self.snapshot.services {
            counts[state_index(service.state)] += 1;
        }
        let width = usize::from(area.width);
        let mut fitted = None;
        for level in 0..LEVELS {
            let (left, right) = self.compose(level, &counts);
            let fits = left.width() + right.width() + 2 <= width || level == LEVELS - 1;
            if fits {
                fitted = Some((left, right));
                break;
            }
        }
        let Some((left, right)) = fitted else {
            return;
        };
        buf.set_line(area.x, area.y, &left, area.width);
        let right_width = u16::try_from(right.width()).unwrap_or(u16::MAX);
        if left.width() + usize::from(right_width) + 2 <= width {
            buf.set_line(area.right() - right_width, area.y, &right, right_width);
        }
    }
}

/// Appends a piece, two spaces after the one before.
fn push(spans: &mut Vec<Span<'static>>, piece: Vec<Span<'static>>) {
    if !piece.is_empty() {
        if !spans.is_empty() {
            spans.push(Span::raw("  "));
        }
        spans.extend(piece);
    }
}

fn state_index(state: ServiceState) -> usize {
    ServiceState::ALL
        .iter()
        .position(|s| *s == state)
        .unwrap_or(0)
}

impl StatusBar<'_> {
    /// The left and right halves at a level of detail (0 is the richest).
    fn compose(&self, level: u8, counts: &[usize]) -> (Line<'static>, Line<'static>) {
        let theme = self.theme;
        let mut left: Vec<Span<'static>> = Vec::new();
        if let Some(filter) = self.filter(level) {
            push(&mut left, vec![filter]);
        }
        if level < 8 {
            push(&mut left, self.counts(level, counts));
        }
        if level < 7
            && let Some(jobs) = self.jobs
        {
            push(&mut left, vec![self.jobs_word(jobs)]);
        }
        if self.snapshot.max_lag > LAG_WARNING {
            let lag = format::latency(self.snapshot.max_lag);
            let text = if level < 2 {
                format!("behind schedule: lag {lag}")
            } else {
                format!("lag {lag}")
            };
            push(&mut left, vec![Span::styled(text, theme.warn())]);
        }
        // A viewer whose engine stopped answering shows old figures: never dropped.
        if let Some(lost) = self.lost_link(level) {
            push(&mut left, vec![lost]);
        }
        // A message is never dropped: at the last level it is cut at the screen's edge.
        if let Some(message) = &self.ui.message {
            push(
                &mut left,
                vec![Span::styled(
                    message.clone(),
                    Style::new().add_modifier(Modifier::BOLD),
                )],
            );
        }
        let mut right = Vec::new();
        if let Some(attached) = self.attached(level) {
            push(&mut right, vec![attached]);
        }
        if level < 3 {
            let name = self.snapshot.config_source.file_name().unwrap_or_default();
            push(
                &mut right,
                vec![Span::styled(
                    name.to_string_lossy().into_owned(),
                    theme.dim(),
                )],
            );
        }
        if level < 6 {
            let clock = format::clock(self.now);
            let clock = if level < 5 {
                format!("{clock} UTC")
            } else {
                clock
            };
            push(&mut right, vec![Span::raw(clock)]);
        }
        (Line::from(left), Line::from(right))
    }

    /// "attached to pid 41 (headless, up 3d)", for a viewer whose engine answers; for
    /// a dashboard running the engine, "2 screens attached" while others follow it.
    fn attached(&self, level: u8) -> Option<Span<'static>> {
        let Some(link) = self.snapshot.link.as_ref() else {
            let others = self.ui.viewers.as_ref().map_or(0, |v| v.count());
            let text = match (others, level) {
                (0, _) | (_, 4..) => return None,
                (1, 0..2) => "1 screen attached here".to_string(),
                (n, 0..2) => format!("{n} screens attached here"),
                (n, _) => format!("{n} attached"),
            };
            return Some(Span::styled(text, self.theme.warn()));
        };
        let engine = link.engine.as_ref().filter(|_| link.lost.is_none())?;
        let text = match level {
            0..2 => {
                let up = self.now.duration_since(engine.started).unwrap_or_default();
                format!(
                    "attached to pid {} ({}, up {})",
                    engine.pid,
                    engine.mode,
                    crate::words::short_age(up)
                )
            }
            2..5 => format!("attached to pid {}", engine.pid),
            _ => return None,
        };
        Some(Span::styled(text, self.theme.dim()))
    }

    /// "reconnecting… (engine gone 12s: connection refused)" while the engine a viewer
    /// shows does not answer.
    fn lost_link(&self, level: u8) -> Option<Span<'static>> {
        let link = self.snapshot.link.as_ref()?;
        let (since, why) = link.lost.as_ref()?;
        let gone = crate::words::short_age(self.now.duration_since(*since).unwrap_or_default());
        let dots = self.theme.ellipsis();
        // Why matters more than for how long: a refused token is not a dead engine.
        let text = match level {
            0..2 => format!("reconnecting{dots} (engine gone {gone}: {why})"),
            2..5 => format!("reconnecting{dots} ({why})"),
            _ => format!("reconnecting{dots}"),
        };
        Some(Span::styled(
            text,
            self.theme.fail().add_modifier(Modifier::BOLD),
        ))
    }

    /// "jobs:ok", "jobs:stuck"…; with the focus on the jobs, marked and in reverse video.
    fn jobs_word(&self, jobs: &JobsView) -> Span<'static> {
        let (word, style) = jobs_text::word(jobs, self.theme);
        if self.ui.mode == Mode::Dashboard && self.ui.focus == Focus::Jobs {
            let text = format!("{}{word}", self.theme.marker());
            return Span::styled(text, self.theme.selected());
        }
        Span::styled(word, style)
    }

    /// "/text▏" while typing, "/text (3 of 12)" while a filter is active.
    fn filter(&self, level: u8) -> Option<Span<'static>> {
        let ui = self.ui;
        if !ui.filter_editing && ui.filter.is_empty() {
            return None;
        }
        let cursor = if ui.filter_editing {
            self.theme.cursor()
        } else {
            ""
        };
        let matches = if level < 1 {
            format!(" ({} of {})", self.shown, self.snapshot.services.len())
        } else {
            String::new()
        };
        let text = format!("/{}{cursor}{matches}", ui.filter);
        Some(Span::styled(
            text,
            Style::new().add_modifier(Modifier::BOLD),
        ))
    }

    /// "UP 9  DEGRADED 1 ..." in full, then without zeros, then as symbols.
    fn counts(&self, level: u8, counts: &[usize]) -> Vec<Span<'static>> {
        let theme = self.theme;
        let mut spans = Vec::new();
        for (state, count) in ServiceState::ALL.iter().zip(counts) {
            if level >= 1 && *count == 0 {
                continue;
            }
            if !spans.is_empty() {
                spans.push(Span::raw(if level < 4 { "  " } else { " " }));
            }
            let text = if level < 4 {
                format!("{} {count}", state.as_str())
            } else {
                format!("{}{count}", theme.symbol(*state))
            };
            let style = if *count == 0 {
                theme.dim()
            } else {
                theme.state(*state)
            };
            spans.push(Span::styled(text, style));
        }
        spans
    }
}
