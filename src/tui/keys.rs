//! Keys are data: a key event maps to an `Action` through the `KeyMap` (the defaults
//! with `[keys]` over them), and the help overlay lists `BINDINGS` with the keys the map
//! gives each action. By default the alert keys (`a`, `A`, `u`, `s`, `S`) act on the alert pane's selection when it has the
//! focus, on the alert shown in its detail, or else on the worst alert of the selected
//! service. `r` runs a job monitor pass while the jobs panel has the focus; `J` starts or
//! stops the job monitor from anywhere.

pub use crate::keymap::Action;

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
        action: "history of resolved alerts",
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
