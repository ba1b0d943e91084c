//! The job monitor: watches a job queue kept in a SQL table (SQLite or PostgreSQL) and
//! puts stuck rows right — claimed too long back to pending, processing too long to
//! failed (or to a retry) — with compare-and-set writes that never race a live worker.
//!
//! `model.rs` is what it reports, `queue.rs` what it needs of a database (`sqlite.rs`,
//! `postgres.rs`), `pass.rs` one pass, `cycle.rs`
//! a pass with its census, `monitor.rs` the task that runs them; `database.rs` picks the
//! database the config names.

pub mod check;
pub mod check_report;
pub mod cycle;
pub mod database;
pub mod json;
pub mod monitor;
pub mod pass;
pub mod postgres;
pub mod queue;
pub mod sqlite;
#[cfg(test)]
mod tests_postgres;
#[cfg(test)]
mod tests_sqlite;

pub use monitor::Monitor;
pub use queue::{JobsError, Queue, RowValue, SeenRow};
#[cfg(test)]
mod tests_monitor;
