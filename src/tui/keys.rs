//! Keys are data: a key event maps to an `Action`, and the help overlay lists `BINDINGS`.
//! The alert keys (`a`, `A`, `u`, `s`, `S`) act on the alert pane's selection when it has the
//! focus, on the alert shown in its detail, or else on the worst alert of the selected
//! service. `r` runs a job monitor pass while the jobs panel has the focus; `J` starts or
//! stops the job monitor from anywhere.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

/// Everything a key can ask for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    ToggleHelp,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
    NextPane,
    OpenDetail,
    Back,
    StartFilter,
    CheckNow,
    TogglePause,
    Reload,
    ToggleSystem,
    OpenSystem,
    /// Focus the alert pane, or back to the cards.
    FocusAlerts,
    Ack,
    /// Opens the ack-note prompt, then acks with the note typed.
    AckWithNote,
    Unack,
    /// Opens the silence prompt (how long, what).
    Silence,
    /// Ends the silence the selected alert is under.
    Unsilence,
    /// The history of resolved alerts, or back from it.
    History,
    /// Cycles the severity the alert lists start at.
    SeverityFilter,
    /// Starts the job monitor, or stops it.
    ToggleJobs,
}

/// One line of the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding {
    pub keys: &'static str,
    pub action: &'static str,
}

/// Every binding, in the order the help overlay shows them.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "j k / Down Up",
        action: "next / previous service, or alert in the pane",
    },
    Binding {
        keys: "h l / Left Right",
        action: "previous / next column",
    },
    Binding {
        keys: "PgUp / PgDn",
        action: "page up / down",
    },
    Binding {
        keys: "g / G",
        action: "first / last service or alert",
    },
    Binding {
        keys: "Tab",
        action: "next pane: groups of cards, the alerts, the jobs",
    },
    Binding {
        keys: "!",
        action: "jump to the alert pane / back to the cards",
    },
    Binding {
        keys: "Enter",
        action: "detail of the selected service or alert",
    },
    Binding {
        keys: "Esc",
        action: "back / cancel / clear the filter / close help",
    },
    Binding {
        keys: "/",
        action: "filter by name or group (Enter keeps, Esc clears)",
    },
    Binding {
        keys: "a / u",
        action: "ack / un-ack (Alertmanager's: silence / end it)",
    },
    Binding {
        keys: "A",
        action: "acknowledge with a note (type it, Enter acks)",
    },
    Binding {
        keys: "s / S",
        action: "silence the alert (asks how long, what) / end it",
    },
    Binding {
        keys: "f",
        action: "alerts shown: all, >= medium, >= high, critical",
    },
    Binding {
        keys: "H",
        action: "history of resolved alerts",
    },
    Binding {
        keys: "r",
        action: "check the service now (jobs panel: a pass now)",
    },
    Binding {
        keys: "p",
        action: "pause / resume the selected service",
    },
    Binding {
        keys: "R",
        action: "reload the config file",
    },
    Binding {
        keys: "m",
        action: "show / hide the machine: CPU, memory, disks, net",
    },
    Binding {
        keys: "M",
        action: "detail of the machine: per-core bars, charts",
    },
    Binding {
        keys: "J",
        action: "start / stop the job monitor",
    },
    Binding {
        keys: "?",
        action: "this help",
    },
    Binding {
        keys: "q / Ctrl-C",
        action: "quit",
    },
];

/// The action for a key in normal (not filter-typing) mode.
pub fn action_for(key: KeyEvent) -> Option<Action> {
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Action::Quit);
    }
    let action = match key.code {
        KeyCode::Char('q') => Action::Quit,
        KeyCode::Char('?') => Action::ToggleHelp,
        KeyCode::Char('j') | KeyCode::Down => Action::Down,
        KeyCode::Char('k') | KeyCode::Up => Action::Up,
        KeyCode::Char('h') | KeyCode::Left => Action::Left,
        KeyCode::Char('l') | KeyCode::Right => Action::Right,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Char('g') | KeyCode::Home => Action::Home,
        KeyCode::Char('G') | KeyCode::End => Action::End,
        KeyCode::Tab => Action::NextPane,
        KeyCode::Enter => Action::OpenDetail,
        KeyCode::Esc => Action::Back,
        KeyCode::Char('/') => Action::StartFilter,
        KeyCode::Char('r') => Action::CheckNow,
        KeyCode::Char('p') => Action::TogglePause,
        KeyCode::Char('R') => Action::Reload,
        KeyCode::Char('m') => Action::ToggleSystem,
        KeyCode::Char('M') => Action::OpenSystem,
        KeyCode::Char('!') => Action::FocusAlerts,
        KeyCode::Char('a') => Action::Ack,
        KeyCode::Char('A') => Action::AckWithNote,
        KeyCode::Char('u') => Action::Unack,
        KeyCode::Char('s') => Action::Silence,
        KeyCode::Char('S') => Action::Unsilence,
        KeyCode::Char('H') => Action::History,
        KeyCode::Char('f') => Action::SeverityFilter,
        KeyCode::Char('J') => Action::ToggleJobs,
        _ => return None,
    };
    Some(action)
}
