//! Alertmanager's alerts in lookout, against a real Alertmanager on loopback: an alert
//! pushed there shows among lookout's alerts with its labels; silencing it from lookout
//! makes a silence of exactly its labels in Alertmanager, and ending it there expires
//! that silence; an Alertmanager that stops answering raises `alertmanager_unreachable`.

mod support;

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use lookout::config::AlertmanagerConfig;
use lookout::engine::Engine;
use lookout::event::{Command, Reply};
use lookout::sources::alertmanager::{AlertmanagerClient, OutgoingAlert};
use lookout::state_dir::lock::{Mode, StateLock};
use lookout::view::alert::{AlertKind, AlertState, AlertView};
use lookout::view::alertmanager::{AmSilence, LabelSet, SilenceState};
use lookout::view::snapshot::Snapshot;
use support::alertmanager::Alertmanager;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// How long a change may take to travel between lookout and Alertmanager.
const LIMIT: Duration = Duration::from_secs(20);

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn client(alertmanager: &Alertmanager) -> AlertmanagerClient {
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    AlertmanagerClient::new(&AlertmanagerConfig::new("test", url)).expect("client")
}

/// A config reading `url` every second, with no services of its own.
fn config(dir: &std::path::Path, url: &str) -> lookout::config::Config {
    let text = format!(
        "[general]\nstate_dir = {state:?}\n\n[system]\nenabled = false\n\n\
         [[alertmanager]]\nname = \"team-am\"\nurl = {url:?}\npoll = \"1s\"\n\
         silence_by = \"tester@ci\"\n",
        state = dir.join("state").display().to_string(),
    );
    let path = dir.join("lookout.toml");
    std::fs::write(&path, text).expect("write config");
    lookout::config::load(&path).expect("a valid config")
}

/// Waits until a snapshot has an alert `pick` finds; panics with the last one after
/// `LIMIT`.
async fn wait_for(
    view: &mut watch::Receiver<Snapshot>,
    what: &str,
    pick: impl Fn(&Snapshot) -> Option<Arc<AlertView>>,
) -> Arc<AlertView> {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Some(found) = pick(&view.borrow_and_update()) {
            return found;
        }
        let left = deadline.saturating_duration_since(Instant::now());
        let changed = tokio::time::timeout(left, view.changed()).await;
        assert!(
            matches!(changed, Ok(Ok(()))),
            "waited {LIMIT:?} for {what}; alerts: {:#?}",
            view.borrow().alerts
        );
    }
}

/// The alert from Alertmanager with this `alertname`, when `pred` holds for it.
fn remote(
    snapshot: &Snapshot,
    name: &str,
    pred: impl Fn(&AlertView) -> bool,
) -> Option<Arc<AlertView>> {
    snapshot
        .alerts
        .iter()
        .find(|a| !a.is_own() && a.key.rule.as_deref() == Some(name) && pred(a))
        .cloned()
}

/// Sends `command` (made with a reply slot) and waits for the core's answer.
async fn ask(
    engine: &Engine,
    command: impl FnOnce(Option<Reply>) -> Command,
) -> Result<u64, String> {
    let (reply, answer) = Reply::new();
    engine
        .commands
        .send(command(Some(reply)))
        .await
        .expect("the core takes commands");
    tokio::time::timeout(LIMIT, answer)
        .await
        .expect("an answer in time")
        .expect("the core answers")
        .map_err(|why| why.to_string())
}

async fn silences_by(client: &AlertmanagerClient, by: &str) -> Vec<AmSilence> {
    let all = client.silences().await.expect("GET /api/v2/silences");
    all.into_iter().filter(|s| s.created_by == by).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_alertmanager_alert_is_shown_silenced_and_unsilenced_from_lookout() {
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let client = client(&alertmanager);
    let pushed = labels(&[
        ("alertname", "DiskFull"),
        ("service", "db"),
        ("severity", "critical"),
        ("cluster", "eu-1"),
    ]);
    let alert = OutgoingAlert {
        labels: pushed.clone(),
        annotations: labels(&[("summary", "/var/lib/postgresql is 97% full")]),
        starts_at: SystemTime::now() - Duration::from_secs(60),
        ends_at: Some(SystemTime::now() + Duration::from_secs(3600)),
        generator_url: None,
    };
    client.post_alerts(&[alert]).await.expect("push the alert");

    let cancel = CancellationToken::new();
    let config = config(dir.path(), &alertmanager.url());
    let lock = StateLock::acquire(&config, Mode::Headless).expect("the state directory");
    let (engine, mut view) = Engine::start(&config, lock, &cancel).await.expect("engine");

    let shown = wait_for(&mut view, "DiskFull, firing", |s| {
        remote(s, "DiskFull", |a| a.state == AlertState::Firing)
    })
    .await;
    assert_eq!(shown.key.subject, "db");
    assert_eq!(shown.severity, lookout::config::Severity::Critical);
    assert_eq!(shown.summary, "/var/lib/postgresql is 97% full");
    let origin = shown.origin.clone().expect("from Alertmanager");
    assert_eq!(
        (origin.source.as_str(), &origin.alert.labels),
        ("team-am", &pushed)
    );

    // Silence it for an hour from lookout: Alertmanager holds a silence of its labels.
    let id = shown.id;
    let silenced = ask(&engine, |reply| Command::SilenceRemote {
        alert: id,
        duration: Duration::from_secs(3600),
        by: "ana@db1".into(),
        comment: Some("disk being grown".into()),
        reply,
    })
    .await;
    assert!(silenced.is_ok(), "{silenced:?}");
    let made = silences_by(&client, "tester@ci").await;
    assert_eq!(made.len(), 1, "{made:#?}");
    let silence = &made[0];
    assert_eq!(silence.state, SilenceState::Active);
    assert_eq!(silence.comment, "disk being grown");
    let mut matched: Vec<(String, String)> = silence
        .matchers
        .iter()
        .map(|m| {
            assert!(m.is_equal && !m.is_regex, "{m:?}");
            (m.name.clone(), m.value.clone())
        })
        .collect();
    matched.sort();
    assert_eq!(matched, pushed.clone().into_iter().collect::<Vec<_>>());
    let lasts = silence
        .ends_at
        .duration_since(silence.starts_at)
        .expect("ends after");
    assert!(
        lasts.abs_diff(Duration::from_secs(3600)) < Duration::from_secs(5),
        "{lasts:?}"
    );

    // lookout reads it back at once: the alert is silenced by that silence, and the
    // status bar's notice names it.
    let silence_id = silence.id.clone();
    let held = wait_for(&mut view, "DiskFull silenced", |s| {
        remote(s, "DiskFull", |a| {
            a.state == AlertState::Silenced
                && a.origin
                    .as_ref()
                    .is_some_and(|o| o.silences.iter().any(|s| s.id == silence_id))
        })
    })
    .await;
    assert_eq!(held.id, id, "the row keeps its id");
    let notice = view.borrow().notice.clone().expect("a notice");
    assert!(notice.ok && notice.text.contains(&silence.id), "{notice:?}");

    // End it from lookout: Alertmanager expires it and the alert fires again.
    let ended = ask(&engine, |reply| Command::ExpireRemote { alert: id, reply }).await;
    assert!(ended.is_ok(), "{ended:?}");
    let after = silences_by(&client, "tester@ci").await;
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].state, SilenceState::Expired);
    wait_for(&mut view, "DiskFull firing again", |s| {
        remote(s, "DiskFull", |a| a.state == AlertState::Firing)
    })
    .await;

    // Nothing left to end: lookout says so and Alertmanager is not asked.
    let again = ask(&engine, |reply| Command::ExpireRemote { alert: id, reply }).await;
    assert_eq!(
        again,
        Err("rule:DiskFull/db has no silence in Alertmanager team-am".to_string())
    );

    // lookout's own lists stay its own: the API and /metrics do not count it.
    assert!(view.borrow().alert_history.iter().all(|a| a.is_own()));

    // Alertmanager gone: after two failed reads lookout raises an alert of its own,
    // and keeps showing what it read last.
    drop(alertmanager);
    let unreachable = wait_for(&mut view, "alertmanager_unreachable", |s| {
        s.alerts
            .iter()
            .find(|a| a.key.kind == AlertKind::AlertmanagerUnreachable)
            .cloned()
    })
    .await;
    assert!(unreachable.is_own());
    assert_eq!(unreachable.key.subject, "team-am");
    assert_eq!(unreachable.state, AlertState::Firing);
    assert!(
        unreachable
            .summary
            .starts_with("Alertmanager team-am unreachable ("),
        "{}",
        unreachable.summary
    );
    assert!(remote(&view.borrow(), "DiskFull", |_| true).is_some());

    cancel.cancel();
    engine.stopped().await;
}
