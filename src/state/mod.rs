//! The state the core owns: per-service status machines, bounded histories, and the
//! read-only snapshot the frontends draw from.

pub mod history;
pub mod sample;
pub mod service;
pub mod store;
pub mod totals;
pub mod view;

pub use service::ServiceState;
pub use store::State;
pub use totals::CheckTotals;
pub use view::{HistorySample, ReloadNotice, ServiceView, Snapshot, WindowStats};
