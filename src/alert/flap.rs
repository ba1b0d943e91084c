//! Flap detection: many firing/resolved transitions of one alert key inside a window mark
//! it flapping; a whole window without one settles it. The record outlives incarnations.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

/// The recent transitions of one alert key.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Flap {
    /// Oldest first; only those inside the window are kept.
    transitions: VecDeque<SystemTime>,
    pub(crate) flapping: bool,
}

impl Flap {
    /// The record of an alert that was flapping when lookout stopped: flapping still,
    /// settling only after a whole window from `now` without a transition (what happened
    /// while lookout was stopped is not known, so a restart never ends the episode).
    pub(crate) fn resumed(now: SystemTime) -> Self {
        Self {
            transitions: VecDeque::from([now]),
            flapping: true,
        }
    }

    /// The record an alert's view kept (`flapping` and its transitions); one kept
    /// flapping without transitions (written before they were kept) settles a whole
    /// window from `now`.
    pub(crate) fn restored(flapping: bool, marks: &[SystemTime], now: SystemTime) -> Self {
        if flapping && marks.is_empty() {
            return Self::resumed(now);
        }
        Self {
            transitions: marks.iter().copied().collect(),
            flapping,
        }
    }

    /// The transitions kept, oldest first.
    pub(crate) fn marks(&self) -> impl ExactSizeIterator<Item = SystemTime> + '_ {
        self.transitions.iter().copied()
    }

    /// Records a transition at `now`; true when this one starts the flapping.
    pub(crate) fn record(&mut self, now: SystemTime, window: Duration, limit: usize) -> bool {
        self.forget(now, window);
        self.transitions.push_back(now);
        while self.transitions.len() > limit {
            self.transitions.pop_front();
        }
        let starts = !self.flapping && self.transitions.len() >= limit;
        self.flapping |= starts;
        starts
    }

    /// True when the flapping ends at `now`: no transition for a whole window.
    pub(crate) fn settles(&mut self, now: SystemTime, window: Duration) -> bool {
        if self.flapping && self.settle_at(window).is_some_and(|at| at <= now) {
            self.flapping = false;
            self.transitions.clear();
            return true;
        }
        false
    }

    /// When flapping ends unless another transition comes first.
    pub(crate) fn settle_at(&self, window: Duration) -> Option<SystemTime> {
        let last = self.transitions.back()?;
        self.flapping.then(|| *last + window)
    }

    /// True when there is nothing left to remember at `now`.
    pub(crate) fn is_idle(&mut self, now: SystemTime, window: Duration) -> bool {
        self.forget(now, window);
        !self.flapping && self.transitions.is_empty()
    }

    fn forget(&mut self, now: SystemTime, window: Duration) {
        while let Some(first) = self.transitions.front() {
            let age = now.duration_since(*first).unwrap_or_default();
            if age < window {
                break;
            }
            self.transitions.pop_front();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::at;

    #[test]
    fn six_transitions_in_ten_minutes_flap_until_ten_quiet_minutes() {
        let window = Duration::from_secs(600);
        let mut flap = Flap::default();
        let starts: Vec<bool> = [0, 60, 120, 180, 240, 300, 360]
            .iter()
            .map(|&s| flap.record(at(s), window, 6))
            .collect();
        assert_eq!(starts, [false, false, false, false, false, true, false]);
        assert_eq!(flap.settle_at(window), Some(at(960)));
        assert!(!flap.settles(at(959), window));
        assert!(flap.settles(at(960), window));
        assert!(flap.is_idle(at(960), window));
    }

    #[test]
    fn transitions_spread_wider_than_the_window_never_flap() {
        let window = Duration::from_secs(600);
        let mut flap = Flap::default();
        for k in 0..20 {
            assert!(!flap.record(at(k * 150), window, 6), "transition {k}");
        }
        assert!(!flap.flapping);
    }
}
