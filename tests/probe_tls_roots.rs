//! HTTPS checks verify against the system's roots: with `SSL_CERT_FILE` naming the
//! fixture certificate (its own binary, since the variable is process-wide), a server
//! presenting it passes, unless it is reached by a name the certificate does not cover.

#[path = "support/probe_server.rs"]
mod probe_server;
#[path = "support/probe_tls.rs"]
mod probe_tls;

use std::time::Duration;

use lookout::kinds::Outcome;
use lookout::probe::check_all_once;
use probe_server::http_service;
use probe_tls::Cert;

#[test]
fn a_certificate_from_the_system_roots_is_trusted_for_its_names_only() {
    let roots = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/probe_tls/valid.cert.pem"
    );
    // SAFETY: the only test in this binary sets the variable before any other thread
    // (the runtime's included) exists.
    unsafe { std::env::set_var("SSL_CERT_FILE", roots) };
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let port = probe_tls::start(Cert::SelfSigned);
    for host in ["localhost", "127.0.0.1"] {
        let service = http_service(&format!("https://{host}:{port}/"));
        let result = runtime.block_on(check_all_once(&[service], 1)).remove(0);
        assert_eq!(
            result.outcome,
            Outcome::Pass { status: Some(200) },
            "{host}"
        );
    }
    // A trusted certificate for another name: 127.0.0.2 is not among its names.
    let port = probe_tls::start_on("127.0.0.2", Cert::SelfSigned);
    let service = http_service(&format!("https://127.0.0.2:{port}/"));
    let result = runtime.block_on(check_all_once(&[service], 1)).remove(0);
    let wrong_name = Outcome::Fail {
        status: None,
        reason: "TLS: invalid certificate: wrong host name".to_string(),
    };
    assert_eq!(result.outcome, wrong_name);
    assert!(
        result.latency < Duration::from_secs(1),
        "{:?}",
        result.latency
    );
}
