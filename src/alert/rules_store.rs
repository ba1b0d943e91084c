//! `alert_store_failed`: the state directory does not take lookout's writes (a full,
//! read-only or failing disk, a database that cannot be made again). Acks and silences
//! made meanwhile hold in memory and are written once it does; until then a restart
//! would lose them, which the person on call should know.

use std::time::{Duration, SystemTime};

use super::model::AlertKind;
use super::rules::{Check, Tier, Watch, key};
use crate::config::Severity;
use crate::state::StoreTrouble;

/// The subject of the alert.
pub(crate) const SUBJECT: &str = "state-directory";

/// The one watch, made on the first evaluation, re-checked on every one.
pub(crate) fn update(watches: &mut Vec<Watch>, trouble: Option<&StoreTrouble>, now: SystemTime) {
    if watches.is_empty() {
        let tier = Tier {
            check: Check::AlertStoreFailed,
            severity: Severity::High,
            hold: Duration::ZERO,
            since: None,
        };
        let key = key(AlertKind::AlertStoreFailed, None, SUBJECT);
        watches.push(Watch::new(key, None, vec![tier]));
    }
    for watch in watches.iter_mut() {
        for tier in &mut watch.tiers {
            tier.since = trouble.map(|t| tier.since.unwrap_or(t.since).min(now));
        }
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
