//! What the screen remembers between frames: selection, mode, filter, overlays, the
//! focus (cards, alert pane or jobs panel), the alert selection and severity filter, and
//! the silence and ack-note prompts.

use std::collections::HashSet;

use crate::config::Severity;
use crate::keymap::KeyMap;
use crate::tui::ack_prompt::AckPrompt;
use crate::tui::alerts::{self, Focus, SilencePrompt};
use crate::tui::confirm::Confirm;
use crate::tui::jobs_prompt::JobsPrompt;
use crate::view::check::ServiceId;
use crate::view::snapshot::Snapshot;

/// Which screen is up.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Mode {
    #[default]
    Dashboard,
    /// The detail view of one service, by name: a reload may renumber services.
    Detail(String),
    /// The detail view of the machine.
    System,
    /// The detail view of one alert (active or resolved); `from_history` when opened from
    /// the history, where Esc goes back to.
    AlertDetail { id: u64, from_history: bool },
    /// The resolved alerts (`H`).
    AlertHistory,
}

/// The glyph set: Unicode (braille, blocks, rounded borders) or plain ASCII for LANG=C.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Glyphs {
    #[default]
    Unicode,
    Ascii,
}

/// How many screens elsewhere follow the engine running in this process (their streams
/// open now).
#[derive(Clone)]
pub struct Viewers(std::sync::Arc<dyn Fn() -> usize + Send + Sync>);

impl Viewers {
    pub fn new(count: impl Fn() -> usize + Send + Sync + 'static) -> Self {
        Self(std::sync::Arc::new(count))
    }

    pub fn count(&self) -> usize {
        (self.0)()
    }
}

impl std::fmt::Debug for Viewers {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Viewers({})", self.count())
    }
}

/// The screen's own state; the snapshot is the data, this is how it is looked at.
#[derive(Debug, Clone)]
pub struct UiState {
    pub mode: Mode,
    /// The selected service, by name (a reload may renumber services). Kept to a
    /// visible service by [`UiState::settle`], so what is shown selected is what the
    /// keys act on.
    pub selected: Option<String>,
    pub help_open: bool,
    /// Live filter on name or group (case-insensitive substring).
    pub filter: String,
    /// True while the user is typing the filter after `/`.
    pub filter_editing: bool,
    pub glyphs: Glyphs,
    /// False under NO_COLOR: meaning is carried by words and symbols alone.
    pub color: bool,
    /// A short transient message for the status bar ("check requested: api").
    pub message: Option<String>,
    /// The last config reload whose outcome was shown.
    pub reload_seen: u64,
    /// The last notice (a silence made in Alertmanager) that was shown.
    pub notice_seen: u64,
    /// For an attached screen: the engine shown (pid and start), and the last command it
    /// did not take that was shown.
    pub engine_seen: Option<(u32, std::time::SystemTime)>,
    /// The engine's stream was lost at the last look (an attached viewer).
    pub link_lost: bool,
    pub link_failure_seen: u64,
    /// Where this dashboard runs the engine: the screens attached to it. `q` with any
    /// attached asks again, since quitting stops the engine they follow.
    pub viewers: Option<Viewers>,
    /// `q` was pressed once with screens attached; the next `q` quits.
    pub quit_armed: bool,
    /// The machine's panel is hidden (`m`); it is shown by default.
    pub hide_system: bool,
    /// Cards, the alert pane or the jobs panel: where j/k, Enter and `r` go on the
    /// dashboard.
    pub focus: Focus,
    /// The selected active alert, by id so the list may re-sort under it. When that
    /// alert resolves the id stays, nothing is highlighted and the keys that act on an
    /// alert say it is gone, until a movement key selects another.
    pub alert_selected: Option<u64>,
    /// The row the selected alert was last shown on: where j/k go on from once it is
    /// gone, and the page the pane shows meanwhile.
    pub alert_row: usize,
    /// The selected resolved alert in the history view, by id.
    pub history_selected: Option<u64>,
    /// `f`: only alerts at least this severe are listed (pane and history).
    pub min_severity: Option<Severity>,
    /// The silence prompt, while it is open.
    pub prompt: Option<SilencePrompt>,
    /// The ack-note prompt (`A`), while it is open.
    pub ack_prompt: Option<AckPrompt>,
    /// A yes-or-no question before a wide or writing command, while it is open.
    pub confirm: Option<Confirm>,
    /// The question before the job monitor writes (`J`, `r` on its panel), while open.
    pub jobs_prompt: Option<JobsPrompt>,
    /// Counts the dry runs asked for, so each question takes its own answer.
    pub previews: u64,
    /// Ring the terminal bell on a new critical alert that is firing (`[alerts] bell`).
    pub bell: bool,
    /// Alerts the bell has rung for, while they stay active.
    pub rung: HashSet<u64>,
    /// `$USER@host`, the name acks and silences from this screen are made under.
    pub operator: String,
    /// Which key does what: the defaults with `[keys]` over them.
    pub keys: KeyMap,
}

impl Default for UiState {
    fn default() -> Self {
        Self {
            mode: Mode::default(),
            selected: None,
            help_open: false,
            filter: String::new(),
            filter_editing: false,
            glyphs: Glyphs::default(),
            color: false,
            message: None,
            reload_seen: 0,
            notice_seen: 0,
            engine_seen: None,
            link_lost: false,
            link_failure_seen: 0,
            viewers: None,
            quit_armed: false,
            hide_system: false,
            focus: Focus::default(),
            alert_selected: None,
            alert_row: 0,
            history_selected: None,
            min_severity: None,
            prompt: None,
            ack_prompt: None,
            confirm: None,
            jobs_prompt: None,
            previews: 0,
            bell: true,
            rung: HashSet::new(),
            operator: alerts::operator_name(None, None),
            keys: KeyMap::default(),
        }
    }
}

/// The account database, for a name when `$USER` is not set (a root shell in tmux).
fn passwd() -> String {
    std::fs::read_to_string("/etc/passwd").unwrap_or_default()
}

impl UiState {
    /// Services that pass the filter, ordered by group (first appearance in the config),
    /// then config order. Ungrouped services come first.
    pub fn visible(&self, snapshot: &Snapshot) -> Vec<ServiceId> {
        let needle = self.filter.to_lowercase();
        let mut groups: Vec<Option<&str>> = Vec::new();
        for service in &snapshot.services {
            let group = service.config.group.as_deref();
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
        groups.sort_by_key(|g| g.is_some());
        let mut visible = Vec::with_capacity(snapshot.services.len());
        for group in groups {
            for service in &snapshot.services {
                if service.config.group.as_deref() != group {
                    continue;
                }
                let matches = needle.is_empty()
                    || service.config.name.to_lowercase().contains(&needle)
                    || group.is_some_and(|g| g.to_lowercase().contains(&needle));
                if matches {
                    visible.push(service.id);
                }
            }
        }
        visible
    }

    /// True when the selected service is no longer among `snapshot`'s services (a reload
    /// removed it, or its scrape target left), as opposed to hidden by the filter.
    pub fn selection_gone(&self, snapshot: &Snapshot) -> bool {
        self.selected
            .as_deref()
            .is_some_and(|name| !snapshot.services.iter().any(|s| s.config.name == name))
    }

    /// The selected service's id in `snapshot`, when it is one of `visible`.
    pub fn selected_id(&self, snapshot: &Snapshot, visible: &[ServiceId]) -> Option<ServiceId> {
        let name = self.selected.as_deref()?;
        visible.iter().copied().find(|id| {
            snapshot
                .services
                .get(*id)
                .is_some_and(|s| s.config.name == name)
        })
    }

    /// Makes what is shown selected and what the keys act on one and the same, after a
    /// key or a new snapshot: a selected card the filter hides (or a reload removed)
    /// gives the selection to the first visible card, and keeps it there when the filter
    /// is cleared; a detail view of a service that is gone goes back to the dashboard;
    /// with no alert selected yet, the first alert shown is; an alert the severity filter
    /// hides gives the selection to the first shown. An alert that resolved keeps its id:
    /// see [`UiState::alert_selected`].
    pub fn settle(&mut self, snapshot: &Snapshot) {
        let visible = self.visible(snapshot);
        if self.selection_gone(snapshot) {
            // As in the alert pane: the selection is not handed to another service, so
            // a key meant for the one that left never acts on its neighbour.
            if self.mode == Mode::Dashboard && self.focus == Focus::Cards && self.message.is_none()
            {
                let gone = self.selected.as_deref().unwrap_or_default();
                self.message = Some(format!(
                    "{gone} is gone from the config or its Prometheus's targets (a move selects another)"
                ));
            }
        } else if self.selected_id(snapshot, &visible).is_none() {
            self.selected = visible
                .first()
                .and_then(|id| snapshot.services.get(*id))
                .map(|s| s.config.name.clone());
        }
        if snapshot.jobs.is_none() {
            // A reload took `[jobs]` away: nothing left to ask about.
            self.jobs_prompt = None;
        }
        if let Mode::Detail(name) = &self.mode
            && !snapshot.services.iter().any(|s| s.config.name == *name)
        {
            self.message = Some(format!("{name} is not in the config any more"));
            self.mode = Mode::Dashboard;
        }
        let min = self.min_severity;
        let list = &snapshot.alerts;
        let (row, _) = alerts::position(list, min, self.alert_selected);
        match (row, self.alert_selected) {
            (Some(row), _) => self.alert_row = row,
            (None, Some(id)) if list.iter().any(|a| a.id == id) => {
                // Present, but below the severity filter: as a filtered-out card.
                self.alert_selected = alerts::nth(list, min, 0).map(|a| a.id);
                self.alert_row = 0;
            }
            (None, Some(_)) => {}
            (None, None) => {
                self.alert_selected = alerts::nth(list, min, 0).map(|a| a.id);
                self.alert_row = 0;
            }
        }
        let history = &snapshot.alert_history;
        if alerts::position(history, min, self.history_selected)
            .0
            .is_none()
        {
            self.history_selected = alerts::nth(history, min, 0).map(|a| a.id);
        }
    }
}

impl UiState {
    /// For an attached screen: an engine not seen before (the first, or one that
    /// restarted) has its past notices taken as seen and its firing alerts as rung, so
    /// that only what happens from now on is announced; a command the engine did not
    /// take is shown once.
    pub fn note_link(&mut self, snapshot: &Snapshot) {
        let Some(link) = &snapshot.link else {
            return;
        };
        let lost = link.lost.is_some();
        if self.link_lost && !lost {
            // Back: what the status bar said while the engine was away (a command it
            // did not take, a reload that asks for a restart) is over.
            self.message = None;
        }
        self.link_lost = lost;
        let engine = link.engine.as_ref().map(|e| (e.pid, e.started));
        if engine.is_some() && engine != self.engine_seen {
            if self.engine_seen.is_some() {
                self.message = None;
            }
            self.engine_seen = engine;
            self.reload_seen = snapshot.reload.as_ref().map_or(0, |n| n.sequence);
            self.notice_seen = snapshot.notice.as_ref().map_or(0, |n| n.sequence);
            alerts::bell_due(&mut self.rung, &snapshot.alerts);
        }
        if let Some((count, why)) = &link.failed
            && *count > self.link_failure_seen
        {
            self.link_failure_seen = *count;
            self.message = Some(why.clone());
        }
    }

    /// Shows the outcome of a config reload not shown yet (from a key, a signal or a
    /// file change) as the status bar message, and takes the new config's `[keys]`.
    pub fn note_reload(&mut self, snapshot: &Snapshot) {
        if let Some(notice) = &snapshot.reload
            && notice.sequence > self.reload_seen
        {
            self.reload_seen = notice.sequence;
            self.message = Some(notice.summary.clone());
            if let Some(keys) = &notice.keys {
                self.keys = keys.clone();
            }
        }
    }

    /// Shows what became of a silence made or ended in an Alertmanager, once.
    pub fn note_action(&mut self, snapshot: &Snapshot) {
        if let Some(notice) = &snapshot.notice
            && notice.sequence > self.notice_seen
        {
            self.notice_seen = notice.sequence;
            self.message = Some(notice.text.clone());
        }
    }

    /// True once for each new critical alert that is firing in `snapshot`, when the bell
    /// is on (see `alerts::bell_due`).
    pub fn bell_due(&mut self, snapshot: &Snapshot) -> bool {
        let due = alerts::bell_due(&mut self.rung, &snapshot.alerts);
        due && self.bell
    }

    /// The starting state for this terminal: ASCII when asked or when the locale is not
    /// UTF-8; no colour when `NO_COLOR` is set to anything non-empty. Acks are made as
    /// `$USER@host` (the hostname from the kernel).
    pub fn for_terminal(force_ascii: bool, env: impl Fn(&str) -> Option<String>) -> Self {
        Self::for_terminal_on(force_ascii, env, alerts::read_hostname())
    }

    /// `for_terminal` with the hostname given, for tests.
    pub fn for_terminal_on(
        force_ascii: bool,
        env: impl Fn(&str) -> Option<String>,
        hostname: Option<String>,
    ) -> Self {
        let locale = ["LC_ALL", "LC_CTYPE", "LANG"]
            .iter()
            .find_map(|key| env(key).filter(|v| !v.is_empty()))
            .unwrap_or_default()
            .to_lowercase();
        let utf8 = locale.contains("utf-8") || locale.contains("utf8");
        Self {
            glyphs: if force_ascii || !utf8 {
                Glyphs::Ascii
            } else {
                Glyphs::Unicode
            },
            color: env("NO_COLOR").is_none_or(|v| v.is_empty()),
            operator: alerts::operator_name(
                (env("USER").or_else(|| env("LOGNAME"))).or_else(|| {
                    alerts::account_name(&passwd(), rustix::process::getuid().as_raw())
                }),
                hostname,
            ),
            ..Self::default()
        }
    }
}

#[cfg(test)]
#[path = "ui_state_tests.rs"]
mod tests;
