//! The state directory and how one engine holds it: the lock that keeps a second engine
//! out (`lock.rs`).

pub mod lock;
