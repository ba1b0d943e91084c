//! The Alertmanagers' metrics: up while reads succeed, its alerts by state, and none of
//! them in `lookout_alerts`, which counts lookout's own.

use std::sync::Arc;

use super::metrics::{encode, parse};
use super::now;
use crate::sources::alertmanager::sample::sample_alertmanager;
use crate::state::sample::sample_snapshot;
use crate::view::alert::AlertView;
use crate::view::alertmanager::ReadProblem;

#[test]
fn an_alertmanager_is_up_with_its_alerts_counted_apart_from_lookouts() {
    let mut snapshot = sample_snapshot(3, now());
    let am = sample_alertmanager(now());
    snapshot.alerts = am.alerts.clone();
    snapshot.alertmanagers = vec![am];
    let samples = parse(&encode(snapshot.clone()));
    let value = |name: &str, state: Option<&str>| {
        samples
            .iter()
            .filter(|s| s.name == name && s.label("alertmanager") == "team-am")
            .find(|s| state.is_none_or(|state| s.label("state") == state))
            .map(|s| s.value)
    };
    assert_eq!(value("lookout_alertmanager_up", None), Some(1.0));
    assert_eq!(
        value("lookout_alertmanager_alerts", Some("firing")),
        Some(1.0)
    );
    assert_eq!(
        value("lookout_alertmanager_alerts", Some("silenced")),
        Some(3.0)
    );
    assert_eq!(
        value("lookout_alertmanager_alerts", Some("pending")),
        Some(0.0)
    );
    let own: f64 = samples
        .iter()
        .filter(|s| s.name == "lookout_alerts")
        .map(|s| s.value)
        .sum();
    assert_eq!(own, 0.0, "Alertmanager's alerts are not lookout's");

    // Reads failing: down, and the counts of the last good read stay.
    let mut failing = (*snapshot.alertmanagers[0]).clone();
    failing.problem = Some(ReadProblem {
        since: now(),
        failures: 3,
        error: "GET /api/v2/alerts: no answer within 5s".into(),
    });
    snapshot.alertmanagers = vec![Arc::new(failing)];
    let samples = parse(&encode(snapshot));
    let up = samples
        .iter()
        .find(|s| s.name == "lookout_alertmanager_up")
        .map(|s| s.value);
    assert_eq!(up, Some(0.0));
}

#[test]
fn nothing_before_the_first_read() {
    let mut snapshot = sample_snapshot(1, now());
    let mut unread = (*sample_alertmanager(now())).clone();
    unread.reached = None;
    unread.alerts = Vec::<Arc<AlertView>>::new();
    snapshot.alertmanagers = vec![Arc::new(unread)];
    let text = encode(snapshot);
    assert!(!text.contains("lookout_alertmanager_up{"), "{text}");
    assert!(!text.contains("lookout_alertmanager_alerts{"), "{text}");
}
