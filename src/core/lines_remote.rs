//! The log lines of silences made and expired in an Alertmanager for a person, and the
//! one-line outcome the status bar shows.

use tracing::{info, warn};

use crate::config::AlertmanagerConfig;
use crate::log::events;
use crate::sources::alertmanager::{AlertmanagerError, Errand, Request};

/// Logs what became of `errand` and says it in one line (`Err` when it failed).
pub(super) fn errand_done(
    config: &AlertmanagerConfig,
    errand: &Errand,
    result: &Result<Option<String>, AlertmanagerError>,
) -> Result<String, String> {
    let url = config.display_url();
    let name = config.name.as_str();
    let about = errand.about.as_str();
    match (&errand.request, result) {
        (Request::Silence(silence), Ok(id)) => {
            let id = id.as_deref().unwrap_or("?");
            info!(
                event = events::ALERTMANAGER_SILENCE_CREATED,
                alertmanager = name,
                url = url.as_str(),
                alert = about,
                silence_id = id,
                by = silence.created_by.as_str(),
                comment = silence.comment.as_str(),
                ends_at = %humantime::format_rfc3339_seconds(silence.ends_at),
            );
            let lasts = silence
                .ends_at
                .duration_since(silence.starts_at)
                .unwrap_or_default();
            let lasts = humantime::format_duration(std::time::Duration::from_secs(lasts.as_secs()));
            Ok(format!(
                "silenced {about} in Alertmanager {name} for {lasts} (silence {id})"
            ))
        }
        (Request::Expire(ids), Ok(_)) => {
            let ids = ids.join(", ");
            info!(
                event = events::ALERTMANAGER_SILENCE_EXPIRED,
                alertmanager = name,
                url = url.as_str(),
                alert = about,
                silence_ids = ids.as_str(),
            );
            Ok(format!(
                "ended silence {ids} of {about} in Alertmanager {name}"
            ))
        }
        (request, Err(err)) => {
            let what = match request {
                Request::Silence(_) => "silence",
                Request::Expire(_) => "end the silence of",
            };
            warn!(
                event = events::ALERTMANAGER_SILENCE_FAILED,
                alertmanager = name,
                url = url.as_str(),
                alert = about,
                error = %err,
                status = err.status(),
            );
            Err(format!(
                "could not {what} {about} in Alertmanager {name}: {err}"
            ))
        }
    }
}
