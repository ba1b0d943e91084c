//! Keys are data: a key event maps to an `Action`, and the help overlay lists `BINDINGS`.

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
        keys: "j / Down",
        action: "next service",
    },
    Binding {
        keys: "k / Up",
        action: "previous service",
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
        action: "first / last service",
    },
    Binding {
        keys: "Tab",
        action: "next pane",
    },
    Binding {
        keys: "Enter",
        action: "detail of the selected service",
    },
    Binding {
        keys: "Esc",
        action: "back / clear the filter / close help",
    },
    Binding {
        keys: "/",
        action: "filter by name or group (Enter keeps, Esc clears)",
    },
    Binding {
        keys: "r",
        action: "check the selected service now",
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
        _ => return None,
    };
    Some(action)
}
