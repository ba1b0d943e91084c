//! Whole screens with an Alertmanager's alerts among lookout's own: the origin column
//! of the pane, the detail of a silenced and of an inhibited alert (labels, annotations,
//! the silence's id and expiry), and the silence prompt on one of them.

use std::sync::Arc;

use super::{now, screen, text, ui, with_alerts};
use crate::sources::alertmanager::sample::sample_alertmanager;
use crate::state::sample::sample_snapshot;
use crate::tui::alerts::{Focus, PromptStep, SilencePrompt};
use crate::tui::ui_state::{Glyphs, Mode};
use crate::view::alert::AlertView;
use crate::view::snapshot::Snapshot;

/// Forty services, lookout's sample alerts and `team-am`'s, merged in pane order as
/// the core merges them.
fn merged() -> Snapshot {
    let mut snapshot = with_alerts(sample_snapshot(40, now()));
    let am = sample_alertmanager(now());
    snapshot.alerts.extend(am.alerts.iter().cloned());
    snapshot.alerts.sort_by(|a, b| AlertView::pane_order(a, b));
    snapshot.alertmanagers = vec![am];
    snapshot
}

fn remote(snapshot: &Snapshot, rule: &str) -> Arc<AlertView> {
    let found = snapshot
        .alerts
        .iter()
        .find(|a| a.key.rule.as_deref() == Some(rule) && !a.is_own());
    Arc::clone(found.expect("a team-am alert"))
}

#[test]
fn the_pane_shows_where_each_alert_comes_from() {
    let snapshot = merged();
    for (width, height) in [(160, 48), (80, 24)] {
        let mut ui = ui(Glyphs::Unicode, false);
        ui.focus = Focus::Alerts;
        let screen = text(&screen(width, height, &snapshot, &ui));
        insta::assert_snapshot!(format!("remote_pane_{width}x{height}"), screen);
        assert!(screen.contains("team-am"), "{screen}");
        assert!(screen.contains("lookout"), "{screen}");
    }
}

#[test]
fn the_detail_of_a_silenced_and_an_inhibited_alert() {
    let snapshot = merged();
    for (rule, tag) in [
        ("CheckoutLatencyHigh", "silenced"),
        ("TargetDown", "inhibited"),
    ] {
        let id = remote(&snapshot, rule).id;
        for (width, height) in [(160, 48), (80, 24)] {
            let mut ui = ui(Glyphs::Unicode, false);
            ui.mode = Mode::AlertDetail {
                id,
                from_history: false,
            };
            let screen = text(&screen(width, height, &snapshot, &ui));
            insta::assert_snapshot!(format!("remote_detail_{tag}_{width}x{height}"), screen);
        }
    }
    let id = remote(&snapshot, "CheckoutLatencyHigh").id;
    let mut ui = ui(Glyphs::Unicode, false);
    ui.mode = Mode::AlertDetail {
        id,
        from_history: false,
    };
    let wide = text(&screen(160, 48, &snapshot, &ui));
    for fact in [
        "from Alertmanager team-am",
        "state suppressed",
        "silence 3f2a9c1e-5b7d-4e21-9a0c-7d1e2f3a4b5c by ana@db1",
        "deploy in progress",
        "runbook_url",
        "cluster",
    ] {
        assert!(wide.contains(fact), "{fact:?} missing:\n{wide}");
    }
}

#[test]
fn the_silence_prompt_names_the_alertmanager() {
    let snapshot = merged();
    let mut ui = ui(Glyphs::Unicode, false);
    ui.focus = Focus::Alerts;
    ui.prompt = Some(SilencePrompt {
        alert: remote(&snapshot, "KubePodCrashLooping"),
        step: PromptStep::Duration { choice: 1 },
    });
    let screen = text(&screen(80, 24, &snapshot, &ui));
    insta::assert_snapshot!("remote_silence_prompt_80x24", screen);
    assert!(screen.contains("in Alertmanager team-am"), "{screen}");
}
