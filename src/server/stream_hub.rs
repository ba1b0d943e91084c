//! What `GET /api/v1/stream` sends, made once for every client: each second the newest
//! snapshot is compared with the last one sent and what changed becomes events, each
//! with an id, kept for a while so a client that reconnects with `Last-Event-ID` gets
//! what it missed, and handed to every connected client.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use tokio::sync::{broadcast, watch};
use tokio_util::sync::CancellationToken;

use super::alerts::ListedAlert;
use super::jobs::JobsJson;
use super::status::{ServiceStatus, Status};
use crate::view::snapshot::{EngineInfo, Snapshot};
use crate::view_form;

/// How often changes are gathered into events: a viewer sees a change within this.
pub const BATCH: Duration = Duration::from_secs(1);
/// Events kept for clients that reconnect.
const KEPT: usize = 1024;
/// Events waiting for a slow client before it is told to start over.
const WAITING: usize = 256;
/// How long events are still made after the last client left, for it to resume; after
/// that the hub rests (a headless engine nobody watches spends nothing on it) and a
/// client that comes back starts from a snapshot.
const LINGER: Duration = Duration::from_secs(60);

/// One event: its id, its name, its data (one line of JSON).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub id: u64,
    pub name: &'static str,
    pub data: String,
}

/// A way of telling snapshots as events: the API's shapes for tools ([`ApiForm`]), or
/// lookout's own view types for attached viewers ([`ViewForm`]).
pub trait Form: Send + Sync + 'static {
    /// What was last sent, to compare the next snapshot with.
    type Picture: Send + Sync + 'static;
    /// The picture of `snapshot`; `before` may spare work on what did not change.
    fn picture(
        &self,
        snapshot: &Snapshot,
        before: Option<&Self::Picture>,
        now: SystemTime,
    ) -> Self::Picture;
    /// The events that take a client from `before` to `next`.
    fn changes(&self, before: &Self::Picture, next: &Self::Picture) -> Vec<(&'static str, String)>;
    /// The data of a `snapshot` event: everything a client starts from.
    fn whole(&self, snapshot: &Snapshot, now: SystemTime) -> String;
}

/// The events made so far and the way to hear of new ones.
pub struct Hub<F: Form> {
    inner: Arc<Mutex<Kept>>,
    sender: broadcast::Sender<Event>,
    view: watch::Receiver<Snapshot>,
    form: Arc<F>,
}

impl<F: Form> Clone for Hub<F> {
    fn clone(&self) -> Self {
        Self {
            inner: Arc::clone(&self.inner),
            sender: self.sender.clone(),
            view: self.view.clone(),
            form: Arc::clone(&self.form),
        }
    }
}

/// Both hubs an engine runs, each resting while nobody listens to it.
#[derive(Clone)]
pub struct Hubs {
    pub api: Hub<ApiForm>,
    pub view: Hub<ViewForm>,
}

impl Hubs {
    pub fn start(
        view: watch::Receiver<Snapshot>,
        engine: EngineInfo,
        cancel: &CancellationToken,
    ) -> Self {
        Self {
            api: Hub::start(view.clone(), ApiForm, cancel),
            view: Hub::start(view, ViewForm { engine }, cancel),
        }
    }
}

struct Kept {
    events: VecDeque<Event>,
    /// The id of the last event made (0 before any).
    last_id: u64,
}

/// What a client starts with: a whole snapshot, or the events after the one it had.
pub enum Start {
    Snapshot(Event),
    Missed(Vec<Event>),
}

impl<F: Form> Hub<F> {
    /// Starts the task that makes the events from `view`, until `cancel`. Ids start from
    /// the clock (microseconds since the Unix epoch, to the millisecond), so an id a
    /// client kept from an engine that has since restarted is older than every id this
    /// one makes, and gets a fresh snapshot rather than another engine's events.
    pub fn start(view: watch::Receiver<Snapshot>, form: F, cancel: &CancellationToken) -> Self {
        let (sender, _) = broadcast::channel(WAITING);
        let since_epoch = SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default();
        let first = u64::try_from(since_epoch.as_millis()).unwrap_or(0) * 1000;
        let hub = Self {
            inner: Arc::new(Mutex::new(Kept {
                events: VecDeque::new(),
                last_id: first,
            })),
            sender,
            view,
            form: Arc::new(form),
        };
        let making = hub.clone();
        let cancel = cancel.clone();
        tokio::spawn(async move {
            tokio::select! {
                () = cancel.cancelled() => {}
                () = making.make() => {}
            }
        });
        hub
    }

    /// The clients following the stream now.
    pub fn listeners(&self) -> usize {
        self.sender.receiver_count()
    }

    /// New events from now on.
    pub fn subscribe(&self) -> broadcast::Receiver<Event> {
        self.sender.subscribe()
    }

    /// Where a client starts: after `last_seen` when those events are still kept, else
    /// with the whole picture (its id the last event's, so what follows continues it).
    pub fn start_for(&self, last_seen: Option<u64>, now: SystemTime) -> Start {
        let kept = self.lock();
        if let Some(seen) = last_seen {
            let oldest = kept.events.front().map_or(kept.last_id + 1, |e| e.id);
            if seen <= kept.last_id && seen + 1 >= oldest {
                let missed = kept.events.iter().filter(|e| e.id > seen).cloned();
                return Start::Missed(missed.collect());
            }
        }
        let snapshot = self.view.borrow().clone();
        Start::Snapshot(Event {
            id: kept.last_id,
            name: "snapshot",
            data: self.form.whole(&snapshot, now),
        })
    }

    /// Every [`BATCH`], what changed since the last look becomes events, while someone
    /// listens (and [`LINGER`] after); at once when someone acted (`Snapshot::acted`).
    async fn make(&self) {
        let mut view = self.view.clone();
        let mut last: Option<F::Picture> = None;
        // The commands carried out as of the last events made.
        let mut acted = view.borrow().acted;
        // A snapshot came since the last events were made.
        let mut fresh = false;
        let mut engine_gone = false;
        let mut listened = tokio::time::Instant::now();
        let mut tick = tokio::time::interval(BATCH);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                _ = tick.tick() => {}
                changed = view.changed(), if last.is_some() && !engine_gone => {
                    if changed.is_err() {
                        engine_gone = true;
                        continue;
                    }
                    fresh = true;
                    if view.borrow().acted == acted {
                        continue;
                    }
                }
            }
            if self.sender.receiver_count() > 0 {
                listened = tokio::time::Instant::now();
            } else if listened.elapsed() > LINGER {
                if last.take().is_some() {
                    // Resting: what would resume from these is no longer made.
                    self.lock().events.clear();
                }
                continue;
            }
            let Some(before) = &last else {
                // Waking (or starting): listeners started from a snapshot made a moment
                // ago; one made now is what the next changes follow.
                let snapshot = view.borrow_and_update().clone();
                let now = SystemTime::now();
                if self.sender.receiver_count() > 0 {
                    self.push("snapshot", self.form.whole(&snapshot, now));
                }
                acted = snapshot.acted;
                fresh = false;
                last = Some(self.form.picture(&snapshot, None, now));
                continue;
            };
            if !std::mem::take(&mut fresh) && !view.has_changed().unwrap_or(false) {
                continue;
            }
            let snapshot = view.borrow_and_update().clone();
            let next = self
                .form
                .picture(&snapshot, Some(before), SystemTime::now());
            for (name, data) in self.form.changes(before, &next) {
                self.push(name, data);
            }
            acted = snapshot.acted;
            last = Some(next);
        }
    }

    fn push(&self, name: &'static str, data: String) {
        let event = {
            let mut kept = self.lock();
            kept.last_id += 1;
            let event = Event {
                id: kept.last_id,
                name,
                data,
            };
            kept.events.push_back(event.clone());
            while kept.events.len() > KEPT {
                kept.events.pop_front();
            }
            event
        };
        // Nobody listening is fine: the event is kept for whoever comes.
        let _ = self.sender.send(event);
    }

    fn lock(&self) -> MutexGuard<'_, Kept> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// The API's shapes, for tools: what `/api/v1/status`, `/api/v1/alerts` and
/// `/api/v1/jobs` say, and compact check rows.
pub struct ApiForm;

impl Form for ApiForm {
    type Picture = Picture;

    fn picture(&self, snapshot: &Snapshot, _: Option<&Picture>, now: SystemTime) -> Picture {
        Picture::of(snapshot, now)
    }

    fn changes(&self, before: &Picture, next: &Picture) -> Vec<(&'static str, String)> {
        before.changes(next)
    }

    fn whole(&self, snapshot: &Snapshot, now: SystemTime) -> String {
        whole(snapshot, now).to_string()
    }
}

/// lookout's own view types, for attached viewers (`?form=view`; see `view_form`).
pub struct ViewForm {
    pub engine: EngineInfo,
}

impl Form for ViewForm {
    type Picture = view_form::Picture;

    fn picture(
        &self,
        snapshot: &Snapshot,
        before: Option<&Self::Picture>,
        _: SystemTime,
    ) -> Self::Picture {
        view_form::Picture::of(snapshot, before)
    }

    fn changes(&self, before: &Self::Picture, next: &Self::Picture) -> Vec<(&'static str, String)> {
        before.changes(next, &self.engine)
    }

    fn whole(&self, snapshot: &Snapshot, _: SystemTime) -> String {
        view_form::whole(snapshot, &self.engine)
    }
}

/// The whole picture a client starts from: what `/api/v1/status`, `/api/v1/alerts`
/// (open ones) and `/api/v1/jobs` say.
fn whole(snapshot: &Snapshot, now: SystemTime) -> Value {
    json!({
        "status": Status::new(snapshot, now),
        "alerts": alerts(snapshot, now),
        "jobs": snapshot.jobs.as_deref().map(JobsJson::of),
        "machine": snapshot.system.as_deref().map(super::machine::of),
        "notices": super::notices::of(snapshot),
    })
}

fn alerts(snapshot: &Snapshot, now: SystemTime) -> Value {
    let listed: Vec<ListedAlert<'_>> = (snapshot.alerts.iter())
        .map(|alert| ListedAlert::new(alert, now))
        .collect();
    json!(listed)
}

/// What was last sent in the API's shapes, to compare the next snapshot with.
#[derive(Debug, Default, PartialEq)]
pub struct Picture {
    /// Per service: its state entry without the per-check figures, and the time of its
    /// newest check.
    services: BTreeMap<String, (String, u64)>,
    /// Per service, the checks since the last picture: (at ms, latency ms, passed; `None`
    /// when the check said nothing about the service).
    checks: BTreeMap<String, Vec<(u64, f64, Option<bool>)>>,
    /// The open alerts without their ages and timelines.
    alerts: String,
    jobs: String,
    /// The machine's newest sample (`null` when it is not sampled).
    machine: String,
    notices: String,
}

impl Picture {
    fn of(snapshot: &Snapshot, now: SystemTime) -> Self {
        let mut picture = Picture::default();
        for service in &snapshot.services {
            let mut entry = json!(ServiceStatus::new(service));
            // Moved by every check: the checks' own events carry them.
            for moving in [
                "last_check",
                "p50_ms",
                "p95_ms",
                "uptime",
                "checks_in_window",
                "consecutive_failures",
            ] {
                if let Some(map) = entry.as_object_mut() {
                    map.remove(moving);
                }
            }
            let newest = service.samples.last().map_or(0, |s| s.at_ms);
            let checks = (service.samples.iter().rev())
                .take(64)
                .map(|s| {
                    let passed = (!s.said_nothing()).then_some(s.passed());
                    (s.at_ms, s.latency().as_secs_f64() * 1000.0, passed)
                })
                .collect::<Vec<_>>();
            let name = service.config.name.clone();
            picture.checks.insert(name.clone(), checks);
            picture.services.insert(name, (entry.to_string(), newest));
        }
        let mut open = alerts(snapshot, now);
        for alert in open.as_array_mut().into_iter().flatten() {
            if let Some(map) = alert.as_object_mut() {
                map.remove("age_seconds");
                map.remove("timeline");
            }
        }
        picture.alerts = open.to_string();
        picture.jobs = json!(snapshot.jobs.as_deref().map(JobsJson::of)).to_string();
        picture.machine = json!(snapshot.system.as_deref().map(super::machine::of)).to_string();
        picture.notices = super::notices::of(snapshot).to_string();
        picture
    }

    /// The events that take a client from `self` to `next`.
    fn changes(&self, next: &Picture) -> Vec<(&'static str, String)> {
        let mut events = Vec::new();
        let mut checks = Vec::new();
        for (name, (entry, newest)) in &next.services {
            let before = self.services.get(name);
            if before.map(|(e, _)| e) != Some(entry) {
                events.push(("service", entry.clone()));
            }
            let since = before.map_or(0, |(_, newest)| *newest);
            let fresh = (next.checks.get(name).into_iter().flatten())
                .filter(|(at, ..)| *at > since && *at <= *newest)
                .rev();
            for (at, ms, passed) in fresh {
                checks.push(json!([name, at, (ms * 10.0).round() / 10.0, passed]));
            }
        }
        if !checks.is_empty() {
            events.push(("checks", json!(checks).to_string()));
        }
        let removed: Vec<&String> = (self.services.keys())
            .filter(|name| !next.services.contains_key(*name))
            .collect();
        if !removed.is_empty() {
            events.push(("removed", json!({ "services": removed }).to_string()));
        }
        if self.alerts != next.alerts {
            events.push(("alerts", next.alerts.clone()));
        }
        if self.jobs != next.jobs {
            events.push(("jobs", next.jobs.clone()));
        }
        if self.machine != next.machine {
            events.push(("machine", next.machine.clone()));
        }
        if self.notices != next.notices {
            events.push(("notices", next.notices.clone()));
        }
        events
    }
}

#[cfg(test)]
#[path = "stream_hub_tests.rs"]
mod tests;
