//! `alertmanager_unreachable`: an Alertmanager in the config has not answered
//! `FAILURES_FOR_ALERT` reads in a row. Its alerts in the pane are then as old as its
//! last good read, and what lookout forwards may not be getting there either.

use std::time::SystemTime;

use super::rules::{Check, Watch, hold_since, trouble_watch};
use crate::view::alert::AlertKind;
use crate::view::alertmanager::AlertmanagerView;

/// Failed reads in a row before it counts as unreachable: one dropped connection that
/// the next read (a second later) fixes is not worth a page.
pub(crate) const FAILURES_FOR_ALERT: u32 = 2;

/// Since when `view` has been unreachable, if it has been.
fn holds(view: &AlertmanagerView) -> Option<SystemTime> {
    view.problem
        .as_ref()
        .filter(|p| p.failures >= FAILURES_FOR_ALERT)
        .map(|p| p.since)
}

/// Why the alert of an Alertmanager taken out of the config ends.
const NOT_CONFIGURED: &str = "its [[alertmanager]] is no longer in the config";

/// Adds a watch per Alertmanager of the snapshot and re-checks every watch; the alert
/// of an Alertmanager no longer configured ends.
pub(crate) fn update(
    watches: &mut Vec<Watch>,
    views: &[std::sync::Arc<AlertmanagerView>],
    now: SystemTime,
) {
    for view in views {
        if !watches.iter().any(|w| w.key.subject == view.name) {
            let kind = AlertKind::AlertmanagerUnreachable;
            let check = Check::AlertmanagerUnreachable;
            watches.push(trouble_watch(kind, check, &view.name));
        }
    }
    for watch in watches.iter_mut() {
        let view = views.iter().find(|v| v.name == watch.key.subject);
        watch.stopped = view.is_none().then_some(NOT_CONFIGURED);
        hold_since(watch, view.and_then(|v| holds(v)), now);
    }
}

/// The line the alert about Alertmanager `name` shows.
pub(crate) fn summary(name: &str, views: &[std::sync::Arc<AlertmanagerView>]) -> String {
    match views
        .iter()
        .find(|v| v.name == name)
        .and_then(|v| v.problem.as_ref())
    {
        Some(p) => format!(
            "Alertmanager {name} unreachable ({} tries): {}",
            p.failures, p.error
        ),
        None => format!("Alertmanager {name} unreachable"),
    }
}
