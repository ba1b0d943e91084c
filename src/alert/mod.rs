//! Alerts: the conditions lookout watches for, their life from pending to resolved,
//! acknowledgements and silences that survive restarts, and the notices they send.
//!
//! `model.rs` holds the types every part shares. The engine (`engine.rs`) turns
//! conditions (`rules.rs`, `rules_system.rs`) into alerts and steps them
//! (`lifecycle.rs`, `flap.rs`) under silences and maintenance windows (`cover.rs`),
//! reporting each change (`events.rs`) with a one-line `summary.rs`.

pub mod cover;
pub mod engine;
mod engine_commands;
mod engine_gone;
#[cfg(test)]
mod engine_tests;
#[cfg(test)]
mod engine_tests_certificate;
#[cfg(test)]
mod engine_tests_cover;
#[cfg(test)]
mod engine_tests_incident;
#[cfg(test)]
mod engine_tests_jobs;
#[cfg(test)]
mod engine_tests_queries;
#[cfg(test)]
mod engine_tests_remote;
#[cfg(test)]
mod engine_tests_restart;
#[cfg(test)]
mod engine_tests_restart_clocks;
#[cfg(test)]
mod engine_tests_sources;
#[cfg(test)]
mod engine_tests_support;
pub mod events;
mod flap;
pub mod json;
mod lifecycle;
mod lifecycle_step;
mod rules;
mod rules_jobs;
mod rules_notify;
mod rules_remote;
mod rules_store;
mod rules_system;
pub mod store;
mod summary;

pub use cover::MAINTENANCE_SILENCE_ID;
pub use engine::AlertEngine;
pub use events::{AlertChange, AlertError, AlertEvent};
