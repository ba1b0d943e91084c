//! The screen's own state: who acks, the bell, reload outcomes shown once, and what the
//! status bar said while an attached screen's engine was away.

use super::*;

fn env(pairs: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |key| {
        pairs
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, v)| v.to_string())
    }
}

/// (--ascii, environment, expected glyphs, expected colour)
type Case = (bool, &'static [(&'static str, &'static str)], Glyphs, bool);

#[test]
fn glyphs_and_colour_follow_the_environment() {
    let cases: &[Case] = &[
        (false, &[("LANG", "en_US.UTF-8")], Glyphs::Unicode, true),
        (false, &[("LANG", "C.utf8")], Glyphs::Unicode, true),
        (false, &[("LANG", "C")], Glyphs::Ascii, true),
        (false, &[], Glyphs::Ascii, true),
        (
            false,
            &[("LC_ALL", "C"), ("LANG", "en_US.UTF-8")],
            Glyphs::Ascii,
            true,
        ),
        (
            false,
            &[("LC_ALL", ""), ("LANG", "en_US.UTF-8")],
            Glyphs::Unicode,
            true,
        ),
        (true, &[("LANG", "en_US.UTF-8")], Glyphs::Ascii, true),
        (
            false,
            &[("LANG", "C.UTF-8"), ("NO_COLOR", "1")],
            Glyphs::Unicode,
            false,
        ),
        (
            false,
            &[("LANG", "C.UTF-8"), ("NO_COLOR", "")],
            Glyphs::Unicode,
            true,
        ),
    ];
    for (ascii, vars, glyphs, color) in cases {
        let ui = UiState::for_terminal(*ascii, env(vars));
        assert_eq!((ui.glyphs, ui.color), (*glyphs, *color), "{ascii} {vars:?}");
    }
}

#[test]
fn acks_are_made_as_user_at_host_and_the_bell_is_on() {
    let ui = UiState::for_terminal_on(false, env(&[("USER", "ana")]), Some("db1".into()));
    assert_eq!(ui.operator, "ana@db1");
    assert!(ui.bell);
    let ui = UiState::for_terminal_on(false, env(&[("LOGNAME", "bo")]), None);
    assert_eq!(ui.operator, "bo@unknown");
}

#[test]
fn the_bell_can_be_turned_off() {
    use crate::state::sample_alerts::sample_alerts;
    use crate::test_support::at;

    let snapshot = Snapshot {
        alerts: sample_alerts(at(0)).0,
        ..Snapshot::default()
    };
    let mut quiet = UiState {
        bell: false,
        ..UiState::default()
    };
    assert!(!quiet.bell_due(&snapshot));
    let mut loud = UiState::default();
    assert!(loud.bell_due(&snapshot), "billing is critical and firing");
    assert!(!loud.bell_due(&snapshot), "once");
}

#[test]
fn what_was_said_while_the_engine_was_away_goes_when_it_is_back() {
    use crate::view::snapshot::{EngineInfo, Link};
    use std::sync::Arc;
    use std::time::{Duration, UNIX_EPOCH};
    let linked = |pid: u32, lost: bool, failed: u64| Snapshot {
        link: Some(Arc::new(Link {
            to: "the local socket".into(),
            engine: Some(EngineInfo {
                pid,
                mode: "headless".into(),
                started: UNIX_EPOCH + Duration::from_secs(u64::from(pid)),
                version: "0.1.0".into(),
            }),
            lost: lost.then(|| (UNIX_EPOCH, "connection refused".to_string())),
            failed: (failed > 0).then(|| (failed, "ack: not done, no engine".to_string())),
        })),
        ..Snapshot::default()
    };
    let mut ui = UiState::default();
    ui.note_link(&linked(7, false, 0));
    ui.note_link(&linked(7, true, 1));
    assert_eq!(ui.message.as_deref(), Some("ack: not done, no engine"));
    ui.note_link(&linked(7, false, 1));
    assert_eq!(ui.message, None, "reconnected: the failure is over");
    // A reload outcome shown by one engine goes when another (a restart) answers.
    ui.message = Some("[server] changes apply after a restart".into());
    ui.note_link(&linked(8, false, 1));
    assert_eq!(ui.message, None);
    ui.message = Some("kept".into());
    ui.note_link(&linked(8, false, 1));
    assert_eq!(ui.message.as_deref(), Some("kept"), "the same engine: kept");
}

#[test]
fn each_reload_outcome_is_shown_once() {
    use std::sync::Arc;
    use std::time::UNIX_EPOCH;

    use crate::keymap::Action;
    use crate::view::snapshot::ReloadNotice;

    let mut ui = UiState::default();
    let mut snapshot = Snapshot::default();
    ui.note_reload(&snapshot);
    assert_eq!(ui.message, None);
    snapshot.reload = Some(Arc::new(ReloadNotice {
        sequence: 1,
        at: UNIX_EPOCH,
        accepted: true,
        summary: "reloaded lookout.toml".into(),
        keys: Some(KeyMap::with(&[(Action::Quit, vec![])])),
    }));
    ui.note_reload(&snapshot);
    assert_eq!(ui.message.as_deref(), Some("reloaded lookout.toml"));
    assert_eq!(
        ui.keys.labels(Action::Quit),
        "Ctrl-C",
        "the new keys are taken"
    );
    ui.message = None;
    ui.note_reload(&snapshot);
    assert_eq!(ui.message, None, "shown once");
}
