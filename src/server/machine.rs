//! `GET /api/v1/machine` and the stream's `machine` event: the machine's newest sample
//! and the thresholds that are not clear, in the API's shapes (percentages to a tenth).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::{AppState, reply};
use crate::view::machine::{Level, SystemView};
use crate::words::rfc3339;

/// The machine as `view` last saw it.
pub fn of(view: &SystemView) -> Value {
    let sample = &view.latest;
    let disks: Vec<Value> = (sample.filesystems.iter())
        .map(|fs| {
            json!({
                "mount": fs.mount,
                "used_pct": tenth(fs.percent()),
                "inodes_pct": tenth(fs.inodes.and_then(|i| i.percent())),
            })
        })
        .collect();
    let not_clear: Vec<Value> = (view.rules.iter())
        .map(|rule| {
            let (level, since) = match rule.level {
                Level::Clear => ("ok", None),
                Level::Pending { since } => ("pending", Some(rfc3339(since))),
                Level::Exceeded { since } => ("exceeded", Some(rfc3339(since))),
            };
            json!({
                "resource": rule.resource.as_str(),
                "subject": rule.subject,
                "value": tenth(Some(rule.value)),
                "above": rule.threshold.above,
                "level": level,
                "since": since,
            })
        })
        .collect();
    json!({
        "at": rfc3339(sample.at),
        "host": sample.hostname,
        "uptime_s": sample.uptime.map(|u| u.as_secs()),
        "cores": sample.cores,
        "cpu_pct": tenth(sample.cpu.as_ref().map(|cpu| f64::from(cpu.total))),
        "load": sample.load.map(|l| [l.one, l.five, l.fifteen]),
        "memory_pct": tenth(sample.memory.and_then(|m| m.percent())),
        "swap_pct": tenth(sample.swap.and_then(|s| s.percent())),
        "disks": disks,
        "thresholds": not_clear,
    })
}

fn tenth(value: Option<f64>) -> Option<f64> {
    value.map(|v| (v * 10.0).round() / 10.0)
}

/// `GET /api/v1/machine`.
pub(super) async fn get_machine(State(state): State<AppState>) -> Response {
    match state.snapshot().system {
        Some(view) => reply::json(StatusCode::OK, &of(&view)),
        None => reply::error(
            StatusCode::NOT_FOUND,
            "the machine is not sampled: [system] enabled = false, or no sample yet",
        ),
    }
}
