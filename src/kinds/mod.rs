//! Check kinds: what a service can check.

mod outcome;

pub use outcome::{Level, Outcome, Reading};
