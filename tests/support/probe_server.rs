//! A loopback HTTP/1.1 server for the probe tests, with a route for every way a target
//! can answer (or not); it counts connections and records what requests carried.
#![allow(dead_code)] // each probe test binary uses its own subset

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lookout::config::{ServiceConfig, Severity};
use lookout::kinds::{CheckConfig, HttpCheck};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;

/// A JSON body for the `expect_json` tests.
pub const JSON: &str = r#"{"status":"UP","checks":[{"name":"db","status":"DOWN"}]}"#;
/// The size of `/big`'s filler before its final "ok".
pub const BIG: usize = 100 * 1024;

/// What the server saw of one request.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    /// Lower-case names, as sent.
    pub headers: Vec<(String, String)>,
    /// The request's body (as long as its Content-Length says).
    pub body: Vec<u8>,
}

pub struct ProbeServer {
    pub addr: SocketAddr,
    connections: Arc<AtomicUsize>,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: JoinHandle<()>,
}

impl ProbeServer {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind loopback");
        let addr = listener.local_addr().expect("local addr");
        let connections = Arc::new(AtomicUsize::new(0));
        let seen = Arc::new(Mutex::new(Vec::new()));
        let (count, log) = (Arc::clone(&connections), Arc::clone(&seen));
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                tokio::spawn(serve(stream, Arc::clone(&log)));
            }
        });
        Self {
            addr,
            connections,
            seen,
            task,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

impl Drop for ProbeServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Answers requests on one connection until the client closes it.
async fn serve(mut stream: TcpStream, seen: Arc<Mutex<Vec<Seen>>>) {
    let mut buffer = Vec::new();
    loop {
        let head = loop {
            if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
                buffer.drain(..end + 4);
                break head;
            }
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        };
        let mut request = parse(&head);
        let length: usize = (request.headers.iter())
            .find(|(name, _)| name == "content-length")
            .and_then(|(_, value)| value.parse().ok())
            .unwrap_or(0);
        while buffer.len() < length {
            let mut chunk = [0u8; 4096];
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        request.body = buffer.drain(..length).collect();
        let path = request.path.clone();
        seen.lock().unwrap().push(request);
        // "/away/127.0.0.1:8080/ok" redirects to "http://127.0.0.1:8080/ok".
        let away = (path.strip_prefix("/away/")).map(|to| format!("Location: http://{to}\r\n"));
        let (status, extra, body): (u16, &str, Vec<u8>) = match path.as_str() {
            _ if away.is_some() => (302, away.as_deref().unwrap_or_default(), Vec::new()),
            "/ok" => (200, "", b"all ok".to_vec()),
            "/status/503" => (503, "", b"down".to_vec()),
            "/slow" => {
                tokio::time::sleep(Duration::from_secs(1)).await;
                (200, "", b"all ok".to_vec())
            }
            "/hang" => std::future::pending().await,
            "/close" => return,
            "/reset" => {
                let _ = stream.set_zero_linger();
                return;
            }
            "/json" => (200, "", JSON.as_bytes().to_vec()),
            "/html" => (200, "", b"<html>not json</html>".to_vec()),
            "/big" => {
                let mut body = vec![b'x'; BIG];
                body.extend_from_slice(b"ok");
                (200, "", body)
            }
            "/loop" => (302, "Location: /loop\r\n", Vec::new()),
            "/hop" => (302, "Location: /ok\r\n", Vec::new()),
            _ => (404, "", b"no such route".to_vec()),
        };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Length: {}\r\n{extra}\r\n",
            body.len()
        );
        if stream.write_all(head.as_bytes()).await.is_err()
            || stream.write_all(&body).await.is_err()
        {
            return;
        }
    }
}

fn parse(head: &str) -> Seen {
    let mut lines = head.split("\r\n");
    let mut first = lines.next().unwrap_or_default().split(' ');
    let method = first.next().unwrap_or_default().to_string();
    let path = first.next().unwrap_or_default().to_string();
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Seen {
        method,
        path,
        headers,
        body: Vec::new(),
    }
}

/// An HTTP service with the documented defaults and a 2 s timeout (generous for a
/// loaded machine; tests of timeouts set their own short one).
pub fn http_service(url: &str) -> ServiceConfig {
    ServiceConfig {
        name: "probe-test".to_string(),
        group: None,
        severity: Severity::Medium,
        interval: Duration::from_secs(10),
        timeout: Duration::from_secs(2),
        degraded_after: Duration::from_secs(1),
        failure_threshold: 2,
        success_threshold: 1,
        check: CheckConfig::Http(HttpCheck::get(url.parse().expect("test URL is valid"))),
    }
}

/// The HTTP part of a service, to adjust in a test.
pub fn http(service: &mut ServiceConfig) -> &mut HttpCheck {
    match &mut service.check {
        CheckConfig::Http(http) => http,
        _ => panic!("not an HTTP service"),
    }
}

/// A loopback port with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}
