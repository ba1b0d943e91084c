//! The engine's local socket on the real binary: made in the state directory with mode
//! 0600 whether or not `[server] listen` is set, reads and writes through it with no
//! token, made again when deleted under the engine, and gone when the engine stops.

mod support;

use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use support::ToggleServer;
use support::fleet::FastConfig;
use support::headless::Headless;

const LIMIT: Duration = Duration::from_secs(20);

/// `request` sent through the socket at `path`; the whole answer.
fn ask(path: &Path, request: &str) -> String {
    let mut stream = UnixStream::connect(path).expect("connect to the socket");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(request.as_bytes()).expect("write");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    answer
}

#[test]
fn the_socket_reads_and_writes_without_a_token_and_goes_with_the_engine() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    // No [server] at all: the socket is there all the same.
    let path = FastConfig::new(dir.path(), 200)
        .toml("[log]\nstdout = true")
        .service("web", &web.url("/health"), "")
        .write();
    let mut lookout = Headless::start(&path, &[]);
    let listening = lookout.seen_or_wait("socket_listening", None, LIMIT);
    let socket = dir.path().join("state").join("lookout.sock");
    assert_eq!(listening["path"], socket.display().to_string());
    let meta = std::fs::metadata(&socket).expect("the socket's file");
    assert!(meta.file_type().is_socket());
    assert_eq!(meta.permissions().mode() & 0o777, 0o600);

    let status = ask(
        &socket,
        "GET /api/v1/status HTTP/1.1\r\nHost: lookout\r\nConnection: close\r\n\r\n",
    );
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");
    assert!(status.contains(r#""name":"web""#), "{status}");

    let paused = ask(
        &socket,
        "POST /api/v1/services/web/pause HTTP/1.1\r\nHost: lookout\r\n\
         Content-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert!(paused.starts_with("HTTP/1.1 202"), "{paused}");
    lookout.seen_or_wait("service_paused", Some("web"), LIMIT);

    // Deleted under the engine (with the state directory, say): made again.
    std::fs::remove_file(&socket).expect("rm the socket");
    let again = lookout.wait_for("the socket made again", LIMIT, |line| {
        line["event"] == "socket_listening" && line["remade"] == true
    });
    assert_eq!(again["path"], socket.display().to_string());
    let status = ask(
        &socket,
        "GET /healthz HTTP/1.1\r\nHost: lookout\r\nConnection: close\r\n\r\n",
    );
    assert!(status.starts_with("HTTP/1.1 200"), "{status}");

    lookout.signal("TERM");
    assert_eq!(lookout.wait_exit(LIMIT).and_then(|s| s.code()), Some(0));
    assert!(!socket.exists(), "the socket's file is removed at the stop");
}
