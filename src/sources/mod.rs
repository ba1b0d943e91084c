//! The monitoring systems a fleet already runs, which lookout reads and writes instead of
//! competing with them: Alertmanager (`alertmanager/`) and Prometheus (`prometheus/`).

pub mod alertmanager;
pub mod prometheus;
