//! `GET /api/v1/stream` read as a plain SSE client would: a `snapshot` first, then the
//! changes with ids, and a reconnect with `Last-Event-ID` that gets only what it missed.

use std::sync::Arc;
use std::time::Duration;

use super::{Running, now};
use crate::contract::ServiceState;
use crate::state::sample::sample_snapshot;
use crate::view::service::HistorySample;

/// One SSE event: (id, name, data).
type Sse = (u64, String, String);

/// Reads events from `response` until `n` have come (10 s at most).
async fn read(response: &mut reqwest::Response, buffer: &mut String, n: usize) -> Vec<Sse> {
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while events.len() < n {
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            if let Some(event) = parse(&block) {
                events.push(event);
            }
        }
        if events.len() >= n {
            break;
        }
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .expect("events in time")
            .expect("the stream reads")
            .expect("the stream goes on");
        buffer.push_str(&String::from_utf8_lossy(&chunk));
    }
    events
}

/// An event block's fields; `None` for a comment.
fn parse(block: &str) -> Option<Sse> {
    let (mut id, mut name, mut data) = (None, String::new(), String::new());
    for line in block.lines() {
        if let Some(v) = line.strip_prefix("id: ") {
            id = v.parse().ok();
        } else if let Some(v) = line.strip_prefix("event: ") {
            name = v.to_string();
        } else if let Some(v) = line.strip_prefix("data: ") {
            data.push_str(v);
        }
    }
    Some((id?, name, data))
}

/// The first service, one check later and DOWN.
fn failed_once(snapshot: &crate::view::snapshot::Snapshot) -> crate::view::snapshot::Snapshot {
    let mut next = snapshot.clone();
    let mut service = (*next.services[0]).clone();
    let at = service.samples.last().map_or(0, |s| s.at_ms) + 1000;
    let sample = HistorySample::new(at, Duration::from_millis(40), false, None);
    service.samples.push(sample);
    service.state = ServiceState::Down;
    next.services[0] = Arc::new(service);
    next
}

#[tokio::test]
async fn a_snapshot_then_changes_and_a_reconnect_gets_what_it_missed() {
    let running = Running::with(sample_snapshot(3, now()), None, 8).await;
    let mut stream = running.get("/api/v1/stream").await;
    assert_eq!(stream.status(), 200);
    assert_eq!(stream.headers()["content-type"], "text/event-stream");
    let mut buffer = String::new();
    let first = read(&mut stream, &mut buffer, 1).await;
    assert_eq!(first[0].1, "snapshot");
    let whole: serde_json::Value = serde_json::from_str(&first[0].2).expect("JSON");
    assert_eq!(
        whole["status"]["services"].as_array().map(Vec::len),
        Some(3)
    );

    // A check fails and the service goes DOWN: both come, with ids after the snapshot's.
    let changed = failed_once(&running.view.borrow());
    running.view.send_replace(changed.clone());
    let mut events = Vec::new();
    while events.len() < 2 {
        // A snapshot may come again as the hub wakes for its first listener.
        let more = read(&mut stream, &mut buffer, 1).await;
        events.extend(more.into_iter().filter(|(_, name, _)| name != "snapshot"));
    }
    let names: Vec<&str> = events.iter().map(|(_, name, _)| name.as_str()).collect();
    assert_eq!(names, ["service", "checks"]);
    assert!(events.iter().all(|(id, ..)| *id > first[0].0));
    assert!(events[0].2.contains(r#""state":"DOWN""#), "{}", events[0].2);
    drop(stream);

    // Gone for a moment: another check is made meanwhile; back with Last-Event-ID.
    let seen = events[1].0;
    running.view.send_replace(failed_once(&changed));
    tokio::time::sleep(crate::server::stream_hub::BATCH * 2).await;
    let mut again = running
        .client
        .get(running.url("/api/v1/stream"))
        .header("last-event-id", seen.to_string())
        .send()
        .await
        .expect("GET");
    let mut buffer = String::new();
    let missed = read(&mut again, &mut buffer, 1).await;
    assert_eq!(missed[0].1, "checks", "only what it missed, no snapshot");
    assert_eq!(missed[0].0, seen + 1);
    // An id the engine no longer has (or never had): a fresh snapshot.
    let mut stale = running
        .client
        .get(running.url("/api/v1/stream"))
        .header("last-event-id", "999999")
        .send()
        .await
        .expect("GET");
    let mut buffer = String::new();
    assert_eq!(read(&mut stale, &mut buffer, 1).await[0].1, "snapshot");
}

#[tokio::test]
async fn the_view_form_rebuilds_in_a_mirror_and_an_unknown_form_is_refused() {
    let running = Running::with(sample_snapshot(3, now()), None, 8).await;
    let mut stream = running.get("/api/v1/stream?form=view").await;
    assert_eq!(stream.status(), 200);
    let mut buffer = String::new();
    let first = read(&mut stream, &mut buffer, 1).await;
    assert_eq!(first[0].1, "snapshot");
    // Ids start from the clock: an id kept from an engine that restarted is older.
    assert!(first[0].0 > 1_700_000_000_000_000, "{}", first[0].0);
    let mut mirror = crate::view_form::Mirror::default();
    mirror.apply("snapshot", &first[0].2).expect("a snapshot");
    assert_eq!(mirror.engine().map(|e| e.pid), Some(std::process::id()));

    let changed = failed_once(&running.view.borrow());
    running.view.send_replace(changed);
    let mut down = false;
    while !down {
        for (_, name, data) in read(&mut stream, &mut buffer, 1).await {
            mirror.apply(&name, &data).expect(&data);
        }
        let seen = mirror.snapshot(now()).expect("a snapshot");
        down = seen.services[0].state == ServiceState::Down;
    }

    let refused = running.get("/api/v1/stream?form=xml").await;
    assert_eq!(refused.status(), 400);
    let body: serde_json::Value = refused.json().await.expect("JSON");
    assert!(
        body["error"].as_str().unwrap_or("").contains("\"xml\""),
        "{body}"
    );
}

#[tokio::test]
async fn a_read_that_sends_a_wrong_token_is_refused() {
    let running = Running::with(sample_snapshot(3, now()), None, 8).await;
    let refused = running
        .client
        .get(running.url("/api/v1/status"))
        .bearer_auth("not-the-token")
        .send()
        .await
        .expect("GET");
    assert_eq!(
        refused.status(),
        401,
        "a mistyped token is heard of at once"
    );
    let token = running.token.clone().expect("a token");
    let right = running
        .client
        .get(running.url("/api/v1/status"))
        .bearer_auth(token)
        .send()
        .await;
    assert_eq!(right.expect("GET").status(), 200);
}
