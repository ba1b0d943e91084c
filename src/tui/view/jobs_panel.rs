//! The job monitor as a bordered panel (wide screens, beside the services, under the
//! machine): its state, the table and database, rows per state, the oldest claimed and
//! processing rows against their timeouts, the last pass and the totals since start,
//! then the stuck rows of the last pass, as many as fit. Only the rows on screen are
//! built, however many the pass found.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};

use crate::keymap::{Action, KeyMap};
use crate::tui::view::alert_text;
use crate::tui::view::format::{self, put, put_line};
use crate::tui::view::jobs_text::{self as text, Health};
use crate::tui::view::phrases;
use crate::tui::view::system_panel::fit;
use crate::tui::view::system_parts::{heading, plain};
use crate::tui::view::theme::Theme;
use crate::view::jobs::{JobAction, JobsView, PassReport};

/// Cells of a stuck row besides its id: state, age, attempts, what was done.
const ROW_FIXED: usize = 1 + 10 + 1 + 6 + 1 + 3 + 1 + 8;
/// Two columns of counts need this many cells.
const PAIRS_MIN_WIDTH: usize = 37;
/// Lines a database error's message may take.
const MESSAGE_LINES: usize = 2;

/// The panel; `focused` while it has the focus (`Tab`), when `r` runs a pass.
pub struct JobsPanel<'a> {
    pub view: &'a JobsView,
    pub focused: bool,
    /// The keys the hints name.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &JobsPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = self.theme;
        let health = Health::of(self.view);
        let border = match (health, self.focused) {
            (Health::Failing, _) => theme.fail(),
            (_, true) => Style::new(),
            (_, false) => theme.dim(),
        };
        let block = Block::bordered()
            .border_set(theme.border(self.focused))
            .border_style(border);
        let inner = block.inner(area);
        block.render(area, buf);
        self.title(area, health, buf);
        let width = usize::from(inner.width);
        let mut lines = self.head(health, width);
        let room = usize::from(inner.height).saturating_sub(lines.len());
        if let Some(pass) = self.view.last_pass.as_deref() {
            self.rows(pass, room, width, &mut lines);
        }
        for (y, line) in (inner.top()..inner.bottom()).zip(&lines) {
            let row = Rect {
                y,
                height: 1,
                ..inner
            };
            put_line(buf, row, line, theme.ellipsis());
        }
    }
}

impl JobsPanel<'_> {
    /// " jobs · rescuing " in the top border; with the focus, "▸" and reverse video, and
    /// what the keys do in the bottom border.
    fn title(&self, area: Rect, health: Health, buf: &mut Buffer) {
        let theme = self.theme;
        let top = Rect {
            x: area.x + 1,
            width: area.width.saturating_sub(2),
            height: 1,
            ..area
        };
        let line = if self.focused {
            let text = format!(
                " {} jobs{}{} ",
                theme.marker(),
                theme.separator(),
                health.as_str()
            );
            Line::from(Span::styled(text, theme.selected()))
        } else {
            Line::from(vec![
                Span::styled(" jobs", Style::new().add_modifier(Modifier::BOLD)),
                Span::raw(theme.separator()),
                Span::styled(health.as_str(), health.style(theme)),
                Span::raw(" "),
            ])
        };
        put_line(buf, top, &line, theme.ellipsis());
        if !self.focused || area.height < 2 {
            return;
        }
        let keys = self.keys;
        let hint = if self.view.running {
            let pass = keys.hint(&[(&[Action::CheckNow], "pass now")]);
            let stop = keys.hint(&[(&[Action::ToggleJobs], "stop")]);
            format!(" {pass}{}{stop} ", theme.separator())
        } else {
            format!(" {} ", keys.hint(&[(&[Action::ToggleJobs], "start")]))
        };
        let width = format::width(&hint);
        if width + 2 <= usize::from(area.width) {
            let x = area.right() - 1 - u16::try_from(width).unwrap_or(0);
            put(
                buf,
                area,
                (x, area.bottom() - 1),
                &hint,
                width,
                theme.dim(),
                "",
            );
        }
    }

    /// Everything above the stuck rows, most important first.
    fn head(&self, health: Health, width: usize) -> Vec<Line<'static>> {
        let (view, theme) = (self.view, self.theme);
        let mut out = vec![Line::from(vec![
            heading("table ", theme),
            plain(view.table.clone()),
            Span::styled(
                format!("{}{}", theme.separator(), view.database),
                theme.dim(),
            ),
        ])];
        self.state(health, width, &mut out);
        self.counts(width, &mut out);
        for oldest in text::oldest(view) {
            let phase = oldest.phase.as_str();
            out.push(Line::from(vec![
                heading("oldest ", theme),
                plain(format!("{phase:<10} ")),
                text::oldest_age(&oldest, theme),
                Span::styled(
                    format!(" timeout {}", format::span(oldest.timeout)),
                    theme.dim(),
                ),
            ]));
        }
        match view.last_pass.as_deref() {
            Some(pass) => {
                out.push(Line::from(vec![
                    heading("last pass ", theme),
                    plain(format!(
                        "#{} {}",
                        pass.sequence,
                        text::pass_when(pass, self.now)
                    )),
                ]));
                let phrases = text::pass_phrases(pass);
                for line in phrases::flow(&phrases, theme.separator(), " ", width) {
                    out.push(Line::from(plain(line)));
                }
            }
            None => out.push(Line::from(heading("no pass yet", theme))),
        }
        let mut totals = text::totals_phrases(&view.totals).into_iter();
        if let Some(passes) = totals.next().filter(|_| view.totals.passes > 0) {
            out.push(Line::from(vec![
                heading("since start ", theme),
                plain(passes),
            ]));
        }
        let done: Vec<String> = totals.collect();
        for line in phrases::flow(&done, theme.separator(), " ", width) {
            out.push(Line::from(plain(line)));
        }
        out
    }

    /// What the monitor is doing beyond its title word, and when it looks again.
    fn state(&self, health: Health, width: usize, out: &mut Vec<Line<'static>>) {
        let (view, theme) = (self.view, self.theme);
        let said = match health {
            Health::Off => Some(match self.keys.keys_of(Action::ToggleJobs).next() {
                Some(key) => format!("stopped: {} starts it", key.label()),
                None => "stopped".to_string(),
            }),
            Health::Connecting => Some("connecting to the database".to_string()),
            Health::DryRun => Some("dry run: nothing is written".to_string()),
            Health::Watching => Some("another instance holds the table".to_string()),
            Health::Rescuing | Health::Failing => None,
        };
        if let Some(said) = said {
            out.push(Line::from(Span::styled(said, health.style(theme))));
        }
        if let Some(problem) = &view.problem {
            let failures = text::failures(problem.failures);
            let since = alert_text::age(format::age(self.now, problem.since));
            out.push(Line::from(Span::styled(
                format!("failing for {since}{}{failures}", theme.separator()),
                health.style(theme),
            )));
            let words: Vec<String> = problem.message.split(' ').map(str::to_string).collect();
            let mut message = phrases::flow(&words, " ", " ", width);
            if message.len() > MESSAGE_LINES {
                message.truncate(MESSAGE_LINES);
                if let Some(last) = message.last_mut() {
                    last.push_str(theme.ellipsis());
                }
            }
            for line in message {
                out.push(Line::from(Span::styled(line, theme.fail())));
            }
        }
        if let Some(next) = text::next(view, self.now) {
            out.push(Line::from(vec![
                plain(next),
                Span::styled(
                    format!("{}every {}", theme.separator(), format::span(view.interval)),
                    theme.dim(),
                ),
            ]));
        }
    }

    /// Rows per state: two columns on the panel's usual width, one on narrow ones.
    fn counts(&self, width: usize, out: &mut Vec<Line<'static>>) {
        let Some(census) = &self.view.census else {
            out.push(Line::from(heading("no counts yet", self.theme)));
            return;
        };
        let cells: Vec<String> = text::counts(census)
            .iter()
            .map(|(state, n)| format!("{state:<10}{n:>8}"))
            .collect();
        if width < PAIRS_MIN_WIDTH {
            out.extend(cells.into_iter().map(|cell| Line::from(plain(cell))));
            return;
        }
        // Active states on the left, finished ones on the right.
        let (left, right) = cells.split_at(3);
        for (i, cell) in left.iter().enumerate() {
            let other = right.get(i).map_or("", String::as_str);
            out.push(Line::from(plain(format!("{cell}  {other}"))));
        }
    }

    /// The stuck rows of the last pass under a header, in `room` lines: those that fit
    /// and "+N more". Only those rows are formatted.
    fn rows(&self, pass: &PassReport, room: usize, width: usize, out: &mut Vec<Line<'static>>) {
        let total = pass.actions.len();
        if total == 0 || room < 2 {
            return;
        }
        let theme = self.theme;
        let id_width = width.saturating_sub(ROW_FIXED).max(4);
        let what = if pass.dry_run { "would" } else { "did" };
        out.push(Line::from(Span::styled(
            format!(
                "{:<id_width$} {:<10} {:>6} {:>3} {what}",
                "row", "state", "age", "try"
            ),
            theme.dim(),
        )));
        let shown = if total < room { total } else { room - 2 };
        for action in &pass.actions[..shown] {
            out.push(Line::from(plain(row(action, id_width, theme))));
        }
        if shown < total {
            let more = total - shown;
            out.push(Line::from(Span::styled(
                format!("+{more} more"),
                theme.dim(),
            )));
        }
    }
}

/// "18342   claimed     7m40s   1 requeued".
fn row(action: &JobAction, id_width: usize, theme: &Theme) -> String {
    let id = fit(&action.row.id, id_width, theme);
    let attempts = action
        .row
        .attempts
        .map_or_else(|| "-".to_string(), |n| n.to_string());
    format!(
        "{id:<id_width$} {:<10} {:>6} {attempts:>3} {}",
        action.row.phase.as_str(),
        format::span(action.row.age),
        text::did(action),
    )
}
