//! A loopback HTTPS server for the probe tests, serving one of the certificates in
//! `probe_tls/` (see `probe_tls/generate.py`) and answering "ok" after a handshake.
#![allow(dead_code)] // each probe test binary uses its own subset

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ServerConfig, ServerConnection, StreamOwned};

/// Ports whose server was stopped.
static STOPPED: std::sync::Mutex<Vec<u16>> = std::sync::Mutex::new(Vec::new());

/// Stops the server on `port`: connections are refused from now on.
pub fn stop(port: u16) {
    STOPPED.lock().expect("stopped ports").push(port);
    // Wakes the accept loop, which then sees it is stopped and closes the port.
    let _ = std::net::TcpStream::connect(("127.0.0.1", port));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
        assert!(
            std::time::Instant::now() < deadline,
            "port {port} still open"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Which fixture certificate the server presents.
#[derive(Clone, Copy)]
pub enum Cert {
    /// Valid only during 2020.
    Expired,
    /// Valid until 2125, but self-signed: trusted only when made a root.
    SelfSigned,
    /// Like `SelfSigned` with another key; no test makes it a root.
    Untrusted,
}

/// Starts a server on 127.0.0.1 on a thread and returns its port; it lives until the
/// test ends.
pub fn start(cert: Cert) -> u16 {
    start_on("127.0.0.1", cert)
}

/// Starts a server on `ip` (any loopback address: 127.0.0.2 is a name the fixture
/// certificates do not cover) and returns its port.
pub fn start_on(ip: &str, cert: Cert) -> u16 {
    let (cert, key): (&[u8], &[u8]) = match cert {
        Cert::Expired => (
            include_bytes!("probe_tls/expired.cert.der"),
            include_bytes!("probe_tls/expired.key.der"),
        ),
        Cert::SelfSigned => (
            include_bytes!("probe_tls/valid.cert.der"),
            include_bytes!("probe_tls/valid.key.der"),
        ),
        Cert::Untrusted => (
            include_bytes!("probe_tls/untrusted.cert.der"),
            include_bytes!("probe_tls/untrusted.key.der"),
        ),
    };
    serve(ip, cert, key)
}

/// Starts a server on `ip` presenting `cert` (DER) with `key` (PKCS#8 DER) and returns
/// its port.
pub fn serve(ip: &str, cert: &[u8], key: &[u8]) -> u16 {
    serve_chain(ip, &[cert], key, None)
}

/// Starts a server on `ip` presenting `chain` (DER, leaf first) with `key`, asking
/// clients for a certificate signed by `client_ca` (DER) when given; returns its port.
pub fn serve_chain(ip: &str, chain: &[&[u8]], key: &[u8], client_ca: Option<&[u8]>) -> u16 {
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.to_vec()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("ring supports the default versions");
    let builder = match client_ca {
        Some(ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots
                .add(CertificateDer::from(ca.to_vec()))
                .expect("a CA certificate");
            let verifier =
                rustls::server::WebPkiClientVerifier::builder_with_provider(roots.into(), provider)
                    .build()
                    .expect("a client verifier");
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let chain = chain
        .iter()
        .map(|der| CertificateDer::from(der.to_vec()))
        .collect();
    let config = builder
        .with_single_cert(chain, key)
        .expect("fixture key matches its certificate");
    let config = Arc::new(config);
    let listener = TcpListener::bind((ip, 0)).expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            if STOPPED.lock().expect("stopped ports").contains(&port) {
                break;
            }
            let connection = ServerConnection::new(Arc::clone(&config)).expect("server conn");
            let mut tls = StreamOwned::new(connection, stream);
            let mut request = [0u8; 4096];
            // A client that rejects the certificate ends the handshake here.
            if let Ok(n) = tls.read(&mut request)
                && n > 0
            {
                let answer = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok";
                let _ = tls.write_all(answer);
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        }
    });
    port
}
