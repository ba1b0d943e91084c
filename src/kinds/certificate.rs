//! What a TLS server's certificate says, as a check saw it: when it expires, whom it is
//! for and who issued it.

use std::net::IpAddr;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use toml::de::DeTable;
use x509_cert::Certificate as X509;
use x509_cert::der::Decode;
use x509_cert::ext::pkix::SubjectAltName;
use x509_cert::ext::pkix::name::GeneralName;

use crate::document::units::show_duration;
use crate::document::walk::Walker;

const DAY: Duration = Duration::from_secs(86_400);

/// How close to its expiry a certificate raises `certificate_expiring`: medium under
/// `warn`, critical under `critical` (`[defaults] certificate_warn`, `certificate_critical`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct CertificateLimits {
    pub warn: Duration,
    pub critical: Duration,
}

/// Where a certificate stands against its [`CertificateLimits`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    Fine,
    /// Under `warn`.
    Warning,
    /// Under `critical`, or expired.
    Critical,
}

impl CertificateLimits {
    /// The `[defaults]` and `[[service]]` keys of the limits.
    pub const KEYS: [&str; 2] = ["certificate_warn", "certificate_critical"];

    /// Reads `certificate_warn` and `certificate_critical` over `base`; `critical` must
    /// be shorter than `warn` (said where either is written here).
    pub(crate) fn read(w: &mut Walker<'_>, table: &DeTable<'_>, base: Self) -> Self {
        let mut read = |key: &str| {
            let value = table.get(key)?;
            let duration = w.duration(value, key)?;
            if duration.is_zero() {
                let message = format!("`{key}` must be more than 0s, like \"14d\"");
                w.report(value.span(), message);
                return None;
            }
            Some((duration, value.span()))
        };
        let warn = read("certificate_warn");
        let critical = read("certificate_critical");
        let limits = CertificateLimits {
            warn: warn.as_ref().map_or(base.warn, |(d, _)| *d),
            critical: critical.as_ref().map_or(base.critical, |(d, _)| *d),
        };
        if limits.critical >= limits.warn
            && let Some((_, span)) = critical.or(warn)
        {
            let (warn, critical) = (show_duration(limits.warn), show_duration(limits.critical));
            let message = format!(
                "`certificate_critical` ({critical}) must be shorter than `certificate_warn` \
                 ({warn}): a certificate is a warning first, critical closer to its expiry"
            );
            w.report(span, message);
            return base;
        }
        limits
    }

    /// Where a certificate with `left` before its expiry stands.
    pub fn standing(&self, left: Duration) -> Standing {
        if left < self.critical {
            Standing::Critical
        } else if left < self.warn {
            Standing::Warning
        } else {
            Standing::Fine
        }
    }
}

impl Default for CertificateLimits {
    /// 14 days, then 3.
    fn default() -> Self {
        Self {
            warn: 14 * DAY,
            critical: 3 * DAY,
        }
    }
}

/// The last certificate a check saw and what it says, so that one a server keeps
/// presenting is read once.
#[derive(Debug, Default)]
pub(crate) struct LastCertificate(Mutex<Option<Seen>>);

/// A leaf as the server sent it (DER) and what it says.
type Seen = (Box<[u8]>, Arc<Certificate>);

impl LastCertificate {
    /// What the leaf `der` says, with the subjects of the rest of the `chain` the server
    /// sent; `None` for a leaf that cannot be read (a handshake that accepted it still
    /// stands).
    pub(crate) fn read(&self, der: &[u8], chain: &[&[u8]]) -> Option<Arc<Certificate>> {
        let mut last = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((seen, certificate)) = last.as_ref()
            && **seen == *der
        {
            return Some(Arc::clone(certificate));
        }
        let mut certificate = Certificate::from_der(der).ok()?;
        certificate.chain = (chain.iter())
            .filter_map(|der| Certificate::from_der(der).ok())
            .map(|issuer| issuer.subject)
            .collect();
        let certificate = Arc::new(certificate);
        *last = Some((der.into(), Arc::clone(&certificate)));
        Some(certificate)
    }
}

/// The leaf certificate a server presented.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Certificate {
    pub not_before: SystemTime,
    pub not_after: SystemTime,
    /// The subject's distinguished name, as RFC 4514 writes it ("CN=api.example.com").
    pub subject: String,
    pub issuer: String,
    /// Its subject alternative names: DNS names and IP addresses.
    pub names: Vec<String>,
    /// The subjects of the other certificates the server sent with it, in its order
    /// (the intermediates); empty where the check sees the leaf alone (HTTPS).
    #[serde(default)]
    pub chain: Vec<String>,
}

impl Certificate {
    /// Reads a DER-encoded X.509 certificate.
    pub fn from_der(der: &[u8]) -> Result<Self, String> {
        let cert =
            X509::from_der(der).map_err(|error| format!("unreadable certificate: {error}"))?;
        let tbs = &cert.tbs_certificate;
        let names = match tbs.get::<SubjectAltName>() {
            Ok(Some((_, SubjectAltName(names)))) => names.iter().filter_map(name_text).collect(),
            _ => Vec::new(),
        };
        Ok(Self {
            not_before: UNIX_EPOCH + tbs.validity.not_before.to_date_time().unix_duration(),
            not_after: UNIX_EPOCH + tbs.validity.not_after.to_date_time().unix_duration(),
            subject: tbs.subject.to_string(),
            issuer: tbs.issuer.to_string(),
            names,
            chain: Vec::new(),
        })
    }

    /// The day it expires, "2027-01-17" (UTC).
    pub fn expiry_day(&self) -> String {
        let stamp = crate::words::rfc3339(self.not_after);
        stamp.get(..10).unwrap_or(&stamp).to_string()
    }

    /// How long until it expires at `now`; zero once it has.
    pub fn left(&self, now: SystemTime) -> Duration {
        self.not_after.duration_since(now).unwrap_or_default()
    }

    /// Whole days until it expires, rounded down so as never to promise more time than
    /// is left (47h59m is 1 day; under a day, 0); negative once it has expired (-1 on
    /// the first day after).
    pub fn days_left(&self, now: SystemTime) -> i64 {
        match self.not_after.duration_since(now) {
            Ok(left) => i64::try_from(left.as_secs() / DAY.as_secs()).unwrap_or(i64::MAX),
            Err(past) => {
                let days = past.duration().as_secs().div_ceil(DAY.as_secs()).max(1);
                -i64::try_from(days).unwrap_or(i64::MAX)
            }
        }
    }
}

fn name_text(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::DnsName(dns) => Some(dns.to_string()),
        GeneralName::IpAddress(octets) => {
            let bytes = octets.as_bytes();
            let ip = match bytes.len() {
                4 => <[u8; 4]>::try_from(bytes).ok().map(IpAddr::from),
                16 => <[u8; 16]>::try_from(bytes).ok().map(IpAddr::from),
                _ => None,
            };
            ip.map(|ip| ip.to_string())
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The self-signed fixture of the HTTPS probe tests: localhost and 127.0.0.1, until
    /// 2125.
    const VALID: &[u8] = include_bytes!("../../tests/support/probe_tls/valid.cert.der");
    const EXPIRED: &[u8] = include_bytes!("../../tests/support/probe_tls/expired.cert.der");

    #[test]
    fn reads_dates_names_and_issuer() {
        let cert = Certificate::from_der(VALID).expect("a certificate");
        assert!(cert.subject.contains("CN="), "{}", cert.subject);
        assert_eq!(cert.subject, cert.issuer, "self-signed");
        assert!(
            cert.names.contains(&"localhost".to_string()),
            "{:?}",
            cert.names
        );
        assert!(
            cert.names.contains(&"127.0.0.1".to_string()),
            "{:?}",
            cert.names
        );
        assert!(cert.not_after > UNIX_EPOCH + Duration::from_secs(4_000_000_000));
        let expired = Certificate::from_der(EXPIRED).expect("a certificate");
        assert!(expired.not_after < UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    }

    #[test]
    fn days_left_never_promise_more_than_is_left() {
        let at = UNIX_EPOCH + Duration::from_secs(1_800_000_000);
        let cert = |after: Duration| Certificate {
            not_before: UNIX_EPOCH,
            not_after: at + after,
            subject: String::new(),
            issuer: String::new(),
            names: Vec::new(),
            chain: Vec::new(),
        };
        let hours = |h: u64| Duration::from_secs(h * 3600);
        assert_eq!(cert(hours(14 * 24)).days_left(at), 14);
        assert_eq!(cert(hours(14 * 24 - 1)).days_left(at), 13);
        assert_eq!(
            cert(hours(47) + Duration::from_secs(59 * 60)).days_left(at),
            1
        );
        assert_eq!(cert(hours(1)).days_left(at), 0);
        assert_eq!(cert(Duration::ZERO).days_left(at), 0);
        let expired = |ago: Duration| Certificate {
            not_after: at - ago,
            ..cert(Duration::ZERO)
        };
        assert_eq!(expired(Duration::from_secs(1)).days_left(at), -1);
        assert_eq!(expired(hours(49)).days_left(at), -3);
    }

    #[test]
    fn garbage_is_refused() {
        assert!(Certificate::from_der(b"not a certificate").is_err());
    }
}
