//! What a check kind provides: its keys and how they are read, its prepared check, and
//! the facts its card and detail show.

use std::fmt::Debug;
use std::future::Future;
use std::time::Duration;

use toml::de::DeTable;

use super::certificate::CertificateLimits;
use super::outcome::{Checked, Reading};
use super::query::ValueLimits;
use super::stage::StageCell;
use crate::document::walk::{Value, Walker};

/// One check kind. Implemented by a unit type in the kind's folder and registered once,
/// in `registry.rs`.
pub(crate) trait Kind {
    /// The kind in words, as messages name it: "HTTP", "TCP".
    const NAME: &'static str;
    /// The key that makes a `[[service]]` this kind (`url`, `tcp`); `None` for a kind
    /// that other sections make (a `[[prometheus]]`'s queries and targets).
    const SELECTOR: Option<&'static str>;
    /// How a `[[service]]` asks for this kind, for the message of one that asks for
    /// none: "`tcp = \"host:port\"` for a TCP connect".
    const EXAMPLE: Option<&'static str>;
    /// Its own keys in a `[[service]]`, beside the selector; a service of another kind
    /// refuses them.
    const KEYS: &'static [&'static str];
    /// Keys `[defaults]` may set for every service of this kind (also valid in a
    /// `[[service]]` of it, which overrides them).
    const DEFAULT_KEYS: &'static [&'static str];

    /// What the operator wrote, checked.
    type Config: Debug + Clone + PartialEq + serde::Serialize + serde::de::DeserializeOwned;
    /// What `[defaults]` says for this kind, over the built-in defaults (`Default`).
    type Defaults: Debug + Clone + Default;
    /// What this kind's checks share within one prober (clients, lists).
    type Shared: Default;
    /// One service's check, prepared once per config.
    type Probe: Send + Sync + 'static;

    /// Reads [`Kind::DEFAULT_KEYS`] written in `table` over `base`.
    fn read_defaults(
        w: &mut Walker<'_>,
        table: &DeTable<'_>,
        base: &Self::Defaults,
    ) -> Self::Defaults;

    /// Reads a `[[service]]` whose selector is `selector`; `None` after reporting
    /// every problem.
    fn read(
        w: &mut Walker<'_>,
        selector: &Value<'_>,
        table: &DeTable<'_>,
        defaults: &Self::Defaults,
    ) -> Option<Self::Config>;

    /// Prepares one service's check, or says why it can never run (every check then
    /// fails with that reason, so the problem shows on screen).
    fn prepare(
        config: &Self::Config,
        timing: CheckTiming,
        shared: &mut Self::Shared,
    ) -> Result<Self::Probe, String>;

    /// Runs one check to its verdict, unbounded in time (the caller applies the
    /// service's timeout), telling `stage` how far it got.
    fn check(probe: &Self::Probe, stage: &StageCell) -> impl Future<Output = Checked> + Send;

    /// What the check talks to, as it may be shown or logged (secrets masked).
    fn target(config: &Self::Config) -> String;

    /// Masks what a viewer must not see (URL passwords, header values).
    fn mask(config: &mut Self::Config);

    /// The detail's "label  value" rows about what is checked and expected.
    fn facts(config: &Self::Config) -> Vec<Fact>;

    /// A word the card shows beside the name when the check is weaker than it looks
    /// ("insecure": certificates not verified).
    fn caution(_config: &Self::Config) -> Option<&'static str> {
        None
    }

    /// For a kind whose checks read a value: how its card shows it.
    fn value_card(_config: &Self::Config) -> Option<ValueCard<'_>> {
        None
    }

    /// Why a passing check of this kind left the service DEGRADED, when the reading
    /// says (a value past `warn`); `None` means "slower than `degraded_after`".
    fn warning(_config: &Self::Config, _reading: &Reading) -> Option<String> {
        None
    }

    /// When the certificate its server presents raises `certificate_expiring`; `None`
    /// for a kind that sees no certificate.
    fn certificate_limits(_config: &Self::Config) -> Option<CertificateLimits> {
        None
    }

    /// True when a slow pass makes the service DEGRADED (`degraded_after` applies).
    fn judged_by_latency() -> bool {
        true
    }
}

/// The timing a check is prepared with.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CheckTiming {
    pub interval: Duration,
    pub timeout: Duration,
}

/// One row of a service's detail: "method   GET".
#[derive(Debug, Clone, PartialEq)]
pub struct Fact {
    pub label: &'static str,
    pub text: String,
}

impl Fact {
    pub fn new(label: &'static str, text: impl Into<String>) -> Self {
        Self {
            label,
            text: text.into(),
        }
    }
}

/// How a value-reading card shows its value (a query's, a target's scrape duration).
#[derive(Debug, Clone)]
pub struct ValueCard<'a> {
    /// "now" for a query, "scrape" for a target.
    pub label: &'static str,
    pub unit: Option<&'a str>,
    pub limits: ValueLimits,
    /// What the stats line shows after the value: the limits, or the scrape pool.
    pub context: String,
    /// The detail chart's title.
    pub chart_title: &'static str,
}
