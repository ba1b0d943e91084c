//! Hostile loopback targets for the reliability tests: each port misbehaves in one way
//! (never answers, trickles bytes, streams a 1 GiB body, resets, ...). Each server runs
//! on its own thread and runtime, so async prober tests and tests of the real binary
//! can both use it; it lives until the test process ends.
#![allow(dead_code)] // each test binary uses its own subset

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

/// The size the huge body announces and, if the client kept reading, would send.
pub const HUGE_BODY: u64 = 1 << 30;
/// How often a trickling server sends its next byte.
pub const TRICKLE: Duration = Duration::from_secs(1);

/// The one way a server misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hostile {
    /// Accepts and never answers: reads nothing, writes nothing, keeps the connection.
    Silent,
    /// Reads the request, then sends the status line and headers one byte a second and
    /// never ends them (slowloris in the headers).
    SlowHeaders,
    /// Reads the request, then sends headers at full speed and never ends them.
    EndlessHeaders,
    /// Sends a 200 with its headers at once, then the body one byte a second
    /// (slowloris in the body).
    SlowBody,
    /// Announces a 1 GiB body and streams it from one small buffer for as long as the
    /// client reads.
    HugeBody,
    /// A 200 whose body is not UTF-8.
    InvalidUtf8,
    /// A 200 whose body is JSON cut off in the middle.
    InvalidJson,
    /// A 302 to the same path, forever.
    RedirectLoop,
    /// Resets every connection as soon as it is accepted (SO_LINGER 0, then close).
    Reset,
    /// Ends its side of every connection as soon as it is accepted, without a word (a
    /// FIN; what the client sends is read and dropped, so the close never turns into a
    /// reset).
    AcceptClose,
}

/// The body [`Hostile::InvalidUtf8`] sends: a lone continuation byte and an overlong
/// encoding around otherwise plain text.
pub const INVALID_UTF8: &[u8] = b"status \x80 ok? \xc0\xaf \xff";
/// The body [`Hostile::InvalidJson`] sends.
pub const INVALID_JSON: &str = r#"{"status": "UP", "checks": [{"name": "db""#;

/// A running hostile server.
pub struct HostileServer {
    pub port: u16,
    connections: Arc<AtomicUsize>,
    body_bytes_sent: Arc<AtomicU64>,
}

impl HostileServer {
    pub fn start(kind: Hostile) -> Self {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        listener.set_nonblocking(true).expect("non-blocking");
        let port = listener.local_addr().expect("local addr").port();
        let connections = Arc::new(AtomicUsize::new(0));
        let body_bytes_sent = Arc::new(AtomicU64::new(0));
        let (count, sent) = (Arc::clone(&connections), Arc::clone(&body_bytes_sent));
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let listener = TcpListener::from_std(listener).expect("tokio listener");
                while let Ok((stream, _)) = listener.accept().await {
                    count.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(misbehave(kind, stream, Arc::clone(&sent)));
                }
            });
        });
        Self {
            port,
            connections,
            body_bytes_sent,
        }
    }

    /// A port whose accept queue is full and never drained: the kernel drops every new
    /// connection attempt, so a connect hangs as behind a firewall that drops packets.
    pub fn start_full_backlog() -> Self {
        let (send_port, port) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("server runtime");
            runtime.block_on(async move {
                let socket = TcpSocket::new_v4().expect("socket");
                socket
                    .bind(([127, 0, 0, 1], 0).into())
                    .expect("bind loopback");
                let listener = socket.listen(0).expect("listen");
                let address = listener.local_addr().expect("local addr");
                // Connections that fill the queue, held (with the listener) for good.
                let mut fillers = Vec::new();
                while fillers.len() < 16 {
                    let attempt = TcpStream::connect(address);
                    match tokio::time::timeout(Duration::from_millis(200), attempt).await {
                        Ok(Ok(stream)) => fillers.push(stream),
                        _ => break,
                    }
                }
                send_port.send(address.port()).expect("the test waits");
                std::future::pending::<()>().await;
            });
        });
        Self {
            port: port.recv().expect("the server thread reports its port"),
            connections: Arc::new(AtomicUsize::new(0)),
            body_bytes_sent: Arc::new(AtomicU64::new(0)),
        }
    }

    /// `http://127.0.0.1:<port>/`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}/", self.port)
    }

    /// Connections accepted so far.
    pub fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    /// Body bytes handed to the kernel so far (the huge body's progress).
    pub fn body_bytes_sent(&self) -> u64 {
        self.body_bytes_sent.load(Ordering::SeqCst)
    }
}

async fn misbehave(kind: Hostile, mut stream: TcpStream, sent: Arc<AtomicU64>) {
    match kind {
        Hostile::Silent => {
            // Hold the connection open without reading until the client gives up.
            let _held = stream;
            std::future::pending::<()>().await;
        }
        Hostile::Reset => {
            let _ = stream.set_zero_linger();
        }
        Hostile::AcceptClose => {
            let _ = stream.shutdown().await;
            let mut sink = [0u8; 1024];
            while matches!(stream.read(&mut sink).await, Ok(1..)) {}
        }
        _ => {
            if read_request(&mut stream).await {
                let _ = answer(kind, &mut stream, &sent).await;
            }
        }
    }
}

/// Reads up to the end of the request head; false when the client left first.
async fn read_request(stream: &mut TcpStream) -> bool {
    let mut head = Vec::new();
    let mut chunk = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return false,
            Ok(n) => head.extend_from_slice(&chunk[..n]),
        }
    }
    true
}

async fn answer(kind: Hostile, stream: &mut TcpStream, sent: &AtomicU64) -> std::io::Result<()> {
    match kind {
        Hostile::SlowHeaders => {
            let head = b"HTTP/1.1 200 OK\r\nX-Trickle: ";
            for byte in head.iter().chain(std::iter::repeat(&b'z')) {
                stream.write_all(&[*byte]).await?;
                tokio::time::sleep(TRICKLE).await;
            }
            Ok(())
        }
        Hostile::EndlessHeaders => {
            stream.write_all(b"HTTP/1.1 200 OK\r\n").await?;
            let header = format!("X-Filler: {}\r\n", "f".repeat(1000));
            loop {
                stream.write_all(header.as_bytes()).await?;
                sent.fetch_add(header.len() as u64, Ordering::SeqCst);
            }
        }
        Hostile::SlowBody => {
            stream
                .write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n")
                .await?;
            loop {
                stream.write_all(b"z").await?;
                sent.fetch_add(1, Ordering::SeqCst);
                tokio::time::sleep(TRICKLE).await;
            }
        }
        Hostile::HugeBody => {
            let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {HUGE_BODY}\r\n\r\n");
            stream.write_all(head.as_bytes()).await?;
            let chunk = vec![b'x'; 64 * 1024];
            let mut left = HUGE_BODY;
            while left > 0 {
                let n = usize::try_from(left).map_or(chunk.len(), |left| left.min(chunk.len()));
                stream.write_all(&chunk[..n]).await?;
                sent.fetch_add(n as u64, Ordering::SeqCst);
                left -= n as u64;
            }
            Ok(())
        }
        Hostile::InvalidUtf8 => send(stream, "200 OK", "", INVALID_UTF8).await,
        Hostile::InvalidJson => {
            let json = "Content-Type: application/json\r\n";
            send(stream, "200 OK", json, INVALID_JSON.as_bytes()).await
        }
        Hostile::RedirectLoop => send(stream, "302 Found", "Location: /\r\n", b"").await,
        Hostile::Silent | Hostile::Reset | Hostile::AcceptClose => Ok(()),
    }
}

async fn send(
    stream: &mut TcpStream,
    status: &str,
    headers: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.flush().await
}

/// The resident memory of process `pid` ("self" for this one), in bytes, from
/// `/proc/<pid>/status`.
pub fn resident_bytes(pid: &str) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("proc status");
    let kib: u64 = status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .expect("VmRSS in /proc status");
    kib * 1024
}
