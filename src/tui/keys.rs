//! Keys are data: a terminal key event becomes a `Key`, which the `KeyMap` (the defaults
//! with `[keys]` over them) maps to an `Action`; the help overlay lists `BINDINGS` with
//! the keys the map gives each action. By default the alert keys (`a`, `A`, `u`, `s`,
//! `S`) act on the alert pane's selection when it has the focus, on the alert shown in
//! its detail, or else on the worst alert of the selected service. `r` runs a job
//! monitor pass while the jobs panel has the focus; `J` starts or stops the job monitor
//! from anywhere.

use crossterm::event::{KeyCode as Code, KeyEvent, KeyModifiers};

pub use crate::keymap::Action;
use crate::keymap::{Key, KeyCode, KeyMap};

/// The action `keys` gives a terminal key event, if any.
pub fn action(keys: &KeyMap, event: KeyEvent) -> Option<Action> {
    key_of(event).and_then(|key| keys.action_for(key))
}

/// The key a terminal event is (Shift is already in the character); `None` for keys
/// `[keys]` cannot name.
fn key_of(event: KeyEvent) -> Option<Key> {
    let code = match event.code {
        Code::Char(c) => KeyCode::Char(c),
        Code::F(n) => KeyCode::F(n),
        Code::Enter => KeyCode::Enter,
        Code::Esc => KeyCode::Esc,
        Code::Tab => KeyCode::Tab,
        Code::BackTab => KeyCode::BackTab,
        Code::Backspace => KeyCode::Backspace,
        Code::Delete => KeyCode::Delete,
        Code::Insert => KeyCode::Insert,
        Code::Up => KeyCode::Up,
        Code::Down => KeyCode::Down,
        Code::Left => KeyCode::Left,
        Code::Right => KeyCode::Right,
        Code::PageUp => KeyCode::PageUp,
        Code::PageDown => KeyCode::PageDown,
        Code::Home => KeyCode::Home,
        Code::End => KeyCode::End,
        _ => return None,
    };
    let ctrl = event.modifiers.contains(KeyModifiers::CONTROL);
    Some(Key::new(code, ctrl))
}

/// One line of the help overlay: the actions whose keys it shows, and what they do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub actions: &'static [Action],
    pub action: &'static str,
}

/// Every binding, in the order the help overlay shows them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        actions: &[Action::Down, Action::Up],
        action: "next / previous service, or alert in the pane",
    },
    Binding {
        actions: &[Action::Left, Action::Right],
        action: "previous / next column",
    },
    Binding {
        actions: &[Action::PageUp, Action::PageDown],
        action: "page up / down",
    },
    Binding {
        actions: &[Action::Home, Action::End],
        action: "first / last service or alert",
    },
    Binding {
        actions: &[Action::NextPane],
        action: "next pane: groups of cards, the alerts, the jobs",
    },
    Binding {
        actions: &[Action::FocusAlerts],
        action: "jump to the alert pane / back to the cards",
    },
    Binding {
        actions: &[Action::OpenDetail],
        action: "detail of the selected service or alert",
    },
    Binding {
        actions: &[Action::Back],
        action: "back / clear the filter; Esc closes prompts, help",
    },
    Binding {
        actions: &[Action::StartFilter],
        action: "filter by name or group (Enter keeps, Esc clears)",
    },
    Binding {
        actions: &[Action::Ack, Action::Unack],
        action: "ack / un-ack (Alertmanager's: silence / end it)",
    },
    Binding {
        actions: &[Action::AckWithNote],
        action: "acknowledge with a note (type it, Enter acks)",
    },
    Binding {
        actions: &[Action::Silence, Action::Unsilence],
        action: "silence the alert (asks how long, what) / end it",
    },
    Binding {
        actions: &[Action::SeverityFilter],
        action: "alerts shown: all, >= medium, >= high, critical",
    },
    Binding {
        actions: &[Action::History],
        action: "past alerts: resolved or ended",
    },
    Binding {
        actions: &[Action::CheckNow],
        action: "check the service now (jobs panel: a pass now)",
    },
    Binding {
        actions: &[Action::TogglePause],
        action: "pause / resume the selected service",
    },
    Binding {
        actions: &[Action::Reload],
        action: "reload the config file",
    },
    Binding {
        actions: &[Action::ToggleSystem],
        action: "show / hide the machine: CPU, memory, disks, net",
    },
    Binding {
        actions: &[Action::OpenSystem],
        action: "detail of the machine: per-core bars, charts",
    },
    Binding {
        actions: &[Action::ToggleJobs],
        action: "start / stop the job monitor",
    },
    Binding {
        actions: &[Action::ToggleHelp],
        action: "this help",
    },
    Binding {
        actions: &[Action::Quit],
        action: "quit",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_events_become_the_keys_the_map_knows() {
        let keys = KeyMap::default();
        let event = |code, modifiers| KeyEvent::new(code, modifiers);
        let cases = [
            (
                event(Code::Char('G'), KeyModifiers::SHIFT),
                Some(Action::End),
            ),
            (
                event(Code::Char('c'), KeyModifiers::CONTROL),
                Some(Action::Quit),
            ),
            (
                event(Code::Char('j'), KeyModifiers::NONE),
                Some(Action::Down),
            ),
            (
                event(Code::PageDown, KeyModifiers::NONE),
                Some(Action::PageDown),
            ),
            (
                event(Code::Enter, KeyModifiers::NONE),
                Some(Action::OpenDetail),
            ),
            (event(Code::Char('j'), KeyModifiers::CONTROL), None),
            (event(Code::CapsLock, KeyModifiers::NONE), None),
        ];
        for (event, want) in cases {
            assert_eq!(action(&keys, event), want, "{event:?}");
        }
    }
}
