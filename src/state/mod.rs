//! The state the core owns: per-service status machines, bounded histories, the machine's
//! samples and thresholds, and the read-only snapshot the frontends draw from.

pub mod histogram;
pub mod history;
pub mod sample;
pub mod sample_alerts;
pub mod sample_jobs;
pub mod sample_remote;
pub mod sample_system;
pub mod service;
pub mod store;
pub mod system;
pub mod system_view;
pub mod threshold;
pub mod totals;
pub mod view;

pub use store::State;
pub use system_view::{RuleView, SystemPoint, SystemView};
pub use totals::CheckTotals;
pub use view::{
    ActionNotice, ChannelTrouble, EngineInfo, HistorySample, Link, NoticeHealth, ReloadNotice,
    ServiceView, Snapshot, StoreTrouble, WindowStats,
};
