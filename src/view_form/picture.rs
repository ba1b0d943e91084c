//! The engine's side of the view stream: a snapshot as last sent, and the events that
//! take a viewer from one to the next. Services the core did not rebuild (the same
//! `Arc`) cost a pointer comparison.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use super::rows::{SampleRow, check_row};
use super::{Extras, Head, ServiceWhole, Whole};
use crate::view::machine::SystemView;
use crate::view::service::ServiceView;
use crate::view::snapshot::{EngineInfo, Snapshot};

/// The start lag is sent to this step: finer would change every second.
const LAG_STEP_MS: u128 = 100;

/// A snapshot as sent: the events to the next one are made by comparing with it.
pub struct Picture {
    snapshot: Snapshot,
    /// Each service's [`Head`] as sent, in the snapshot's order.
    heads: Vec<String>,
    alerts: String,
    alert_history: String,
    jobs: String,
    extras: String,
}

impl Picture {
    /// The picture of `snapshot`; what `before` already wrote out is reused for services
    /// the core did not rebuild.
    pub fn of(snapshot: &Snapshot, before: Option<&Picture>) -> Self {
        let heads = (snapshot.services.iter().enumerate())
            .map(|(i, service)| {
                let kept = before.and_then(|b| {
                    let same = b.snapshot.services.get(i)?;
                    Arc::ptr_eq(same, service).then(|| b.heads.get(i).cloned())?
                });
                kept.unwrap_or_else(|| to_json(&head(service)))
            })
            .collect();
        // What the core did not make anew (the same `Arc`s) is not written out again.
        let was = before.map(|b| (&b.snapshot, b));
        let kept = |same: fn(&Snapshot, &Snapshot) -> bool, text: fn(&Picture) -> &String| {
            was.filter(|(old, _)| same(old, snapshot))
                .map(|(_, b)| text(b).clone())
        };
        Self {
            alerts: kept(|a, b| same_arcs(&a.alerts, &b.alerts), |p| &p.alerts)
                .unwrap_or_else(|| to_json(&snapshot.alerts)),
            alert_history: kept(
                |a, b| same_arcs(&a.alert_history, &b.alert_history),
                |p| &p.alert_history,
            )
            .unwrap_or_else(|| to_json(&snapshot.alert_history)),
            jobs: kept(
                |a, b| same_arc(a.jobs.as_ref(), b.jobs.as_ref()),
                |p| &p.jobs,
            )
            .unwrap_or_else(|| to_json(&snapshot.jobs)),
            extras: to_json(&extras(snapshot)),
            snapshot: snapshot.clone(),
            heads,
        }
    }

    /// The events that take a viewer from `self` to `next`; one whole `snapshot` when
    /// the services or the history window changed.
    pub fn changes(&self, next: &Picture, engine: &EngineInfo) -> Vec<(&'static str, String)> {
        let (was, now) = (&self.snapshot, &next.snapshot);
        let renamed = (was.services.len() != now.services.len())
            || (was.services.iter().zip(&now.services))
                .any(|(a, b)| a.config.name != b.config.name);
        if renamed || was.history != now.history {
            return vec![("snapshot", whole(now, engine))];
        }
        let mut events = Vec::new();
        let mut rows = Vec::new();
        for (i, (before, after)) in was.services.iter().zip(&now.services).enumerate() {
            if Arc::ptr_eq(before, after) {
                continue;
            }
            if self.heads.get(i) != next.heads.get(i) {
                events.push(("service", next.heads[i].clone()));
            }
            rows.extend(fresh_checks(before, after));
        }
        if !rows.is_empty() {
            events.push(("checks", Value::Array(rows).to_string()));
        }
        if let Some(machine) = machine_change(was.system.as_ref(), now.system.as_ref()) {
            events.push(("machine", machine));
        }
        for (name, a, b) in [
            ("alerts", &self.alerts, &next.alerts),
            ("alert_history", &self.alert_history, &next.alert_history),
            ("jobs", &self.jobs, &next.jobs),
            ("extras", &self.extras, &next.extras),
        ] {
            if a != b {
                events.push((name, b.clone()));
            }
        }
        events
    }
}

/// The whole picture, as the `snapshot` event carries it.
pub fn whole(snapshot: &Snapshot, engine: &EngineInfo) -> String {
    let services = (snapshot.services.iter())
        .map(|service| ServiceWhole {
            head: head(service),
            recent: service.recent.clone(),
            samples: service.samples.iter().map(SampleRow::of).collect(),
            consecutive_failures: service.consecutive_failures,
        })
        .collect();
    to_json(&Whole {
        engine: engine.clone(),
        services,
        alerts: snapshot.alerts.clone(),
        alert_history: snapshot.alert_history.clone(),
        machine: snapshot.system.clone(),
        jobs: snapshot.jobs.clone(),
        extras: extras(snapshot),
    })
}

fn head(service: &ServiceView) -> Head {
    Head {
        config: Arc::new(service.config.for_viewers()),
        state: service.state,
        since: service.since,
        recovered: service.recovered,
        certificate: service.certificate.clone(),
    }
}

fn extras(snapshot: &Snapshot) -> Extras {
    let lag_ms = snapshot.max_lag.as_millis() / LAG_STEP_MS * LAG_STEP_MS;
    Extras {
        config_source: snapshot.config_source.clone(),
        history: snapshot.history,
        max_lag: Duration::from_millis(u64::try_from(lag_ms).unwrap_or(u64::MAX)),
        reload: snapshot.reload.clone(),
        alertmanagers: snapshot.alertmanagers.clone(),
        notice: snapshot.notice.clone(),
        store: snapshot.store.clone(),
        notices: snapshot.notices.clone(),
        acted: snapshot.acted,
    }
}

/// The checks `after` has that `before` had not, as rows; the last carries the failures
/// in a row (earlier ones are overtaken by it).
fn fresh_checks(before: &ServiceView, after: &ServiceView) -> Vec<Value> {
    let seen: Option<SystemTime> = before.last().map(|check| check.at);
    let fresh: Vec<_> = (after.recent.iter())
        .filter(|check| seen.is_none_or(|seen| check.at > seen))
        .collect();
    let last = fresh.len().saturating_sub(1);
    let name = &after.config.name;
    (fresh.iter().enumerate())
        .map(|(i, check)| {
            let failures = if i == last {
                after.consecutive_failures
            } else {
                0
            };
            check_row(name, check, failures)
        })
        .collect()
}

/// The machine's newest sample, its rules and the history points since `was`.
fn machine_change(was: Option<&Arc<SystemView>>, now: Option<&Arc<SystemView>>) -> Option<String> {
    let now = now?;
    if was.is_some_and(|was| Arc::ptr_eq(was, now)) {
        return None;
    }
    let newest_sent = was.and_then(|w| w.history.last()).map_or(0, |p| p.at_ms);
    let mut change = SystemView::clone(now);
    change.history.retain(|point| point.at_ms > newest_sent);
    Some(to_json(&change))
}

fn same_arcs<T>(a: &[Arc<T>], b: &[Arc<T>]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| Arc::ptr_eq(x, y))
}

fn same_arc<T>(a: Option<&Arc<T>>, b: Option<&Arc<T>>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => Arc::ptr_eq(a, b),
        (None, None) => true,
        _ => false,
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> String {
    // The view types are plain data (strings, numbers, maps with string keys): writing
    // them cannot fail; should it, the event says so rather than stopping the stream.
    serde_json::to_string(value)
        .unwrap_or_else(|err| json!({ "error": err.to_string() }).to_string())
}
