//! Hostile local clients: no token, another web origin, a rebound DNS name, a form post,
//! a huge or trickled body, headers that never end, idle sockets past the cap. Each is
//! refused with a JSON reason or cut off, and the API goes on answering.

use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::{Running, TOKEN, bind, bind_with, json, now};
use crate::state::sample::sample_snapshot;

/// A server with `limits` changed by `change`.
async fn limited(change: impl FnOnce(&mut crate::server::listen::Limits)) -> Running {
    let mut server = bind(None).await;
    change(&mut server.limits);
    Running::serve(server, sample_snapshot(3, now()), 8)
}

/// Everything the server sends on a fresh connection after `request`, until it closes
/// the connection (or 5 s pass, which fails the test).
async fn raw(running: &Running, request: &[u8]) -> String {
    let mut stream = TcpStream::connect(running.addr).await.expect("connect");
    stream.write_all(request).await.expect("write");
    until_closed(&mut stream).await
}

/// What comes until the server closes `stream`; fails past 5 s.
async fn until_closed(stream: &mut TcpStream) -> String {
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut got))
        .await
        .expect("the server closes the connection")
        .expect("read");
    String::from_utf8_lossy(&got).into_owned()
}

#[tokio::test]
async fn without_a_token_the_api_is_read_only() {
    let mut running = Running::serve(bind_with(None).await, sample_snapshot(3, now()), 8);
    assert_eq!(running.get("/api/v1/status").await.status(), 200);
    let body = json(
        running.post("/api/v1/services/svc-0/pause", None).await,
        403,
    )
    .await;
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("read-only")),
        "{body}"
    );
    assert_eq!(running.sent(), []);
}

#[tokio::test]
async fn a_request_from_another_web_origin_is_refused() {
    let mut running = Running::start(None).await;
    let own = format!("http://{}", running.addr);
    for (origin, method) in [("http://evil.example", "POST"), ("null", "POST")] {
        let response = running
            .client
            .request(
                method.parse().expect("method"),
                running.url("/api/v1/services/svc-0/check"),
            )
            .header("origin", origin)
            .header("content-type", "application/json")
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("send");
        let body = json(response, 403).await;
        assert!(
            body["error"].as_str().is_some_and(|e| e.contains(origin)),
            "{body}"
        );
    }
    let read = running
        .client
        .get(running.url("/api/v1/status"))
        .header("origin", "http://evil.example")
        .send()
        .await
        .expect("send");
    assert_eq!(read.status(), 403, "reads too");
    assert_eq!(running.sent(), [], "nothing reached the core");
    let same = running
        .client
        .get(running.url("/api/v1/status"))
        .header("origin", own)
        .send()
        .await
        .expect("send");
    assert_eq!(same.status(), 200, "the API's own origin");
}

#[tokio::test]
async fn a_form_post_is_refused_even_with_the_token() {
    let mut running = Running::start(None).await;
    for content_type in ["text/plain", "application/x-www-form-urlencoded"] {
        let response = running
            .client
            .post(running.url("/api/v1/services/svc-0/pause"))
            .header("content-type", content_type)
            .bearer_auth(TOKEN)
            .body("{}")
            .send()
            .await
            .expect("send");
        let body = json(response, 415).await;
        assert!(
            body["error"]
                .as_str()
                .is_some_and(|e| e.contains(content_type)),
            "{body}"
        );
    }
    assert_eq!(running.sent(), []);
}

#[tokio::test]
async fn a_host_that_is_not_a_loopback_name_is_refused() {
    let running = Running::start(None).await;
    let answer = raw(
        &running,
        b"GET /api/v1/status HTTP/1.1\r\nHost: rebind.example\r\nConnection: close\r\n\r\n",
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 421"), "{answer}");
    assert!(answer.contains("rebind.example"), "{answer}");
    for host in ["localhost", "127.0.0.1:80", "[::1]:9"] {
        let request = format!("GET /healthz HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
        let answer = raw(&running, request.as_bytes()).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{host}: {answer}");
    }
}

#[tokio::test]
async fn a_body_too_large_is_413_as_json() {
    let running = Running::start(None).await;
    let note = "x".repeat(crate::server::guard::MAX_BODY + 1);
    let response = running
        .write("/api/v1/alerts/1/ack", &format!(r#"{{"note": "{note}"}}"#))
        .await;
    let body = json(response, 413).await;
    assert!(
        body["error"].as_str().is_some_and(|e| e.contains("larger")),
        "{body}"
    );
}

#[tokio::test]
async fn headers_that_never_end_and_idle_connections_are_closed() {
    let running = limited(|limits| limits.headers = Duration::from_millis(300)).await;
    // Connected, nothing sent.
    let started = Instant::now();
    assert_eq!(raw(&running, b"").await, "", "closed without a word");
    // Headers one byte at a time, never ended.
    let mut trickle = TcpStream::connect(running.addr).await.expect("connect");
    let cut = tokio::time::timeout(Duration::from_secs(5), async {
        for byte in b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Slow: "
            .iter()
            .cycle()
        {
            if trickle.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(cut.is_ok(), "a trickle of headers is cut off");
    // Kept alive after an answer, then idle.
    let mut idle = TcpStream::connect(running.addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .await
        .expect("write");
    let answer = until_closed(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    eprintln!("all three closed within {:?}", started.elapsed());
    assert_eq!(running.get("/healthz").await.status(), 200, "still serving");
}

#[tokio::test]
async fn a_body_trickled_past_its_limit_is_408() {
    let running = limited(|limits| limits.body = Duration::from_millis(300)).await;
    let request = format!(
        "POST /api/v1/alerts/1/ack HTTP/1.1\r\nHost: localhost\r\n\
         Content-Type: application/json\r\nAuthorization: Bearer {TOKEN}\r\n\
         Content-Length: 100\r\nConnection: close\r\n\r\n{{"
    );
    let answer = raw(&running, request.as_bytes()).await;
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains(r#"{"error":"#), "{answer}");
}

#[tokio::test]
async fn past_the_cap_a_503_and_the_socket_closed_then_served_again() {
    let running = limited(|limits| limits.max_connections = 3).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(running.addr).await.expect("connect"));
    }
    // Let the server take the three before the fourth comes.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let answer = raw(&running, b"").await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("too many connections"), "{answer}");
    drop(held);
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let answer = raw(
            &running,
            b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
        )
        .await;
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(Instant::now() < deadline, "not served again: {answer}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
