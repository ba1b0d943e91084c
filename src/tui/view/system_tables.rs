//! The tables of the machine's detail view: thresholds crossed, filesystems with space
//! and inodes, interfaces with their rates, and the busiest processes.

use std::time::SystemTime;

use ratatui::text::{Line, Span};

use crate::contract::Resource;
use crate::tui::view::system_panel::fit;
use crate::tui::view::system_parts::{self as parts, heading, plain};
use crate::tui::view::system_text::{self as text, NA};
use crate::tui::view::theme::Theme;
use crate::view::machine::SystemView;

/// Lines for a column `width` cells wide, top to bottom; the caller cuts what does not fit.
pub fn tables(
    view: &SystemView,
    theme: &Theme,
    now: SystemTime,
    width: usize,
) -> Vec<Line<'static>> {
    let mut out = vec![Line::from(heading("thresholds", theme))];
    if view.rules.is_empty() {
        out.push(Line::from(plain(" none crossed")));
    }
    out.extend(view.rules.iter().map(|r| parts::rule_line(r, theme, now)));
    out.push(Line::from(heading(
        "filesystems          used  free  inodes",
        theme,
    )));
    if view.latest.filesystems.is_empty() {
        out.push(Line::from(plain(format!(" {NA}"))));
    }
    let mount_width = width.saturating_sub(24).clamp(4, 20);
    for fs in &view.latest.filesystems {
        let percent = match fs.percent() {
            Some(p) => parts::disk_percent(view, &fs.mount, p, theme),
            None => plain(format!("{NA:>4} ")),
        };
        let inodes = match fs.inodes.and_then(|i| i.percent()) {
            Some(p) => text::reading(
                text::percent(p),
                text::level(view, Resource::Inodes, Some(&fs.mount)),
                theme,
            ),
            None => plain(format!("{NA:>4} ")),
        };
        let mount = fit(&fs.mount, mount_width, theme);
        out.push(Line::from(vec![
            plain(format!(" {mount:<mount_width$}")),
            percent,
            plain(format!("{:>5}  ", text::bytes(fs.available))),
            inodes,
            Span::styled(format!(" {}", fs.kind), theme.dim()),
        ]));
    }
    out.push(Line::from(heading("network", theme)));
    if view.latest.networks.is_empty() {
        out.push(Line::from(plain(format!(" {NA}"))));
    }
    for net in &view.latest.networks {
        let name = fit(&net.name, 12, theme);
        out.push(Line::from(plain(format!(
            " {name:<12} {}",
            parts::rates(net.rates)
        ))));
    }
    out.push(Line::from(heading("top processes by cpu", theme)));
    match &view.latest.processes {
        None => out.push(Line::from(plain(" off: set [system] processes = true"))),
        Some(processes) => {
            for p in processes {
                out.push(Line::from(plain(format!(
                    " {:>5.0}% {:>5} {:>7} {}",
                    p.cpu,
                    text::bytes(p.memory),
                    p.pid,
                    p.name
                ))));
            }
        }
    }
    out
}
