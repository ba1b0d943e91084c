//! The terminal frontend: ratatui + crossterm.

pub mod alerts;
pub mod app;
pub mod input;
pub mod keys;
pub mod terminal;
pub mod ui_state;
pub mod view;
