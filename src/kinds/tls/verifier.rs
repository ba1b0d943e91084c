//! The TLS kind's certificate verifier: the platform's (with `ca_file`'s certificates
//! trusted besides), or none with `insecure`. Either way it keeps the certificates the
//! server sent, so a check failed by an expired or untrusted certificate still shows
//! which certificate it was and when it expired.

use std::sync::{Arc, Mutex, PoisonError};

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, SignatureScheme};

/// Verifies as `inner` does (accepts anything when `None`) and keeps what it was shown.
#[derive(Debug)]
pub(super) struct Keeping {
    inner: Option<Arc<dyn ServerCertVerifier>>,
    provider: Arc<CryptoProvider>,
    /// The leaf, then the rest of the chain, from the last handshake.
    seen: Mutex<Vec<CertificateDer<'static>>>,
}

impl Keeping {
    /// The system's roots and `extra` ones; `None` for `insecure`.
    pub(super) fn new(
        extra: Option<Vec<CertificateDer<'static>>>,
        provider: Arc<CryptoProvider>,
    ) -> Result<Self, String> {
        let inner: Option<Arc<dyn ServerCertVerifier>> = match extra {
            Some(roots) => Some(Arc::new(
                rustls_platform_verifier::Verifier::new_with_extra_roots(roots, provider.clone())
                    .map_err(|error| format!("TLS setup failed: {error}"))?,
            )),
            None => None,
        };
        Ok(Self {
            inner,
            provider,
            seen: Mutex::new(Vec::new()),
        })
    }

    /// The certificates of the last handshake, leaf first; empty when none got as far.
    pub(super) fn take(&self) -> Vec<CertificateDer<'static>> {
        std::mem::take(&mut self.seen.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

impl ServerCertVerifier for Keeping {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let chain = std::iter::once(end_entity).chain(intermediates);
        *self.seen.lock().unwrap_or_else(PoisonError::into_inner) =
            chain.map(|cert| cert.clone().into_owned()).collect();
        match &self.inner {
            Some(inner) => {
                inner.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
            }
            None => Ok(ServerCertVerified::assertion()),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        match &self.inner {
            Some(inner) => inner.verify_tls12_signature(message, cert, dss),
            None => verify_tls12_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        }
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        match &self.inner {
            Some(inner) => inner.verify_tls13_signature(message, cert, dss),
            None => verify_tls13_signature(
                message,
                cert,
                dss,
                &self.provider.signature_verification_algorithms,
            ),
        }
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        match &self.inner {
            Some(inner) => inner.supported_verify_schemes(),
            None => (self.provider.signature_verification_algorithms).supported_schemes(),
        }
    }
}
