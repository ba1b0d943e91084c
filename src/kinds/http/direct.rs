//! Plain `http://` checks on a fresh connection, sent with hyper's HTTP/1 connection API
//! over a bare tokio socket: no pool, no keep-alive socket options, no peer and local
//! address look-ups, no task per connection. About half the system calls of the pooled
//! client for the same request (see BENCHMARKS.md); answers are judged by the same code.

use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};

use bytes::Bytes;
use http::header::{ACCEPT, HOST, LOCATION, USER_AGENT};
use http::{HeaderMap, HeaderValue, Method, Request, Uri};
use http_body_util::{BodyExt, Empty};
use hyper::body::{Body, Incoming};
use hyper::client::conn::http1;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

use crate::kinds::HttpCheck;
use crate::kinds::Outcome;
use crate::net::reason;

use super::body::Chunks;
use super::client::{HttpTarget, fail};
use crate::kinds::stage::{Stage, StageCell};

/// Where to connect: an address known up front, or a name resolved at each check (as a
/// new client would).
enum Address {
    Ip(SocketAddr),
    Name { host: Box<str>, port: u16 },
}

/// One service's direct request, prepared once.
pub(crate) struct DirectHttp {
    address: Address,
    /// What the request line names: path and query.
    path: Uri,
    method: Method,
    /// reqwest's default headers with the service's over them, merged once.
    headers: HeaderMap,
}

impl DirectHttp {
    /// `Some` for targets this way serves in full: plain HTTP, a new connection per
    /// check, no proxy, no credentials in the URL. Everything else goes through reqwest.
    /// `service_headers` are the service's headers, already validated and marked
    /// sensitive.
    pub(crate) fn for_check(check: &HttpCheck, service_headers: &HeaderMap) -> Option<Self> {
        let url = &check.url;
        let plain = url.scheme() == "http" && url.username().is_empty() && url.password().is_none();
        // A body or an address family: the full client's to handle.
        let simple = check.body.is_none() && check.ip.is_none();
        if !plain || !simple || check.reuse_connections || check.use_env_proxy {
            return None;
        }
        let port = url.port_or_known_default()?;
        let address = match url.host()? {
            url::Host::Ipv4(ip) => Address::Ip(SocketAddr::new(IpAddr::V4(ip), port)),
            url::Host::Ipv6(ip) => Address::Ip(SocketAddr::new(IpAddr::V6(ip), port)),
            url::Host::Domain(name) => Address::Name {
                host: name.into(),
                port,
            },
        };
        let host = url.host_str()?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_string(),
        };
        let path = match url.query() {
            Some(query) => format!("{}?{query}", url.path()),
            None => url.path().to_string(),
        };
        let authority = HeaderValue::from_str(&authority).ok()?;
        Some(Self {
            address,
            headers: merged_headers(&authority, service_headers),
            path: path.parse().ok()?,
            method: check.method.clone(),
        })
    }

    /// Runs the check. `None` when the answer is a redirect to follow, which the
    /// caller then does through reqwest (it knows TLS, limits and loops).
    pub(crate) async fn check(&self, target: &HttpTarget, stage: &StageCell) -> Option<Outcome> {
        let host = target.host();
        stage.set(Stage::Connecting);
        let stream = match self.connect(host).await {
            Ok(stream) => stream,
            Err(outcome) => return Some(outcome),
        };
        stage.set(Stage::AwaitingResponse);
        let (mut sender, connection) = match http1::handshake(TokioIo::new(stream)).await {
            Ok(parts) => parts,
            Err(error) => return Some(fail(None, reason::from_error(&error, host))),
        };
        let exchange = async {
            let response = match sender.send_request(self.request()).await {
                Ok(response) => response,
                Err(error) => return Some(fail(None, reason::from_error(&error, host))),
            };
            let status = response.status();
            let redirect = status.is_redirection() && response.headers().contains_key(LOCATION);
            if redirect && target.follows_redirects() {
                return None;
            }
            let code = status.as_u16();
            if let Some(failure) = target.status_failure(code) {
                return Some(failure);
            }
            let length = response.body().size_hint().exact();
            let mut body = response.into_body();
            let outcome = target
                .judge_body(code, &mut body, length, stage, |error| {
                    fail(Some(code), reason::from_error(error, host))
                })
                .await;
            Some(outcome)
        };
        until_done(connection, exchange).await
    }

    async fn connect(&self, host: &str) -> Result<TcpStream, Outcome> {
        let refused = |error: io::Error| fail(None, reason::from_error(&error, host));
        match &self.address {
            Address::Ip(address) => TcpStream::connect(address).await.map_err(refused),
            Address::Name { host: name, port } => {
                let addresses = tokio::net::lookup_host((&**name, *port))
                    .await
                    .map_err(|error| fail(None, reason::dns(host, &error)))?;
                let mut last_error = None;
                for address in addresses {
                    match TcpStream::connect(address).await {
                        Ok(stream) => return Ok(stream),
                        Err(error) => last_error = Some(error),
                    }
                }
                Err(match last_error {
                    Some(error) => refused(error),
                    None => fail(None, format!("DNS: no address for {host}")),
                })
            }
        }
    }

    /// The request as reqwest would send it, from the parts prepared once.
    fn request(&self) -> Request<Empty<Bytes>> {
        let mut request = Request::new(Empty::new());
        *request.method_mut() = self.method.clone();
        *request.uri_mut() = self.path.clone();
        *request.headers_mut() = self.headers.clone();
        request
    }
}

/// reqwest's default headers, each replaced by the service's header of that name.
fn merged_headers(authority: &HeaderValue, service_headers: &HeaderMap) -> HeaderMap {
    let mut headers = HeaderMap::with_capacity(3 + service_headers.len());
    headers.insert(HOST, authority.clone());
    headers.insert(USER_AGENT, HeaderValue::from_static(crate::net::USER_AGENT));
    headers.insert(ACCEPT, HeaderValue::from_static("*/*"));
    for name in service_headers.keys() {
        headers.remove(name);
    }
    for (name, value) in service_headers {
        headers.append(name, value.clone());
    }
    headers
}

/// Drives the connection beside the exchange (hyper needs both polled) without a task
/// of its own, and returns as soon as the exchange has its answer.
async fn until_done<T>(
    connection: impl Future<Output = hyper::Result<()>>,
    exchange: impl Future<Output = T>,
) -> T {
    tokio::pin!(connection);
    tokio::pin!(exchange);
    let mut open = true;
    loop {
        tokio::select! {
            biased;
            outcome = &mut exchange => return outcome,
            // A connection error also reaches the exchange, which reports it.
            _ = &mut connection, if open => open = false,
        }
    }
}

impl Chunks for Incoming {
    type Error = hyper::Error;

    async fn next_chunk(&mut self) -> Result<Option<Bytes>, hyper::Error> {
        while let Some(frame) = self.frame().await {
            if let Ok(data) = frame?.into_data() {
                return Ok(Some(data));
            }
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::HttpCheck;

    fn direct(url: &str, tweak: impl Fn(&mut HttpCheck)) -> Option<DirectHttp> {
        let mut check = HttpCheck::get(url.parse().expect("test URL"));
        tweak(&mut check);
        DirectHttp::for_check(&check, &HeaderMap::new())
    }

    #[test]
    fn only_plain_fresh_unproxied_targets_go_direct() {
        let none = |_: &mut HttpCheck| {};
        assert!(direct("http://127.0.0.1:8080/health", none).is_some());
        assert!(direct("http://example.test/health", none).is_some());
        assert!(direct("https://127.0.0.1/health", none).is_none());
        assert!(direct("http://user:pw@127.0.0.1/health", none).is_none());
        assert!(direct("http://127.0.0.1/", |c| c.reuse_connections = true).is_none());
        assert!(direct("http://127.0.0.1/", |c| c.use_env_proxy = true).is_none());
    }

    #[test]
    fn addresses_authority_and_path_follow_the_url() {
        let cases = [
            (
                "http://127.0.0.1:8080/a?b=c",
                "127.0.0.1:8080",
                "/a?b=c",
                true,
            ),
            ("http://127.0.0.1/", "127.0.0.1", "/", true),
            ("http://[::1]:9000/x", "[::1]:9000", "/x", true),
            ("http://example.test:81/h", "example.test:81", "/h", false),
            ("http://example.test", "example.test", "/", false),
        ];
        for (url, authority, path, literal) in cases {
            let d = direct(url, |_| {}).expect(url);
            assert_eq!(d.headers[HOST], authority, "{url}");
            assert_eq!(d.path, path, "{url}");
            assert_eq!(matches!(d.address, Address::Ip(_)), literal, "{url}");
        }
        let Some(DirectHttp {
            address: Address::Ip(ip),
            ..
        }) = direct("http://[::1]:9000/x", |_| {})
        else {
            panic!("an IPv6 literal is an address");
        };
        assert_eq!(ip, "[::1]:9000".parse().expect("a valid address"));
    }

    #[test]
    fn the_request_carries_reqwests_defaults_and_the_service_headers_win() {
        let mut check = HttpCheck::get("http://127.0.0.1:8080/h?x=1".parse().expect("URL"));
        check.method = Method::HEAD;
        let mut service_headers = HeaderMap::new();
        service_headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        let mut token = HeaderValue::from_static("s3cret");
        token.set_sensitive(true);
        service_headers.insert("x-token", token);
        let d = DirectHttp::for_check(&check, &service_headers).expect("direct");
        let request = d.request();
        assert_eq!(request.method(), Method::HEAD);
        assert_eq!(request.uri(), "/h?x=1");
        let headers = request.headers();
        assert_eq!(headers[HOST], "127.0.0.1:8080");
        assert_eq!(
            headers[USER_AGENT],
            concat!("lookout/", env!("CARGO_PKG_VERSION"))
        );
        assert_eq!(
            headers.get_all(ACCEPT).iter().collect::<Vec<_>>(),
            ["application/json"]
        );
        assert_eq!(headers["x-token"], "s3cret");
        assert!(headers["x-token"].is_sensitive());
    }
}
