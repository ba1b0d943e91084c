//! `POST /api/v1/command`: the commands the keys send, as JSON; the ones the core
//! answers are answered when it does.

use serde_json::json;

use super::alerts::answer_next;
use super::{Running, json, now};
use crate::event::Command;
use crate::state::sample::sample_snapshot;
use crate::view::alert::SilenceTarget;

#[tokio::test]
async fn the_commands_without_an_answer_are_accepted_and_sent_as_they_are() {
    let mut running = Running::with(sample_snapshot(4, now()), None, 8).await;
    let cases = [
        (
            json!({"check_now": "gateway"}),
            Command::CheckNow("gateway".into()),
        ),
        (
            json!({"set_paused": ["gateway", true]}),
            Command::SetPaused("gateway".into(), true),
        ),
        (
            json!({"set_jobs_running": false}),
            Command::SetJobsRunning(false),
        ),
        (json!("run_jobs_pass"), Command::RunJobsPass),
        (json!({"preview_jobs_pass": 3}), Command::PreviewJobsPass(3)),
        // Whatever the sender says asked for it, the log says the API did, but for an
        // attached dashboard's reload key.
        (json!({"reload": "SIGHUP"}), Command::Reload("api")),
        (json!({"reload": "key"}), Command::Reload("key")),
    ];
    for (body, command) in cases {
        let answer = json(
            running.write("/api/v1/command", &body.to_string()).await,
            202,
        )
        .await;
        assert_eq!(answer, json!({"accepted": true}), "{body}");
        assert_eq!(running.sent(), [command], "{body}");
    }
}

#[tokio::test]
async fn an_ack_sent_as_a_command_is_answered_once_the_core_has_done_it() {
    let mut running = Running::with(sample_snapshot(4, now()), None, 8).await;
    let core = answer_next(&mut running, Ok(7));
    let body = json!({"ack": {"alert": 7, "by": "ana@db1", "note": "on it"}});
    let answer = json(
        running.write("/api/v1/command", &body.to_string()).await,
        200,
    )
    .await;
    assert_eq!(answer, json!({"done": true, "id": 7}));
    let Command::Ack {
        alert,
        by,
        note,
        reply,
    } = core.await.expect("the core")
    else {
        panic!("not an ack");
    };
    assert_eq!(
        (alert, by.as_str(), note.as_deref()),
        (7, "ana@db1", Some("on it"))
    );
    assert!(reply.is_some(), "the API waited on the core's answer");

    let mut running = Running::with(sample_snapshot(4, now()), None, 8).await;
    let core = answer_next(&mut running, Ok(12));
    let body = json!({"silence": {"target": {"Subject": "gateway"}, "duration": {"secs": 3600, "nanos": 0}, "by": "ana", "comment": null}});
    let answer = json(
        running.write("/api/v1/command", &body.to_string()).await,
        200,
    )
    .await;
    assert_eq!(answer["id"], 12);
    let Command::Silence { target, .. } = core.await.expect("the core") else {
        panic!("not a silence");
    };
    assert_eq!(target, SilenceTarget::Subject("gateway".into()));
}

#[tokio::test]
async fn what_is_not_a_command_or_out_of_bounds_is_refused_with_the_reason() {
    let mut running = Running::with(sample_snapshot(4, now()), None, 8).await;
    let too_long = "x".repeat(501);
    let cases = [
        (json!({"format_disk": true}).to_string(), "not a command"),
        ("{not json".to_string(), "not a command"),
        (json!({"ack": {"alert": 1, "by": too_long, "note": null}}).to_string(), "longer than 500"),
        (
            json!({"silence_remote": {"alert": 1, "duration": {"secs": 0, "nanos": 0}, "by": "a", "comment": null}}).to_string(),
            "out of bounds",
        ),
    ];
    for (body, why) in cases {
        let answer = json(running.write("/api/v1/command", &body).await, 400).await;
        let error = answer["error"].as_str().expect("error");
        assert!(error.contains(why), "{body}: {error}");
    }
    let refused = running.post_without_token("/api/v1/command").await;
    assert_eq!(refused.status(), 401, "over TCP a command needs the token");
    assert_eq!(running.sent(), []);
}
