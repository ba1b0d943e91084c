//! Where the machine goes on a screen of a given size, so that services always come
//! first: beside them on wide, tall screens; three lines under them on ordinary ones
//! (at 80x24, under three rows of cards and the alert pane); one line on small ones;
//! nothing on tiny ones. The alert pane is placed inside the services' part
//! (`alert_layout.rs`), so the machine keeps its place; the job monitor shares the side
//! column under it (`jobs_layout.rs`).

use ratatui::layout::Rect;

/// The side panel's width.
pub const PANEL_WIDTH: u16 = 40;
/// The side panel needs at least this much room (above the status bar).
const SIDE_MIN: (u16, u16) = (120, 29);
/// The three-line strip needs this many rows; below, one line.
const STRIP_MIN_HEIGHT: u16 = 20;
/// Below this many rows the services have the screen to themselves.
const LINE_MIN_HEIGHT: u16 = 6;
/// Rows of the strip.
pub const STRIP_HEIGHT: u16 = 3;

/// How the machine is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Side,
    Strip,
    Line,
}

/// True when the dashboard area has room for a column of panels beside the services.
pub fn has_side_room(main: Rect) -> bool {
    main.width >= SIDE_MIN.0 && main.height >= SIDE_MIN.1
}

/// Splits the dashboard area into the services' part and the machine's, if shown.
pub fn split(main: Rect, shown: bool) -> (Rect, Option<(Rect, Shape)>) {
    if !shown {
        return (main, None);
    }
    if has_side_room(main) {
        let services = Rect {
            width: main.width - PANEL_WIDTH,
            ..main
        };
        let panel = Rect {
            x: services.right(),
            width: PANEL_WIDTH,
            ..main
        };
        return (services, Some((panel, Shape::Side)));
    }
    let (height, shape) = match main.height {
        h if h >= STRIP_MIN_HEIGHT => (STRIP_HEIGHT, Shape::Strip),
        h if h >= LINE_MIN_HEIGHT => (1, Shape::Line),
        _ => return (main, None),
    };
    let services = Rect {
        height: main.height - height,
        ..main
    };
    let strip = Rect {
        y: services.bottom(),
        height,
        ..main
    };
    (services, Some((strip, shape)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn services_come_first_at_every_size() {
        let cases = [
            ((160, 47), Some(Shape::Side), (120, 47)),
            ((120, 29), Some(Shape::Side), (80, 29)),
            ((119, 40), Some(Shape::Strip), (119, 37)),
            ((80, 23), Some(Shape::Strip), (80, 20)),
            ((160, 23), Some(Shape::Strip), (160, 20)),
            ((40, 11), Some(Shape::Line), (40, 10)),
            ((40, 5), None, (40, 5)),
        ];
        for ((w, h), shape, (sw, sh)) in cases {
            let (services, machine) = split(Rect::new(0, 0, w, h), true);
            assert_eq!(machine.map(|m| m.1), shape, "{w}x{h}");
            assert_eq!((services.width, services.height), (sw, sh), "{w}x{h}");
            if let Some((area, _)) = machine {
                assert!(!area.intersects(services) && area.bottom() <= h && area.right() <= w);
            }
        }
        assert_eq!(split(Rect::new(0, 0, 160, 47), false).1, None);
    }
}
