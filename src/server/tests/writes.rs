//! Writes: each POST reaches the command channel with the right id, or says why not.

use reqwest::header::WWW_AUTHENTICATE;
use serde_json::json;

use super::{Running, json, now};
use crate::event::Command;
use crate::state::sample::sample_snapshot;

const TOKEN: &str = "the-right-token-0123456789";

#[tokio::test]
async fn check_now_sends_the_services_id() {
    let mut running = Running::with(sample_snapshot(16, now()), None, 8).await;
    let body = json(running.post("/api/v1/services/auth/check", None).await, 202).await;
    assert_eq!(body, json!({"accepted": true, "service": "auth"}));
    let body = json(
        running
            .post("/api/v1/services/status-page/check", None)
            .await,
        202,
    )
    .await;
    assert_eq!(body["service"], "status-page");
    assert_eq!(
        running.sent(),
        [
            Command::CheckNow("auth".into()),
            Command::CheckNow("status-page".into())
        ]
    );
}

#[tokio::test]
async fn pause_and_resume_ask_only_when_the_state_differs() {
    let mut running = Running::start(None).await;
    // gateway (0) is UP, checkout (4) is PAUSED.
    let cases = [
        (
            "gateway/pause",
            202,
            Some(Command::SetPaused("gateway".into(), true)),
        ),
        ("gateway/resume", 200, None),
        ("checkout/pause", 200, None),
        (
            "checkout/resume",
            202,
            Some(Command::SetPaused("checkout".into(), false)),
        ),
    ];
    for (path, status, command) in cases {
        let path = format!("/api/v1/services/{path}");
        let body = json(running.post(&path, None).await, status).await;
        let changed = command.is_some();
        assert_eq!(body["changed"], changed, "{path}");
        assert_eq!(body["accepted"], changed, "{path}");
        assert_eq!(running.sent(), Vec::from_iter(command), "{path}");
    }
}

#[tokio::test]
async fn reload_asks_the_core_to_read_the_config_again() {
    let mut running = Running::start(None).await;
    let body = json(running.post("/api/v1/reload", None).await, 202).await;
    assert_eq!(body, json!({"accepted": true}));
    assert_eq!(running.sent(), [Command::Reload("api")]);
}

#[tokio::test]
async fn an_unknown_service_is_404_and_sends_nothing() {
    let mut running = Running::start(None).await;
    for action in ["check", "pause", "resume"] {
        let path = format!("/api/v1/services/Gateway/{action}");
        let body = json(running.post(&path, None).await, 404).await;
        let error = body["error"].as_str().expect("error");
        assert!(error.contains("\"Gateway\""), "{error}");
    }
    assert_eq!(running.sent(), []);
}

#[tokio::test]
async fn a_closed_or_full_command_channel_is_503() {
    let mut running = Running::with(sample_snapshot(12, now()), None, 1).await;
    json(running.post("/api/v1/services/auth/check", None).await, 202).await;
    json(running.post("/api/v1/services/auth/check", None).await, 503).await;
    assert_eq!(running.sent(), [Command::CheckNow("auth".into())]);

    running.commands = None;
    let body = json(running.post("/api/v1/services/auth/check", None).await, 503).await;
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("shutting down"))
    );
}

#[tokio::test]
async fn writes_need_the_token_when_one_is_set() {
    let mut running = Running::start(Some(TOKEN)).await;
    let wrong = "a-wrong-guess-9876543210";
    for (given, what) in [
        (None, "missing"),
        (Some(wrong), "wrong"),
        (Some(""), "empty"),
    ] {
        let path = "/api/v1/services/auth/check";
        let response = match given {
            Some(token) => running.post(path, Some(token)).await,
            None => running.post_without_token(path).await,
        };
        assert_eq!(response.status(), 401, "{what}");
        let challenge = response.headers()[WWW_AUTHENTICATE]
            .to_str()
            .expect("ascii");
        assert!(challenge.starts_with("Bearer"), "{challenge}");
        let headers = format!("{:?}", response.headers());
        let body = response.text().await.expect("body");
        serde_json::from_str::<serde_json::Value>(&body).expect("JSON error");
        for secret in [wrong, TOKEN] {
            assert!(
                !body.contains(secret),
                "{what}: body quotes a token: {body}"
            );
            assert!(!headers.contains(secret), "{what}: headers quote a token");
        }
    }
    // The same length as the token, one byte off.
    let off_by_one = format!("{}X", &TOKEN[..TOKEN.len() - 1]);
    let response = running
        .post("/api/v1/services/auth/check", Some(&off_by_one))
        .await;
    assert_eq!(response.status(), 401);
    assert_eq!(
        running.sent(),
        [],
        "nothing reaches the core without the token"
    );

    json(
        running
            .post("/api/v1/services/auth/check", Some(TOKEN))
            .await,
        202,
    )
    .await;
    assert_eq!(running.sent(), [Command::CheckNow("auth".into())]);

    // Reads never need it.
    for path in ["/healthz", "/metrics", "/api/v1/status"] {
        assert_eq!(running.get(path).await.status(), 200, "{path}");
    }
}
