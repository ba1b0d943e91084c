//! `tls = "host:port"` checks, through `lookout check --json`, against real TLS servers
//! on loopback with certificates from a test CA: trusted through `ca_file`, refused
//! without it (the certificate still shown), a server that asks for a client
//! certificate, `server_name`, and TLS opened inside PostgreSQL (a private server with
//! ssl switched on) and SMTP (Debian's aiosmtpd).

#[path = "support/check_cli.rs"]
mod check_cli;
#[path = "support/probe_tls.rs"]
mod probe_tls;
#[path = "support/test_ca.rs"]
mod test_ca;

mod support;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use check_cli::check_json_in;
use serde_json::Value;
use support::private_postgres::PrivatePostgres;

/// The one service's line of the report for a `[[service]]` of `body`, with the test
/// CA's certificate as `ca.pem` beside the config.
fn check(dir: &Path, issued: &test_ca::Issued, body: &str) -> Value {
    std::fs::write(dir.join("ca.pem"), &issued.ca_pem).expect("write the CA");
    let json = check_json_in(
        dir,
        &format!("[defaults]\ntimeout = \"3s\"\n\n[[service]]\nname = \"edge\"\n{body}\n"),
    );
    json["services"][0].clone()
}

#[test]
fn a_tls_check_trusts_its_ca_file_and_reads_the_chain() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let chain: [&[u8]; 2] = [&issued.cert_der, &issued.ca_der];
    let port = probe_tls::serve_chain("127.0.0.1", &chain, &issued.key_der, None);
    // A relative `ca_file` is taken from the config file's directory.
    let service = check(
        dir.path(),
        &issued,
        &format!("tls = \"localhost:{port}\"\nca_file = \"ca.pem\""),
    );
    assert_eq!(service["state"], "UP", "{service}");
    assert_eq!(service["target"], format!("tls://localhost:{port}"));
    let cert = &service["certificate"];
    assert_eq!(cert["days_left"], 4, "{cert}");
    assert_eq!(cert["subject"], "CN=localhost", "{cert}");
    assert_eq!(cert["chain"], serde_json::json!(["CN=lookout test CA"]));
}

#[test]
fn without_its_ca_the_check_fails_and_still_shows_the_certificate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let port = probe_tls::serve("127.0.0.1", &issued.cert_der, &issued.key_der);
    let service = check(dir.path(), &issued, &format!("tls = \"localhost:{port}\""));
    assert_eq!(service["state"], "DOWN", "{service}");
    assert_eq!(
        service["reason"], "TLS: invalid certificate: unknown issuer",
        "{service}"
    );
    assert_eq!(service["certificate"]["days_left"], 4, "{service}");

    let insecure = check(
        dir.path(),
        &issued,
        &format!("tls = \"localhost:{port}\"\ninsecure = true"),
    );
    assert_eq!(insecure["state"], "UP", "{insecure}");
    assert_eq!(insecure["certificate"]["days_left"], 4, "{insecure}");
}

#[test]
fn an_expired_certificate_is_down_with_its_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let port = probe_tls::start(probe_tls::Cert::Expired);
    let service = check(dir.path(), &issued, &format!("tls = \"localhost:{port}\""));
    assert_eq!(service["state"], "DOWN", "{service}");
    assert_eq!(service["reason"], "TLS: certificate expired", "{service}");
    let days = service["certificate"]["days_left"].as_i64().expect("days");
    assert!(days < 0, "{service}");
}

#[test]
fn a_server_asking_for_a_client_certificate_gets_the_configured_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let port = probe_tls::serve_chain(
        "127.0.0.1",
        &[&issued.cert_der],
        &issued.key_der,
        Some(&issued.ca_der),
    );
    let without = check(
        dir.path(),
        &issued,
        &format!("tls = \"localhost:{port}\"\nca_file = \"ca.pem\""),
    );
    assert_eq!(without["state"], "DOWN", "{without}");
    assert_eq!(
        without["reason"],
        "TLS: the server asks for a client certificate: set `client_cert` and `client_key`",
        "{without}"
    );

    std::fs::write(dir.path().join("client.pem"), &issued.cert_pem).expect("write");
    std::fs::write(dir.path().join("client.key"), &issued.key_pem).expect("write");
    let with = check(
        dir.path(),
        &issued,
        &format!(
            "tls = \"localhost:{port}\"\nca_file = \"ca.pem\"\n\
             client_cert = \"client.pem\"\nclient_key = \"client.key\""
        ),
    );
    assert_eq!(with["state"], "UP", "{with}");
}

#[test]
fn server_name_asks_for_the_name_the_certificate_covers() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    // 127.0.0.2 is not among the certificate's names; "localhost" is.
    let port = probe_tls::serve("127.0.0.2", &issued.cert_der, &issued.key_der);
    let bare = check(
        dir.path(),
        &issued,
        &format!("tls = \"127.0.0.2:{port}\"\nca_file = \"ca.pem\""),
    );
    assert_eq!(bare["state"], "DOWN", "{bare}");
    assert_eq!(bare["reason"], "TLS: invalid certificate: wrong host name");
    let named = check(
        dir.path(),
        &issued,
        &format!("tls = \"127.0.0.2:{port}\"\nca_file = \"ca.pem\"\nserver_name = \"localhost\""),
    );
    assert_eq!(named["state"], "UP", "{named}");
}

#[test]
fn starttls_postgres_opens_tls_in_a_real_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let Some(postgres) = PrivatePostgres::start(dir.path()) else {
        return;
    };
    let issued = test_ca::issue(5);
    let body = format!(
        "tls = \"127.0.0.1:{}\"\nstarttls = \"postgres\"\nca_file = \"ca.pem\"\n\
         server_name = \"localhost\"",
        postgres.port
    );
    let off = check(dir.path(), &issued, &body);
    assert_eq!(off["state"], "DOWN", "{off}");
    assert_eq!(
        off["reason"], "PostgreSQL: the server does not offer TLS (ssl = off)",
        "{off}"
    );

    postgres.enable_ssl(&issued.cert_pem, &issued.key_pem);
    let on = check(dir.path(), &issued, &body);
    assert_eq!(on["state"], "UP", "{on}");
    assert_eq!(
        on["target"],
        format!("postgres://127.0.0.1:{}", postgres.port)
    );
    assert_eq!(on["certificate"]["days_left"], 4, "{on}");
}

/// Debian's aiosmtpd offering STARTTLS on `port`; killed on drop.
struct Smtp(Child);

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn smtp(dir: &Path, issued: &test_ca::Issued, port: u16) -> Option<Smtp> {
    let python = "/usr/bin/python3";
    let present = Command::new(python)
        .args(["-c", "import aiosmtpd"])
        .status()
        .is_ok_and(|s| s.success());
    if !present {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "python3-aiosmtpd is required under CI=true (scripts/test installs it)"
        );
        eprintln!("skipped: python3-aiosmtpd is not installed");
        return None;
    }
    let (cert, key) = (dir.join("smtp.pem"), dir.join("smtp.key"));
    std::fs::write(&cert, &issued.cert_pem).expect("write");
    std::fs::write(&key, &issued.key_pem).expect("write");
    let child = Command::new(python)
        .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}")])
        .arg("--tlscert")
        .arg(&cert)
        .arg("--tlskey")
        .arg(&key)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start aiosmtpd");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "aiosmtpd did not listen");
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Smtp(child))
}

#[test]
fn starttls_smtp_opens_tls_in_a_real_mail_server() {
    let dir = tempfile::tempdir().expect("temp dir");
    let issued = test_ca::issue(5);
    let port = support::prometheus::free_port();
    let Some(_server) = smtp(dir.path(), &issued, port) else {
        return;
    };
    let service = check(
        dir.path(),
        &issued,
        &format!("tls = \"localhost:{port}\"\nstarttls = \"smtp\"\nca_file = \"ca.pem\""),
    );
    assert_eq!(service["state"], "UP", "{service}");
    assert_eq!(service["target"], format!("smtp://localhost:{port}"));
    assert_eq!(service["certificate"]["subject"], "CN=localhost");

    // Spoken to as IMAP, the mail server's greeting is the reason.
    let imap = check(
        dir.path(),
        &issued,
        &format!("tls = \"localhost:{port}\"\nstarttls = \"imap\"\nca_file = \"ca.pem\""),
    );
    assert_eq!(imap["state"], "DOWN", "{imap}");
    let reason = imap["reason"].as_str().expect("reason");
    assert!(reason.starts_with("IMAP greeting: \"220 "), "{reason}");
}
