//! One TLS check: connect, speak the `starttls` opening if any, shake hands, and read
//! the certificate the server presented (also when the handshake refused it).

use std::path::Path;
use std::sync::Arc;

use rustls::ClientConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio_rustls::TlsConnector;
use tokio_rustls::client::TlsStream;

use super::TlsCheck;
use super::starttls::StartTls;
use super::verifier::Keeping;
use crate::kinds::certificate::LastCertificate;
use crate::kinds::stage::{Stage, StageCell};
use crate::kinds::tcp::TcpTarget;
use crate::kinds::{Checked, Outcome};
use crate::net::reason;

/// One service's prepared handshake.
pub(crate) struct TlsTarget {
    tcp: TcpTarget,
    host: Box<str>,
    server_name: ServerName<'static>,
    starttls: Option<StartTls>,
    connector: TlsConnector,
    verifier: Arc<Keeping>,
    certificate: LastCertificate,
}

impl TlsTarget {
    /// Reads `ca_file`, `client_cert` and `client_key` and builds the client; the error
    /// is the reason every check then fails with.
    pub(crate) fn new(check: &TlsCheck) -> Result<Self, String> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let extra = match (&check.ca_file, check.insecure) {
            (_, true) => None,
            (Some(path), false) => Some(certificates(path, "ca_file")?),
            (None, false) => Some(Vec::new()),
        };
        let verifier = Arc::new(Keeping::new(extra, provider.clone())?);
        let builder = ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|error| format!("TLS setup failed: {error}"))?
            .dangerous()
            .with_custom_certificate_verifier(verifier.clone());
        let config = match (&check.client_cert, &check.client_key) {
            (Some(cert), Some(key)) => builder
                .with_client_auth_cert(certificates(cert, "client_cert")?, private_key(key)?)
                .map_err(|error| format!("client_cert and client_key: {error}"))?,
            _ => builder.with_no_client_auth(),
        };
        let name = check.server_name.as_deref().unwrap_or(&check.host);
        let server_name = ServerName::try_from(name.to_string())
            .map_err(|_| format!("{name:?} is not a server name TLS can ask for"))?;
        let tcp = crate::kinds::TcpCheck {
            host: check.host.clone(),
            port: check.port,
        };
        Ok(Self {
            tcp: TcpTarget::new(&tcp),
            host: check.host.as_str().into(),
            server_name,
            starttls: check.starttls,
            connector: TlsConnector::from(Arc::new(config)),
            verifier,
            certificate: LastCertificate::default(),
        })
    }

    /// One check; unbounded in time (the caller applies the service's timeout).
    pub(crate) async fn check(&self, stage: &StageCell) -> Checked {
        stage.set(Stage::Connecting);
        let mut stream = match self.tcp.connect().await {
            Ok(stream) => stream,
            Err(reason) => return failed(reason, None),
        };
        if let Some(starttls) = self.starttls {
            stage.set(Stage::AwaitingResponse);
            if let Err(reason) = starttls.open(&mut stream).await {
                return failed(reason, None);
            }
        }
        stage.set(Stage::Handshake);
        self.verifier.take();
        let handshake = (self.connector)
            .connect(self.server_name.clone(), stream)
            .await;
        let chain = self.verifier.take();
        let certificate = chain.split_first().and_then(|(leaf, rest)| {
            let rest: Vec<&[u8]> = rest.iter().map(|der| der.as_ref()).collect();
            self.certificate.read(leaf, &rest)
        });
        let closed = match handshake {
            Ok(tls) => {
                stage.set(Stage::Closing);
                close(tls).await
            }
            Err(error) => Err(error),
        };
        match closed {
            Ok(()) => Checked {
                outcome: Outcome::Pass { status: None },
                reading: None,
                certificate,
            },
            Err(error) => failed(reason::from_error(&error, &self.host), certificate),
        }
    }
}

/// The most bytes read while closing (an SMTPS greeting, say) before the server is
/// taken to be fine.
const CLOSING_READ_CAP: usize = 64 * 1024;

/// Says goodbye (close_notify) and reads until the server closes. In TLS 1.3 a client's
/// handshake is over before the server has judged the client's certificate, so a
/// refusal (a certificate required, or not trusted) only arrives now, as an alert;
/// without this read a server refusing every client would pass.
async fn close(mut tls: TlsStream<TcpStream>) -> Result<(), std::io::Error> {
    tls.shutdown().await?;
    let mut buffer = [0_u8; 4096];
    let mut read = 0;
    while read < CLOSING_READ_CAP {
        match tls.read(&mut buffer).await {
            Ok(0) => return Ok(()),
            Ok(n) => read += n,
            // A server that drops the connection without a close_notify has said all it
            // will; only a TLS alert is a refusal.
            Err(error) if is_tls_error(&error) => return Err(error),
            Err(_) => return Ok(()),
        }
    }
    Ok(())
}

fn is_tls_error(error: &std::io::Error) -> bool {
    let inner: &(dyn std::error::Error + 'static) = error;
    reason::innermost(inner).is::<rustls::Error>()
}

fn failed(reason: String, certificate: Option<Arc<crate::kinds::Certificate>>) -> Checked {
    Checked {
        outcome: Outcome::Fail {
            status: None,
            reason,
        },
        reading: None,
        certificate,
    }
}

/// Every certificate in the PEM file at `path`; at least one.
pub(super) fn certificates(path: &Path, key: &str) -> Result<Vec<CertificateDer<'static>>, String> {
    let shown = path.display();
    let wrong = |error: rustls::pki_types::pem::Error| {
        format!(
            "`{key}` {shown}: {}; it takes a PEM file of certificates",
            pem_error(&error)
        )
    };
    let certs = CertificateDer::pem_file_iter(path)
        .map_err(wrong)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(wrong)?;
    if certs.is_empty() {
        return Err(format!(
            "`{key}` {shown} holds no certificate (a PEM file with \"-----BEGIN CERTIFICATE-----\")"
        ));
    }
    Ok(certs)
}

/// The private key in the PEM file at `path` (PKCS#8, PKCS#1 or SEC1).
pub(super) fn private_key(path: &Path) -> Result<PrivateKeyDer<'static>, String> {
    PrivateKeyDer::from_pem_file(path).map_err(|error| {
        let why = match error {
            rustls::pki_types::pem::Error::NoItemsFound => "holds no private key".to_string(),
            other => pem_error(&other),
        };
        format!(
            "`client_key` {}: {why}; it takes a PEM file with \"-----BEGIN PRIVATE KEY-----\"",
            path.display()
        )
    })
}

/// What went wrong reading a PEM file, without its contents.
fn pem_error(error: &rustls::pki_types::pem::Error) -> String {
    use rustls::pki_types::pem::Error;
    match error {
        Error::Io(io) => io.to_string(),
        Error::NoItemsFound => "no such item in it".to_string(),
        _ => "not a valid PEM file".to_string(),
    }
}
