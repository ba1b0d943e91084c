//! The machine lookout runs on: CPU, load, memory, swap, filesystems, network, uptime and
//! (when asked) the busiest processes. `reader.rs` is the only code that asks the machine
//! (through `/proc` files kept open, `procfs.rs`, and `sysinfo` for what changes rarely);
//! `convert.rs` turns its raw readings into a
//! `SystemSample` without I/O, so every rule is tested on injected readings; `sampler.rs`
//! is the poller that sends samples to the core.

mod convert;
mod filesystems;
mod procfs;
mod reader;
mod sampler;

pub use convert::{Converter, RawDisk, RawNet, RawReadings, TOP_PROCESSES};
pub use reader::Reader;
pub use sampler::spawn;

#[cfg(test)]
mod tests;
