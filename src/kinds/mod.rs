//! Check kinds: what a service can check. A kind is one folder — its config keys and
//! their validation, its prober and failure reasons, the facts its card and detail
//! show — implementing [`Kind`], and one line in `registry.rs`'s list. The config,
//! the prober, the screens and `lookout check` reach every kind through
//! [`CheckConfig`] and [`Probe`], never a kind's own types.

pub mod certificate;
pub mod http;
mod kind;
mod outcome;
pub mod prometheus;
pub mod query;
mod registry;
mod stage;
pub mod target;
pub mod tcp;
pub mod tls;

pub use certificate::{Certificate, CertificateLimits, Standing};
pub(crate) use kind::CheckTiming;
pub use kind::{Fact, ValueCard};
pub use outcome::{Checked, Level, Outcome, Reading};
pub use registry::{CheckConfig, KINDS, KindKeys};
pub(crate) use registry::{KindDefaults, Preparer, Probe};
pub use stage::{Stage, StageCell};

pub use http::{HttpCheck, JsonExpectation};
pub use query::{QueryCheck, ValueLimits};
pub use target::TargetCheck;
pub use tcp::TcpCheck;
pub use tls::{StartTls, TlsCheck};
