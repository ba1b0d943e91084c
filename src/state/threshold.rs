//! "Above N for a duration": one threshold's state machine. Time is passed in (the
//! sample's own timestamp), so the rules are tested in milliseconds, not by sleeping.

use crate::view::machine::Level;
use std::time::{Duration, SystemTime};

/// A threshold started or stopped being exceeded (what is logged and, later, alerted).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crossing {
    Exceeded,
    Cleared,
}

/// One threshold's memory of how long its reading has been above it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ThresholdMachine {
    hold: Duration,
    level: Level,
}

impl ThresholdMachine {
    /// A clear machine that needs `hold` of readings above the threshold to be exceeded.
    pub fn new(hold: Duration) -> Self {
        Self {
            hold,
            level: Level::Clear,
        }
    }

    pub fn level(&self) -> Level {
        self.level
    }

    /// Takes one reading at `at`: above `above` counts while the threshold is clear or
    /// pending; once exceeded, it stays so until a reading is at or below `clear_below`.
    pub fn observe_reading(
        &mut self,
        value: f64,
        above: f64,
        clear_below: f64,
        at: SystemTime,
    ) -> Option<Crossing> {
        let line = match self.level {
            Level::Exceeded { .. } => clear_below.min(above),
            Level::Clear | Level::Pending { .. } => above,
        };
        self.observe(value > line, at)
    }

    /// Takes one reading's verdict at `at`. A clock that went backwards counts as no time
    /// passing, so a pending threshold waits longer rather than firing early.
    fn observe(&mut self, above: bool, at: SystemTime) -> Option<Crossing> {
        let (next, crossing) = match (self.level, above) {
            (Level::Clear, false) => (Level::Clear, None),
            (Level::Pending { .. }, false) => (Level::Clear, None),
            (Level::Exceeded { .. }, false) => (Level::Clear, Some(Crossing::Cleared)),
            (Level::Exceeded { since }, true) => (Level::Exceeded { since }, None),
            (Level::Clear, true) => self.since(at, at),
            (Level::Pending { since }, true) => self.since(since, at),
        };
        self.level = next;
        crossing
    }

    /// Above since `since`, seen again at `at`.
    fn since(&self, since: SystemTime, at: SystemTime) -> (Level, Option<Crossing>) {
        let lasted = at.duration_since(since).unwrap_or(Duration::ZERO);
        if lasted >= self.hold {
            (Level::Exceeded { since }, Some(Crossing::Exceeded))
        } else {
            (Level::Pending { since }, None)
        }
    }

    /// Forgets the past: the next reading above starts a new wait.
    pub fn clear(&mut self) -> Option<Crossing> {
        let was = std::mem::take(&mut self.level);
        matches!(was, Level::Exceeded { .. }).then_some(Crossing::Cleared)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    /// Runs (seconds, above) readings through a machine; returns (level word, crossing)
    /// after each.
    fn run(hold_secs: u64, readings: &[(u64, bool)]) -> Vec<(&'static str, Option<Crossing>)> {
        let mut machine = ThresholdMachine::new(Duration::from_secs(hold_secs));
        readings
            .iter()
            .map(|&(secs, above)| {
                let crossing = machine.observe(above, at(secs));
                (machine.level().as_str(), crossing)
            })
            .collect()
    }

    const OK: (&str, Option<Crossing>) = ("ok", None);
    const PENDING: (&str, Option<Crossing>) = ("pending", None);
    const EXCEEDED: (&str, Option<Crossing>) = ("exceeded", Some(Crossing::Exceeded));
    const STILL: (&str, Option<Crossing>) = ("exceeded", None);
    const CLEARED: (&str, Option<Crossing>) = ("ok", Some(Crossing::Cleared));

    #[test]
    fn cpu_over_90_for_2m_needs_the_full_two_minutes() {
        type Case = (
            u64,
            &'static [(u64, bool)],
            &'static [(&'static str, Option<Crossing>)],
        );
        let cases: &[Case] = &[
            // Above from 0s: pending until 120s have passed, exceeded at 120s exactly.
            (
                120,
                &[(0, true), (60, true), (119, true), (120, true), (180, true)],
                &[PENDING, PENDING, PENDING, EXCEEDED, STILL],
            ),
            // A dip at 100s starts the wait again.
            (
                120,
                &[
                    (0, true),
                    (90, true),
                    (100, false),
                    (110, true),
                    (229, true),
                    (230, true),
                ],
                &[PENDING, PENDING, OK, PENDING, PENDING, EXCEEDED],
            ),
            // Exceeded, then below: cleared once, then quiet.
            (
                120,
                &[(0, true), (130, true), (140, false), (150, false)],
                &[PENDING, EXCEEDED, CLEARED, OK],
            ),
            // `for = "0s"`: the first reading above exceeds.
            (
                0,
                &[(0, false), (5, true), (6, true), (7, false)],
                &[OK, EXCEEDED, STILL, CLEARED],
            ),
            // A clock that jumps back does not make the wait shorter.
            (
                60,
                &[(100, true), (50, true), (159, true), (160, true)],
                &[PENDING, PENDING, PENDING, EXCEEDED],
            ),
        ];
        for (hold, readings, want) in cases {
            assert_eq!(run(*hold, readings), *want, "for {hold}s: {readings:?}");
        }
    }

    #[test]
    fn once_exceeded_it_clears_only_at_or_below_clear_below() {
        // (seconds, reading) through { above = 90, clear_below = 85, for = "10s" }.
        let readings: &[(u64, f64, &str, Option<Crossing>)] = &[
            (0, 91.0, "pending", None),
            // Between the lines before it is exceeded: a dip, the wait starts again.
            (5, 88.0, "ok", None),
            (6, 92.0, "pending", None),
            (16, 93.0, "exceeded", Some(Crossing::Exceeded)),
            // Hovering at the line keeps it exceeded: no clear, no new exceed.
            (18, 89.0, "exceeded", None),
            (20, 90.0, "exceeded", None),
            (22, 85.5, "exceeded", None),
            (24, 91.0, "exceeded", None),
            // At clear_below it clears.
            (26, 85.0, "ok", Some(Crossing::Cleared)),
            // And above `above` again starts a new wait.
            (28, 88.0, "ok", None),
            (30, 95.0, "pending", None),
        ];
        let mut machine = ThresholdMachine::new(Duration::from_secs(10));
        for &(secs, value, level, crossing) in readings {
            let got = machine.observe_reading(value, 90.0, 85.0, at(secs));
            assert_eq!(
                (machine.level().as_str(), got),
                (level, crossing),
                "{value} at {secs}s"
            );
        }
    }

    #[test]
    fn a_clear_line_above_the_threshold_counts_as_the_threshold() {
        let mut machine = ThresholdMachine::new(Duration::ZERO);
        machine.observe_reading(95.0, 90.0, 99.0, at(0));
        assert_eq!(
            machine.observe_reading(90.0, 90.0, 99.0, at(1)),
            Some(Crossing::Cleared)
        );
    }

    #[test]
    fn exceeded_remembers_when_it_started() {
        let mut machine = ThresholdMachine::new(Duration::from_secs(10));
        machine.observe(true, at(5));
        machine.observe(true, at(20));
        assert_eq!(machine.level(), Level::Exceeded { since: at(5) });
        assert_eq!(machine.clear(), Some(Crossing::Cleared));
        assert_eq!(machine.clear(), None);
        assert_eq!(machine.level(), Level::Clear);
    }
}
