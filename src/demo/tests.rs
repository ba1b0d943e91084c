//! The demo fleet on real sockets: each server answers as its script says, and
//! cancelling closes every port.

use std::net::SocketAddr;
use std::time::Duration;

use tokio::time::Instant;

use super::script::{Behaviour, behaviour, tcp_listening};
use super::*;
use crate::kinds::CheckConfig;

/// Every behaviour the script allows for an answer handled somewhere in `lo..=hi`.
fn allowed(kind: script::Kind, lo: Duration, hi: Duration) -> Vec<Behaviour> {
    let mut t = lo;
    let mut out = Vec::new();
    while t < hi {
        out.push(behaviour(kind, t));
        t += Duration::from_millis(100);
    }
    out.push(behaviour(kind, hi));
    out
}

fn addr_of(check: &CheckConfig) -> SocketAddr {
    match check {
        CheckConfig::Http(http) => {
            let port = http.url.port().expect("demo URLs carry a port");
            SocketAddr::from(([127, 0, 0, 1], port))
        }
        CheckConfig::Tcp(tcp) => SocketAddr::from(([127, 0, 0, 1], tcp.port)),
        CheckConfig::Tls(tls) => SocketAddr::from(([127, 0, 0, 1], tls.port)),
        CheckConfig::Query(_) | CheckConfig::Target(_) => {
            panic!("the demo fleet asks no Prometheus")
        }
    }
}

async fn refused(addr: SocketAddr) -> bool {
    tokio::net::TcpStream::connect(addr).await.is_err()
}

#[tokio::test]
async fn servers_follow_their_script_and_close_on_cancel() {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cancel = CancellationToken::new();
    let before = Instant::now();
    let config = start(cancel.clone()).await.expect("demo starts");
    let after = Instant::now();
    assert_eq!(config.services.len(), fleet::MEMBERS.len() + 1);
    assert_eq!(config.source, PathBuf::from(crate::config::BUILT_IN_SOURCE));
    assert!(config.general.state_dir.starts_with(std::env::temp_dir()));

    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_millis(1500))
        .build()
        .expect("client");
    for (service, member) in config.services.iter().zip(fleet::MEMBERS) {
        assert_eq!(service.name, member.name);
        let CheckConfig::Http(http) = &service.check else {
            panic!("{} should be HTTP", service.name);
        };
        let sent = Instant::now();
        let answer = client.get(http.url.clone()).send().await;
        let answer = match answer {
            Ok(response) => {
                let status = response.status().as_u16();
                Some((status, response.text().await.expect("body")))
            }
            Err(error) => {
                assert!(error.is_timeout(), "{}: {error}", member.name);
                None
            }
        };
        let window = allowed(member.kind, sent - after, Instant::now() - before);
        let fits = window.iter().any(|b| match &answer {
            Some((status, body)) => b.status == *status && b.body == *body,
            None => b.delay >= script::HANG,
        });
        assert!(
            fits,
            "{} answered {answer:?}, script allows {window:?}",
            member.name
        );
    }

    let tcp = config.services.last().expect("the TCP service");
    assert_eq!(tcp.name, fleet::TCP_NAME);
    let open_throughout =
        (0..=(before.elapsed().as_secs() + 1)).all(|s| tcp_listening(Duration::from_secs(s)));
    if open_throughout {
        let stream = tokio::net::TcpStream::connect(addr_of(&tcp.check)).await;
        assert!(stream.is_ok(), "the TCP port should be open");
    }

    drop(client);
    cancel.cancel();
    let deadline = Instant::now() + Duration::from_secs(5);
    for service in &config.services {
        let addr = addr_of(&service.check);
        while !refused(addr).await {
            assert!(Instant::now() < deadline, "{} still listens", service.name);
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// Spawns the TCP port with its script started `ago` in the past.
async fn tcp_port_started(ago: Duration, cancel: &CancellationToken) -> SocketAddr {
    let listener = bind_loopback().await.expect("bind");
    server::spawn_tcp(listener, Instant::now() - ago, cancel.clone()).expect("spawn")
}

#[tokio::test]
async fn the_tcp_port_closes_and_reopens_on_schedule() {
    let cancel = CancellationToken::new();
    // The closed stretch is 35..45 s of the cycle: one port is about to close, one to open.
    let closing = tcp_port_started(Duration::from_millis(34_500), &cancel).await;
    let opening = tcp_port_started(Duration::from_millis(44_500), &cancel).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(!refused(closing).await, "open before the closed stretch");
    assert!(refused(opening).await, "closed during the closed stretch");
    tokio::time::sleep(Duration::from_millis(1000)).await;
    assert!(refused(closing).await, "closed once the stretch begins");
    assert!(!refused(opening).await, "open again once the stretch ends");
    cancel.cancel();
}
