//! The log lines of notifications: one per attempt (`notification_sent` once delivered,
//! `notification_failed` for each failure) and one per notice given up unsent. They
//! name the channel and its kind, never its URL, headers or argv.

use std::time::Duration;

use tracing::{info, warn};

use super::Notice;
use crate::config::NotifyConfig;
use crate::log::{events, millis};

pub(super) fn sent(
    channel: &NotifyConfig,
    notice: &Notice,
    attempt: u32,
    status: Option<u16>,
    took: Duration,
) {
    info!(
        event = events::NOTIFICATION_SENT,
        alert_id = notice.alert.id,
        alert = %notice.alert.key,
        notice = notice.kind.as_str(),
        channel = channel.name.as_str(),
        kind = channel.channel.kind(),
        attempt,
        status,
        took_ms = millis(took),
    );
}

/// One failed attempt; `retry_in` is the wait before the next one, if any.
pub(super) fn failed(
    channel: &NotifyConfig,
    notice: &Notice,
    attempt: u32,
    status: Option<u16>,
    error: &str,
    retry_in: Option<Duration>,
) {
    warn!(
        event = events::NOTIFICATION_FAILED,
        alert_id = notice.alert.id,
        alert = %notice.alert.key,
        notice = notice.kind.as_str(),
        channel = channel.name.as_str(),
        kind = channel.channel.kind(),
        attempt,
        status,
        error,
        will_retry = retry_in.is_some(),
        retry_in_ms = retry_in.map(|wait| wait.as_millis() as u64),
    );
}

/// A notice given up before (or between) attempts: `attempt` is how many were made
/// (0 for a notice dropped from a full queue).
pub(super) fn given_up(channel: &NotifyConfig, notice: &Notice, attempt: u32, reason: &str) {
    warn!(
        event = events::NOTIFICATION_FAILED,
        alert_id = notice.alert.id,
        alert = %notice.alert.key,
        notice = notice.kind.as_str(),
        channel = channel.name.as_str(),
        kind = channel.channel.kind(),
        attempt,
        error = reason,
        will_retry = false,
    );
}

/// A notice not delivered when its channel stopped (lookout stopping, or the channels
/// reloaded): it stays owed, and the next channels of that name send it.
pub(super) fn stopped(channel: &NotifyConfig, notice: &Notice, attempt: u32) {
    warn!(
        event = events::NOTIFICATION_FAILED,
        alert_id = notice.alert.id,
        alert = %notice.alert.key,
        notice = notice.kind.as_str(),
        channel = channel.name.as_str(),
        kind = channel.channel.kind(),
        attempt,
        error = "the channel stopped before delivery: still owed, sent again after the reload or restart",
        will_retry = true,
    );
}
