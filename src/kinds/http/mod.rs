//! HTTP(S) checks: a `url`, the request's options and what its answer must look like.
//! `read.rs` reads the keys, `client.rs` (reqwest) and `direct.rs` (a plain http:// on a
//! bare connection) send the request, `body.rs` reads and judges the body.

mod body;
mod client;
mod direct;
pub(crate) mod read;

use toml::de::DeTable;

use super::certificate::CertificateLimits;
use super::kind::{CheckTiming, Fact, Kind};
use super::outcome::Checked;
use super::stage::StageCell;
use crate::document::walk::{Value, Walker};
use crate::net::reason;

use client::{ClientKey, HttpTarget};

/// The HTTP kind.
pub struct Http;

impl Kind for Http {
    const NAME: &'static str = "HTTP";
    const SELECTOR: Option<&'static str> = Some("url");
    const EXAMPLE: Option<&'static str> = Some("`url = \"http://…\"` for an HTTP check");
    const KEYS: &'static [&'static str] = &[
        "method",
        "headers",
        "expect_status",
        "expect_body",
        "expect_json",
        "insecure",
        "body",
        "body_file",
        "ip",
    ];
    const DEFAULT_KEYS: &'static [&'static str] = &[
        "max_body",
        "max_redirects",
        "reuse_connections",
        "use_env_proxy",
        "certificate_warn",
        "certificate_critical",
    ];

    type Config = HttpCheck;
    type Defaults = read::Options;
    /// One client per set of client-level options.
    type Shared = Vec<(ClientKey, Result<reqwest::Client, String>)>;
    type Probe = HttpTarget;

    fn read_defaults(
        w: &mut Walker<'_>,
        table: &DeTable<'_>,
        base: &Self::Defaults,
    ) -> Self::Defaults {
        base.read(w, table)
    }

    fn read(
        w: &mut Walker<'_>,
        selector: &Value<'_>,
        table: &DeTable<'_>,
        defaults: &Self::Defaults,
    ) -> Option<HttpCheck> {
        let url = read::url(w, selector);
        read::check(w, table, url, defaults)
    }

    fn prepare(
        config: &HttpCheck,
        _timing: CheckTiming,
        clients: &mut Self::Shared,
    ) -> Result<HttpTarget, String> {
        let key = ClientKey::of(config);
        let client = match clients.iter().find(|(k, _)| *k == key) {
            Some((_, client)) => client.clone(),
            None => {
                let client = key.build().map_err(|error| {
                    format!("HTTP client setup failed: {}", reason::innermost(&error))
                });
                clients.push((key, client.clone()));
                client
            }
        };
        HttpTarget::new(config, client?)
    }

    async fn check(probe: &HttpTarget, stage: &StageCell) -> Checked {
        probe.check(stage).await
    }

    fn target(config: &HttpCheck) -> String {
        crate::net::display_url(&config.url)
    }

    fn mask(config: &mut HttpCheck) {
        config.url = crate::net::masked(&config.url);
        for (_, value) in &mut config.headers {
            *value = "***".to_string();
        }
        if let Some(body) = &mut config.body {
            *body = "***".to_string();
        }
    }

    fn facts(http: &HttpCheck) -> Vec<Fact> {
        let mut rows = Vec::new();
        if http.insecure {
            rows.push(Fact::new("TLS", "insecure: certificate not verified"));
        }
        rows.push(Fact::new("method", http.method.to_string()));
        if http.body.is_some() {
            rows.push(Fact::new("body", "sent (not shown: it may hold secrets)"));
        }
        if let Some(ip) = http.ip {
            rows.push(Fact::new("IP", format!("{} only", ip.as_str())));
        }
        if !http.headers.is_empty() {
            let names: Vec<String> = (http.headers.iter())
                .map(|(name, _)| format!("{name}: ***"))
                .collect();
            rows.push(Fact::new("headers", names.join(", ")));
        }
        let status = if http.expect_status.is_empty() {
            "status 2xx".to_string()
        } else {
            let codes: Vec<String> = http.expect_status.iter().map(u16::to_string).collect();
            format!("status {}", codes.join(" or "))
        };
        rows.push(Fact::new("expect", status));
        if let Some(body) = &http.expect_body {
            rows.push(Fact::new("", format!("body has \"{body}\"")));
        }
        if let Some(json) = &http.expect_json {
            rows.push(Fact::new(
                "",
                format!("json {} = {}", json.path, json.equals),
            ));
        }
        rows
    }

    fn certificate_limits(config: &HttpCheck) -> Option<CertificateLimits> {
        (config.url.scheme() == "https").then_some(config.certificate)
    }

    fn caution(config: &HttpCheck) -> Option<&'static str> {
        config.insecure.then_some("insecure")
    }
}

/// An HTTP(S) request and what its answer must look like.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HttpCheck {
    pub url: reqwest::Url,
    #[serde(with = "method_text")]
    pub method: reqwest::Method,
    /// Header values may hold secrets: never log or display them.
    pub headers: Vec<(String, String)>,
    /// Accepted status codes; empty means any 2xx.
    pub expect_status: Vec<u16>,
    pub expect_body: Option<String>,
    pub expect_json: Option<JsonExpectation>,
    /// The most body bytes read before the check gives up reading.
    pub max_body_bytes: usize,
    /// Redirects followed before the check fails.
    pub max_redirects: usize,
    /// Keep connections open between checks (latency then excludes connect).
    pub reuse_connections: bool,
    /// Honour HTTP(S)_PROXY from the environment.
    pub use_env_proxy: bool,
    /// Accept any certificate, unverified (`insecure = true`): for targets with a
    /// self-signed or expired certificate. Shown on the service's card and detail.
    pub insecure: bool,
    /// For https://: how close to its expiry the server's certificate raises
    /// `certificate_expiring`.
    pub certificate: CertificateLimits,
    /// The request's body (`body`, or the contents of `body_file`); may hold secrets.
    #[serde(default)]
    pub body: Option<String>,
    /// Connect over this address family only (`ip = "v4"` or `"v6"`).
    #[serde(default)]
    pub ip: Option<IpFamily>,
}

/// An address family a check keeps to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum IpFamily {
    V4,
    V6,
}

impl IpFamily {
    pub fn as_str(self) -> &'static str {
        match self {
            IpFamily::V4 => "v4",
            IpFamily::V6 => "v6",
        }
    }
}

/// `expect_json = { path = "a.b", equals = ... }`.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct JsonExpectation {
    /// Dot-separated keys; a numeric segment indexes an array.
    pub path: String,
    pub equals: serde_json::Value,
}

/// The most body bytes an HTTP check reads unless `max_body` says otherwise.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 * 1024;
/// Redirects an HTTP check follows unless `max_redirects` says otherwise.
pub const DEFAULT_MAX_REDIRECTS: usize = 5;

impl HttpCheck {
    /// A GET of `url` with the documented defaults: any 2xx passes, the body is not
    /// looked at, a new connection per check, no proxy.
    pub fn get(url: reqwest::Url) -> Self {
        Self {
            url,
            method: reqwest::Method::GET,
            headers: Vec::new(),
            expect_status: Vec::new(),
            expect_body: None,
            expect_json: None,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_redirects: DEFAULT_MAX_REDIRECTS,
            reuse_connections: false,
            use_env_proxy: false,
            insecure: false,
            certificate: CertificateLimits::default(),
            body: None,
            ip: None,
        }
    }
}

/// An HTTP method as its name, for the views sent to attached viewers.
mod method_text {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(method: &reqwest::Method, out: S) -> Result<S::Ok, S::Error> {
        out.serialize_str(method.as_str())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(input: D) -> Result<reqwest::Method, D::Error> {
        let name = String::deserialize(input)?;
        reqwest::Method::from_bytes(name.as_bytes()).map_err(serde::de::Error::custom)
    }
}
