//! `notification_failed`: a `[[notify]]` channel's notices do not get through (one is
//! held after its retries and tried again until taken, or one was lost: refused for
//! good, or dropped from a full queue) and it has not delivered one since. A late page
//! is then seen in the pane and heard of on the other channels; it resolves once the
//! channel delivers again, and ends with the channel taken out of the config.

use std::time::SystemTime;

use super::rules::{Check, Watch, hold_since, trouble_watch};
use crate::view::alert::AlertKind;
use crate::view::snapshot::NoticeHealth;
use crate::words::short_age;

/// Why the alert of a channel taken out of the config ends.
const NOT_CONFIGURED: &str = "its [[notify]] channel is no longer in the config";

/// Adds a watch per channel in trouble and re-checks every watch.
pub(crate) fn update(watches: &mut Vec<Watch>, health: Option<&NoticeHealth>, now: SystemTime) {
    for trouble in health.map_or(&[][..], |h| h.trouble.as_slice()) {
        if !watches.iter().any(|w| w.key.subject == trouble.channel) {
            let (kind, check) = (AlertKind::NotificationFailed, Check::NotificationFailed);
            watches.push(trouble_watch(kind, check, &trouble.channel));
        }
    }
    for watch in watches.iter_mut() {
        let configured = health.is_none_or(|h| h.channels.contains(&watch.key.subject));
        watch.stopped = (!configured).then_some(NOT_CONFIGURED);
        let trouble =
            health.and_then(|h| (h.trouble.iter()).find(|t| t.channel == watch.key.subject));
        hold_since(watch, trouble.map(|t| t.since), now);
    }
}

/// The line the alert about `channel` shows at `now`.
pub(crate) fn summary(channel: &str, health: Option<&NoticeHealth>, now: SystemTime) -> String {
    let trouble = health.and_then(|h| h.trouble.iter().find(|t| t.channel == channel));
    match trouble {
        Some(t) => {
            let ago = short_age(now.duration_since(t.since).unwrap_or_default());
            let mut line = format!("notices to {channel} not getting through for {ago}");
            if let Some(held) = &t.holding {
                line.push_str(&format!(
                    "; {held} is held and tried again, at most a minute apart"
                ));
            }
            if let Some(last) = &t.last_lost {
                let notices = if t.lost == 1 { "notice" } else { "notices" };
                line.push_str(&format!("; {} {notices} lost (last: {last})", t.lost));
            }
            format!("{line}: {}", t.error)
        }
        None => format!("notices to {channel} go through again"),
    }
}
