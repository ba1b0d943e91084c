//! The config document as written: the spanned TOML walked so every problem is reported
//! at once with its file, line and column (`walk.rs`, `errors.rs`), `${VAR}` expansion
//! (`env.rs`), durations and sizes (`units.rs`) and "did you mean" (`suggest.rs`). The
//! config's sections and the check kinds read their keys with it.

pub(crate) mod env;
pub(crate) mod errors;
pub(crate) mod suggest;
pub(crate) mod units;
pub(crate) mod url_text;
pub(crate) mod walk;
