//! An Alertmanager's alert in the real dashboard, driven in tmux as a person would: it
//! shows in the pane with its origin, `!` `a` `2` silences it for an hour in the real
//! Alertmanager (the silence is there, and its id on screen), `u` expires it.

mod support;

use std::time::{Duration, SystemTime};

use lookout::config::AlertmanagerConfig;
use lookout::sources::alertmanager::{AlertmanagerClient, OutgoingAlert};
use lookout::view::alertmanager::{AmSilence, LabelSet, SilenceState};
use support::alertmanager::Alertmanager;
use support::{Tmux, require, write_config};

const PATIENCE: Duration = Duration::from_secs(20);

fn client(alertmanager: &Alertmanager) -> AlertmanagerClient {
    let url = reqwest::Url::parse(&alertmanager.url()).expect("url");
    AlertmanagerClient::new(&AlertmanagerConfig::new("test", url)).expect("client")
}

fn ours(runtime: &tokio::runtime::Runtime, client: &AlertmanagerClient) -> Vec<AmSilence> {
    let all = runtime
        .block_on(client.silences())
        .expect("GET /api/v2/silences");
    all.into_iter()
        .filter(|s| s.created_by == "tester@ci")
        .collect()
}

#[test]
fn an_alertmanager_alert_is_silenced_and_unsilenced_with_keys() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let Some(alertmanager) = Alertmanager::start(dir.path()) else {
        return;
    };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let client = runtime.block_on(async { client(&alertmanager) });
    let labels: LabelSet = [
        ("alertname", "QueueBacklog"),
        ("service", "ingest"),
        ("severity", "critical"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let alert = OutgoingAlert {
        labels,
        annotations: [(
            "summary".to_string(),
            "ingest backlog 12k messages".to_string(),
        )]
        .into_iter()
        .collect(),
        starts_at: SystemTime::now() - Duration::from_secs(120),
        ends_at: Some(SystemTime::now() + Duration::from_secs(3600)),
        generator_url: None,
    };
    runtime
        .block_on(client.post_alerts(&[alert]))
        .expect("push the alert");
    let config = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[[alertmanager]]\nname = \"team-am\"\n\
             url = \"{}\"\npoll = \"1s\"\nsilence_by = \"tester@ci\"\n",
            dir.path().join("state").display(),
            alertmanager.url()
        ),
    );
    let tmux = Tmux::start("lookout-am", 160, 48, &support::dashboard_command(&config));
    let screen = tmux.wait_for("the alert from team-am", PATIENCE, |s| {
        s.contains("ingest backlog 12k messages")
    });
    assert!(
        screen.contains("team-am  ingest"),
        "the origin column:\n{screen}"
    );

    // `!` focuses the pane (its only alert is selected), `a` asks how long, `2` = 1 hour.
    tmux.keys(&["!", "a"]);
    tmux.wait_for("the duration prompt", PATIENCE, |s| {
        s.contains("For how long, in Alertmanager team-am?")
    });
    tmux.keys(&["2"]);
    let screen = tmux.wait_for("the silence on the row", PATIENCE, |s| {
        s.contains("silenced ") && s.contains("left")
    });
    let made = ours(&runtime, &client);
    assert_eq!(made.len(), 1, "{made:#?}");
    assert_eq!(made[0].state, SilenceState::Active);
    let short = made[0].id.split('-').next().unwrap_or_default().to_string();
    assert!(screen.contains(&format!("silenced {short}")), "{screen}");

    // Enter shows its detail with the silence's full id; Esc back, `u` expires it.
    tmux.keys(&["Enter"]);
    tmux.wait_for("the detail", PATIENCE, |s| {
        s.contains(&format!("silence {} by tester@ci", made[0].id))
    });
    tmux.keys(&["Escape", "u"]);
    tmux.wait_for("the alert firing again", PATIENCE, |s| {
        s.contains("ended silence") && !s.contains(&format!("silenced {short}"))
    });
    let after = ours(&runtime, &client);
    assert_eq!(after[0].state, SilenceState::Expired, "{after:#?}");
    tmux.keys(&["q"]);
}
