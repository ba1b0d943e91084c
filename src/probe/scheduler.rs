//! When checks run: one task per service on its own interval, first checks spread by
//! a deterministic jitter, a global cap on checks in flight, every check bounded by
//! its timeout, missed ticks skipped, and lag (start against plan) measured.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, Semaphore, mpsc};
use tokio::time::{Instant, sleep_until};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::ServiceConfig;
use crate::event::Event;
use crate::view::check::ServiceId;

use super::{Checker, timed_check};

/// First checks are spread over at most this much, so results arrive fast.
const MAX_SPREAD: Duration = Duration::from_secs(1);
/// The grid first checks start on: 50 slots in a second, so 1,000 services start about
/// 20 at a time rather than all at once or one per wake-up.
const SLOT: Duration = Duration::from_millis(20);
/// A floor for intervals so a zero can never spin.
const MIN_INTERVAL: Duration = Duration::from_millis(1);

/// Steers running service tasks from the core; cheap to clone.
#[derive(Clone)]
pub struct SchedulerHandle {
    /// The id of the first service (`slots[0]`).
    first: ServiceId,
    slots: Arc<[Slot]>,
    tasks: TaskTracker,
}

/// One service's mailbox: flags read by its task, and a wake-up for it.
#[derive(Default)]
struct Slot {
    paused: AtomicBool,
    check_now: AtomicBool,
    wake: Notify,
}

impl SchedulerHandle {
    /// Runs the service's check as soon as a concurrency permit allows. Requests made
    /// before it starts collapse into one; its schedule keeps its phase. Ignored
    /// while the service is paused.
    pub fn check_now(&self, id: ServiceId) {
        if let Some(slot) = self.slot(id) {
            slot.check_now.store(true, Ordering::Release);
            slot.wake.notify_one();
        }
    }

    /// A paused service runs no checks, and a check in flight when it is paused
    /// reports nothing. Resuming continues on the original schedule.
    pub fn set_paused(&self, id: ServiceId, paused: bool) {
        if let Some(slot) = self.slot(id) {
            slot.paused.store(paused, Ordering::Release);
            slot.wake.notify_one();
        }
    }

    /// Resolves once every service task has stopped (after cancellation, or once
    /// the event receiver is gone), so shutdown can wait for in-flight checks to end.
    pub async fn stopped(&self) {
        self.tasks.wait().await;
    }

    /// Service `id`'s mailbox, when this scheduler runs it.
    fn slot(&self, id: ServiceId) -> Option<&Slot> {
        self.slots.get(id.checked_sub(self.first)?)
    }
}

/// What every service task shares.
struct Shared<C> {
    checker: Arc<C>,
    permits: Arc<Semaphore>,
    events: mpsc::Sender<Event>,
    cancel: CancellationToken,
    first: ServiceId,
    slots: Arc<[Slot]>,
}

/// Starts one task per service (ids are indexes into `services`); results go out as
/// `Event::Checked` on `events`. At most `max_concurrent` checks run at once (at least
/// one). Tasks stop promptly when `cancel` fires. Must be called inside a tokio runtime.
pub fn spawn<C: Checker>(
    services: &[ServiceConfig],
    checker: Arc<C>,
    max_concurrent: usize,
    events: mpsc::Sender<Event>,
    cancel: CancellationToken,
) -> SchedulerHandle {
    let run = Run {
        first: 0,
        permits: permits(max_concurrent),
        events,
        cancel,
    };
    spawn_numbered(services, checker, run)
}

/// At most `max_concurrent` checks at once (at least one).
pub fn permits(max_concurrent: usize) -> Arc<Semaphore> {
    Arc::new(Semaphore::new(
        max_concurrent.clamp(1, Semaphore::MAX_PERMITS),
    ))
}

/// How a set of services runs beside others: the id of its first service, the permits
/// it shares with them, where results go and what stops it.
pub struct Run {
    pub first: ServiceId,
    pub permits: Arc<Semaphore>,
    pub events: mpsc::Sender<Event>,
    pub cancel: CancellationToken,
}

/// [`spawn`] for services numbered from `run.first` (the checker is asked by those ids),
/// sharing `run.permits` with other schedulers.
pub fn spawn_numbered<C: Checker>(
    services: &[ServiceConfig],
    checker: Arc<C>,
    run: Run,
) -> SchedulerHandle {
    let slots: Arc<[Slot]> = services.iter().map(|_| Slot::default()).collect();
    let first = run.first;
    let shared = Arc::new(Shared {
        checker,
        permits: run.permits,
        events: run.events,
        cancel: run.cancel,
        first,
        slots: Arc::clone(&slots),
    });
    let tasks = TaskTracker::new();
    let start = Instant::now();
    for (id, service) in (first..).zip(services) {
        let interval = service.interval.max(MIN_INTERVAL);
        let plan = Plan {
            interval,
            timeout: service.timeout,
            first: start + first_offset(id, interval),
        };
        tasks.spawn(run_service(id, plan, Arc::clone(&shared)));
    }
    tasks.close();
    SchedulerHandle {
        first,
        slots,
        tasks,
    }
}

/// One service's schedule.
#[derive(Clone, Copy)]
struct Plan {
    interval: Duration,
    timeout: Duration,
    /// The first tick; later ticks follow at whole intervals after it.
    first: Instant,
}

/// Where in `min(interval, 1s)` a service's first check falls. Deterministic (the same
/// config gives the same phases) and evenly spread for any number of services: the
/// fractional parts of `id × golden ratio` never bunch up. Offsets sit on a `SLOT` grid
/// (when the spread holds at least two slots) so that one timer wake-up starts the few
/// checks of a slot together: on a quiet machine a wake-up costs more than a check.
fn first_offset(id: ServiceId, interval: Duration) -> Duration {
    const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;
    let fraction = (id as u64).wrapping_mul(GOLDEN) as f64 / (u64::MAX as f64 + 1.0);
    let spread = interval.min(MAX_SPREAD);
    let offset_ms = (spread.as_millis() as f64 * fraction) as u64;
    let slot_ms = SLOT.as_millis() as u64;
    if spread >= 2 * SLOT {
        Duration::from_millis(offset_ms / slot_ms * slot_ms)
    } else {
        Duration::from_millis(offset_ms)
    }
}

/// The first tick at or after `now` on the grid through `next`: ticks missed while a
/// check ran (or waited for a permit) are skipped, never run in a burst.
fn catch_up(next: Instant, interval: Duration, now: Instant) -> Instant {
    if next >= now {
        return next;
    }
    let behind = (now - next).as_nanos();
    let steps = behind.div_ceil(interval.as_nanos());
    let ahead = interval.as_nanos() * steps;
    next + Duration::from_nanos(u64::try_from(ahead).unwrap_or(u64::MAX))
}

async fn run_service<C: Checker>(id: ServiceId, plan: Plan, shared: Arc<Shared<C>>) {
    let slot = &shared.slots[id - shared.first];
    let cancelled = shared.cancel.cancelled();
    tokio::pin!(cancelled);
    let mut next = plan.first;
    loop {
        if slot.paused.load(Ordering::Acquire) {
            while slot.paused.load(Ordering::Acquire) {
                tokio::select! {
                    biased;
                    () = &mut cancelled => return,
                    () = slot.wake.notified() => {}
                }
            }
            // Requests made while paused are dropped; the phase is kept.
            slot.check_now.store(false, Ordering::Release);
            next = catch_up(next, plan.interval, Instant::now());
            continue;
        }
        let planned = if slot.check_now.swap(false, Ordering::AcqRel) {
            Instant::now()
        } else {
            tokio::select! {
                biased;
                () = &mut cancelled => return,
                // A request or a pause: look at the flags again.
                () = slot.wake.notified() => continue,
                () = sleep_until(next) => {
                    let planned = next;
                    next += plan.interval;
                    planned
                }
            }
        };
        let permit = tokio::select! {
            biased;
            () = &mut cancelled => return,
            permit = shared.permits.acquire() => permit.expect("the semaphore is never closed"),
        };
        let lag = Instant::now().saturating_duration_since(planned);
        let result = tokio::select! {
            biased;
            () = &mut cancelled => return,
            result = timed_check(&*shared.checker, id, plan.timeout, lag) => result,
        };
        drop(permit);
        next = catch_up(next, plan.interval, Instant::now());
        if slot.paused.load(Ordering::Acquire) {
            continue;
        }
        tokio::select! {
            biased;
            () = &mut cancelled => return,
            sent = shared.events.send(Event::Checked(result)) => {
                if sent.is_err() {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
