//! Prometheus as a source of services: each `[[prometheus.query]]` is a service of the
//! query kind (`crate::kinds::query`), and with `targets = true` each scrape target is a
//! card of the target kind (`crate::kinds::target`); `discovery.rs` follows the set of
//! targets as it changes.

pub mod discovery;

#[cfg(test)]
mod tests_discovery;
