//! One alert in full: severity, state and key; its summary and times; who acked it and
//! why; the silence it is under and how long is left; then its timeline beside the checks
//! that caused it (the service's recent failed checks).

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use crate::keymap::{Action, KeyMap};
use crate::tui::alerts::silence_target;
use crate::tui::view::alert_detail_remote as remote;
use crate::tui::view::alert_text::{self, age, left, when};
use crate::tui::view::detail::{check_line, section};
use crate::tui::view::facts;
use crate::tui::view::format::{self, put, put_line};
use crate::tui::view::system_parts::rule_line;
use crate::tui::view::theme::Theme;
use crate::view::alert::{AlertKind, AlertView};
use crate::view::machine::SystemView;
use crate::view::service::ServiceView;

/// From this width the timeline and the checks sit side by side.
const SIDE_BY_SIDE: u16 = 90;

/// "a ack  u un-ack  s silence  S end silence  j/k next alert" with the default keys.
fn hint(keys: &KeyMap) -> String {
    keys.hint(&[
        (&[Action::Ack], "ack"),
        (&[Action::Unack], "un-ack"),
        (&[Action::Silence], "silence"),
        (&[Action::Unsilence], "end silence"),
        (&[Action::Down, Action::Up], "next alert"),
    ])
}

/// "j/k next resolved alert  Esc back to the history" with the default keys.
fn hint_resolved(keys: &KeyMap) -> String {
    keys.hint(&[
        (&[Action::Down, Action::Up], "next resolved alert"),
        (&[Action::Back], "back to the history"),
    ])
}

/// The detail screen of one alert.
pub struct AlertDetail<'a> {
    pub alert: &'a AlertView,
    /// The service the alert is about, when its subject is one.
    pub service: Option<&'a ServiceView>,
    /// The machine, for alerts about its resources.
    pub system: Option<&'a SystemView>,
    /// The keys the hints name.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &AlertDetail<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = self.theme;
        let mut lines = vec![self.heading(area.width)];
        lines.push(Line::styled(
            self.alert.summary.clone(),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        lines.extend(self.facts().into_iter().map(Line::from));
        let hint = if self.alert.state.is_closed() {
            hint_resolved(self.keys)
        } else if self.alert.origin.is_some() {
            remote::hint(self.keys)
        } else {
            hint(self.keys)
        };
        lines.push(Line::styled(hint, theme.dim()));
        let top = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .min(area.height);
        for (y, line) in (area.top()..area.top() + top).zip(&lines) {
            put_line(
                buf,
                Rect {
                    y,
                    height: 1,
                    ..area
                },
                line,
                theme.ellipsis(),
            );
        }
        let rest = Rect {
            y: area.y + top,
            height: area.height - top,
            ..area
        };
        let (timeline_area, checks_area) = if rest.width >= SIDE_BY_SIDE {
            let half = rest.width / 2;
            (
                Rect {
                    width: half,
                    ..rest
                },
                Rect {
                    x: rest.x + half + 1,
                    width: rest.width - half - 1,
                    ..rest
                },
            )
        } else {
            // The timeline takes what it needs, up to half; the checks the rest.
            let needed = u16::try_from(self.alert.timeline.len() + 2).unwrap_or(u16::MAX);
            let upper = rest.height.div_ceil(2).min(needed);
            (
                Rect {
                    height: upper,
                    ..rest
                },
                Rect {
                    y: rest.y + upper,
                    height: rest.height - upper,
                    ..rest
                },
            )
        };
        let room = usize::from(timeline_area.height.saturating_sub(1));
        section(
            theme,
            " timeline ",
            &self.timeline(room),
            timeline_area,
            buf,
        );
        if let Some(origin) = &self.alert.origin {
            let lines = remote::labels(origin, theme);
            return section(theme, " labels ", &lines, checks_area, buf);
        }
        let title = match (self.service, self.alert.key.kind) {
            (None, AlertKind::CpuSpike | AlertKind::ResourceExhaustion) => {
                " the machine ".to_string()
            }
            _ => format!(" checks of {} ", self.alert.key.subject),
        };
        section(theme, &title, &self.checks(), checks_area, buf);
    }
}

impl AlertDetail<'_> {
    /// "! critical  firing ↯ flapping  service_down/billing  · edge"      "Esc back".
    fn heading(&self, width: u16) -> Line<'static> {
        let (alert, theme) = (self.alert, self.theme);
        let severity = theme.severity(alert.severity);
        let mut spans = vec![
            Span::styled(theme.alert_symbol(alert.state), severity),
            Span::styled(format!(" {}  ", alert.severity.as_str()), severity),
            Span::styled(
                alert.state.as_str(),
                theme.alert_text(alert.state).add_modifier(Modifier::BOLD),
            ),
        ];
        if alert.flapping {
            spans.push(Span::styled(
                format!(" {} flapping", theme.flap()),
                theme.warn(),
            ));
        }
        spans.push(Span::styled(
            format!("  {}", alert.key),
            Style::new().add_modifier(Modifier::BOLD),
        ));
        if let Some(group) = &alert.group {
            spans.push(Span::styled(
                format!("{}{group}", theme.separator()),
                theme.dim(),
            ));
        }
        let used = Line::from(spans.clone()).width();
        let hint = self.keys.hint(&[(&[Action::Back], "back")]);
        let hint_width = format::width(&hint);
        if !hint.is_empty() && usize::from(width) >= used + hint_width + 2 {
            let pad = usize::from(width) - used - hint_width;
            spans.push(Span::raw(" ".repeat(pad)));
            spans.push(Span::styled(hint, theme.dim()));
        }
        Line::from(spans)
    }

    /// Times, the ack, the silence and flapping, one line each.
    fn facts(&self) -> Vec<String> {
        let (alert, now, sep) = (self.alert, self.now, self.theme.separator());
        let mut times = format!("started {}", when(alert.started, now));
        if let Some(fired) = alert.fired {
            times.push_str(&format!("{sep}fired {}", format::clock(fired)));
        }
        if let Some(resolved) = alert.resolved {
            let word = match &alert.ended {
                Some(why) => format!("ended ({why})"),
                None => "resolved".to_string(),
            };
            times.push_str(&format!("{sep}{word} {}", when(resolved, now)));
            if let Some(d) = alert_text::lasted(alert) {
                times.push_str(&format!(", lasted {}", age(d)));
            }
        }
        let mut out = vec![times];
        if let Some(ack) = &alert.ack {
            let note = ack
                .note
                .as_deref()
                .map(|n| format!(": {n}"))
                .unwrap_or_default();
            out.push(format!(
                "acked by {} at {}{note}",
                ack.by,
                when(ack.at, now)
            ));
        }
        if let Some(silence) = &alert.silence {
            let comment = silence.comment.as_deref();
            let comment = comment.map(|c| format!("{sep}{c}")).unwrap_or_default();
            out.push(format!(
                "silenced by {} until {} ({}): {}{comment}",
                silence.by,
                format::clock(silence.until),
                left(silence.until, now),
                silence_target(&silence.target),
            ));
        }
        if alert.flapping && !alert.state.is_closed() {
            out.push(
                "flapping: it changes state often; one incident, held open until it settles".into(),
            );
        }
        if let Some(origin) = &alert.origin {
            out.extend(remote::facts(origin, self.theme, now));
        }
        out
    }

    /// The newest `room` transitions, oldest first.
    fn timeline(&self, room: usize) -> Vec<Line<'static>> {
        let entries = &self.alert.timeline;
        let skip = entries.len().saturating_sub(room);
        entries
            .iter()
            .skip(skip)
            .map(|entry| {
                Line::from(vec![
                    Span::styled(format::clock(entry.at), self.theme.dim()),
                    Span::raw(format!("  {}", entry.what)),
                ])
            })
            .collect()
    }

    /// The service's state and its recent failed checks, newest first; or where to look
    /// when the subject is not a service.
    fn checks(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let Some(view) = self.service else {
            let text = match self.alert.key.kind {
                AlertKind::CpuSpike | AlertKind::ResourceExhaustion => {
                    return self.machine();
                }
                AlertKind::StuckJobs | AlertKind::DatabaseIssue => "from the job monitor",
                _ => "no service by this name in the config",
            };
            return vec![Line::styled(text, theme.dim())];
        };
        let mut state = format!(
            "{} {} {}",
            theme.symbol(view.state),
            view.config.name,
            view.state.as_str()
        );
        if let Some(failure) = facts::failure(view, theme) {
            state.push_str(&format!("{}{failure}", theme.separator()));
        }
        let mut out = vec![Line::styled(state, theme.state(view.state))];
        let failed: Vec<Line<'static>> = view
            .recent
            .iter()
            .rev()
            .filter(|check| !check.outcome.is_pass())
            .map(|check| check_line(check, theme))
            .collect();
        if failed.is_empty() {
            let text = format!("no failed check in the last {}", view.recent.len());
            out.push(Line::styled(text, theme.dim()));
        }
        out.extend(failed);
        out
    }
}

impl AlertDetail<'_> {
    /// The machine's thresholds about this subject (cpu, memory, a mount), as its panel
    /// shows them.
    fn machine(&self) -> Vec<Line<'static>> {
        let theme = self.theme;
        let subject = self.alert.key.subject.as_str();
        let mut out: Vec<Line<'static>> = self
            .system
            .map(|view| view.rules.as_slice())
            .unwrap_or_default()
            .iter()
            .filter(|rule| rule.subject.as_deref().unwrap_or(rule.resource.as_str()) == subject)
            .map(|rule| rule_line(rule, theme, self.now))
            .collect();
        if out.is_empty() {
            let text = format!("{subject} is under its threshold now");
            out.push(Line::styled(text, theme.dim()));
        }
        let text = self
            .keys
            .hint(&[(&[Action::OpenSystem], "shows the machine in detail")]);
        if !text.is_empty() {
            out.push(Line::styled(text, theme.dim()));
        }
        out
    }
}

/// Draws the "not found" case: the alert left both lists (history pruned).
pub fn gone(area: Rect, buf: &mut Buffer, theme: &Theme, keys: &KeyMap) {
    let text = format!(
        "this alert is no longer kept{}",
        keys.aside(Action::Back, " back")
    );
    put(
        buf,
        area,
        (area.x, area.y),
        &text,
        usize::MAX,
        theme.dim(),
        theme.ellipsis(),
    );
}
