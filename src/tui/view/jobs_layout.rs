//! Where the job monitor goes on the dashboard, so that services come first and the
//! machine keeps its place: a panel in the column beside the services on wide, tall
//! screens (under the machine's panel, or the whole column without it); on ordinary
//! screens one or two lines taken from the bottom of the alert pane's block; on small
//! ones nothing here (the status bar carries a word). Without `[jobs]` every part is
//! where it always was.

use ratatui::layout::Rect;

use crate::tui::view::alert_layout::{self, PaneShape};
use crate::tui::view::system_layout::{self, PANEL_WIDTH, Shape};

/// Rows the jobs panel keeps under the machine's, borders included.
const PANEL_MIN_HEIGHT: u16 = 12;
/// The alert pane's block gives two lines from this height, one from `LINE_FROM`.
const TWO_LINES_FROM: u16 = 7;
const LINE_FROM: u16 = 3;

/// How the job monitor is drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobsShape {
    /// A bordered panel beside the services.
    Panel,
    /// One or two lines under the alert pane.
    Strip,
}

/// Every part of the dashboard at one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub cards: Rect,
    pub pane: Option<(Rect, PaneShape)>,
    pub machine: Option<(Rect, Shape)>,
    pub jobs: Option<(Rect, JobsShape)>,
}

/// What the dashboard has to place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts {
    /// The rows the machine's side panel wants (borders included), `None` when hidden.
    pub machine: Option<u16>,
    /// No alert is active (the pane shrinks).
    pub calm: bool,
    /// The config has `[jobs]`.
    pub jobs: bool,
}

/// Places the services, alert pane, machine and job monitor in the dashboard area.
pub fn place(main: Rect, parts: Parts) -> Placement {
    if parts.jobs && system_layout::has_side_room(main) {
        return beside(main, parts);
    }
    let (services, machine) = system_layout::split(main, parts.machine.is_some());
    let (cards, pane) = alert_layout::split(services, parts.calm);
    let mut placement = Placement {
        cards,
        pane,
        machine,
        jobs: None,
    };
    if parts.jobs
        && let Some((area, PaneShape::Block)) = pane
        && area.height >= LINE_FROM
    {
        let lines = if area.height >= TWO_LINES_FROM { 2 } else { 1 };
        let kept = Rect {
            height: area.height - lines,
            ..area
        };
        let strip = Rect {
            y: kept.bottom(),
            height: lines,
            ..area
        };
        placement.pane = Some((kept, PaneShape::Block));
        placement.jobs = Some((strip, JobsShape::Strip));
    }
    placement
}

/// The side column: the machine's panel on top with the rows it wants (the jobs panel
/// keeps at least `PANEL_MIN_HEIGHT`), the jobs panel under it.
fn beside(main: Rect, parts: Parts) -> Placement {
    let services = Rect {
        width: main.width - PANEL_WIDTH,
        ..main
    };
    let column = Rect {
        x: services.right(),
        width: PANEL_WIDTH,
        ..main
    };
    let machine_height = parts.machine.map_or(0, |wanted| {
        wanted.min(column.height.saturating_sub(PANEL_MIN_HEIGHT))
    });
    let machine = Rect {
        height: machine_height,
        ..column
    };
    let jobs = Rect {
        y: machine.bottom(),
        height: column.height - machine_height,
        ..column
    };
    let (cards, pane) = alert_layout::split(services, parts.calm);
    Placement {
        cards,
        pane,
        machine: parts.machine.map(|_| (machine, Shape::Side)),
        jobs: Some((jobs, JobsShape::Panel)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(machine: Option<u16>, calm: bool, jobs: bool) -> Parts {
        Parts {
            machine,
            calm,
            jobs,
        }
    }

    #[test]
    fn without_jobs_everything_stays_where_it_was() {
        for (w, h) in [(160, 47), (80, 23), (40, 11), (120, 29)] {
            let main = Rect::new(0, 0, w, h);
            for machine in [None, Some(25)] {
                for calm in [false, true] {
                    let placed = place(main, parts(machine, calm, false));
                    let (services, side) = system_layout::split(main, machine.is_some());
                    let (cards, pane) = alert_layout::split(services, calm);
                    assert_eq!(placed.machine, side, "{w}x{h}");
                    assert_eq!((placed.cards, placed.pane), (cards, pane), "{w}x{h}");
                    assert_eq!(placed.jobs, None);
                }
            }
        }
    }

    #[test]
    fn the_panel_sits_under_the_machine_beside_the_services() {
        let main = Rect::new(0, 0, 160, 47);
        let placed = place(main, parts(Some(25), false, true));
        let Some((machine, Shape::Side)) = placed.machine else {
            panic!("no machine panel");
        };
        let Some((jobs, JobsShape::Panel)) = placed.jobs else {
            panic!("no jobs panel");
        };
        assert_eq!((machine.x, machine.height), (120, 25));
        assert_eq!((jobs.x, jobs.y, jobs.width, jobs.height), (120, 25, 40, 22));
        assert_eq!(placed.cards.width, 120);
        // A machine that wants the whole column leaves the jobs their minimum.
        let placed = place(main, parts(Some(60), false, true));
        assert_eq!(placed.jobs.map(|j| j.0.height), Some(PANEL_MIN_HEIGHT));
        // No machine: the jobs have the column.
        let placed = place(main, parts(None, true, true));
        assert_eq!(placed.machine, None);
        assert_eq!(placed.jobs.map(|j| j.0), Some(Rect::new(120, 0, 40, 47)));
    }

    #[test]
    fn ordinary_screens_take_lines_from_the_alert_pane() {
        // (size, machine, calm) → (cards height, pane height, jobs lines)
        let cases = [
            ((80, 23, true, false), (15, 4, 1)),
            ((80, 23, true, true), (15, 4, 1)),
            ((80, 23, false, false), (15, 6, 2)),
            ((80, 23, false, true), (20, 2, 1)),
            ((119, 40, true, false), (25, 10, 2)),
        ];
        for ((w, h, machine, calm), (cards_h, pane_h, lines)) in cases {
            let machine = machine.then_some(25);
            let placed = place(Rect::new(0, 0, w, h), parts(machine, calm, true));
            let Some((pane, _)) = placed.pane else {
                panic!("{w}x{h}: no pane");
            };
            let Some((jobs, JobsShape::Strip)) = placed.jobs else {
                panic!("{w}x{h}: no strip");
            };
            assert_eq!(
                (placed.cards.height, pane.height, jobs.height),
                (cards_h, pane_h, lines),
                "{w}x{h} machine {machine:?} calm {calm}"
            );
            assert_eq!(pane.bottom(), jobs.y);
        }
        // Small screens: the pane is one line, the jobs are not placed.
        let placed = place(Rect::new(0, 0, 40, 11), parts(Some(25), false, true));
        assert_eq!(placed.jobs, None);
    }
}
