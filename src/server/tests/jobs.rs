//! The job monitor's routes: its picture as JSON, start/stop only when it differs, a
//! pass only while on, 404 without `[jobs]`, and writes behind the token.

use std::sync::Arc;

use serde_json::json;

use super::{Running, json, now};
use crate::event::Command;
use crate::state::sample::sample_snapshot;
use crate::state::sample_jobs::{failing_jobs_view, sample_jobs_view, stopped_jobs_view};

async fn with_jobs(view: crate::view::jobs::JobsView, token: Option<&str>) -> Running {
    let mut snapshot = sample_snapshot(2, now());
    snapshot.jobs = Some(Arc::new(view));
    Running::with(snapshot, token, 8).await
}

#[tokio::test]
async fn the_picture_has_counts_the_last_pass_and_totals() {
    let view = sample_jobs_view(now());
    let running = with_jobs(view.clone(), None).await;
    let body = json(running.get("/api/v1/jobs").await, 200).await;
    assert_eq!(body["table"], view.table.as_str());
    assert_eq!(body["running"], true);
    assert_eq!(body["database"], view.database.as_str());
    assert!(!body.to_string().contains("hunter2"));
    let census = view.census.as_ref().unwrap();
    assert_eq!(body["counts"]["pending"], census.pending);
    let pass = view.last_pass.as_ref().unwrap();
    assert_eq!(body["last_pass"]["pass"], pass.sequence);
    assert_eq!(
        body["last_pass"]["stuck"].as_array().map(Vec::len),
        Some(pass.actions.len())
    );
    assert_eq!(body["totals"]["requeued"], view.totals.requeued);
    assert_eq!(body["problem"], serde_json::Value::Null);

    let failing = with_jobs(failing_jobs_view(now()), None).await;
    let body = json(failing.get("/api/v1/jobs").await, 200).await;
    assert!(
        body["problem"]["failures"].as_u64().is_some_and(|n| n > 0),
        "{body}"
    );
}

#[tokio::test]
async fn start_stop_and_pass_ask_only_what_makes_sense() {
    let mut on = with_jobs(sample_jobs_view(now()), None).await;
    let body = json(on.post("/api/v1/jobs/start", None).await, 200).await;
    assert_eq!(
        body,
        json!({"accepted": false, "running": true, "changed": false})
    );
    json(on.post("/api/v1/jobs/stop", None).await, 202).await;
    json(on.post("/api/v1/jobs/pass", None).await, 202).await;
    assert_eq!(
        on.sent(),
        [Command::SetJobsRunning(false), Command::RunJobsPass]
    );

    let mut off = with_jobs(stopped_jobs_view(now()), None).await;
    let body = json(off.post("/api/v1/jobs/pass", None).await, 409).await;
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("off")),
        "{body}"
    );
    json(off.post("/api/v1/jobs/start", None).await, 202).await;
    assert_eq!(off.sent(), [Command::SetJobsRunning(true)]);
}

#[tokio::test]
async fn without_jobs_every_route_is_404_and_writes_need_the_token() {
    let running = Running::start(None).await;
    for path in ["/api/v1/jobs"] {
        let body = json(running.get(path).await, 404).await;
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains("[jobs]")),
            "{body}"
        );
    }
    for path in [
        "/api/v1/jobs/start",
        "/api/v1/jobs/stop",
        "/api/v1/jobs/pass",
    ] {
        json(running.post(path, None).await, 404).await;
    }
    let guarded = with_jobs(sample_jobs_view(now()), Some("t0ken-t0ken-t0ken-t0ken")).await;
    assert_eq!(
        guarded
            .post_without_token("/api/v1/jobs/stop")
            .await
            .status(),
        401
    );
    assert_eq!(
        guarded
            .post("/api/v1/jobs/stop", Some("wrong"))
            .await
            .status(),
        401
    );
    json(
        guarded
            .post("/api/v1/jobs/stop", Some("t0ken-t0ken-t0ken-t0ken"))
            .await,
        202,
    )
    .await;
}
