//! Glyphs and colours in one place, so NO_COLOR and LANG=C are decided once per frame.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

use crate::config::Severity;
use crate::contract::ServiceState;
use crate::tui::ui_state::{Glyphs, UiState};
use crate::view::alert::AlertState;

/// Plain ASCII borders for consoles without box-drawing glyphs.
const ASCII_BORDER: border::Set<'static> = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

/// The selected card's ASCII border: heavier characters mark it without colour.
const ASCII_SELECTED_BORDER: border::Set<'static> = border::Set {
    top_left: "#",
    top_right: "#",
    bottom_left: "#",
    bottom_right: "#",
    vertical_left: "#",
    vertical_right: "#",
    horizontal_top: "=",
    horizontal_bottom: "=",
};

/// Sparkline levels, lowest first; index 0 is "no data".
const UNICODE_LEVELS: [&str; 9] = [" ", "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];
const ASCII_LEVELS: [&str; 8] = [" ", ".", ":", "-", "=", "+", "*", "#"];

/// How this frame draws: which glyphs, and whether colour is allowed at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
}

impl Theme {
    /// Decided from the UI state once per frame, so widgets never look at the environment.
    pub fn new(ui: &UiState) -> Self {
        Self {
            color: ui.color,
            ascii: ui.glyphs == Glyphs::Ascii,
        }
    }

    fn pick(&self, unicode: &'static str, ascii: &'static str) -> &'static str {
        if self.ascii { ascii } else { unicode }
    }

    /// Every state has its own symbol so state never rests on colour alone.
    pub fn symbol(&self, state: ServiceState) -> &'static str {
        match state {
            ServiceState::Up => self.pick("●", "+"),
            ServiceState::Degraded => self.pick("▲", "~"),
            ServiceState::Down => self.pick("✖", "x"),
            ServiceState::Unknown => "?",
            ServiceState::Paused => self.pick("‖", "="),
        }
    }

    /// A foreground colour when colour is on; nothing otherwise.
    pub fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    /// The second channel for a state: green, yellow, red or grey.
    pub fn state(&self, state: ServiceState) -> Style {
        self.fg(match state {
            ServiceState::Up => Color::Green,
            ServiceState::Degraded => Color::Yellow,
            ServiceState::Down => Color::Red,
            ServiceState::Unknown | ServiceState::Paused => Color::Gray,
        })
    }

    /// Secondary text (labels, rules) that should recede.
    pub fn dim(&self) -> Style {
        self.fg(Color::DarkGray)
    }

    /// Failure reasons and failed checks.
    pub fn fail(&self) -> Style {
        self.fg(Color::Red)
    }

    /// Warnings such as the schedule lag.
    pub fn warn(&self) -> Style {
        self.fg(Color::Yellow).add_modifier(Modifier::BOLD)
    }

    /// Marks the selection by reverse video, which survives NO_COLOR.
    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// Card borders; the selected card's are heavier, so the selection shows without colour.
    pub fn border(&self, selected: bool) -> border::Set<'static> {
        match (self.ascii, selected) {
            (false, false) => border::PLAIN,
            (false, true) => border::THICK,
            (true, false) => ASCII_BORDER,
            (true, true) => ASCII_SELECTED_BORDER,
        }
    }

    /// Boxes drawn over the dashboard, set apart from cards and the selected card.
    pub fn overlay_border(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_SELECTED_BORDER
        } else {
            border::DOUBLE
        }
    }

    /// The glyph in front of the selected row or card title.
    pub fn marker(&self) -> &'static str {
        self.pick("▸", ">")
    }

    /// Ends text cut to fit, so a cut name never passes for a whole one.
    pub fn ellipsis(&self) -> &'static str {
        self.pick("…", "~")
    }

    /// A horizontal rule segment for group headers.
    pub fn rule(&self) -> &'static str {
        self.pick("─", "-")
    }

    /// A dash for prose, "-" where LANG=C cannot show an em dash.
    pub fn dash(&self) -> &'static str {
        self.pick("—", "-")
    }

    /// Between facts on one line: " · ", or " | " in ASCII.
    pub fn separator(&self) -> &'static str {
        self.pick(" · ", " | ")
    }

    /// Sparkline levels, index 0 meaning "no sample".
    pub fn levels(&self) -> &'static [&'static str] {
        if self.ascii {
            &ASCII_LEVELS
        } else {
            &UNICODE_LEVELS
        }
    }

    /// A failed check in sparklines and charts.
    pub fn fail_mark(&self) -> &'static str {
        self.pick("✕", "x")
    }

    /// The filter's text cursor while typing.
    pub fn cursor(&self) -> &'static str {
        self.pick("▏", "_")
    }

    /// Every alert state has its own symbol, beside its word.
    pub fn alert_symbol(&self, state: AlertState) -> &'static str {
        match state {
            AlertState::Pending => self.pick("◌", "."),
            AlertState::Firing => "!",
            AlertState::Acked => self.pick("✓", "v"),
            AlertState::Silenced => self.pick("⊘", "z"),
            AlertState::Resolved => self.pick("○", "o"),
            AlertState::Ended => self.pick("◇", "-"),
        }
    }

    /// Marks a flapping alert next to its state.
    pub fn flap(&self) -> &'static str {
        self.pick("↯", "~")
    }

    /// ">=" before a severity, as the filter reads.
    pub fn at_least(&self) -> &'static str {
        self.pick("≥", ">=")
    }

    /// Severity colours: red and bold for critical down to cyan for low.
    pub fn severity(&self, severity: Severity) -> Style {
        match severity {
            Severity::Critical => self.fg(Color::Red).add_modifier(Modifier::BOLD),
            Severity::High => self.fg(Color::LightRed),
            Severity::Medium => self.fg(Color::Yellow),
            Severity::Low => self.fg(Color::Cyan),
        }
    }

    /// Text of an alert row: taken and silenced alerts recede, firing ones stand out.
    pub fn alert_text(&self, state: AlertState) -> Style {
        match state {
            AlertState::Firing => Style::new(),
            AlertState::Pending => self.fg(Color::Yellow),
            AlertState::Acked | AlertState::Silenced | AlertState::Resolved | AlertState::Ended => {
                self.dim()
            }
        }
    }
}
