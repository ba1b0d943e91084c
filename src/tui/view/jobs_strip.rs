//! The job monitor under the services, on screens too narrow or short for its panel: a
//! rule with its state and what the last pass did (and, on one line, the counts), then
//! on two lines the rows per state, the oldest rows and the totals. What does not fit
//! gives way, least important first.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::keymap::{Action, KeyMap};
use crate::tui::view::alert_text;
use crate::tui::view::format::{self, put, put_line};
use crate::tui::view::jobs_text::{self as text, Health};
use crate::tui::view::phrases::{self, Phrase};
use crate::tui::view::system_panel::fit;
use crate::tui::view::theme::Theme;
use crate::view::jobs::JobsView;

/// Cells a database error's message may take on the rule.
const MESSAGE_WIDTH: usize = 48;

/// The strip: one row (the rule, counts included) or two (rule, then figures).
pub struct JobsStrip<'a> {
    pub view: &'a JobsView,
    pub focused: bool,
    /// The keys the hints name.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &JobsStrip<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let row = |i: u16| Rect {
            y: area.y + i,
            height: 1,
            ..area
        };
        let one_line = area.height < 2;
        self.rule(row(0), one_line, buf);
        if !one_line {
            let room = usize::from(area.width).saturating_sub(1);
            let figures = phrases::fit(&self.figures(), self.theme.separator(), room);
            let mut line = Line::from(vec![Span::raw(" ")]);
            line.spans.extend(figures);
            put_line(buf, row(1), &line, self.theme.ellipsis());
        }
    }
}

impl JobsStrip<'_> {
    /// "─ jobs · rescuing · last pass: 3 requeued, 1 failed ────── r pass now ─"; with
    /// the focus the label is in reverse video behind "▸".
    fn rule(&self, row: Rect, with_counts: bool, buf: &mut Buffer) {
        let theme = self.theme;
        for x in row.left()..row.right() {
            buf[(x, row.y)]
                .set_symbol(theme.rule())
                .set_style(theme.dim());
        }
        let mut said = self.headline();
        if with_counts {
            said.extend(self.counts(4));
        }
        let hint = match (self.focused, self.view.running) {
            (false, _) => String::new(),
            (true, true) => format!(" {} ", self.keys.hint(&[(&[Action::CheckNow], "pass now")])),
            (true, false) => format!(" {} ", self.keys.hint(&[(&[Action::ToggleJobs], "start")])),
        };
        // With the focus, room is kept for what the keys do.
        let hint_width = format::width(&hint);
        let room = usize::from(row.width).saturating_sub(4 + hint_width);
        let mut spans = phrases::fit(&said, theme.separator(), room);
        spans.insert(0, Span::raw(" "));
        spans.push(Span::raw(" "));
        let mut label = Line::from(spans);
        if self.focused {
            label = label.style(theme.selected());
        }
        let label_row = Rect {
            x: row.x.saturating_add(1),
            width: row.width.saturating_sub(2),
            ..row
        };
        put_line(buf, label_row, &label, theme.ellipsis());
        if hint_width > 0 && label.width() + hint_width + 3 <= usize::from(row.width) {
            let x = row.right() - 1 - u16::try_from(hint_width).unwrap_or(0);
            put(buf, row, (x, row.y), &hint, hint_width, theme.dim(), "");
        }
    }

    /// The state, the database's error, rows still past their timeout, the last pass and
    /// when the next is, in that order of importance.
    fn headline(&self) -> Vec<Phrase> {
        let (view, theme) = (self.view, self.theme);
        let health = Health::of(view);
        let jobs = if self.focused {
            format!("{} jobs", theme.marker())
        } else {
            "jobs".to_string()
        };
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let mut out = vec![
            Phrase::new(jobs, bold, 0),
            Phrase::new(health.as_str(), health.style(theme), 0),
        ];
        if let Some(problem) = &view.problem {
            let message = problem.message.clone();
            let cause = fit(text::cause(&problem.message), MESSAGE_WIDTH, theme);
            let since = alert_text::age(format::age(self.now, problem.since));
            out.push(Phrase::new(message, theme.fail(), 2).or_short(cause));
            let failures = text::failures(problem.failures);
            out.push(Phrase::new(failures, Style::new(), 3));
            out.push(Phrase::new(format!("for {since}"), Style::new(), 4));
        }
        match health {
            Health::Off => {
                let starts = self.keys.hint(&[(&[Action::ToggleJobs], "starts it")]);
                out.push(Phrase::new(starts, Style::new(), 1));
            }
            Health::Watching => out.push(Phrase::new("another instance rescues", theme.dim(), 4)),
            _ => {}
        }
        if let Some(pass) = view.last_pass.as_deref()
            && health != Health::Failing
        {
            let (said, short) = text::pass_summary(pass);
            out.push(Phrase::new(said, Style::new(), 1).or_short(short));
        }
        for oldest in text::oldest(view).iter().filter(|o| o.past) {
            let age = text::oldest_age(oldest, theme);
            let phrase = format!("oldest {} {}", oldest.phase.as_str(), age.content.trim());
            out.push(Phrase::new(phrase, age.style, 2));
        }
        if let Some(next) = text::next(view, self.now) {
            // When the database fails, when it is tried again matters most after the state.
            let rank = if health == Health::Failing { 1 } else { 3 };
            out.push(Phrase::new(next, Style::new(), rank));
        }
        out
    }

    /// Rows per state, the states workers hold first; `rank` for pending, the rest after.
    fn counts(&self, rank: u8) -> Vec<Phrase> {
        let Some(census) = &self.view.census else {
            return vec![Phrase::new("no counts yet", self.theme.dim(), rank)];
        };
        text::counts(census)
            .into_iter()
            .map(|(state, n)| {
                let extra = match state {
                    "pending" => 0,
                    "claimed" | "processing" | "failed" => 1,
                    _ => 2,
                };
                Phrase::new(format!("{state} {n}"), Style::new(), rank + extra)
            })
            .collect()
    }

    /// The second row: counts, the oldest rows against their timeouts, the totals.
    fn figures(&self) -> Vec<Phrase> {
        let (view, theme) = (self.view, self.theme);
        let mut out = self.counts(0);
        for oldest in text::oldest(view).iter().filter(|o| o.age.is_some()) {
            let age = text::oldest_age(oldest, theme);
            let rank = if oldest.past { 1 } else { 4 };
            let phrase = format!("oldest {} {}", oldest.phase.as_str(), age.content.trim());
            out.push(Phrase::new(phrase, age.style, rank));
        }
        let totals = text::totals_phrases(&view.totals).join(", ");
        out.push(Phrase::new(format!("since start {totals}"), theme.dim(), 5));
        out
    }
}
