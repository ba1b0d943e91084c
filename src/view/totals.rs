//! Running totals of a service's checks since it was configured: counts by outcome and a
//! response-time histogram, as `/metrics` exposes them.

use std::time::Duration;

use super::histogram::Histogram;

/// Upper bounds, in seconds, of the response-time histogram's buckets (the last bucket,
/// `+Inf`, is implied by the total count).
pub const LATENCY_BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// Checks counted since the service was configured (a reload that changes its check
/// starts them again, as counters do when a process restarts).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckTotals {
    pub passed: u64,
    pub failed: u64,
    /// Every check's response time.
    pub latency: Histogram<{ LATENCY_BUCKETS.len() }>,
}

impl Default for CheckTotals {
    fn default() -> Self {
        Self {
            passed: 0,
            failed: 0,
            latency: Histogram::new(&LATENCY_BUCKETS),
        }
    }
}

impl CheckTotals {
    /// Counts one check.
    pub fn record(&mut self, latency: Duration, passed: bool) {
        if passed {
            self.passed += 1;
        } else {
            self.failed += 1;
        }
        self.latency.record(latency);
    }

    /// Every check counted.
    pub fn count(&self) -> u64 {
        self.passed + self.failed
    }

    /// `(upper bound, checks at or under it)` for each bucket, ending with `+Inf`, as a
    /// Prometheus histogram wants them.
    pub fn cumulative(&self) -> Vec<(f64, u64)> {
        self.latency.cumulative()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_cumulative_and_end_with_the_total() {
        let mut totals = CheckTotals::default();
        let ms = Duration::from_millis;
        for (latency, passed) in [
            (ms(3), true),
            (ms(5), true),
            (ms(80), false),
            (ms(60_000), false),
        ] {
            totals.record(latency, passed);
        }
        assert_eq!((totals.passed, totals.failed, totals.count()), (2, 2, 4));
        assert_eq!(totals.latency.sum, ms(60_088));
        let buckets = totals.cumulative();
        assert_eq!(buckets.len(), LATENCY_BUCKETS.len() + 1);
        assert_eq!(buckets[0], (0.005, 2), "5 ms is at or under 0.005 s");
        assert_eq!(buckets[3], (0.05, 2));
        assert_eq!(buckets[4], (0.1, 3));
        assert_eq!(buckets[LATENCY_BUCKETS.len() - 1], (30.0, 3));
        assert_eq!(buckets[LATENCY_BUCKETS.len()], (f64::INFINITY, 4));
    }
}
