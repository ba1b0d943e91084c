//! The keys of an attached screen, sent to the engine as `POST /api/v1/command`, in
//! order. A command the engine answers (an ack, a silence…) gets the engine's answer;
//! one that does not reach it is said on the status bar.

use hyper::Method;
use tokio::sync::mpsc;

use super::shown::Shown;
use super::target::{Failure, Target};
use crate::event::{Command, Done, NotDone};

/// Sends each command until the screen is gone.
pub async fn forward(target: Target, mut commands: mpsc::Receiver<Command>, shown: Shown) {
    while let Some(mut command) = commands.recv().await {
        let reply = command.reply_slot().and_then(Option::take);
        let body = match serde_json::to_vec(&command) {
            Ok(body) => body,
            Err(err) => {
                shown.failed(format!("could not send the command: {err}"));
                continue;
            }
        };
        let answer = target
            .request(Method::POST, "/api/v1/command", Some(body), None)
            .await;
        let done = match answer {
            Ok(answer) => read_done(answer).await,
            Err(failure) => Err(not_done(failure)),
        };
        match (reply, done) {
            (Some(reply), done) => reply.send(done),
            (None, Err(why)) => shown.failed(format!("not sent to the engine: {why}")),
            (None, Ok(_)) => {}
        }
    }
}

/// The engine's answer as the core's: `{"done": true, "id": …}`, perhaps with
/// `"saved": false` and a reason.
async fn read_done(answer: hyper::Response<hyper::body::Incoming>) -> Done {
    use http_body_util::BodyExt;
    let body = answer
        .into_body()
        .collect()
        .await
        .map(|body| body.to_bytes())
        .unwrap_or_default();
    let value: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let id = value
        .get("id")
        .and_then(serde_json::Value::as_u64)
        .unwrap_or(0);
    match value.get("saved").and_then(serde_json::Value::as_bool) {
        Some(false) => Err(NotDone::Unsaved {
            id,
            why: (value.get("reason").and_then(serde_json::Value::as_str))
                .unwrap_or("not saved yet")
                .to_string(),
        }),
        _ => Ok(id),
    }
}

fn not_done(failure: Failure) -> NotDone {
    match (failure.status, failure.reached) {
        (Some(_), _) => NotDone::Refused(failure.message),
        (None, false) => NotDone::Refused(format!("the engine cannot be reached ({failure})")),
        (None, true) => NotDone::Unanswered(format!(
            "the engine took it but did not answer ({failure}): look at the alert before \
             sending it again"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn failure(status: Option<u16>, reached: bool) -> Failure {
        Failure {
            status,
            message: "why".into(),
            reached,
        }
    }

    #[test]
    fn a_command_sent_and_unanswered_is_not_called_undone() {
        assert_eq!(
            not_done(failure(Some(409), true)),
            NotDone::Refused("why".into())
        );
        let unreached = not_done(failure(None, false));
        assert!(matches!(unreached, NotDone::Refused(_)), "{unreached:?}");
        let unanswered = not_done(failure(None, true));
        assert!(
            matches!(&unanswered, NotDone::Unanswered(why) if why.contains("look at the alert")),
            "{unanswered:?}"
        );
    }
}
