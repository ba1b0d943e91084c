//! One service in full: heading, figures, the response-time chart, the last checks with
//! their reasons, and the check's configuration.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Widget};

use crate::keymap::{Action, KeyMap};
use crate::kinds::Outcome;
use crate::kinds::query;
use crate::tui::view::chart::ResponseChart;
use crate::tui::view::format::{self, put};
use crate::tui::view::theme::Theme;
use crate::tui::view::value_chart::ValueChart;
use crate::tui::view::{check_info, facts, query_facts};
use crate::view::check::CheckResult;
use crate::view::service::ServiceView;

/// From this many spare lines the chart is drawn.
const CHART_MIN_ROOM: u16 = 14;
/// From this width the last checks and the config sit side by side.
const SIDE_BY_SIDE: u16 = 70;

/// The detail screen of one service.
pub struct DetailView<'a> {
    pub view: &'a ServiceView,
    /// The keys the hint names.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &DetailView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let (view, theme) = (self.view, self.theme);
        let mut y = area.y;
        let mut next_row = || {
            let row = Rect::new(area.x, y, area.width, u16::from(y < area.bottom()));
            y = y.saturating_add(1).min(area.bottom());
            row
        };
        self.heading(next_row(), buf);
        let stats = next_row();
        let stats_text = match view.config.check.value_card() {
            Some(value) => format!(
                "{} {}  {}  uptime {}  {}",
                value.label,
                query_facts::last_value(view, &value),
                value.context,
                format::uptime(view.stats.uptime),
                facts::checks(view.stats.checks)
            ),
            None => format!(
                "last {}  p50 {}  p95 {}  uptime {}  {}",
                facts::last_figure(view),
                facts::optional(view.stats.p50),
                facts::optional(view.stats.p95),
                format::uptime(view.stats.uptime),
                facts::checks(view.stats.checks)
            ),
        };
        put(
            buf,
            stats,
            (stats.x, stats.y),
            &stats_text,
            usize::MAX,
            Style::new(),
            theme.ellipsis(),
        );
        if let Some(reason) = facts::failure(view, theme) {
            let row = next_row();
            put(
                buf,
                row,
                (row.x, row.y),
                &reason,
                usize::MAX,
                theme.fail(),
                theme.ellipsis(),
            );
        }
        let rest = Rect::new(area.x, y, area.width, area.bottom() - y);
        let chart_height = if rest.height >= CHART_MIN_ROOM {
            rest.height / 2
        } else {
            0
        };
        let chart_area = Rect {
            height: chart_height,
            ..rest
        };
        match view.config.check.value_card() {
            Some(value) => {
                let chart = ValueChart {
                    samples: &view.samples,
                    facts: &value,
                    theme,
                    now: self.now,
                };
                (&chart).render(chart_area, buf);
            }
            None => {
                let chart = ResponseChart {
                    samples: &view.samples,
                    theme,
                    now: self.now,
                };
                (&chart).render(chart_area, buf);
            }
        }
        let bottom = Rect {
            y: rest.y + chart_height,
            height: rest.height - chart_height,
            ..rest
        };
        let (checks, config) = if bottom.width >= SIDE_BY_SIDE {
            let left = bottom.width * 45 / 100;
            let right = Rect {
                x: bottom.x + left + 1,
                width: bottom.width - left - 1,
                ..bottom
            };
            (
                Rect {
                    width: left,
                    ..bottom
                },
                right,
            )
        } else {
            let upper = bottom.height.div_ceil(2);
            let lower = Rect {
                y: bottom.y + upper,
                height: bottom.height - upper,
                ..bottom
            };
            (
                Rect {
                    height: upper,
                    ..bottom
                },
                lower,
            )
        };
        section(theme, " last checks ", &self.checks(), checks, buf);
        let info = check_info::lines(&view.config, view.certificate.as_deref(), self.now, theme);
        section(theme, " check ", &info, config, buf);
    }
}

impl DetailView<'_> {
    /// "● gateway  UP  edge · high" on the left, "Esc back" on the right.
    fn heading(&self, row: Rect, buf: &mut Buffer) {
        let (view, theme) = (self.view, self.theme);
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let group = view.config.group.as_deref().unwrap_or("no group");
        let line = Line::from(vec![
            Span::styled(theme.symbol(view.state), theme.state(view.state)),
            Span::styled(format!(" {}  ", view.config.name), bold),
            Span::styled(
                view.state.as_str(),
                theme.state(view.state).add_modifier(Modifier::BOLD),
            ),
            Span::styled(
                format!(
                    "  {group}{}{}",
                    theme.separator(),
                    view.config.severity.as_str()
                ),
                theme.dim(),
            ),
        ]);
        buf.set_line(row.x, row.y, &line, row.width);
        let hint = self.keys.hint(&[(&[Action::Back], "back")]);
        let hint_len = format::width(&hint);
        let hint_width = u16::try_from(hint_len).unwrap_or(0);
        if !hint.is_empty() && usize::from(row.width) >= line.width() + hint_len + 2 {
            put(
                buf,
                row,
                (row.right() - hint_width, row.y),
                &hint,
                hint_len,
                theme.dim(),
                "",
            );
        }
    }

    /// Newest first: "22:13:20   43ms  200  ok" or "... 5.0s    -  timeout after 5s".
    /// A query's (or target's) checks show the value read: "22:13:20   3ms  200  97.3%".
    fn checks(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let recent = self.view.recent.iter().rev();
        match self.view.config.check.value_card() {
            Some(facts) => recent
                .map(|check| {
                    let value = check.reading.and_then(|reading| reading.value);
                    let passed =
                        value.map_or("ok".to_string(), |value| query::show(value, facts.unit));
                    check_line_saying(check, passed, theme)
                })
                .collect(),
            None => recent.map(|check| check_line(check, theme)).collect(),
        }
    }
}

/// One check as the detail views list it: time, response time, status, verdict.
pub fn check_line(check: &CheckResult, theme: &Theme) -> Line<'static> {
    check_line_saying(check, "ok".to_string(), theme)
}

/// [`check_line`] with `passed` as the verdict of a passing check.
fn check_line_saying(check: &CheckResult, passed: String, theme: &Theme) -> Line<'static> {
    let status = check
        .outcome
        .status()
        .map_or("-".to_string(), |s| s.to_string());
    let (verdict, style) = match &check.outcome {
        Outcome::Pass { .. } => (passed, Style::new()),
        Outcome::Fail { reason, .. } => (format!("{} {reason}", theme.fail_mark()), theme.fail()),
    };
    let time = format::clock(check.at);
    let latency = format::latency(check.latency);
    Line::styled(
        format!("{time}  {latency:>5}  {status:>3}  {verdict}"),
        style,
    )
}

/// A titled section under a rule, its lines cut to fit; shared with the alert detail.
pub fn section(theme: &Theme, title: &str, lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let block = Block::new()
        .borders(Borders::TOP)
        .border_set(theme.border(false))
        .border_style(theme.dim())
        .title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    for (y, line) in (inner.top()..inner.bottom()).zip(lines) {
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        format::put_line(buf, row, line, theme.ellipsis());
    }
}
