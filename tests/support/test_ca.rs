//! A certificate authority made for one test with Debian's `openssl`, and a leaf it
//! signs for localhost and 127.0.0.1 that expires in a given number of days.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::Command;

/// A leaf certificate and its key (DER, PKCS#8), and the CA that signed it (PEM).
pub struct Issued {
    pub cert_der: Vec<u8>,
    pub key_der: Vec<u8>,
    pub ca_pem: String,
    /// The CA's own certificate and key (DER, PKCS#8), for a server that wrongly
    /// presents it as its own.
    pub ca_der: Vec<u8>,
    pub ca_key_der: Vec<u8>,
    /// The leaf and its key as PEM, for a config's `client_cert` and `client_key` or a
    /// server that reads files.
    pub cert_pem: String,
    pub key_pem: String,
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("openssl runs (the test script installs it)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA named "lookout test CA" and a leaf for localhost valid for `days` days.
pub fn issue(days: u32) -> Issued {
    let dir = tempfile::tempdir().expect("temp dir");
    let at = dir.path();
    let days = days.to_string();
    openssl(
        at,
        &[
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "ca.key",
            "-out",
            "ca.pem",
            "-days",
            "30",
            "-subj",
            "/CN=lookout test CA",
        ],
    );
    openssl(
        at,
        &[
            "req",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            "leaf.key",
            "-out",
            "leaf.csr",
            "-subj",
            "/CN=localhost",
        ],
    );
    std::fs::write(
        at.join("leaf.ext"),
        "subjectAltName = DNS:localhost, IP:127.0.0.1\nbasicConstraints = CA:FALSE\n",
    )
    .expect("write the extensions");
    openssl(
        at,
        &[
            "x509",
            "-req",
            "-in",
            "leaf.csr",
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            "leaf.der",
            "-outform",
            "DER",
            "-days",
            &days,
            "-extfile",
            "leaf.ext",
        ],
    );
    openssl(
        at,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "leaf.key",
            "-outform",
            "DER",
            "-out",
            "leaf.key.der",
        ],
    );
    openssl(
        at,
        &["x509", "-in", "ca.pem", "-outform", "DER", "-out", "ca.der"],
    );
    openssl(
        at,
        &[
            "x509", "-inform", "DER", "-in", "leaf.der", "-out", "leaf.pem",
        ],
    );
    openssl(
        at,
        &[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "ca.key",
            "-outform",
            "DER",
            "-out",
            "ca.key.der",
        ],
    );
    let read = |name: &str| std::fs::read(at.join(name)).expect("openssl wrote it");
    Issued {
        cert_der: read("leaf.der"),
        key_der: read("leaf.key.der"),
        ca_pem: String::from_utf8(read("ca.pem")).expect("PEM is text"),
        ca_der: read("ca.der"),
        ca_key_der: read("ca.key.der"),
        cert_pem: String::from_utf8(read("leaf.pem")).expect("PEM is text"),
        key_pem: String::from_utf8(read("leaf.key")).expect("PEM is text"),
    }
}
