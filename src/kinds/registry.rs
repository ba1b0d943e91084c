//! The one place check kinds are registered: a kind is its folder plus one line in the
//! `kinds!` list at the end of this file (field, variant and config type, and the type
//! implementing [`Kind`]), which makes its variant of [`CheckConfig`] and
//! of the prepared [`Probe`], its part of `[defaults]`, its keys, and the dispatch to it.

use toml::de::DeTable;

use super::certificate::CertificateLimits;
use super::kind::{CheckTiming, Fact, Kind, ValueCard};
use super::outcome::{Checked, Outcome, Reading};
use super::stage::StageCell;
use super::{http, query, target, tcp, tls};
use crate::document::walk::{Value, Walker};

/// A kind's keys, for the lists of valid keys and the hints of misplaced ones.
#[derive(Debug, Clone, Copy)]
pub struct KindKeys {
    pub name: &'static str,
    pub selector: Option<&'static str>,
    pub example: Option<&'static str>,
    pub keys: &'static [&'static str],
    pub default_keys: &'static [&'static str],
}

impl KindKeys {
    /// True when `key` is this kind's selector, one of its keys or of its defaults.
    pub fn owns(&self, key: &str) -> bool {
        self.selector == Some(key) || self.keys.contains(&key) || self.default_keys.contains(&key)
    }
}

macro_rules! kinds {
    ($($field:ident: $variant:ident($config:ty) => $kind:ty,)*) => {
        /// What a service checks: one variant per kind.
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        pub enum CheckConfig {
            $($variant($config),)*
        }

        /// `[defaults]` for every kind, built-in defaults where it says nothing.
        #[derive(Debug, Clone, Default)]
        pub(crate) struct KindDefaults {
            $($field: <$kind as Kind>::Defaults,)*
        }

        /// What each kind's checks share within one prober.
        #[derive(Default)]
        struct Shared {
            $($field: <$kind as Kind>::Shared,)*
        }

        /// One service's check, prepared.
        pub(crate) enum Probe {
            // Boxed: kinds' prepared checks differ much in size.
            $($variant(Box<<$kind as Kind>::Probe>),)*
            /// A check that cannot run at all; every check fails with this reason.
            Broken(Box<str>),
        }

        /// Every kind's keys, in registration order.
        pub const KINDS: &[KindKeys] = &[$(keys_of::<$kind>(),)*];

        impl KindDefaults {
            /// Reads every kind's `[defaults]` keys written in `table` over `self`.
            pub(crate) fn read(&self, w: &mut Walker<'_>, table: &DeTable<'_>) -> Self {
                Self {
                    $($field: <$kind as Kind>::read_defaults(w, table, &self.$field),)*
                }
            }
        }

        impl CheckConfig {
            /// Reads a `[[service]]` of the kind whose selector key is `selector`.
            pub(crate) fn read(
                selector: &str,
                w: &mut Walker<'_>,
                value: &Value<'_>,
                table: &DeTable<'_>,
                defaults: &KindDefaults,
            ) -> Option<Self> {
                $(if <$kind as Kind>::SELECTOR == Some(selector) {
                    return <$kind as Kind>::read(w, value, table, &defaults.$field)
                        .map(CheckConfig::$variant);
                })*
                None
            }

            /// The kind's name and keys.
            pub fn kind(&self) -> KindKeys {
                match self {
                    $(CheckConfig::$variant(_) => keys_of::<$kind>(),)*
                }
            }

            /// What the check talks to, as it may be shown or logged (secrets masked).
            pub fn display_target(&self) -> String {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::target(c),)*
                }
            }

            /// Masks what a viewer must not see.
            pub fn mask(&mut self) {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::mask(c),)*
                }
            }

            /// The detail's rows about what is checked and expected.
            pub fn facts(&self) -> Vec<Fact> {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::facts(c),)*
                }
            }

            /// A word the card shows when the check is weaker than it looks.
            pub fn caution(&self) -> Option<&'static str> {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::caution(c),)*
                }
            }

            /// How the card shows a value-reading check's value.
            pub fn value_card(&self) -> Option<ValueCard<'_>> {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::value_card(c),)*
                }
            }

            /// Why a passing check left the service DEGRADED, when its reading says.
            pub fn warning(&self, reading: &Reading) -> Option<String> {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::warning(c, reading),)*
                }
            }

            /// When the certificate its server presents raises `certificate_expiring`.
            pub fn certificate_limits(&self) -> Option<CertificateLimits> {
                match self {
                    $(CheckConfig::$variant(c) => <$kind as Kind>::certificate_limits(c),)*
                }
            }

            /// True when a slow pass makes the service DEGRADED.
            pub fn judged_by_latency(&self) -> bool {
                match self {
                    $(CheckConfig::$variant(_) => <$kind as Kind>::judged_by_latency(),)*
                }
            }
        }

        impl Preparer {
            /// Prepares one service's check.
            pub(crate) fn prepare(&mut self, config: &CheckConfig, timing: CheckTiming) -> Probe {
                let prepared = match config {
                    $(CheckConfig::$variant(c) => {
                        <$kind as Kind>::prepare(c, timing, &mut self.shared.$field)
                            .map(|probe| Probe::$variant(Box::new(probe)))
                    })*
                };
                prepared.unwrap_or_else(|reason| Probe::Broken(reason.into()))
            }
        }

        impl Probe {
            /// Runs one check to its verdict (the caller applies the timeout).
            pub(crate) async fn check(&self, stage: &StageCell) -> Checked {
                match self {
                    $(Probe::$variant(p) => <$kind as Kind>::check(p, stage).await,)*
                    Probe::Broken(reason) => Checked::from(Outcome::Fail {
                        status: None,
                        reason: reason.to_string(),
                    }),
                }
            }
        }
    };
}

const fn keys_of<K: Kind>() -> KindKeys {
    KindKeys {
        name: K::NAME,
        selector: K::SELECTOR,
        example: K::EXAMPLE,
        keys: K::KEYS,
        default_keys: K::DEFAULT_KEYS,
    }
}

/// Prepares the checks of one config, sharing what checks of a kind can share (HTTP
/// clients that agree on their options, a Prometheus's target list).
#[derive(Default)]
pub(crate) struct Preparer {
    shared: Shared,
}

kinds! {
    http: Http(http::HttpCheck) => http::Http,
    tcp: Tcp(tcp::TcpCheck) => tcp::Tcp,
    tls: Tls(tls::TlsCheck) => tls::Tls,
    query: Query(query::QueryCheck) => query::Query,
    target: Target(target::TargetCheck) => target::Target,
}
