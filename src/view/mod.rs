//! The plain, serialisable view types every part of lookout shares: a check's result, a
//! service, an alert, the jobs, the machine, an Alertmanager, and the snapshot that holds
//! them. Engine parts build them, frontends draw them, the stream carries them; this
//! module depends on nothing of lookout's but the config and the contract's words.

pub mod alert;
pub mod alertmanager;
pub mod check;
pub mod histogram;
pub mod jobs;
pub mod machine;
pub mod machine_sample;
pub mod notice;
pub mod service;
pub mod snapshot;
pub mod totals;
