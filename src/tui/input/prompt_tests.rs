//! Keys in the silence prompt: by shortcut, by arrows with a typed duration, Esc, and
//! the targets an alert offers.

use std::time::Duration;

use crossterm::event::KeyCode;

use super::Effect;
use super::alert_tests::{press, snapshot, ui};
use crate::event::Command;
use crate::tui::alerts::{Focus, PromptStep};
use crate::view::alert::{AlertKey, AlertKind, SilenceTarget};

fn chars(text: &str) -> Vec<KeyCode> {
    text.chars().map(KeyCode::Char).collect()
}

fn silence(target: SilenceTarget, minutes: u64) -> Effect {
    Effect::Send(Command::Silence {
        target,
        duration: Duration::from_secs(minutes * 60),
        by: "ana@db1".to_string(),
        comment: None,
        reply: None,
    })
}

#[test]
fn silence_prompt_by_keys() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    press(&mut ui, &snap, &[Char('j'), Char('s')]);
    let step = ui.prompt.as_ref().map(|p| p.step.clone());
    assert_eq!(step, Some(PromptStep::Duration { choice: 0 }));
    // 'q' is a prompt key here (ignored), not quit.
    assert_eq!(press(&mut ui, &snap, &[Char('q')]), Effect::Nothing);
    press(&mut ui, &snap, &[Char('2')]);
    let step = ui.prompt.as_ref().map(|p| p.step.clone());
    let hour = Duration::from_secs(3600);
    assert_eq!(
        step,
        Some(PromptStep::Target {
            duration: hour,
            choice: 0
        })
    );
    let effect = press(&mut ui, &snap, &[Char('g')]);
    assert_eq!(effect, silence(SilenceTarget::Group("edge".into()), 60));
    assert_eq!(ui.prompt, None);
    assert_eq!(
        ui.message.as_deref(),
        Some("silencing every alert in group edge for 1h")
    );
}

#[test]
fn silence_prompt_by_arrows_and_a_typed_duration() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    // Down to "custom", Enter, type, Enter, then Down to the subject and Enter.
    let mut keys = vec![Char('j'), Char('s'), Down, Down, Down, Down, Enter];
    keys.extend(chars("9x"));
    keys.push(Enter);
    press(&mut ui, &snap, &keys);
    let Some(PromptStep::Custom { text, error }) = ui.prompt.as_ref().map(|p| p.step.clone())
    else {
        panic!("still typing: {:?}", ui.prompt);
    };
    assert_eq!(text, "9x");
    assert_eq!(
        error.as_deref(),
        Some("\"9x\" is not a duration: try 90m or 2h30m")
    );
    press(
        &mut ui,
        &snap,
        &[Backspace, Char('0'), Char('m'), Enter, Char('j')],
    );
    let effect = press(&mut ui, &snap, &[Enter]);
    assert_eq!(
        effect,
        silence(SilenceTarget::Subject("billing".into()), 90)
    );
}

#[test]
fn esc_cancels_the_prompt_and_silencing_needs_an_unresolved_alert() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    for keys in [
        &[Char('s')][..],
        &[Char('s'), Char('c'), Char('1')],
        &[Char('s'), Char('3')],
    ] {
        press(&mut ui, &snap, keys);
        assert!(ui.prompt.is_some(), "{keys:?}");
        assert_eq!(press(&mut ui, &snap, &[Esc]), Effect::Nothing);
        assert_eq!(ui.prompt, None, "{keys:?}");
        assert_eq!(ui.message.as_deref(), Some("silence cancelled"));
        assert_eq!(ui.focus, Focus::Alerts, "Esc closed only the prompt");
    }
    // The cpu alert has no group: 'g' is not offered, 'a' silences the alert itself.
    press(
        &mut ui,
        &snap,
        &[Char('j'), Char('j'), Char('s'), Char('1'), Char('g')],
    );
    assert!(ui.prompt.is_some());
    let key = AlertKey {
        kind: AlertKind::CpuSpike,
        rule: None,
        subject: "cpu".into(),
    };
    assert_eq!(
        press(&mut ui, &snap, &[Char('a')]),
        silence(SilenceTarget::Alert(key), 15)
    );
    // Resolved alerts cannot be silenced.
    press(&mut ui, &snap, &[Char('H'), Char('s')]);
    assert_eq!(ui.prompt, None);
    assert_eq!(
        ui.message.as_deref(),
        Some("service_down/payments is resolved already")
    );
}

#[test]
fn an_alert_that_closed_while_the_silence_was_chosen_is_not_silenced() {
    use KeyCode::*;
    let snap = snapshot();
    let mut ui = ui();
    ui.focus = Focus::Alerts;
    press(&mut ui, &snap, &[Char('j'), Char('s'), Char('1')]);
    let id = ui.prompt.as_ref().map(|p| p.alert.id).expect("prompt open");
    // The outage ends while the person on call picks the scope.
    let mut closed = snap.clone();
    closed.alerts.retain(|alert| alert.id != id);
    let effect = press(&mut ui, &closed, &[Char('a')]);
    assert_eq!(effect, Effect::Nothing, "nothing sent");
    assert_eq!(ui.prompt, None);
    let message = ui.message.clone().unwrap_or_default();
    assert!(
        message.contains(&format!("#{id}")) && message.contains("nothing silenced"),
        "{message}"
    );
}
