//! The terminal frontend: ratatui + crossterm.

pub mod keys;
pub mod ui_state;
pub mod view;
