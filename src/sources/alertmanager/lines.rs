//! The log lines of talking to an Alertmanager: what was forwarded, a failure (with the
//! request and the retry), a recovery. They name the Alertmanager and its URL with any
//! password masked.

use std::time::Duration;

use tracing::{debug, info, warn};

use super::error::AlertmanagerError;
use super::ledger::Batch;
use crate::config::AlertmanagerConfig;
use crate::log::{events, millis};

/// A post was accepted: info when it held news, debug for a plain renewal.
pub(super) fn forwarded(config: &AlertmanagerConfig, batch: &Batch, took: Duration) {
    let url = config.display_url();
    let firing = batch.alerts.len() - batch.resolved;
    macro_rules! line {
        ($level:ident) => {
            $level!(
                event = events::ALERTMANAGER_FORWARDED,
                alertmanager = config.name.as_str(),
                url = url.as_str(),
                firing,
                resolved = batch.resolved,
                changed = batch.fresh,
                took_ms = millis(took),
            )
        };
    }
    if batch.fresh > 0 {
        line!(info);
    } else {
        line!(debug);
    }
}

/// A request failed: `failures` in a row, `retry_in` the wait before the next try.
pub(super) fn failed(
    config: &AlertmanagerConfig,
    error: &AlertmanagerError,
    failures: u32,
    retry_in: Option<Duration>,
) {
    let url = config.display_url();
    warn!(
        event = events::ALERTMANAGER_FAILED,
        alertmanager = config.name.as_str(),
        url = url.as_str(),
        error = %error,
        status = error.status(),
        failures,
        retry_in_ms = retry_in.map(|wait| wait.as_millis() as u64),
    );
}

/// The first request to succeed after `failures` failed ones.
pub(super) fn recovered(config: &AlertmanagerConfig, failures: u32) {
    let url = config.display_url();
    info!(
        event = events::ALERTMANAGER_RECOVERED,
        alertmanager = config.name.as_str(),
        url = url.as_str(),
        failures,
    );
}
