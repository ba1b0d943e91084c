//! Reads `[jobs]` into [`JobsConfig`].

use std::path::Path;

use toml::de::DeTable;

use super::JobsConfig;
use super::walk::Walker;

/// Reads `[jobs]` (absent: no job monitor).
pub(crate) fn jobs(
    _w: &mut Walker<'_>,
    table: Option<&DeTable<'_>>,
    _source: &Path,
) -> Option<Option<JobsConfig>> {
    match table {
        None => Some(None),
        Some(_) => None,
    }
}
