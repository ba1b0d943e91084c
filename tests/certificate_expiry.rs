//! The certificate an HTTPS server presents, as `lookout check --json` reports it: a
//! loopback server with a leaf from a test CA that expires in five days.

#[path = "support/probe_tls.rs"]
mod probe_tls;
#[path = "support/test_ca.rs"]
mod test_ca;

use std::process::Command;

/// `lookout check --json` on a config of `text`, read back as JSON.
fn check_json(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = dir.path().join("lookout.toml");
    std::fs::write(&config, text).expect("write config");
    let out = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "check",
            "--json",
        ])
        .output()
        .expect("run lookout");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

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
    assert_eq!(cert["days_left"], 5, "{cert}");
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
