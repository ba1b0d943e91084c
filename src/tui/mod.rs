//! The terminal frontend: ratatui + crossterm.

pub mod ack_prompt;
pub mod alerts;
pub mod app;
pub mod confirm;
pub mod input;
pub mod jobs_prompt;
pub mod keys;
pub mod terminal;
pub mod ui_state;
pub mod view;
