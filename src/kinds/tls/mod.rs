//! TLS checks: a handshake with `host:port` and the certificate it presents
//! (`tls = "host:port"`), optionally after a plain-text opening (`starttls`), with extra
//! trusted CAs (`ca_file`), a client certificate (`client_cert`, `client_key`) and the
//! name asked for (`server_name`). `read.rs` reads the keys, `connect.rs` checks,
//! `starttls.rs` speaks the openings, `verifier.rs` keeps what the server presented.

mod connect;
mod read;
mod starttls;
mod verifier;

use std::path::PathBuf;

use toml::de::DeTable;

use super::certificate::CertificateLimits;
use super::kind::{CheckTiming, Fact, Kind};
use super::outcome::Checked;
use super::stage::StageCell;
use crate::document::walk::{Value, Walker};

pub(crate) use connect::TlsTarget;
pub use starttls::StartTls;

/// The TLS kind.
pub struct Tls;

impl TlsCheck {
    /// A handshake that accepts any certificate, to read the one `host:port` presents:
    /// for an HTTPS check whose handshake refused it (expired, untrusted), so that the
    /// card and `certificate_expiring` still know when it expires.
    pub(crate) fn reading(host: &str, port: u16, certificate: CertificateLimits) -> Self {
        Self {
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            port,
            starttls: None,
            server_name: None,
            ca_file: None,
            client_cert: None,
            client_key: None,
            insecure: true,
            certificate,
        }
    }
}

impl Kind for Tls {
    const NAME: &'static str = "TLS";
    const SELECTOR: Option<&'static str> = Some("tls");
    const EXAMPLE: Option<&'static str> =
        Some("`tls = \"host:port\"` for a TLS handshake and its certificate");
    const KEYS: &'static [&'static str] = &[
        "starttls",
        "server_name",
        "ca_file",
        "client_cert",
        "client_key",
        "insecure",
    ];
    const DEFAULT_KEYS: &'static [&'static str] = &CertificateLimits::KEYS;

    type Config = TlsCheck;
    type Defaults = CertificateLimits;
    type Shared = ();
    type Probe = TlsTarget;

    fn read_defaults(
        w: &mut Walker<'_>,
        table: &DeTable<'_>,
        base: &CertificateLimits,
    ) -> CertificateLimits {
        CertificateLimits::read(w, table, *base)
    }

    fn read(
        w: &mut Walker<'_>,
        selector: &Value<'_>,
        table: &DeTable<'_>,
        defaults: &CertificateLimits,
    ) -> Option<TlsCheck> {
        read::check(w, selector, table, defaults)
    }

    fn prepare(config: &TlsCheck, _timing: CheckTiming, _: &mut ()) -> Result<TlsTarget, String> {
        TlsTarget::new(config)
    }

    async fn check(probe: &TlsTarget, stage: &StageCell) -> Checked {
        probe.check(stage).await
    }

    /// `tls://host:port`, or `smtp://host:port` when TLS is opened in SMTP.
    fn target(tls: &TlsCheck) -> String {
        let scheme = tls.starttls.map_or("tls", StartTls::as_str);
        if tls.host.contains(':') {
            format!("{scheme}://[{}]:{}", tls.host, tls.port)
        } else {
            format!("{scheme}://{}:{}", tls.host, tls.port)
        }
    }

    fn mask(_config: &mut TlsCheck) {}

    fn facts(tls: &TlsCheck) -> Vec<Fact> {
        let mut rows = Vec::new();
        if tls.insecure {
            rows.push(Fact::new("TLS", "insecure: certificate not verified"));
        }
        if let Some(starttls) = tls.starttls {
            rows.push(Fact::new("starttls", starttls.as_str()));
        }
        if let Some(name) = &tls.server_name {
            rows.push(Fact::new("name", name.clone()));
        }
        if let Some(ca) = &tls.ca_file {
            rows.push(Fact::new("CA", ca.display().to_string()));
        }
        if let Some(cert) = &tls.client_cert {
            rows.push(Fact::new("client", cert.display().to_string()));
        }
        rows.push(Fact::new("expect", "TLS handshake"));
        rows
    }

    fn certificate_limits(tls: &TlsCheck) -> Option<CertificateLimits> {
        Some(tls.certificate)
    }

    fn caution(tls: &TlsCheck) -> Option<&'static str> {
        tls.insecure.then_some("insecure")
    }
}

/// A TLS handshake and the certificate the server presents.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TlsCheck {
    /// A name or an address (an IPv6 address without its brackets).
    pub host: String,
    pub port: u16,
    /// The protocol spoken before the handshake.
    pub starttls: Option<StartTls>,
    /// The name asked for (SNI) and verified; the host when `None`.
    pub server_name: Option<String>,
    /// CA certificates (PEM) trusted besides the system's.
    pub ca_file: Option<PathBuf>,
    /// A client certificate (PEM) and its key, for servers that ask for one.
    pub client_cert: Option<PathBuf>,
    pub client_key: Option<PathBuf>,
    /// Any certificate is accepted, unverified: its expiry is still read.
    pub insecure: bool,
    /// How close to its expiry the certificate raises `certificate_expiring`.
    pub certificate: CertificateLimits,
}
