//! lookout: a terminal dashboard for people on call.

pub mod config;
pub mod event;
pub mod probe;
pub mod state;
pub mod tui;
