//! The Alertmanagers lookout reads: whether each answers, and how many of its alerts
//! are active or suppressed as of the last good read. Nothing without
//! `[[alertmanager]]`; no figures before the first read.

use std::fmt;

use super::metrics::gauge;
use crate::view::alert::AlertState;
use crate::view::alertmanager::AlertmanagerView;
use crate::view::snapshot::Snapshot;
use prometheus_client::encoding::DescriptorEncoder;

/// Every Alertmanager family.
pub(super) fn alertmanagers(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let views = &snapshot.alertmanagers;
    if views.is_empty() {
        return Ok(());
    }
    let read = |view: &AlertmanagerView| view.reached.is_some() || view.problem.is_some();
    gauge(
        encoder,
        "lookout_alertmanager_up",
        "1 when the Alertmanager answered lookout's latest read, 0 while reads fail.",
        views.iter().filter(|v| read(v)).map(|v| {
            (
                [("alertmanager", v.name.clone())],
                i64::from(v.problem.is_none()),
            )
        }),
    )?;
    let counts = views.iter().filter(|v| v.reached.is_some()).flat_map(|v| {
        [
            ("firing", AlertState::Firing),
            ("silenced", AlertState::Silenced),
            ("pending", AlertState::Pending),
        ]
        .map(|(word, state)| {
            let n = v.alerts.iter().filter(|a| a.state == state).count();
            let labels = [
                ("alertmanager", v.name.clone()),
                ("state", word.to_string()),
            ];
            (labels, i64::try_from(n).unwrap_or(i64::MAX))
        })
    });
    gauge(
        encoder,
        "lookout_alertmanager_alerts",
        "The Alertmanager's unresolved alerts as of lookout's last good read, by lookout's \
         state word (firing: active; silenced: silenced or inhibited; pending: unprocessed).",
        counts,
    )
}
