//! The state the core owns: per-service status machines, bounded histories, and the
//! read-only snapshot the frontends draw from.


pub mod service;
pub mod view;

pub use service::ServiceState;

pub use view::{HistorySample, ServiceView, Snapshot, WindowStats};
