//! A duration histogram with fixed bucket bounds, counted the way a Prometheus histogram
//! reports: the sum, the count, and how many fell at or under each bound.

use std::time::Duration;

/// Counts of durations under `N` upper bounds (in seconds, ascending); a duration above
/// the last bound is counted only in `count` (the implied `+Inf` bucket).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Histogram<const N: usize> {
    bounds: &'static [f64; N],
    pub count: u64,
    pub sum: Duration,
    /// Not cumulative: each duration in the first bucket whose bound it does not pass.
    in_bucket: [u64; N],
}

impl<const N: usize> Histogram<N> {
    pub const fn new(bounds: &'static [f64; N]) -> Self {
        Self {
            bounds,
            count: 0,
            sum: Duration::ZERO,
            in_bucket: [0; N],
        }
    }

    pub fn record(&mut self, value: Duration) {
        self.count += 1;
        self.sum += value;
        let seconds = value.as_secs_f64();
        if let Some(bucket) = self.bounds.iter().position(|&le| seconds <= le) {
            self.in_bucket[bucket] += 1;
        }
    }

    /// `(upper bound, count at or under it)` for each bucket, ending with `+Inf`.
    pub fn cumulative(&self) -> Vec<(f64, u64)> {
        let mut running = 0;
        let mut buckets: Vec<(f64, u64)> = self
            .bounds
            .iter()
            .zip(self.in_bucket)
            .map(|(&le, n)| {
                running += n;
                (le, running)
            })
            .collect();
        buckets.push((f64::INFINITY, self.count));
        buckets
    }
}
