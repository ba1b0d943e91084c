//! The dashboard's shape at a given size: one-line rows or a grid of cards, and which
//! page of it holds the selection. Pure arithmetic, shared with the key handler.

use ratatui::layout::Rect;

/// Narrowest card; 80 columns hold two, 160 hold four.
pub const CARD_MIN_WIDTH: u16 = 38;
/// Below this many rows (above the status bar) cards give way to one line per service.
const CARDS_MIN_HEIGHT: u16 = 14;
/// From this many rows up, cards have room for p50/p95 and a status line.
const TALL_MIN_HEIGHT: u16 = 30;
/// A compact card: border, stats-or-reason, sparkline, border.
const COMPACT_CARD_HEIGHT: u16 = 4;
/// A tall card: border, last + uptime, p50 + p95, sparkline, status, border.
const TALL_CARD_HEIGHT: u16 = 6;

/// How much each service gets on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Density {
    /// One line per service, group headers between groups.
    Lines,
    Compact,
    Tall,
}

/// The grid for one dashboard area (the screen minus the status bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    pub density: Density,
    /// Cards per row (1 in `Lines`).
    pub columns: usize,
    /// Rows of cards, or lines in `Lines`.
    pub rows: usize,
}

impl Grid {
    /// The richest layout that still fits: cards while two columns of them fit, one line
    /// per service below that.
    pub fn for_area(area: Rect) -> Self {
        let height = area.height;
        if area.width < 2 * CARD_MIN_WIDTH || height < CARDS_MIN_HEIGHT {
            return Self {
                density: Density::Lines,
                columns: 1,
                rows: usize::from(height),
            };
        }
        let density = if height >= TALL_MIN_HEIGHT {
            Density::Tall
        } else {
            Density::Compact
        };
        Self {
            density,
            columns: usize::from(area.width / CARD_MIN_WIDTH),
            rows: usize::from(height / (1 + card_height(density))),
        }
    }

    /// Services per screenful. In `Lines` group headers take some lines, so a page
    /// shows up to this many.
    pub fn page(&self) -> usize {
        (self.columns * self.rows).max(1)
    }

    /// Index in the visible list of the first service on the page that holds `selected`.
    /// Cards page by whole screens so the grid does not shift under the eye.
    pub fn page_start(&self, selected: usize) -> usize {
        selected - selected % self.page()
    }
}

/// Card height including borders; group rule lines come on top of it.
pub fn card_height(density: Density) -> u16 {
    match density {
        Density::Lines => 1,
        Density::Compact => COMPACT_CARD_HEIGHT,
        Density::Tall => TALL_CARD_HEIGHT,
    }
}

/// The dashboard area of a frame: everything above the one-line status bar.
pub fn dashboard_area(frame: Rect) -> Rect {
    Rect {
        height: frame.height.saturating_sub(1),
        ..frame
    }
}

/// Splits `width` into `columns` near-equal parts; returns (x offset, width) of `column`.
pub fn column_span(width: u16, columns: usize, column: usize) -> (u16, u16) {
    let columns = u32::try_from(columns.max(1)).unwrap_or(1);
    let column = u32::try_from(column).unwrap_or(0).min(columns);
    let edge = |c: u32| u16::try_from(u32::from(width) * c / columns).unwrap_or(width);
    let (left, right) = (edge(column), edge(column + 1));
    (left, right.saturating_sub(left))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_by_size() {
        let cases = [
            ((160, 48), Density::Tall, 4, 6),
            ((80, 24), Density::Compact, 2, 4),
            ((120, 30), Density::Compact, 3, 5),
            ((40, 12), Density::Lines, 1, 11),
            ((160, 12), Density::Lines, 1, 11),
            ((75, 40), Density::Lines, 1, 39),
            ((1, 1), Density::Lines, 1, 0),
        ];
        for ((w, h), density, columns, rows) in cases {
            let grid = Grid::for_area(dashboard_area(Rect::new(0, 0, w, h)));
            assert_eq!(
                grid,
                Grid {
                    density,
                    columns,
                    rows
                },
                "{w}x{h}"
            );
        }
    }

    #[test]
    fn pages_are_whole_screens() {
        let grid = Grid {
            density: Density::Tall,
            columns: 4,
            rows: 6,
        };
        assert_eq!(grid.page(), 24);
        assert_eq!(grid.page_start(0), 0);
        assert_eq!(grid.page_start(23), 0);
        assert_eq!(grid.page_start(24), 24);
        assert_eq!(grid.page_start(999), 984);
    }

    #[test]
    fn columns_cover_the_width_exactly() {
        let spans: Vec<_> = (0..3).map(|c| column_span(80, 3, c)).collect();
        assert_eq!(spans, [(0, 26), (26, 27), (53, 27)]);
    }
}
