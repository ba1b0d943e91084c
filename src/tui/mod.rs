//! The terminal frontend: ratatui + crossterm.

pub mod ui_state;
pub mod view;
