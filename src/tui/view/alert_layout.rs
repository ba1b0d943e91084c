//! Where the alert pane goes in the services' part of the dashboard: under the cards, so
//! they stay first and the machine keeps its place. A block of rows on screens with room
//! (up to ten alerts on tall ones, four on ordinary ones, taking whole rows of cards so
//! no line is wasted), one summary line on small ones. While nothing is active the block
//! shrinks to what the calm line needs and leftover lines allow.

use ratatui::layout::Rect;

use crate::tui::view::layout::{Density, Grid, card_height};

/// Below this many rows of services the pane is one line.
const BLOCK_MIN_HEIGHT: u16 = 16;
/// From this many rows the pane wants ten alerts (tall cards start at 30 too).
const TALL_MIN_HEIGHT: u16 = 30;
/// Rule + rows, by screen: tall, ordinary, calm.
const TALL_BLOCK: u16 = 11;
const SHORT_BLOCK: u16 = 5;
const CALM_BLOCK: u16 = 2;

/// How the pane is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaneShape {
    Block,
    Line,
}

/// Splits the services' area into the cards' part and the pane's. `calm` when there is
/// no active alert at all. Nothing for the pane only when a single line is left.
pub fn split(area: Rect, calm: bool) -> (Rect, Option<(Rect, PaneShape)>) {
    if area.height < 2 {
        return (area, None);
    }
    let (cards_height, shape) = if area.height < BLOCK_MIN_HEIGHT {
        (area.height - 1, PaneShape::Line)
    } else {
        let wanted = match (calm, area.height >= TALL_MIN_HEIGHT) {
            (true, _) => CALM_BLOCK,
            (false, true) => TALL_BLOCK,
            (false, false) => SHORT_BLOCK,
        };
        let rest = Rect {
            height: area.height - wanted,
            ..area
        };
        let grid = Grid::for_area(rest);
        let used = match grid.density {
            Density::Lines => rest.height,
            density => {
                let rows = u16::try_from(grid.rows).unwrap_or(u16::MAX);
                rows.saturating_mul(1 + card_height(density))
                    .min(rest.height)
            }
        };
        (used, PaneShape::Block)
    };
    let cards = Rect {
        height: cards_height,
        ..area
    };
    let pane = Rect {
        y: cards.bottom(),
        height: area.height - cards_height,
        ..area
    };
    (cards, Some((pane, shape)))
}

/// A detail view's area less one line at the bottom for the alert summary, when there is
/// room for both.
pub fn summary_line(area: Rect) -> (Rect, Option<Rect>) {
    if area.height < 3 {
        return (area, None);
    }
    let body = Rect {
        height: area.height - 1,
        ..area
    };
    let line = Rect {
        y: body.bottom(),
        height: 1,
        ..area
    };
    (body, Some(line))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cards_first_then_the_pane() {
        // (services area, calm) → (cards height, pane height, shape)
        let cases = [
            ((160, 47, false), (35, 12, PaneShape::Block)),
            ((160, 47, true), (42, 5, PaneShape::Block)),
            ((120, 47, false), (35, 12, PaneShape::Block)),
            ((80, 20, false), (15, 5, PaneShape::Block)),
            ((80, 20, true), (15, 5, PaneShape::Block)),
            ((80, 23, false), (15, 8, PaneShape::Block)),
            ((80, 23, true), (20, 3, PaneShape::Block)),
            ((75, 40, false), (29, 11, PaneShape::Block)),
            ((40, 10, false), (9, 1, PaneShape::Line)),
            ((40, 2, true), (1, 1, PaneShape::Line)),
        ];
        for ((w, h, calm), (cards_h, pane_h, shape)) in cases {
            let area = Rect::new(0, 1, w, h);
            let (cards, pane) = split(area, calm);
            let Some((pane, got)) = pane else {
                panic!("{w}x{h}: no pane");
            };
            assert_eq!(
                (cards.height, pane.height, got),
                (cards_h, pane_h, shape),
                "{w}x{h}"
            );
            assert_eq!(pane.bottom(), area.bottom(), "{w}x{h}");
            assert_eq!(cards.bottom(), pane.y, "{w}x{h}");
        }
        assert_eq!(split(Rect::new(0, 0, 90, 1), false).1, None);
    }
}
