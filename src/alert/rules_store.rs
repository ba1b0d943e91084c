//! `alert_store_failed`: the state directory does not take lookout's writes (a full,
//! read-only or failing disk, a database that cannot be made again). Acks and silences
//! made meanwhile hold in memory and are written once it does; until then a restart
//! would lose them, which the person on call should know.

use std::time::SystemTime;

use super::rules::{Check, Watch, hold_since, trouble_watch};
use crate::view::alert::AlertKind;
use crate::view::snapshot::StoreTrouble;

/// The subject of the alert.
pub(crate) const SUBJECT: &str = "state-directory";

/// The one watch, made on the first evaluation, re-checked on every one.
pub(crate) fn update(watches: &mut Vec<Watch>, trouble: Option<&StoreTrouble>, now: SystemTime) {
    if watches.is_empty() {
        let (kind, check) = (AlertKind::AlertStoreFailed, Check::AlertStoreFailed);
        watches.push(trouble_watch(kind, check, SUBJECT));
    }
    for watch in watches.iter_mut() {
        hold_since(watch, trouble.map(|t| t.since), now);
    }
}

/// The line its alert shows.
pub(crate) fn summary(trouble: Option<&StoreTrouble>) -> String {
    match trouble {
        Some(t) if t.repaired => format!(
            "a write to the state directory failed and was made again (nothing waits): {}",
            t.error
        ),
        Some(t) => format!(
            "acks and silences are not being saved ({} waiting, which a restart would \
             lose): {}",
            t.waiting, t.error
        ),
        None => "acks and silences are saved again".to_string(),
    }
}
