//! Headless logging: JSON lines to rolling files (and optionally stdout).
//!
//! [`init`] installs the global subscriber; [`build`] makes the same one without
//! installing it, and [`subscriber`] puts the JSON layer over any writer (for tests).
//! Events are written by [`JsonLayer`]; [`events`] names them.

mod error;
pub mod events;
mod file;
mod filter;
mod json_layer;
mod writers;

#[cfg(test)]
mod tests_file;
#[cfg(test)]
mod tests_files;
#[cfg(test)]
mod tests_filter;
#[cfg(test)]
mod tests_layer;

pub use error::LogError;
pub use filter::{DEFAULT_FILTER, FILTER_VARS, Filter, filter_from_env};
pub use json_layer::{JsonLayer, NO_EVENT};
pub use writers::{FILE_PREFIX, FILE_SUFFIX, Writers};

use tracing::Dispatch;
use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::SubscriberExt;

use crate::config::LogConfig;

/// A duration as a log field: milliseconds to the microsecond, so lines stay short.
pub fn millis(duration: std::time::Duration) -> f64 {
    duration.as_micros() as f64 / 1000.0
}

/// Keeps the background writers running. Dropping it writes out every line logged so far
/// and stops them; lines logged afterwards are lost.
#[must_use = "dropping the guard stops logging"]
#[derive(Debug)]
pub struct LogGuard {
    _writers: Vec<WorkerGuard>,
}

/// Installs the global subscriber: JSON lines to rolling files in `config.dir` (and to
/// stdout with `config.stdout`), filtered by `filter`. Keep the guard until exit.
///
/// Fails if the directory cannot be created or written, or if a global subscriber is
/// already installed (a second call, say).
pub fn init(config: &LogConfig, filter: Filter) -> Result<LogGuard, LogError> {
    let (dispatch, guard) = build(config, filter)?;
    tracing::dispatcher::set_global_default(dispatch).map_err(|_| LogError::AlreadyInstalled)?;
    Ok(guard)
}

/// What [`init`] installs, not installed: use it with `tracing::dispatcher::with_default`.
/// Opens the log file and starts the writer threads.
pub fn build(config: &LogConfig, filter: Filter) -> Result<(Dispatch, LogGuard), LogError> {
    let (writers, guards) = Writers::open(config)?;
    let dispatch = Dispatch::new(subscriber(writers, filter));
    Ok((dispatch, LogGuard { _writers: guards }))
}

/// A subscriber writing the JSON lines of the events `filter` lets through to
/// `make_writer`. The filter sits in front of the layer, so disabled callsites are
/// switched off once and cost next to nothing afterwards.
pub fn subscriber<W>(make_writer: W, filter: Filter) -> impl tracing::Subscriber + Send + Sync
where
    W: for<'a> MakeWriter<'a> + Send + Sync + 'static,
{
    tracing_subscriber::registry()
        .with(filter.into_targets())
        .with(JsonLayer::new(make_writer))
}
