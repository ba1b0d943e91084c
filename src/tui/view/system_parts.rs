//! Pieces of text about the machine shared by the side panel, the strip under the
//! services and the detail view: each reading with its threshold mark, or "n/a".

use std::time::SystemTime;

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::contract::Resource;
use crate::tui::view::format;
use crate::tui::view::system_text::{self as text, NA, level, reading};
use crate::tui::view::theme::Theme;
use crate::view::machine::Level;
use crate::view::machine::{RuleView, SystemView};
use crate::view::machine_sample::Usage;

/// "db-primary-1 · up 12d 3h", or what is known of it.
pub fn title(view: &SystemView, theme: &Theme) -> String {
    let host = view.latest.hostname.as_deref().unwrap_or("this machine");
    match view.latest.uptime {
        Some(up) => format!("{host}{}up {}", theme.separator(), text::uptime(up)),
        None => host.to_string(),
    }
}

/// " 97%!" for total CPU, "n/a" before it can be measured.
pub fn cpu(view: &SystemView, theme: &Theme) -> Span<'static> {
    match &view.latest.cpu {
        Some(cpu) => reading(
            text::percent(f64::from(cpu.total)),
            level(view, Resource::Cpu, None),
            theme,
        ),
        None => Span::raw(format!("{NA:>4} ")),
    }
}

/// The CPU history over the window, for sparklines and charts.
pub fn cpu_history(view: &SystemView) -> Vec<Option<f32>> {
    view.history.iter().map(|p| p.cpu).collect()
}

/// "2.41 1.87 1.12" with the load mark, or "n/a".
pub fn load(view: &SystemView, theme: &Theme) -> Span<'static> {
    match view.latest.load {
        Some(l) => reading(
            format!(
                "{} {} {}",
                text::load(l.one),
                text::load(l.five),
                text::load(l.fifteen)
            ),
            level(view, Resource::Load, None),
            theme,
        ),
        None => Span::raw(NA),
    }
}

/// "4 cores", "1 core", or nothing when unknown.
pub fn cores(view: &SystemView) -> Option<String> {
    match view.latest.cores {
        0 => None,
        1 => Some("1 core".to_string()),
        n => Some(format!("{n} cores")),
    }
}

/// " 68%  10G/ 16G" for memory or swap; `None` as "n/a" (no swap is not 0 %).
pub fn usage(
    usage: Option<Usage>,
    resource: Resource,
    view: &SystemView,
    theme: &Theme,
) -> Vec<Span<'static>> {
    let Some(usage) = usage else {
        return vec![Span::raw(format!("{NA:>4} "))];
    };
    let Some(percent) = usage.percent() else {
        return vec![Span::raw(format!("{NA:>4} "))];
    };
    vec![
        reading(text::percent(percent), level(view, resource, None), theme),
        Span::raw(format!(
            " {:>5}/{:<5}",
            text::bytes(usage.used),
            text::bytes(usage.total)
        )),
    ]
}

/// " 68% 11G/16G": `usage` without padding, for the strip where room is short.
pub fn usage_short(
    usage: Option<Usage>,
    resource: Resource,
    view: &SystemView,
    theme: &Theme,
) -> Vec<Span<'static>> {
    match usage.and_then(|u| u.percent().map(|p| (u, p))) {
        Some((u, percent)) => vec![
            reading(text::percent(percent), level(view, resource, None), theme),
            Span::raw(format!("{}/{}", text::bytes(u.used), text::bytes(u.total))),
        ],
        None => vec![Span::raw(format!("{NA:>4} "))],
    }
}

/// The filesystem fullest for its threshold: what a one-line summary shows.
pub fn fullest_disk(view: &SystemView) -> Option<(&str, f64)> {
    view.latest
        .filesystems
        .iter()
        .filter_map(|fs| fs.percent().map(|p| (fs.mount.as_str(), p)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// A disk's percentage with its mark: " 93%!".
pub fn disk_percent(view: &SystemView, mount: &str, percent: f64, theme: &Theme) -> Span<'static> {
    let level = level(view, Resource::Disk, Some(mount));
    reading(text::percent(percent), level, theme)
}

/// "rx 478K/s tx 120K/s" for an interface, "rx n/a" before its second sample.
pub fn rates(rates: Option<crate::view::machine_sample::Rates>) -> String {
    match rates {
        Some(r) => format!("rx {:>7} tx {:>7}", text::rate(r.rx), text::rate(r.tx)),
        None => format!("rx {NA:>7} tx {NA:>7}"),
    }
}

/// "! disk /var/lib/postgresql 93% > 90% for 1m", "+ cpu 97% > 90%, 40s of 2m", or,
/// exceeded and back under the line but not yet at its clear line,
/// "! cpu 88% for 3m, clears at 85%".
pub fn rule_line(rule: &RuleView, theme: &Theme, now: SystemTime) -> Line<'static> {
    let figure = |n: f64| {
        if rule.resource.is_percent() {
            format!("{n:.0}%")
        } else {
            format!("{n:.2}/core")
        }
    };
    let exceeded = matches!(rule.level, Level::Exceeded { .. });
    let (value, clears) = if exceeded && rule.value <= rule.threshold.above {
        let clears = format!(", clears at {}", figure(rule.threshold.clear_below));
        (figure(rule.value), clears)
    } else {
        let value = format!("{} > {}", figure(rule.value), figure(rule.threshold.above));
        (value, String::new())
    };
    let subject = rule
        .subject
        .as_deref()
        .map_or(String::new(), |s| format!(" {s}"));
    let hold = format::span(rule.threshold.hold);
    let when = match rule.level {
        Level::Pending { since } => {
            format!(", {} of {hold}", format::span(format::age(now, since)))
        }
        Level::Exceeded { since } => {
            format!(" for {}", format::span(format::age(now, since)))
        }
        Level::Clear => String::new(),
    };
    let head = format!(
        "{} {}{subject}",
        text::mark(rule.level),
        rule.resource.as_str()
    );
    Line::from(vec![
        Span::styled(head, text::style(rule.level, theme)),
        Span::raw(format!(" {value}{when}{clears}")),
    ])
}

/// A section heading inside the machine's views.
pub fn heading(word: &'static str, theme: &Theme) -> Span<'static> {
    Span::styled(word, theme.dim())
}

/// A line from spans, for the views' line lists.
pub fn line(spans: Vec<Span<'static>>) -> Line<'static> {
    Line::from(spans)
}

/// Plain text in the default style.
pub fn plain(text: impl Into<String>) -> Span<'static> {
    Span::styled(text.into(), Style::new())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SystemThresholds;
    use crate::test_support::at;

    fn shown(value: f64, level: Level, resource: Resource) -> String {
        let threshold = match resource {
            Resource::Load => SystemThresholds::BUILTIN.load,
            _ => SystemThresholds::BUILTIN.cpu,
        };
        let rule = RuleView {
            resource,
            subject: None,
            value,
            threshold: threshold.expect("a builtin threshold"),
            level,
        };
        let theme = Theme {
            color: false,
            ascii: true,
        };
        let line = rule_line(&rule, &theme, at(200));
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn an_exceeded_threshold_under_its_line_says_where_it_clears() {
        let exceeded = Level::Exceeded { since: at(20) };
        let pending = Level::Pending { since: at(160) };
        let cases = [
            (95.0, exceeded, Resource::Cpu, "! cpu 95% > 90% for 3m"),
            (
                88.0,
                exceeded,
                Resource::Cpu,
                "! cpu 88% for 3m, clears at 85%",
            ),
            (95.0, pending, Resource::Cpu, "+ cpu 95% > 90%, 40s of 2m"),
            (
                1.9,
                exceeded,
                Resource::Load,
                "! load 1.90/core for 3m, clears at 1.80/core",
            ),
        ];
        for (value, level, resource, want) in cases {
            assert_eq!(shown(value, level, resource), want);
        }
    }
}
