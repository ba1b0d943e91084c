//! Why logging could not be set up.

use std::io;
use std::path::PathBuf;

/// What went wrong setting up the headless log. Each message is complete on its own (the
/// OS reason is part of it), so none carries a separate source.
#[derive(Debug, thiserror::Error)]
pub enum LogError {
    /// A level filter directive that does not parse.
    #[error(
        "invalid log filter directive `{directive}` in {origin}: {reason}; expected \
         comma-separated `LEVEL` or `TARGET=LEVEL` directives, e.g. `warn,lookout=debug` \
         (levels: off, error, warn, info, debug, trace)"
    )]
    Filter {
        /// Where the filter came from: the environment variable, or "the log filter".
        origin: String,
        /// The offending directive, as written.
        directive: String,
        reason: String,
    },
    /// The log directory could not be created.
    #[error("cannot create the log directory {}: {error}", dir.display())]
    Dir { dir: PathBuf, error: io::Error },
    /// The directory exists but no log file could be opened in it.
    #[error("cannot write a log file in {}: {error}", dir.display())]
    File { dir: PathBuf, error: io::Error },
    /// [`init`](super::init) already ran (or something else installed a global subscriber).
    #[error("logging is already set up: a global tracing subscriber is installed")]
    AlreadyInstalled,
}
