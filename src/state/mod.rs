//! The state the core owns: per-service status machines, bounded histories, the machine's
//! samples and thresholds; it builds the snapshot (`view::snapshot`) frontends draw from.

pub mod history;
pub mod sample;
pub mod sample_alerts;
pub mod sample_jobs;
pub mod sample_system;
pub mod service;
pub mod store;
pub mod system;
pub mod threshold;

pub use store::State;
