//! Short, precise failure reasons ("connection refused", "TLS: certificate expired")
//! made by walking an error's source chain; outer messages are never used because
//! they are vague and may quote the URL (with its secrets).

use std::error::Error;
use std::io;
use std::time::Duration;

use rustls::CertificateError;

/// "timeout after 5s", "timeout after 200ms".
pub(crate) fn timeout(limit: Duration) -> String {
    format!("timeout after {}", humantime::format_duration(limit))
}

/// "64 KiB", "1 MiB", "1000 bytes": how much of a body was looked at.
pub(crate) fn size(bytes: usize) -> String {
    const KIB: usize = 1024;
    const MIB: usize = 1024 * KIB;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else if bytes >= KIB && bytes.is_multiple_of(KIB) {
        format!("{} KiB", bytes / KIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// The reason for a failed name lookup of `host`, from the resolver's message.
pub(crate) fn dns(host: &str, error: &(dyn Error + 'static)) -> String {
    let message = innermost(error).to_string();
    let unknown = [
        "not known",
        "No address associated",
        "nodename nor servname",
        "No such host",
    ];
    if unknown.iter().any(|needle| message.contains(needle)) {
        format!("DNS: no such host {host}")
    } else {
        let message = message
            .strip_prefix("failed to lookup address information: ")
            .unwrap_or(&message);
        format!("DNS: {message} ({host})")
    }
}

/// The reason for any connection, TLS or protocol error, `host` naming the target
/// for DNS failures.
pub(crate) fn from_error(error: &(dyn Error + 'static), host: &str) -> String {
    let mut link = Some(error);
    while let Some(current) = link {
        if let Some(tls) = current.downcast_ref::<rustls::Error>() {
            return tls_reason(tls);
        }
        if let Some(io_error) = current.downcast_ref::<io::Error>() {
            if let Some(reason) = io_reason(io_error) {
                return reason.to_string();
            }
            // `io::Error::source` skips the wrapped error itself; step into it.
            link = io_error
                .get_ref()
                .map(|inner| inner as &(dyn Error + 'static));
            continue;
        }
        let message = current.to_string();
        if message == "dns error" {
            return dns(host, current);
        }
        if message.starts_with("connection closed before message completed") {
            return "connection closed before response".to_string();
        }
        if message.starts_with("message head is too large") {
            // hyper's limit on a response's status line and headers (about 400 KiB).
            return "response headers too large".to_string();
        }
        link = current.source();
    }
    innermost(error).to_string()
}

/// The deepest cause; outer messages add nothing a reader needs.
pub(crate) fn innermost<'a>(error: &'a (dyn Error + 'static)) -> &'a (dyn Error + 'static) {
    let mut current = error;
    loop {
        let next = match current.downcast_ref::<io::Error>() {
            Some(io_error) => io_error
                .get_ref()
                .map(|inner| inner as &(dyn Error + 'static)),
            None => current.source(),
        };
        match next {
            Some(next) => current = next,
            None => return current,
        }
    }
}

fn io_reason(error: &io::Error) -> Option<&'static str> {
    use io::ErrorKind::*;
    Some(match error.kind() {
        ConnectionRefused => "connection refused",
        ConnectionReset => "connection reset",
        ConnectionAborted => "connection aborted",
        BrokenPipe => "connection closed by peer",
        UnexpectedEof => "connection closed early",
        TimedOut => "connect timed out (OS)",
        HostUnreachable => "host unreachable",
        NetworkUnreachable => "network unreachable",
        NetworkDown => "network down",
        AddrNotAvailable => "address not available",
        _ => return None,
    })
}

fn tls_reason(error: &rustls::Error) -> String {
    match error {
        rustls::Error::InvalidCertificate(cert) => match cert {
            CertificateError::Expired | CertificateError::ExpiredContext { .. } => {
                "TLS: certificate expired".to_string()
            }
            CertificateError::NotValidYet | CertificateError::NotValidYetContext { .. } => {
                "TLS: certificate not valid yet".to_string()
            }
            CertificateError::UnknownIssuer => {
                "TLS: invalid certificate: unknown issuer".to_string()
            }
            CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
                "TLS: invalid certificate: wrong host name".to_string()
            }
            CertificateError::Revoked => "TLS: certificate revoked".to_string(),
            CertificateError::BadSignature => "TLS: invalid certificate: bad signature".to_string(),
            CertificateError::UnsupportedSignatureAlgorithmContext { .. }
            | CertificateError::UnsupportedSignatureAlgorithmForPublicKeyContext { .. } => {
                "TLS: invalid certificate: unsupported signature algorithm".to_string()
            }
            // webpki's word for a certificate with `CA:TRUE` presented as a server's own:
            // a self-signed CA put on the server instead of a certificate it issued.
            CertificateError::Other(other) if other.to_string() == "CaUsedAsEndEntity" => {
                "TLS: the server presents a CA certificate as its own (basicConstraints \
                 CA:TRUE), which clients refuse; give the server a certificate issued by that \
                 CA"
                .to_string()
            }
            CertificateError::Other(other) => format!("TLS: invalid certificate: {other}"),
            other => format!("TLS: invalid certificate: {}", variant_name(other)),
        },
        rustls::Error::AlertReceived(rustls::AlertDescription::CertificateRequired) => {
            "TLS: the server asks for a client certificate: set `client_cert` and `client_key`"
                .to_string()
        }
        rustls::Error::AlertReceived(
            alert @ (rustls::AlertDescription::BadCertificate
            | rustls::AlertDescription::UnknownCA
            | rustls::AlertDescription::CertificateExpired
            | rustls::AlertDescription::CertificateUnknown),
        ) => format!("TLS: the server refused the client certificate ({alert:?})"),
        rustls::Error::AlertReceived(alert) => format!("TLS: server sent alert {alert:?}"),
        other => format!("TLS: {other}"),
    }
}

/// A variant's name without its fields: the fields are long byte dumps.
fn variant_name(error: &CertificateError) -> String {
    let debug = format!("{error:?}");
    let name = debug.split([' ', '{', '(']).next().unwrap_or(&debug);
    name.strip_suffix("Context").unwrap_or(name).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(size(64 * 1024), "64 KiB");
        assert_eq!(size(2 * 1024 * 1024), "2 MiB");
        assert_eq!(size(1000), "1000 bytes");
        assert_eq!(size(1536), "1536 bytes");
    }

    #[test]
    fn timeouts_use_the_config_spelling() {
        assert_eq!(timeout(Duration::from_secs(5)), "timeout after 5s");
        assert_eq!(timeout(Duration::from_millis(200)), "timeout after 200ms");
    }

    #[test]
    fn tls_errors_inside_io_errors_are_found() {
        let tls = rustls::Error::InvalidCertificate(CertificateError::Expired);
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, tls);
        assert_eq!(from_error(&wrapped, "h"), "TLS: certificate expired");
        let unknown = rustls::Error::InvalidCertificate(CertificateError::UnknownIssuer);
        let wrapped = io::Error::new(io::ErrorKind::InvalidData, unknown);
        assert_eq!(
            from_error(&wrapped, "h"),
            "TLS: invalid certificate: unknown issuer"
        );
        let purpose = CertificateError::InvalidPurposeContext {
            required: rustls::ExtendedKeyPurpose::ServerAuth,
            presented: Vec::new(),
        };
        let wrapped = io::Error::other(rustls::Error::InvalidCertificate(purpose));
        assert_eq!(
            from_error(&wrapped, "h"),
            "TLS: invalid certificate: InvalidPurpose"
        );
    }

    #[test]
    fn io_kinds_name_the_failure() {
        let reset = io::Error::from(io::ErrorKind::ConnectionReset);
        assert_eq!(from_error(&reset, "h"), "connection reset");
    }

    #[test]
    fn hypers_head_limit_is_told_in_the_products_words() {
        let endless = io::Error::other("message head is too large");
        assert_eq!(from_error(&endless, "h"), "response headers too large");
    }

    #[test]
    fn unknown_hosts_are_named() {
        let gai =
            io::Error::other("failed to lookup address information: Name or service not known");
        assert_eq!(
            dns("example.invalid", &gai),
            "DNS: no such host example.invalid"
        );
        let again = io::Error::other(
            "failed to lookup address information: Temporary failure in name resolution",
        );
        assert_eq!(
            dns("x.test", &again),
            "DNS: Temporary failure in name resolution (x.test)"
        );
    }
}
