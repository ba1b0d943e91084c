//! The certificate an HTTPS server presents, as `lookout check --json` reports it: a
//! loopback server with a leaf from a test CA that expires in five days.

#[path = "support/check_cli.rs"]
mod check_cli;
#[path = "support/probe_tls.rs"]
mod probe_tls;
#[path = "support/test_ca.rs"]
mod test_ca;

use check_cli::check_json;

#[test]
fn check_json_tells_the_days_left_and_who_issued_it() {
    let issued = test_ca::issue(5);
    let port = probe_tls::serve("127.0.0.1", &issued.cert_der, &issued.key_der);
    // The test CA is not among the system's roots: `insecure` accepts it, and the
    // certificate is read all the same.
    let json = check_json(&format!(
        "[[service]]\nname = \"shop\"\nurl = \"https://localhost:{port}/\"\ninsecure = true\n"
    ));
    assert_eq!(json["services"][0]["state"], "UP", "{json}");
    let cert = &json["services"][0]["certificate"];
    // Issued for five days a moment ago: four whole days and some hours are left.
    assert_eq!(cert["days_left"], 4, "{cert}");
    assert_eq!(cert["subject"], "CN=localhost", "{cert}");
    assert_eq!(cert["issuer"], "CN=lookout test CA", "{cert}");
    assert_eq!(
        cert["names"],
        serde_json::json!(["localhost", "127.0.0.1"]),
        "{cert}"
    );
    let expires = cert["expires_at"].as_str().expect("a date");
    let expires = humantime::parse_rfc3339(expires).expect("RFC 3339");
    let left = expires
        .duration_since(std::time::SystemTime::now())
        .expect("in the future");
    assert!(
        left.as_secs() > 4 * 86_400 && left.as_secs() <= 5 * 86_400,
        "{left:?}"
    );
}

#[test]
fn plain_http_and_tcp_have_no_certificate() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let json = check_json(&format!(
        "[[service]]\nname = \"db\"\ntcp = \"127.0.0.1:{port}\"\n"
    ));
    assert!(json["services"][0].get("certificate").is_none(), "{json}");
}

#[test]
fn a_certificate_the_handshake_refuses_is_still_read() {
    // Untrusted (the test CA is not a system root): DOWN, and its expiry is known.
    let issued = test_ca::issue(5);
    let port = probe_tls::serve("127.0.0.1", &issued.cert_der, &issued.key_der);
    let json = check_json(&format!(
        "[[service]]\nname = \"shop\"\nurl = \"https://localhost:{port}/\"\n"
    ));
    let shop = &json["services"][0];
    assert_eq!(shop["state"], "DOWN", "{shop}");
    assert_eq!(shop["reason"], "TLS: invalid certificate: unknown issuer");
    assert_eq!(shop["certificate"]["days_left"], 4, "{shop}");

    // Expired: the card can say EXPIRED rather than the last good one's days.
    let port = probe_tls::start(probe_tls::Cert::Expired);
    let json = check_json(&format!(
        "[[service]]\nname = \"old\"\nurl = \"https://localhost:{port}/\"\n"
    ));
    let old = &json["services"][0];
    assert_eq!(old["reason"], "TLS: certificate expired", "{old}");
    let days = old["certificate"]["days_left"].as_i64().expect("days");
    assert!(days < 0, "{old}");
}
