//! lookout: a terminal dashboard for people on call.

pub mod config;
pub mod core;
pub mod event;
pub mod probe;
pub mod state;
pub mod tui;

#[cfg(test)]
pub(crate) mod test_support;
