//! A fixed-size ring of check samples per service, and the window figures drawn from it.

use std::collections::VecDeque;
use std::time::{Duration, SystemTime};

use crate::view::service::epoch_millis;
use crate::view::service::{HistorySample, WindowStats};

/// The most samples one service keeps, whatever the window and interval say.
pub const MAX_SAMPLES: usize = 20_000;

/// Samples oldest first; never holds more than its capacity, so memory is flat once full.
#[derive(Debug, Clone)]
pub struct History {
    samples: VecDeque<HistorySample>,
    capacity: usize,
    window: Duration,
}

impl History {
    /// Room for one window of checks at `interval`, plus a margin for checks run on demand.
    pub fn new(window: Duration, interval: Duration) -> Self {
        let per_window = window.as_millis() / interval.as_millis().max(1);
        let capacity = usize::try_from(per_window)
            .unwrap_or(MAX_SAMPLES)
            .saturating_add(per_window_margin(per_window))
            .clamp(2, MAX_SAMPLES);
        Self {
            samples: VecDeque::with_capacity(capacity),
            capacity,
            window,
        }
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// The same samples under a new window and interval; the newest are kept when the
    /// new capacity is smaller.
    pub fn resized(self, window: Duration, interval: Duration) -> Self {
        let mut resized = History::new(window, interval);
        let skip = self.samples.len().saturating_sub(resized.capacity);
        resized.samples.extend(self.samples.into_iter().skip(skip));
        resized
    }

    /// The window this history covers.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Adds the newest sample, dropping the oldest when full.
    /// `value` is what a query check read (`None` for HTTP and TCP checks).
    pub fn push(&mut self, at: SystemTime, latency: Duration, passed: bool, value: Option<f64>) {
        self.push_sample(HistorySample::new(epoch_millis(at), latency, passed, value));
    }

    /// Adds a sample made already (a check that said nothing, a sample read back).
    pub fn push_sample(&mut self, sample: HistorySample) {
        if self.samples.len() == self.capacity {
            self.samples.pop_front();
        }
        self.samples.push_back(sample);
    }

    /// Samples inside the window ending at `now`, oldest first.
    pub fn in_window(&self, now: SystemTime) -> impl Iterator<Item = &HistorySample> {
        let cutoff = epoch_millis(now).saturating_sub(millis(self.window));
        self.samples.iter().filter(move |s| s.at_ms >= cutoff)
    }

    /// p50/p95 of passing checks and the share that passed, over the window ending at `now`.
    /// `scratch` is reused between calls so the hot path does not allocate.
    pub fn stats(&self, now: SystemTime, scratch: &mut Vec<u32>) -> WindowStats {
        scratch.clear();
        let (mut checks, mut judged) = (0usize, 0usize);
        for sample in self.in_window(now) {
            checks += 1;
            judged += usize::from(!sample.said_nothing());
            if sample.passed() {
                scratch.push(sample.latency_us());
            }
        }
        if checks == 0 {
            return WindowStats::default();
        }
        let uptime = (judged > 0).then(|| scratch.len() as f64 / judged as f64);
        let p50 = percentile(scratch, 50);
        let p95 = percentile(scratch, 95);
        WindowStats {
            p50,
            p95,
            uptime,
            checks,
            judged,
        }
    }
}

/// Nearest-rank percentile; reorders `values`.
fn percentile(values: &mut [u32], pct: usize) -> Option<Duration> {
    if values.is_empty() {
        return None;
    }
    let rank = (values.len() * pct).div_ceil(100).max(1) - 1;
    let (_, value, _) = values.select_nth_unstable(rank);
    Some(Duration::from_micros(u64::from(*value)))
}

fn per_window_margin(per_window: u128) -> usize {
    usize::try_from(per_window / 10).unwrap_or(0).max(8)
}

fn millis(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::UNIX_EPOCH;

    fn t(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(1_700_000_000 + secs)
    }

    #[test]
    fn capacity_follows_window_over_interval() {
        let h = History::new(Duration::from_secs(3600), Duration::from_secs(10));
        assert_eq!(h.capacity(), 360 + 36);
        let tiny = History::new(Duration::from_secs(1), Duration::from_secs(10));
        assert_eq!(tiny.capacity(), 8);
        let huge = History::new(Duration::from_secs(86_400), Duration::from_millis(100));
        assert_eq!(huge.capacity(), MAX_SAMPLES);
    }

    #[test]
    fn memory_is_flat_once_full() {
        let mut h = History::new(Duration::from_secs(60), Duration::from_secs(10));
        let cap = h.capacity();
        for i in 0..1000 {
            h.push(t(i), Duration::from_millis(i), true, None);
        }
        assert_eq!(h.len(), cap);
        let newest: Vec<u64> = h.samples.iter().map(|s| s.at_ms).collect();
        assert_eq!(newest.last(), Some(&epoch_millis(t(999))));
    }

    #[test]
    fn stats_cover_only_the_window_and_passing_checks() {
        let mut h = History::new(Duration::from_secs(100), Duration::from_secs(1));
        // Outside the window by the time we look: must not count.
        h.push(t(0), Duration::from_millis(9_000), true, None);
        for i in 1..=100u64 {
            let passed = i % 10 != 0;
            h.push(t(100 + i), Duration::from_millis(i), passed, None);
        }
        let stats = h.stats(t(200), &mut Vec::new());
        assert_eq!((stats.checks, stats.judged), (100, 100));
        assert_eq!(stats.uptime, Some(0.9));
        // Passing latencies are 1..=99 without multiples of 10: 90 values.
        assert_eq!(stats.p50, Some(Duration::from_millis(49)));
        assert_eq!(stats.p95, Some(Duration::from_millis(95)));
    }

    #[test]
    fn checks_that_said_nothing_count_neither_for_nor_against_the_uptime() {
        let mut h = History::new(Duration::from_secs(100), Duration::from_secs(1));
        for i in 1..=10u64 {
            let sample = HistorySample::new(
                epoch_millis(t(100 + i)),
                Duration::from_millis(1),
                i <= 3,
                None,
            );
            // Checks 4 to 10: a Prometheus that did not answer for its target.
            h.push_sample(if i <= 3 {
                sample
            } else {
                sample.saying_nothing()
            });
        }
        let stats = h.stats(t(200), &mut Vec::new());
        assert_eq!((stats.checks, stats.judged), (10, 3));
        assert_eq!(stats.uptime, Some(1.0));
        let mut silent = History::new(Duration::from_secs(100), Duration::from_secs(1));
        let sample = HistorySample::new(epoch_millis(t(150)), Duration::ZERO, false, None);
        silent.push_sample(sample.saying_nothing());
        let stats = silent.stats(t(200), &mut Vec::new());
        assert_eq!((stats.checks, stats.judged, stats.uptime), (1, 0, None));
    }

    #[test]
    fn a_sample_packs_its_pass_latency_and_value_into_sixteen_bytes() {
        assert_eq!(std::mem::size_of::<HistorySample>(), 16);
        /// Latency, passed and value in; microseconds and value out.
        type Case = (Duration, bool, Option<f64>, u32, Option<f64>);
        let cases: &[Case] = &[
            (Duration::from_millis(43), true, None, 43_000, None),
            (
                Duration::from_millis(43),
                false,
                Some(97.25),
                43_000,
                Some(97.25),
            ),
            (
                Duration::from_secs(3 * 3600),
                true,
                Some(-1.5),
                (1 << 30) - 1,
                Some(-1.5),
            ),
            (Duration::ZERO, true, Some(f64::NAN), 0, None),
            (Duration::ZERO, true, Some(f64::INFINITY), 0, None),
            (
                Duration::ZERO,
                false,
                Some(1e300),
                0,
                Some(f64::from(f32::MAX)),
            ),
        ];
        for (latency, passed, value, want_us, want_value) in cases {
            let sample = HistorySample::new(7, *latency, *passed, *value);
            assert_eq!(sample.at_ms, 7);
            assert_eq!(sample.passed(), *passed, "{latency:?} {value:?}");
            assert_eq!(
                sample.latency_us(),
                *want_us,
                "{latency:?} saturates below the flag bits"
            );
            assert_eq!(sample.value(), *want_value, "{value:?}");
        }
        // A check that said nothing: failed, flagged, its latency and value kept.
        let nothing =
            HistorySample::new(7, Duration::from_micros(900), false, Some(2.0)).saying_nothing();
        assert!(nothing.said_nothing() && !nothing.passed());
        assert_eq!((nothing.latency_us(), nothing.value()), (900, Some(2.0)));
        assert!(!HistorySample::new(7, Duration::ZERO, false, None).said_nothing());
        let no_value = HistorySample::new(1, Duration::ZERO, true, None);
        assert_eq!(no_value, no_value, "samples without a value compare equal");
    }

    #[test]
    fn empty_window_has_no_figures() {
        let h = History::new(Duration::from_secs(60), Duration::from_secs(1));
        assert_eq!(h.stats(t(0), &mut Vec::new()), WindowStats::default());
    }

    #[test]
    fn percentile_nearest_rank_table() {
        let cases: &[(&[u32], usize, u64)] = &[
            (&[5], 50, 5),
            (&[5], 95, 5),
            (&[1, 2], 50, 1),
            (&[1, 2], 95, 2),
            (&[4, 1, 3, 2], 50, 2),
            (&[4, 1, 3, 2], 95, 4),
        ];
        for (values, pct, want) in cases {
            let mut v = values.to_vec();
            assert_eq!(
                percentile(&mut v, *pct),
                Some(Duration::from_micros(*want)),
                "{values:?} p{pct}"
            );
        }
    }
}
