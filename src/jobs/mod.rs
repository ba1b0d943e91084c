//! The job monitor: watches a job queue kept in a SQL table (SQLite or PostgreSQL) and
//! puts stuck rows right — claimed too long back to pending, processing too long to
//! failed (or to a retry) — with compare-and-set writes that never race a live worker.
//!
//! `model.rs` is what it reports, `queue.rs` what it needs of a database (`sqlite.rs`,
//! `postgres.rs`), `pass.rs` one pass.

pub mod model;
pub mod pass;
pub mod queue;

pub use model::{
    Census, DatabaseProblem, JobAction, JobsView, Outcome, PassReport, Phase, Remedy, Role,
    StuckRow, Totals,
};
pub use queue::{JobsError, Queue, RowValue, SeenRow};
