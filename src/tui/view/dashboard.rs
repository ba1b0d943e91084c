//! The dashboard: the page of services that holds the selection, as a grid of cards under
//! group rules, or as one line per service on small screens. Only that page is drawn.

use std::time::SystemTime;

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use crate::tui::view::alert_marks::alert_marks;
use crate::tui::view::card::ServiceCard;
use crate::tui::view::format::{self, put};
use crate::tui::view::layout::{Density, Grid, card_height, column_span};
use crate::tui::view::line_item::ServiceLine;
use crate::tui::view::theme::Theme;
use crate::view::check::ServiceId;
use crate::view::service::ServiceView;
use crate::view::snapshot::Snapshot;

/// The services in screen order and which one is selected.
pub struct Dashboard<'a> {
    pub snapshot: &'a Snapshot,
    /// From `UiState::visible`: filtered, grouped, in screen order.
    pub visible: &'a [ServiceId],
    pub selected: Option<ServiceId>,
    /// The active filter, quoted when nothing matches it.
    pub filter: &'a str,
    /// " (Esc clears the filter)", said when nothing matches it.
    pub clears: String,
    pub theme: &'a Theme,
    pub now: SystemTime,
}

impl Widget for &Dashboard<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let area = area.intersection(buf.area);
        if area.is_empty() {
            return;
        }
        if self.snapshot.services.is_empty() {
            let dash = self.theme.dash();
            let text = format!("no services configured {dash} see config.example.toml");
            return message(&text, area, buf);
        }
        if self.visible.is_empty() {
            let text = format!("no service matches \"{}\"{}", self.filter, self.clears);
            return message(&text, area, buf);
        }
        // Nothing highlighted without a selection: what is shown selected is only ever
        // what the keys act on.
        let selected = self
            .selected
            .and_then(|id| self.visible.iter().position(|v| *v == id));
        let grid = Grid::for_area(area);
        let grouped = self.visible.iter().any(|id| {
            let service = self.snapshot.services.get(*id);
            service.is_some_and(|s| s.config.group.is_some())
        });
        match grid.density {
            Density::Lines => self.lines(area, selected, grouped, buf),
            Density::Compact | Density::Tall => self.cards(area, grid, selected, grouped, buf),
        }
    }
}

impl Dashboard<'_> {
    fn view(&self, index: usize) -> Option<&ServiceView> {
        let id = self.visible.get(index)?;
        self.snapshot.services.get(*id).map(AsRef::as_ref)
    }

    fn group(&self, index: usize) -> Option<&str> {
        self.view(index)?.config.group.as_deref()
    }

    /// The header above `index` on a page starting at `page_start`: the group's name where
    /// a group begins, and again at the top of a page so it never starts without context.
    /// Ungrouped services get a header only when other services have groups.
    fn header(&self, index: usize, page_start: usize, grouped: bool) -> Option<&str> {
        let group = self.group(index);
        let continues = index > page_start && self.group(index - 1) == group;
        match group {
            _ if continues => None,
            Some(name) => Some(name),
            None => grouped.then_some("ungrouped"),
        }
    }

    fn cards(
        &self,
        area: Rect,
        grid: Grid,
        selected: Option<usize>,
        grouped: bool,
        buf: &mut Buffer,
    ) {
        let density = grid.density;
        let row_height = 1 + card_height(density);
        let start = grid.page_start(selected.unwrap_or(0));
        let marks = alert_marks(self.snapshot, self.visible, start..start + grid.page());
        for row in 0..grid.rows {
            let y = area.y + u16::try_from(row).unwrap_or(0) * row_height;
            let mut rule_running = false;
            for column in 0..grid.columns {
                let index = start + row * grid.columns + column;
                let Some(view) = self.view(index) else {
                    break;
                };
                let (dx, width) = column_span(area.width, grid.columns, column);
                let slot = Rect::new(area.x + dx, y, width, 1);
                if let Some(label) = self.header(index, start, grouped) {
                    self.rule(slot, Some(label), buf);
                    rule_running = true;
                } else if rule_running {
                    self.rule(slot, None, buf);
                }
                let card = ServiceCard {
                    view,
                    selected: Some(index) == selected,
                    density,
                    alert: marks.get(view.config.name.as_str()).copied(),
                    theme: self.theme,
                    now: self.now,
                };
                let card_area = Rect::new(slot.x, y + 1, width, card_height(density));
                (&card).render(card_area.intersection(area), buf);
            }
        }
        let total = self.visible.len();
        if total > grid.page() {
            let end = (start + grid.page()).min(total);
            let range = format!(" {}-{} of {} ", start + 1, end, total);
            let width = u16::try_from(range.len()).unwrap_or(0);
            let x = area.right().saturating_sub(width).max(area.x);
            put(
                buf,
                area,
                (x, area.y),
                &range,
                usize::from(width),
                self.theme.dim(),
                "",
            );
        }
    }

    /// "─ edge ──────" over a column where a group starts; a bare rule where it continues.
    fn rule(&self, slot: Rect, label: Option<&str>, buf: &mut Buffer) {
        let theme = self.theme;
        let slot = slot.intersection(buf.area);
        for x in slot.left()..slot.right() {
            buf[(x, slot.y)]
                .set_symbol(theme.rule())
                .set_style(theme.dim());
        }
        if let Some(label) = label {
            let name = format!(" {label} ");
            let at = (slot.x.saturating_add(1), slot.y);
            let bold = Style::new().add_modifier(Modifier::BOLD);
            let room = usize::from(slot.width.saturating_sub(2));
            put(buf, slot, at, &name, room, bold, theme.ellipsis());
        }
    }

    /// One line per service under group headers. Pages are filled greedily from the top,
    /// so they stay put while the selection moves within one; a header never ends a page.
    fn lines(&self, area: Rect, selected: Option<usize>, grouped: bool, buf: &mut Buffer) {
        let height = usize::from(area.height);
        let mut start = 0;
        let mut end = self.page_end(start, height, grouped);
        while end <= selected.unwrap_or(0) && end < self.visible.len() {
            start = end;
            end = self.page_end(start, height, grouped);
        }
        let marks = alert_marks(self.snapshot, self.visible, start..end);
        let mut rows = (area.top()..area.bottom()).map(|y| Rect::new(area.x, y, area.width, 1));
        for index in start..end {
            // On a one-line screen the service itself wins over its header.
            let header = self
                .header(index, start, grouped)
                .filter(|_| rows.len() >= 2);
            if let Some(label) = header
                && let Some(row) = rows.next()
            {
                self.rule(row, Some(label), buf);
            }
            let (Some(row), Some(view)) = (rows.next(), self.view(index)) else {
                break;
            };
            let item = ServiceLine {
                view,
                selected: Some(index) == selected,
                alert: marks.get(view.config.name.as_str()).copied(),
                theme: self.theme,
            };
            (&item).render(row, buf);
        }
    }

    /// One past the last service on the page that starts at `start`; at least one more.
    fn page_end(&self, start: usize, height: usize, grouped: bool) -> usize {
        let mut used = 0;
        let mut index = start;
        while index < self.visible.len() {
            let need = 1 + usize::from(self.header(index, start, grouped).is_some());
            if used + need > height {
                break;
            }
            used += need;
            index += 1;
        }
        index.max(start + 1)
    }
}

/// A centred, wrapped sentence for the empty cases.
fn message(text: &str, area: Rect, buf: &mut Buffer) {
    let paragraph = Paragraph::new(Line::from(text))
        .alignment(Alignment::Center)
        .wrap(Wrap { trim: true });
    // Word wrapping may add a line; the estimate only centres the text.
    let cells = format::width(text).div_ceil(usize::from(area.width.max(1)));
    let lines = u16::try_from(cells).unwrap_or(area.height);
    let y = area.y + area.height.saturating_sub(lines) / 2;
    let middle = Rect::new(area.x, y, area.width, area.bottom() - y);
    paragraph.render(middle, buf);
}
