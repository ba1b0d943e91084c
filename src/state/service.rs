//! The state of one service and the rules that move it between UP, DEGRADED and DOWN.

use std::time::Duration;

use crate::contract::ServiceState;
use crate::kinds::Level;
use crate::view::check::CheckResult;

/// The thresholds that debounce a service's state, from its config.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    /// Failed checks in a row that make it DOWN.
    pub failure: u32,
    /// Passing checks in a row that bring a DOWN service back.
    pub success: u32,
}

/// What one check says about a service, before debouncing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Pass,
    /// Passed, but slower than `degraded_after`, or a query's value at `warn`.
    Slow,
    Fail,
    /// A query that read no usable value: the service is UNKNOWN at once.
    Unknown,
}

impl Verdict {
    /// The verdict of `result` for a service that is DEGRADED when slower than
    /// `degraded_after`; a query's level overrides latency.
    pub fn of(result: &CheckResult, degraded_after: Duration) -> Self {
        match result.reading.map(|reading| reading.level) {
            Some(Level::Unknown) => Verdict::Unknown,
            Some(Level::Critical) => Verdict::Fail,
            Some(Level::Warning) => Verdict::Slow,
            Some(Level::Normal) => Verdict::Pass,
            None if !result.outcome.is_pass() => Verdict::Fail,
            None if result.latency > degraded_after => Verdict::Slow,
            None => Verdict::Pass,
        }
    }
}

/// Moves a service between UNKNOWN, UP, DEGRADED and DOWN as checks come in.
/// PAUSED is not decided here: it is the operator's choice, layered on top by the store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusMachine {
    state: ServiceState,
    thresholds: Thresholds,
    failures_in_row: u32,
    passes_in_row: u32,
}

impl StatusMachine {
    pub fn new(thresholds: Thresholds) -> Self {
        Self {
            state: ServiceState::Unknown,
            thresholds,
            failures_in_row: 0,
            passes_in_row: 0,
        }
    }

    pub fn state(&self) -> ServiceState {
        self.state
    }

    /// Takes new thresholds (after a config reload) without forgetting the checks seen.
    pub fn set_thresholds(&mut self, thresholds: Thresholds) {
        self.thresholds = thresholds;
    }

    pub fn failures_in_row(&self) -> u32 {
        self.failures_in_row
    }

    /// Takes one check's [`Verdict`].
    pub fn take(&mut self, verdict: Verdict) -> ServiceState {
        match verdict {
            Verdict::Pass => self.observe(true, false),
            Verdict::Slow => self.observe(true, true),
            Verdict::Fail => self.observe(false, false),
            Verdict::Unknown => {
                self.failures_in_row = 0;
                self.passes_in_row = 0;
                self.state = ServiceState::Unknown;
                self.state
            }
        }
    }

    /// Takes one check's verdict. `slow` means it passed but over `degraded_after`.
    pub fn observe(&mut self, passed: bool, slow: bool) -> ServiceState {
        if passed {
            self.failures_in_row = 0;
            self.passes_in_row = self.passes_in_row.saturating_add(1);
            let recovering =
                self.state == ServiceState::Down && self.passes_in_row < self.thresholds.success;
            if !recovering {
                self.state = if slow {
                    ServiceState::Degraded
                } else {
                    ServiceState::Up
                };
            }
        } else {
            self.passes_in_row = 0;
            self.failures_in_row = self.failures_in_row.saturating_add(1);
            if self.failures_in_row >= self.thresholds.failure {
                self.state = ServiceState::Down;
            }
        }
        self.state
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ServiceState::*;

    /// A check in a table: P pass, S slow pass, F fail.
    fn run(thresholds: (u32, u32), checks: &str) -> Vec<ServiceState> {
        let mut machine = StatusMachine::new(Thresholds {
            failure: thresholds.0,
            success: thresholds.1,
        });
        checks
            .chars()
            .map(|c| match c {
                'P' => machine.observe(true, false),
                'S' => machine.observe(true, true),
                'F' => machine.observe(false, false),
                other => panic!("bad check {other}"),
            })
            .collect()
    }

    #[test]
    fn transitions_table() {
        let cases: &[((u32, u32), &str, &[ServiceState])] = &[
            ((2, 1), "P", &[Up]),
            ((2, 1), "S", &[Degraded]),
            ((2, 1), "F", &[Unknown]),
            ((2, 1), "FF", &[Unknown, Down]),
            ((1, 1), "F", &[Down]),
            ((2, 1), "PF", &[Up, Up]),
            ((2, 1), "PFF", &[Up, Up, Down]),
            ((2, 1), "PFPF", &[Up, Up, Up, Up]),
            ((2, 1), "FFP", &[Unknown, Down, Up]),
            ((2, 3), "FFPP", &[Unknown, Down, Down, Down]),
            ((2, 3), "FFPPP", &[Unknown, Down, Down, Down, Up]),
            ((2, 3), "FFPPFP", &[Unknown, Down, Down, Down, Down, Down]),
            ((2, 3), "FFPPS", &[Unknown, Down, Down, Down, Degraded]),
            ((2, 1), "SP", &[Degraded, Up]),
            ((2, 1), "SFF", &[Degraded, Degraded, Down]),
            ((3, 1), "PFFPFF", &[Up, Up, Up, Up, Up, Up]),
        ];
        for (thresholds, checks, want) in cases {
            assert_eq!(&run(*thresholds, checks), want, "{thresholds:?} {checks}");
        }
    }

    #[test]
    fn failures_in_row_resets_on_pass() {
        let mut m = StatusMachine::new(Thresholds {
            failure: 5,
            success: 1,
        });
        m.observe(false, false);
        m.observe(false, false);
        assert_eq!(m.failures_in_row(), 2);
        m.observe(true, false);
        assert_eq!(m.failures_in_row(), 0);
    }

    #[test]
    fn an_unknown_reading_is_unknown_at_once_and_starts_counting_again() {
        let mut m = StatusMachine::new(Thresholds {
            failure: 2,
            success: 1,
        });
        m.take(Verdict::Fail);
        assert_eq!(m.take(Verdict::Fail), Down);
        assert_eq!(m.take(Verdict::Unknown), Unknown);
        assert_eq!(m.failures_in_row(), 0);
        assert_eq!(
            m.take(Verdict::Fail),
            Unknown,
            "one failure after UNKNOWN is not DOWN"
        );
        assert_eq!(m.take(Verdict::Fail), Down);
        assert_eq!(m.take(Verdict::Unknown), Unknown);
        assert_eq!(m.take(Verdict::Slow), Degraded);
        assert_eq!(m.take(Verdict::Pass), Up);
    }

    #[test]
    fn words_are_the_contract() {
        let words: Vec<&str> = ServiceState::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(words, ["UP", "DEGRADED", "DOWN", "UNKNOWN", "PAUSED"]);
    }
}
