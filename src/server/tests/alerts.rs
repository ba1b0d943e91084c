//! The alert routes: the list, and writes that wait for the core to say they are done.

use serde_json::json;

use super::{Running, json, now};
use crate::event::{Command, Done, NotDone};
use crate::state::sample::sample_snapshot;
use crate::state::sample_alerts::sample_alerts;
use crate::view::alert::{AlertState, SilenceTarget};

async fn with_alerts() -> Running {
    let mut snapshot = sample_snapshot(4, now());
    let (alerts, history) = sample_alerts(now());
    snapshot.alerts = alerts;
    snapshot.alert_history = history;
    Running::with(snapshot, None, 8).await
}

/// Plays the core: answers the next command with `answer`, returns the command.
pub(super) fn answer_next(running: &mut Running, answer: Done) -> tokio::task::JoinHandle<Command> {
    let mut commands = running.commands.take().expect("receiver kept");
    tokio::spawn(async move {
        let command = commands.recv().await.expect("a command");
        let reply = match &command {
            Command::Ack { reply, .. }
            | Command::Unack { reply, .. }
            | Command::Silence { reply, .. }
            | Command::Unsilence { reply, .. }
            | Command::SilenceRemote { reply, .. }
            | Command::ExpireRemote { reply, .. } => reply.clone().expect("a reply slot"),
            other => panic!("not an alert command: {other:?}"),
        };
        reply.send(answer);
        command
    })
}

#[tokio::test]
async fn the_list_has_active_alerts_in_pane_order_and_the_resolved() {
    let running = with_alerts().await;
    let body = json(running.get("/api/v1/alerts").await, 200).await;
    let (alerts, history) = sample_alerts(now());
    let ids: Vec<u64> = body["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_u64().unwrap())
        .collect();
    assert_eq!(ids, alerts.iter().map(|a| a.id).collect::<Vec<_>>());
    assert_eq!(
        body["resolved"].as_array().unwrap().len(),
        history.len().min(100)
    );
    let first = &body["alerts"][0];
    for key in [
        "type", "subject", "severity", "state", "summary", "started", "timeline",
    ] {
        assert!(first.get(key).is_some(), "{key} missing: {first}");
    }
    let acked = alerts
        .iter()
        .find(|a| a.state == AlertState::Acked)
        .unwrap();
    let json_acked = body["alerts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == acked.id)
        .unwrap();
    assert_eq!(
        json_acked["ack"]["by"],
        acked.ack.as_ref().unwrap().by.as_str()
    );
}

#[tokio::test]
async fn an_ack_is_answered_only_when_the_core_says_done() {
    let mut running = with_alerts().await;
    let id = sample_alerts(now()).0[0].id;
    let core = answer_next(&mut running, Ok(id));
    let response = running
        .write(
            &format!("/api/v1/alerts/{id}/ack"),
            r#"{"by": "ana", "note": "on it"}"#,
        )
        .await;
    assert_eq!(json(response, 200).await, json!({"done": true, "id": id}));
    match core.await.unwrap() {
        Command::Ack {
            alert, by, note, ..
        } => {
            assert_eq!(
                (alert, by.as_str(), note.as_deref()),
                (id, "ana", Some("on it"))
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn a_refused_write_is_409_with_the_reason_and_unknown_ids_are_404() {
    let mut running = with_alerts().await;
    let id = sample_alerts(now()).0[0].id;
    let refusal = NotDone::Refused(format!("alert {id} is not acknowledged"));
    let core = answer_next(&mut running, Err(refusal));
    let body = json(
        running
            .post(&format!("/api/v1/alerts/{id}/unack"), None)
            .await,
        409,
    )
    .await;
    assert!(body["error"].as_str().unwrap().contains("not acknowledged"));
    core.await.unwrap();
    let body = json(running.post("/api/v1/alerts/987654/ack", None).await, 404).await;
    assert!(body["error"].as_str().unwrap().contains("987654"));
    json(running.post("/api/v1/alerts/abc/ack", None).await, 400).await;
}

#[tokio::test]
async fn a_change_the_disk_has_not_taken_is_202_with_its_id_not_the_200_promise() {
    let mut running = with_alerts().await;
    let id = sample_alerts(now()).0[0].id;
    let unsaved = NotDone::Unsaved {
        id: 77,
        why: "done, but not saved yet: the disk is full".to_string(),
    };
    let core = answer_next(&mut running, Err(unsaved));
    let response = running
        .post(&format!("/api/v1/alerts/{id}/ack"), None)
        .await;
    let body = json(response, 202).await;
    assert_eq!(body["done"], true);
    assert_eq!(body["saved"], false);
    assert_eq!(
        body["id"], 77,
        "the id the core answered (a silence's, to expire it by)"
    );
    assert!(body["reason"].as_str().unwrap().contains("not saved yet"));
    core.await.unwrap();
}

#[tokio::test]
async fn a_silence_takes_a_duration_and_a_scope() {
    let mut running = with_alerts().await;
    let alert = sample_alerts(now()).0[0].clone();
    let path = format!("/api/v1/alerts/{}/silence", alert.id);
    for (body, why) in [
        (r#"{"duration": "soon"}"#, "duration"),
        (r#"{"duration": "1h", "scope": "everything"}"#, "scope"),
        (r#"{"span": "1h"}"#, "span"),
    ] {
        let response = running.write(&path, body).await;
        let reply = json(response, 400).await;
        assert!(reply["error"].as_str().unwrap().contains(why), "{reply}");
    }
    let core = answer_next(&mut running, Ok(7));
    let response = running
        .write(
            &path,
            r#"{"duration": "90m", "scope": "subject", "comment": "deploy"}"#,
        )
        .await;
    assert_eq!(json(response, 200).await, json!({"done": true, "id": 7}));
    match core.await.unwrap() {
        Command::Silence {
            target,
            duration,
            comment,
            ..
        } => {
            assert_eq!(target, SilenceTarget::Subject(alert.key.subject.clone()));
            assert_eq!(duration.as_secs(), 90 * 60);
            assert_eq!(comment.as_deref(), Some("deploy"));
        }
        other => panic!("{other:?}"),
    }
}

/// The sample alerts with `team-am`'s merged in, as the pane shows them.
async fn with_an_alertmanager() -> (Running, u64) {
    use crate::sources::alertmanager::sample::sample_alertmanager;
    let mut snapshot = sample_snapshot(4, now());
    let (alerts, history) = sample_alerts(now());
    let am = sample_alertmanager(now());
    snapshot.alerts = alerts;
    snapshot.alerts.extend(am.alerts.iter().cloned());
    snapshot.alert_history = history;
    let remote = am.alerts[0].id;
    snapshot.alertmanagers = vec![am];
    (Running::with(snapshot, None, 8).await, remote)
}

#[tokio::test]
async fn an_alertmanagers_alert_is_listed_and_silenced_there_as_the_keys_do() {
    let (mut running, id) = with_an_alertmanager().await;
    let list = json(running.get("/api/v1/alerts").await, 200).await;
    let listed = (list["alerts"].as_array().expect("alerts").iter())
        .find(|a| a["id"] == id)
        .cloned()
        .expect("the Alertmanager's alert is listed");
    assert_eq!(listed["alertmanager"], "team-am");
    // No acknowledgement in Alertmanager: the answer says what to do instead.
    let body = json(
        running
            .post(&format!("/api/v1/alerts/{id}/ack"), None)
            .await,
        409,
    )
    .await;
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains("silence"), "{error}");
    // A wider scope means nothing there.
    let path = format!("/api/v1/alerts/{id}/silence");
    let wide = running
        .write(&path, r#"{"duration": "1h", "scope": "subject"}"#)
        .await;
    json(wide, 400).await;
    assert_eq!(running.sent(), []);
    // Silenced there, answered once Alertmanager took it.
    let core = answer_next(&mut running, Ok(0));
    let done = running
        .write(&path, r#"{"duration": "2h", "comment": "deploy"}"#)
        .await;
    json(done, 200).await;
    match core.await.unwrap() {
        Command::SilenceRemote {
            alert,
            duration,
            comment,
            ..
        } => {
            assert_eq!(alert, id);
            assert_eq!(duration, std::time::Duration::from_secs(7200));
            assert_eq!(comment.as_deref(), Some("deploy"));
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn unack_on_an_alertmanagers_alert_ends_the_silences_made_for_it() {
    let (mut running, id) = with_an_alertmanager().await;
    let core = answer_next(&mut running, Ok(id));
    json(
        running
            .post(&format!("/api/v1/alerts/{id}/unack"), None)
            .await,
        200,
    )
    .await;
    assert!(matches!(
        core.await.unwrap(),
        Command::ExpireRemote { alert, .. } if alert == id
    ));
}
