//! A yes-or-no question over the screen before a key does something wider than the
//! thing it was pressed on, or that writes to someone else's system: `y` does it, any
//! other key keeps things as they are.

use crate::event::Command;

/// The question, what `y` sends, and what the status bar says for either answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Confirm {
    /// The box's title: " end a silence ".
    pub title: String,
    /// What will happen, in a few lines.
    pub lines: Vec<String>,
    /// Sent on `y`.
    pub command: Command,
    /// The status line once `y` sent it ("ending ana@db1's silence of group edge").
    pub doing: String,
    /// The status line on any other key ("the silence stays").
    pub kept: String,
}
