//! Scheduler tests on paused time with a fake checker that records when it ran.

use std::future::pending;
use std::sync::Mutex;
use std::sync::atomic::AtomicUsize;

use tokio::time::sleep;

use super::*;
use crate::kinds::Outcome;
use crate::test_support::http_service;
use crate::view::check::CheckResult;

const MS: Duration = Duration::from_millis(1);
const SEC: Duration = Duration::from_secs(1);

fn services(intervals: &[Duration], timeout: Duration) -> Vec<ServiceConfig> {
    intervals
        .iter()
        .enumerate()
        .map(|(i, interval)| ServiceConfig {
            interval: *interval,
            timeout,
            ..http_service(&format!("s{i}"))
        })
        .collect()
}

/// Check starts, as (service, time since the scheduler started).
#[derive(Clone, Default)]
struct Starts(Arc<Mutex<Vec<(ServiceId, Duration)>>>);

impl Starts {
    fn of(&self, id: ServiceId) -> Vec<Duration> {
        let starts = self.0.lock().unwrap();
        starts
            .iter()
            .filter(|(s, _)| *s == id)
            .map(|(_, at)| *at)
            .collect()
    }
}

/// A scheduler over a fake checker: `duration(id)` says how long a check takes
/// (`None` hangs forever).
struct Rig {
    handle: SchedulerHandle,
    starts: Starts,
    events: mpsc::Receiver<Event>,
    cancel: CancellationToken,
}

impl Rig {
    fn new(
        services: &[ServiceConfig],
        cap: usize,
        duration: impl Fn(ServiceId) -> Option<Duration> + Send + Sync + 'static,
    ) -> Self {
        let starts = Starts::default();
        let record = starts.clone();
        let origin = Instant::now();
        let checker = move |id: ServiceId| {
            record.0.lock().unwrap().push((id, origin.elapsed()));
            let takes = duration(id);
            async move {
                match takes {
                    Some(takes) => sleep(takes).await,
                    None => pending::<()>().await,
                }
                Outcome::Pass { status: None }
            }
        };
        let (tx, events) = mpsc::channel(1024);
        let cancel = CancellationToken::new();
        let handle = spawn(services, Arc::new(checker), cap, tx, cancel.clone());
        Self {
            handle,
            starts,
            events,
            cancel,
        }
    }

    fn results(&mut self) -> Vec<CheckResult> {
        let mut results = Vec::new();
        while let Ok(Event::Checked(result)) = self.events.try_recv() {
            results.push(result);
        }
        results
    }
}

fn quick(_: ServiceId) -> Option<Duration> {
    Some(10 * MS)
}

#[tokio::test(start_paused = true)]
async fn first_checks_spread_over_a_second_at_most() {
    let rig = Rig::new(&services(&[10 * SEC; 50], SEC), 100, quick);
    let short = Rig::new(&services(&[200 * MS; 5], SEC), 100, quick);
    sleep(SEC).await;
    let mut firsts: Vec<Duration> = (0..50).map(|id| rig.starts.of(id)[0]).collect();
    assert_eq!(
        firsts[0],
        Duration::ZERO,
        "the first service starts at once"
    );
    firsts.sort();
    assert!(
        firsts.iter().all(|f| f.as_millis() % 20 == 0),
        "on the 20 ms slot grid: {firsts:?}"
    );
    let busiest = firsts
        .chunk_by(|a, b| a == b)
        .map(<[Duration]>::len)
        .max()
        .unwrap();
    assert!(
        busiest <= 3,
        "50 services over 50 slots, at most 3 in one: {firsts:?}"
    );
    firsts.dedup();
    assert!(firsts.len() >= 30, "spread over many slots: {firsts:?}");
    assert!(firsts[firsts.len() - 1] < SEC, "all within 1s: {firsts:?}");
    let gaps = firsts.windows(2).map(|w| w[1] - w[0]);
    assert!(gaps.max().unwrap() < 100 * MS, "evenly spread: {firsts:?}");
    for id in 0..5 {
        assert!(
            short.starts.of(id)[0] < 200 * MS,
            "spread within the interval"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn interval_keeps_its_phase_whatever_a_check_takes() {
    let rig = Rig::new(&services(&[SEC, SEC], 5 * SEC), 10, |_| Some(300 * MS));
    sleep(3 * SEC + 700 * MS).await;
    let offset = first_offset(1, SEC);
    let expected: Vec<Duration> = (0..4).map(|n| offset + n * SEC).collect();
    assert_eq!(rig.starts.of(1), expected);
}

#[tokio::test(start_paused = true)]
async fn concurrency_cap_is_honoured() {
    let in_flight = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (now, peak) = (Arc::clone(&in_flight), Arc::clone(&most));
    let checker = move |_| {
        let (now, peak) = (Arc::clone(&now), Arc::clone(&peak));
        async move {
            let running = now.fetch_add(1, Ordering::SeqCst) + 1;
            peak.fetch_max(running, Ordering::SeqCst);
            sleep(2 * SEC).await;
            now.fetch_sub(1, Ordering::SeqCst);
            Outcome::Pass { status: None }
        }
    };
    let (tx, mut rx) = mpsc::channel(64);
    let list = services(&[10 * SEC; 12], 5 * SEC);
    let _handle = spawn(&list, Arc::new(checker), 3, tx, CancellationToken::new());
    for _ in 0..12 {
        rx.recv().await.expect("every service reports");
    }
    assert_eq!(most.load(Ordering::SeqCst), 3);
}

#[tokio::test(start_paused = true)]
async fn a_hung_check_times_out_and_delays_nobody() {
    let mut rig = Rig::new(&services(&[10 * SEC, SEC], SEC), 2, |id| {
        (id == 1).then_some(10 * MS)
    });
    sleep(3 * SEC).await;
    let results = rig.results();
    let hung: Vec<_> = results.iter().filter(|r| r.service == 0).collect();
    assert_eq!(hung.len(), 1);
    assert_eq!(
        hung[0].outcome,
        Outcome::Fail {
            status: None,
            reason: "timeout after 1s".to_string()
        }
    );
    assert_eq!(hung[0].latency, SEC);
    let others: Vec<_> = results.iter().filter(|r| r.service == 1).collect();
    assert_eq!(others.len(), 3);
    assert!(
        others
            .iter()
            .all(|r| r.lag == Duration::ZERO && r.outcome.is_pass())
    );
}

#[tokio::test(start_paused = true)]
async fn lag_includes_the_wait_for_a_permit() {
    let mut rig = Rig::new(&services(&[10 * SEC, 10 * SEC], 5 * SEC), 1, |id| {
        Some(if id == 0 { 2 * SEC } else { 10 * MS })
    });
    sleep(3 * SEC).await;
    let results = rig.results();
    let late = results
        .iter()
        .find(|r| r.service == 1)
        .expect("service 1 ran");
    assert_eq!(late.lag, 2 * SEC - first_offset(1, 10 * SEC));
    assert_eq!(late.latency, 10 * MS, "latency excludes the wait");
}

#[tokio::test(start_paused = true)]
async fn missed_ticks_are_skipped_not_bursted() {
    let mut rig = Rig::new(&services(&[SEC], 5 * SEC), 1, |_| Some(2500 * MS));
    sleep(7 * SEC).await;
    assert_eq!(rig.starts.of(0), vec![Duration::ZERO, 3 * SEC, 6 * SEC]);
    assert!(rig.results().iter().all(|r| r.lag == Duration::ZERO));
}

#[tokio::test(start_paused = true)]
async fn check_now_collapses_and_keeps_the_schedule() {
    let rig = Rig::new(&services(&[100 * SEC], 5 * SEC), 1, |_| Some(SEC));
    sleep(10 * SEC).await;
    for _ in 0..3 {
        rig.handle.check_now(0);
    }
    sleep(5 * SEC).await;
    assert_eq!(rig.starts.of(0), vec![Duration::ZERO, 10 * SEC]);
    // Asked twice while a check runs: one more check right after it.
    rig.handle.check_now(0);
    sleep(100 * MS).await;
    rig.handle.check_now(0);
    rig.handle.check_now(0);
    sleep(90 * SEC).await;
    let starts = rig.starts.of(0);
    assert_eq!(starts[2..], [15 * SEC, 16 * SEC, 100 * SEC]);
    rig.handle.check_now(99); // unknown ids are ignored
}

#[tokio::test(start_paused = true)]
async fn paused_services_run_nothing_until_resumed() {
    let mut rig = Rig::new(&services(&[SEC], 5 * SEC), 1, |_| Some(500 * MS));
    sleep(200 * MS).await;
    rig.handle.set_paused(0, true); // the check in flight reports nothing
    sleep(3 * SEC).await;
    rig.handle.check_now(0); // ignored while paused
    sleep(2 * SEC).await;
    assert_eq!(rig.starts.of(0), vec![Duration::ZERO]);
    assert!(rig.results().is_empty());
    rig.handle.set_paused(0, false);
    sleep(2100 * MS).await;
    assert_eq!(rig.starts.of(0)[1..], [6 * SEC, 7 * SEC]);
    assert_eq!(rig.results().len(), 1, "the check at 7s is still running");
}

#[tokio::test(start_paused = true)]
async fn cancellation_stops_every_task_promptly() {
    let rig = Rig::new(&services(&[SEC, SEC, SEC], 60 * SEC), 1, |id| {
        (id != 0).then_some(SEC)
    });
    sleep(100 * MS).await; // service 0 hangs holding the only permit; others wait
    let before = Instant::now();
    rig.cancel.cancel();
    rig.handle.stopped().await;
    assert!(before.elapsed() < MS);
}

#[tokio::test(start_paused = true)]
async fn tasks_stop_when_nobody_listens() {
    let Rig { handle, events, .. } = Rig::new(&services(&[SEC], SEC), 1, quick);
    drop(events);
    sleep(2 * SEC).await;
    handle.stopped().await;
}

#[test]
fn catch_up_lands_on_the_grid() {
    let base = Instant::now();
    assert_eq!(catch_up(base + SEC, SEC, base), base + SEC);
    assert_eq!(catch_up(base, SEC, base), base);
    assert_eq!(catch_up(base, SEC, base + 2500 * MS), base + 3 * SEC);
}
