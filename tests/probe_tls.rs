//! HTTPS checks against loopback servers whose certificates must be refused, unless the
//! service says `insecure = true`.

#[path = "support/probe_server.rs"]
mod probe_server;
#[path = "support/probe_tls.rs"]
mod probe_tls;

use lookout::kinds::Outcome;
use lookout::probe::check_all_once;
use probe_server::{http, http_service};
use probe_tls::Cert;

async fn reason(url: &str) -> String {
    match check_all_once(&[http_service(url)], 1)
        .await
        .remove(0)
        .outcome
    {
        Outcome::Fail { reason, .. } => reason,
        pass => panic!("{url} passed: {pass:?}"),
    }
}

#[tokio::test]
async fn an_expired_certificate_is_named() {
    let port = probe_tls::start(Cert::Expired);
    let reason = reason(&format!("https://localhost:{port}/")).await;
    assert_eq!(reason, "TLS: certificate expired");
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused() {
    let port = probe_tls::start(Cert::SelfSigned);
    for host in ["localhost", "127.0.0.1"] {
        let reason = reason(&format!("https://{host}:{port}/")).await;
        assert_eq!(reason, "TLS: invalid certificate: unknown issuer", "{host}");
    }
}

#[tokio::test]
async fn insecure_accepts_what_verification_refuses() {
    for cert in [Cert::SelfSigned, Cert::Expired] {
        let url = format!("https://localhost:{}/", probe_tls::start(cert));
        let mut insecure = http_service(&url);
        http(&mut insecure).insecure = true;
        // Both in one run: the verifying client and the insecure one are kept apart.
        let results = check_all_once(&[http_service(&url), insecure], 2).await;
        assert!(!results[0].outcome.is_pass(), "{:?}", results[0].outcome);
        assert_eq!(results[1].outcome, Outcome::Pass { status: Some(200) });
    }
}

#[path = "support/test_ca.rs"]
mod test_ca;

#[tokio::test]
async fn a_ca_certificate_presented_as_the_server_s_own_is_explained() {
    let issued = test_ca::issue(5);
    let port = probe_tls::serve("127.0.0.1", &issued.ca_der, &issued.ca_key_der);
    let reason = reason(&format!("https://localhost:{port}/")).await;
    assert!(
        reason.starts_with("TLS: the server presents a CA certificate as its own"),
        "{reason}"
    );
}
