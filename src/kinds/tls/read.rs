//! The keys of a TLS check, checked: the address, the opening, and the files, which are
//! read here so that a missing or wrong file is an error at its line, not a failing
//! check.

use toml::de::DeTable;

use super::connect::{certificates, private_key};
use super::{StartTls, TlsCheck};
use crate::document::walk::{Value, Walker};
use crate::kinds::CertificateLimits;
use crate::kinds::tcp::split_host_port;

/// Reads a `[[service]]` with `tls = "host:port"`.
pub(crate) fn check(
    w: &mut Walker<'_>,
    selector: &Value<'_>,
    table: &DeTable<'_>,
    defaults: &CertificateLimits,
) -> Option<TlsCheck> {
    let address = address(w, selector);
    let starttls = match table.get("starttls") {
        Some(value) => Some(starttls(w, value)?),
        None => None,
    };
    let server_name = table
        .get("server_name")
        .and_then(|value| w.text(value, "server_name"))
        .map(|text| text.value);
    let ca_file = file(w, table, "ca_file", |path| {
        certificates(path, "ca_file").map(drop)
    });
    let client_cert = file(w, table, "client_cert", |path| {
        certificates(path, "client_cert").map(drop)
    });
    let client_key = file(w, table, "client_key", |path| private_key(path).map(drop));
    let pair = match (table.get("client_cert"), table.get("client_key")) {
        (Some(value), None) | (None, Some(value)) => {
            let message = "`client_cert` and `client_key` go together: a client certificate \
                           needs its private key";
            w.report(value.span(), message);
            false
        }
        _ => true,
    };
    let insecure = table
        .get("insecure")
        .and_then(|value| w.boolean(value, "insecure"))
        .unwrap_or(false);
    let certificate = CertificateLimits::read(w, table, *defaults);
    let (host, port) = address?;
    pair.then_some(TlsCheck {
        host,
        port,
        starttls,
        server_name,
        ca_file: ca_file?,
        client_cert: client_cert?,
        client_key: client_key?,
        insecure,
        certificate,
    })
}

fn address(w: &mut Walker<'_>, value: &Value<'_>) -> Option<(String, u16)> {
    let text = w.text(value, "tls")?;
    match split_host_port(&text.value) {
        Ok(address) => Some(address),
        Err(why) => {
            let message = format!(
                "`tls` = {} is not host:port ({why}); write it like \"example.com:443\" or \
                 \"[::1]:8443\"",
                text.quoted()
            );
            w.report(text.span, message);
            None
        }
    }
}

fn starttls(w: &mut Walker<'_>, value: &Value<'_>) -> Option<StartTls> {
    let text = w.text(value, "starttls")?;
    let found = StartTls::parse(&text.value);
    if found.is_none() {
        let message = format!(
            "`starttls` = {} is not a protocol lookout opens TLS in; use one of \"{}\"",
            text.quoted(),
            StartTls::WORDS.join("\", \"")
        );
        w.report(text.span, message);
    }
    found
}

/// An optional file `key`, taken from the config file's directory when relative, and
/// read by `check` now: `Some(None)` when absent, `None` when it is wrong (reported).
fn file(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    key: &str,
    check: impl Fn(&std::path::Path) -> Result<(), String>,
) -> Option<Option<std::path::PathBuf>> {
    let Some(value) = table.get(key) else {
        return Some(None);
    };
    let path = w.path(value, key)?;
    match check(&path) {
        Ok(()) => Some(Some(path)),
        Err(problem) => {
            w.report(value.span(), problem);
            None
        }
    }
}
