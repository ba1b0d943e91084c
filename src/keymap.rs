//! The keyboard map: what a key can ask for (`Action`), the keys each action has by
//! default, keys as `[keys]` in the config writes them ("a", "ctrl-r", "pagedown"), and
//! the labels the help and the hints show for them. It knows no terminal: the dashboard
//! turns its key events into [`Key`]s (`tui::keys`).

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

/// Each action's name in `[keys]` and its default keys, as the config would write them.
const DEFAULTS: [(Action, &str, &[&str]); 28] = [
    (Action::Quit, "quit", &["q"]),
    (Action::ToggleHelp, "help", &["?"]),
    (Action::Down, "down", &["j", "down"]),
    (Action::Up, "up", &["k", "up"]),
    (Action::Left, "left", &["h", "left"]),
    (Action::Right, "right", &["l", "right"]),
    (Action::PageUp, "page_up", &["pageup"]),
    (Action::PageDown, "page_down", &["pagedown"]),
    (Action::Home, "first", &["g", "home"]),
    (Action::End, "last", &["G", "end"]),
    (Action::NextPane, "next_pane", &["tab"]),
    (Action::OpenDetail, "detail", &["enter"]),
    (Action::Back, "back", &["esc"]),
    (Action::StartFilter, "filter", &["/"]),
    (Action::CheckNow, "check_now", &["r"]),
    (Action::TogglePause, "pause", &["p"]),
    (Action::Reload, "reload", &["R"]),
    (Action::ToggleSystem, "machine", &["m"]),
    (Action::OpenSystem, "machine_detail", &["M"]),
    (Action::FocusAlerts, "alerts", &["!"]),
    (Action::Ack, "ack", &["a"]),
    (Action::AckWithNote, "ack_with_note", &["A"]),
    (Action::Unack, "unack", &["u"]),
    (Action::Silence, "silence", &["s"]),
    (Action::Unsilence, "unsilence", &["S"]),
    (Action::History, "history", &["H"]),
    (Action::SeverityFilter, "severity_filter", &["f"]),
    (Action::ToggleJobs, "jobs", &["J"]),
];

/// Every action's name in `[keys]`, in the order the defaults list them.
pub const ACTION_NAMES: [&str; 28] = {
    let mut names = [""; 28];
    let mut i = 0;
    while i < DEFAULTS.len() {
        names[i] = DEFAULTS[i].1;
        i += 1;
    }
    names
};

impl Action {
    /// The action `[keys]` calls `name`.
    pub fn named(name: &str) -> Option<Action> {
        DEFAULTS
            .iter()
            .find(|(_, n, _)| *n == name)
            .map(|(action, _, _)| *action)
    }

    /// Its name in `[keys]`.
    pub fn name(self) -> &'static str {
        DEFAULTS
            .iter()
            .find(|(action, _, _)| *action == self)
            .map_or("", |(_, name, _)| name)
    }
}

/// A key on the keyboard, apart from the modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyCode {
    /// A character, Shift already applied ('G', '!').
    Char(char),
    /// F1 to F12.
    F(u8),
    Enter,
    Esc,
    Tab,
    BackTab,
    Backspace,
    Delete,
    Insert,
    Up,
    Down,
    Left,
    Right,
    PageUp,
    PageDown,
    Home,
    End,
}

/// One key: a key code, with or without Ctrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    code: KeyCode,
    ctrl: bool,
}

/// The named keys `[keys]` knows, with the label shown for each.
const NAMED: [(&str, KeyCode, &str); 16] = [
    ("enter", KeyCode::Enter, "Enter"),
    ("esc", KeyCode::Esc, "Esc"),
    ("tab", KeyCode::Tab, "Tab"),
    ("backtab", KeyCode::BackTab, "S-Tab"),
    ("backspace", KeyCode::Backspace, "Bksp"),
    ("delete", KeyCode::Delete, "Del"),
    ("insert", KeyCode::Insert, "Ins"),
    ("space", KeyCode::Char(' '), "Space"),
    ("up", KeyCode::Up, "Up"),
    ("down", KeyCode::Down, "Down"),
    ("left", KeyCode::Left, "Left"),
    ("right", KeyCode::Right, "Right"),
    ("pageup", KeyCode::PageUp, "PgUp"),
    ("pagedown", KeyCode::PageDown, "PgDn"),
    ("home", KeyCode::Home, "Home"),
    ("end", KeyCode::End, "End"),
];

/// What a key may be written as, for error messages.
pub const KEY_FORMS: &str = "one character like \"x\", \"X\" or \"!\", \"ctrl-x\" (a letter, not m or i: \
     terminals send those as enter and tab), f1 to f12, \
     or one of enter, esc, tab, backtab, backspace, delete, insert, space, up, down, left, \
     right, pageup, pagedown, home, end";

/// Ctrl-C: always quits, whatever `[keys]` says, so a remapped screen can still be left.
pub const CTRL_C: Key = Key {
    code: KeyCode::Char('c'),
    ctrl: true,
};

impl Key {
    /// A key as `[keys]` writes it: one character (case counts), `ctrl-<letter>`, `f1`
    /// to `f12`, or a name like `enter` or `pagedown` (case does not count).
    pub fn parse(text: &str) -> Option<Key> {
        let plain = |code| Some(Key { code, ctrl: false });
        let mut chars = text.chars();
        if let (Some(c), None) = (chars.next(), chars.next()) {
            return (!c.is_control() && c != ' ').then_some(Key {
                code: KeyCode::Char(c),
                ctrl: false,
            });
        }
        let lower = text.to_ascii_lowercase();
        if let Some(rest) = lower.strip_prefix("ctrl-") {
            let mut chars = rest.chars();
            return match (chars.next(), chars.next()) {
                // Ctrl-M and Ctrl-I reach a program as Enter and Tab.
                (Some(c), None) if c.is_ascii_lowercase() && c != 'm' && c != 'i' => Some(Key {
                    code: KeyCode::Char(c),
                    ctrl: true,
                }),
                _ => None,
            };
        }
        let function = [
            "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12",
        ];
        if let Some(n) = lower.strip_prefix('f').filter(|n| function.contains(n)) {
            return n.parse::<u8>().ok().map(|n| Key {
                code: KeyCode::F(n),
                ctrl: false,
            });
        }
        NAMED
            .iter()
            .find(|(name, _, _)| *name == lower)
            .and_then(|(_, code, _)| plain(*code))
    }

    /// The key `code`, with Ctrl held or not.
    pub fn new(code: KeyCode, ctrl: bool) -> Key {
        Key { code, ctrl }
    }

    /// How the help and the hints show it: "a", "Enter", "PgDn", "Ctrl-R".
    pub fn label(self) -> String {
        let base = match self.code {
            KeyCode::Char(c) if self.ctrl => c.to_ascii_uppercase().to_string(),
            KeyCode::Char(' ') => "Space".to_string(),
            KeyCode::Char(c) => c.to_string(),
            KeyCode::F(n) => format!("F{n}"),
            code => NAMED
                .iter()
                .find(|(_, named, _)| *named == code)
                .map_or("?", |(_, _, label)| label)
                .to_string(),
        };
        if self.ctrl {
            format!("Ctrl-{base}")
        } else {
            base
        }
    }
}

/// Which key does what: the defaults with `[keys]` over them.
#[derive(Debug, Clone)]
pub struct KeyMap {
    bindings: Vec<(Key, Action)>,
}

/// Two maps are the same when every action has the same keys in the same order.
impl PartialEq for KeyMap {
    fn eq(&self, other: &Self) -> bool {
        DEFAULTS
            .iter()
            .all(|(action, _, _)| self.keys_of(*action).eq(other.keys_of(*action)))
    }
}

impl Eq for KeyMap {}

impl Default for KeyMap {
    fn default() -> Self {
        let mut bindings: Vec<(Key, Action)> = DEFAULTS
            .iter()
            .flat_map(|(action, _, keys)| {
                keys.iter()
                    .filter_map(|text| Key::parse(text))
                    .map(move |key| (key, *action))
            })
            .collect();
        bindings.push((CTRL_C, Action::Quit));
        Self { bindings }
    }
}

impl KeyMap {
    /// The defaults with each of `chosen`'s actions on its own keys instead: a key
    /// chosen here is taken from the action that had it by default, and Ctrl-C quits
    /// whatever else is chosen.
    pub fn with(chosen: &[(Action, Vec<Key>)]) -> Self {
        let mut map = Self::default();
        map.bindings.retain(|(key, action)| {
            *key != CTRL_C
                && !chosen
                    .iter()
                    .any(|(a, keys)| a == action || keys.contains(key))
        });
        for (action, keys) in chosen {
            let own = keys.iter().filter(|key| **key != CTRL_C);
            map.bindings.extend(own.map(|key| (*key, *action)));
        }
        map.bindings.push((CTRL_C, Action::Quit));
        map
    }

    /// The action for a key, if the key has one.
    pub fn action_for(&self, key: Key) -> Option<Action> {
        self.bindings
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, action)| *action)
    }

    /// The action's keys, in the order they were given.
    pub fn keys_of(&self, action: Action) -> impl Iterator<Item = Key> + '_ {
        self.bindings
            .iter()
            .filter(move |(_, a)| *a == action)
            .map(|(key, _)| *key)
    }

    /// Every key of the action, as the help shows them: "j Down"; "-" for none.
    pub fn labels(&self, action: Action) -> String {
        let labels: Vec<String> = self.keys_of(action).map(Key::label).collect();
        if labels.is_empty() {
            "-".to_string()
        } else {
            labels.join(" ")
        }
    }

    /// " (Esc back)" from `aside(Back, " back")`: the action's first key and `text`, in
    /// brackets after a space; nothing when the action has no key.
    pub fn aside(&self, action: Action, text: &str) -> String {
        self.keys_of(action)
            .next()
            .map_or_else(String::new, |key| format!(" ({}{text})", key.label()))
    }

    /// A hint line from (actions, what they do) pairs: "a ack  j/k next alert"; a part
    /// whose action has no key is left out.
    pub fn hint(&self, parts: &[(&[Action], &str)]) -> String {
        let part = |(actions, what): &(&[Action], &str)| {
            let keys: Option<Vec<String>> = actions
                .iter()
                .map(|a| self.keys_of(*a).next().map(Key::label))
                .collect();
            keys.map(|keys| format!("{} {what}", keys.join("/")))
        };
        parts.iter().filter_map(part).collect::<Vec<_>>().join("  ")
    }
}

#[cfg(test)]
#[path = "keymap_tests.rs"]
mod tests;
