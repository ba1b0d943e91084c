//! The machine beside the services (wide screens): a bordered box with the thresholds
//! that are crossed, CPU with its history and per-core bars, load, memory, swap, every
//! real filesystem, network rates and, when enabled, the busiest processes. What does
//! not fit at the bottom is left out; the detail view (`M`) has everything.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Block, Widget};

use crate::contract::Resource;
use crate::keymap::{Action, KeyMap};
use crate::tui::view::format::{put, put_line};
use crate::tui::view::system_chart::spark_line;
use crate::tui::view::system_parts::{self as parts, heading, line, plain};
use crate::tui::view::system_text::{self as text, NA};
use crate::tui::view::theme::Theme;
use crate::view::machine::SystemView;

/// Per-core bars shown in the panel at most; more are in the detail view.
const MAX_CORES: usize = 16;

/// The side panel.
pub struct SystemPanel<'a> {
    pub view: &'a SystemView,
    /// The keys the hints name.
    pub keys: &'a KeyMap,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &SystemPanel<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        let theme = self.theme;
        let border = if self.view.exceeded() {
            theme.fail()
        } else {
            theme.dim()
        };
        let block = Block::bordered()
            .border_set(theme.border(false))
            .border_style(border);
        let inner = block.inner(area);
        block.render(area, buf);
        let title = format!(" {} ", parts::title(self.view, theme));
        let bold = Style::new().add_modifier(Modifier::BOLD);
        let room = usize::from(area.width.saturating_sub(4));
        put(
            buf,
            area,
            (area.x + 1, area.y),
            &title,
            room,
            bold,
            theme.ellipsis(),
        );
        let lines = self.lines(usize::from(inner.width));
        for (row, line) in (inner.top()..inner.bottom()).zip(&lines) {
            put_line(
                buf,
                Rect {
                    y: row,
                    height: 1,
                    ..inner
                },
                line,
                theme.ellipsis(),
            );
        }
    }
}

impl SystemPanel<'_> {
    fn lines(&self, width: usize) -> Vec<Line<'static>> {
        let (view, theme) = (self.view, self.theme);
        let latest = &view.latest;
        let mut out = Vec::new();
        for rule in &view.rules {
            out.push(parts::rule_line(rule, theme, self.now));
        }
        if !view.rules.is_empty() {
            out.push(Line::default());
        }
        let spark_width = width.saturating_sub(10);
        let spark = spark_line(&parts::cpu_history(view), spark_width, 100.0, theme);
        out.push(line(vec![
            heading("cpu ", theme),
            parts::cpu(view, theme),
            plain(format!(" {spark}")),
        ]));
        self.cores(width, &mut out);
        let mut load = vec![heading("load ", theme), parts::load(view, theme)];
        if let Some(cores) = parts::cores(view) {
            load.push(plain(format!("  {cores}")));
        }
        out.push(line(load));
        for (word, usage, resource) in [
            ("mem  ", latest.memory, Resource::Memory),
            ("swap ", latest.swap, Resource::Swap),
        ] {
            let mut spans = vec![heading(word, theme)];
            spans.extend(parts::usage(usage, resource, view, theme));
            if let Some(percent) = usage.and_then(|u| u.percent()) {
                let bar_width = width.saturating_sub(23);
                spans.push(plain(format!(" {}", text::bar(percent, bar_width, theme))));
            }
            out.push(line(spans));
        }
        self.disks(width, &mut out);
        self.networks(width, &mut out);
        if let Some(processes) = &latest.processes {
            out.push(line(vec![heading("top cpu", theme)]));
            for p in processes {
                out.push(line(vec![plain(format!(
                    "{:>5.0}% {:>5} {:>7} {}",
                    p.cpu,
                    text::bytes(p.memory),
                    p.pid,
                    p.name
                ))]));
            }
        }
        out
    }

    /// Two bars a line: " 0 ███████▌    87%  1 ████████▍   94%".
    fn cores(&self, width: usize, out: &mut Vec<Line<'static>>) {
        let Some(cpu) = &self.view.latest.cpu else {
            return;
        };
        let half = width / 2;
        let bar_width = half.saturating_sub(9);
        let shown = cpu.per_core.len().min(MAX_CORES);
        for pair in cpu.per_core[..shown].chunks(2).enumerate() {
            let (row, values) = pair;
            let mut spans = Vec::new();
            for (i, value) in values.iter().enumerate() {
                let core = row * 2 + i;
                let bar = text::bar(f64::from(*value), bar_width, self.theme);
                let cell = format!("{core:>2} {bar} {}", text::percent(f64::from(*value)));
                spans.push(plain(format!("{cell:<half$}")));
            }
            out.push(line(spans));
        }
        if cpu.per_core.len() > shown {
            let more = cpu.per_core.len() - shown;
            let detail = self.keys.aside(Action::OpenSystem, ": detail");
            out.push(line(vec![plain(format!(" +{more} cores{detail}"))]));
        }
    }

    /// " /var/lib/postgresql  93%!  28G free".
    fn disks(&self, width: usize, out: &mut Vec<Line<'static>>) {
        let (view, theme) = (self.view, self.theme);
        if view.latest.filesystems.is_empty() {
            out.push(line(vec![heading("disk ", theme), plain(NA)]));
            return;
        }
        out.push(line(vec![heading("disk", theme)]));
        let mount_width = width.saturating_sub(17);
        for fs in &view.latest.filesystems {
            let mount = fit(&fs.mount, mount_width, theme);
            let percent = match fs.percent() {
                Some(p) => parts::disk_percent(view, &fs.mount, p, theme),
                None => plain(format!("{NA:>4} ")),
            };
            out.push(line(vec![
                plain(format!(" {mount:<mount_width$}")),
                percent,
                plain(format!(" {:>5} free", text::bytes(fs.available))),
            ]));
        }
    }

    /// " eth0  rx  478K/s tx  120K/s".
    fn networks(&self, width: usize, out: &mut Vec<Line<'static>>) {
        let theme = self.theme;
        let networks = &self.view.latest.networks;
        if networks.is_empty() {
            out.push(line(vec![heading("net  ", theme), plain(NA)]));
            return;
        }
        out.push(line(vec![heading("net", theme)]));
        let name_width = width.saturating_sub(22).max(4);
        for net in networks {
            let name = fit(&net.name, name_width, theme);
            out.push(line(vec![plain(format!(
                " {name:<name_width$}{}",
                parts::rates(net.rates)
            ))]));
        }
    }
}

/// The rows the panel needs to show everything, borders included: one line per entry
/// of `SystemPanel::lines`, counted without building them.
pub fn wanted_height(view: &SystemView) -> u16 {
    let latest = &view.latest;
    let rules = view.rules.len() + usize::from(!view.rules.is_empty());
    let cores = latest.cpu.as_ref().map_or(0, |cpu| {
        let shown = cpu.per_core.len().min(MAX_CORES);
        shown.div_ceil(2) + usize::from(cpu.per_core.len() > shown)
    });
    // A heading over the disks and the interfaces (or one "n/a" line for either).
    let disks = latest.filesystems.len() + 1;
    let networks = latest.networks.len() + 1;
    let processes = latest.processes.as_ref().map_or(0, |p| p.len() + 1);
    // cpu, load, memory and swap take a line each.
    let lines = rules + 4 + cores + disks + networks + processes;
    u16::try_from(lines + 2).unwrap_or(u16::MAX)
}

/// `text` cut to `width` characters with the theme's ellipsis.
pub fn fit(text: &str, width: usize, theme: &Theme) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push_str(theme.ellipsis());
    cut
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_system::{bare_system_view, sample_system_view};
    use crate::test_support::at;

    #[test]
    fn the_wanted_height_counts_every_line() {
        let theme = Theme {
            color: false,
            ascii: false,
        };
        for view in [sample_system_view(at(0)), bare_system_view(at(0))] {
            let keys = KeyMap::default();
            let panel = SystemPanel {
                view: &view,
                keys: &keys,
                theme: &theme,
                now: at(0),
            };
            let lines = panel.lines(38).len();
            assert_eq!(usize::from(wanted_height(&view)), lines + 2);
        }
    }
}
