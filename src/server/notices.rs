//! What the engine has to tell besides services, alerts and jobs, in the API's shapes:
//! the last reload's outcome, the last Alertmanager action's, the state directory not
//! taking writes and the notice channels not getting through (the stream's `notices`).

use serde_json::{Value, json};

use crate::view::snapshot::Snapshot;
use crate::words::rfc3339;

/// The `notices` of `snapshot`; every part `null` (or empty) when there is nothing to say.
pub fn of(snapshot: &Snapshot) -> Value {
    let reload = snapshot.reload.as_deref().map(|reload| {
        json!({
            "at": rfc3339(reload.at),
            "accepted": reload.accepted,
            "summary": reload.summary,
        })
    });
    let action = snapshot.notice.as_deref().map(|notice| {
        json!({
            "at": rfc3339(notice.at),
            "ok": notice.ok,
            "text": notice.text,
        })
    });
    let state_dir = snapshot.store.as_deref().map(|store| {
        json!({
            "since": rfc3339(store.since),
            "error": store.error,
            "waiting": store.waiting,
            "repaired": store.repaired,
        })
    });
    let notify: Vec<Value> = (snapshot.notices.iter())
        .flat_map(|health| &health.trouble)
        .map(|trouble| {
            json!({
                "channel": trouble.channel,
                "since": rfc3339(trouble.since),
                "holding": trouble.holding,
                "lost": trouble.lost,
                "last_lost": trouble.last_lost,
                "error": trouble.error,
            })
        })
        .collect();
    json!({
        "reload": reload,
        "action": action,
        "state_dir": state_dir,
        "notify": notify,
    })
}
