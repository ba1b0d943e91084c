//! `lookout check` in cron with a name server that never answers: the check is DOWN at
//! its timeout and the process exits then, not when the resolver gives up. The real
//! binary runs in a mount namespace whose /etc/resolv.conf points at a loopback UDP
//! socket that reads queries and answers none. Needs root (for the namespace): without
//! it the test is skipped with the reason, except under `CI=true`.

mod support;

use std::net::UdpSocket;
use std::process::Command;
use std::time::{Duration, Instant};

use support::{require, write_config};

/// How long the resolver waits for an answer: well past the check's timeout.
const RESOLVER_WAITS: Duration = Duration::from_secs(6);

#[test]
fn a_check_stuck_in_the_resolver_exits_at_its_timeout() {
    if !require("unshare", "a mount namespace with its own resolv.conf") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    // A loopback address of its own, so no local resolver's port 53 is in the way.
    let silent = match UdpSocket::bind("127.77.0.1:53") {
        Ok(socket) => socket,
        Err(err) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "UDP port 53 is needed under CI=true: {err}"
            );
            eprintln!("skipped: cannot bind UDP 127.77.0.1:53 ({err}); run as root");
            return;
        }
    };
    let resolv = dir.path().join("resolv.conf");
    let options = format!("options timeout:{} attempts:1", RESOLVER_WAITS.as_secs());
    std::fs::write(&resolv, format!("nameserver 127.77.0.1\n{options}\n")).expect("resolv");
    let config = write_config(
        dir.path(),
        &format!(
            "[general]\nstate_dir = \"{}\"\n\n[[service]]\nname = \"far\"\n\
             url = \"http://far-away.lookout-test.example:8080/health\"\ntimeout = \"1s\"\n\
             degraded_after = \"500ms\"\n",
            dir.path().join("state").display()
        ),
    );
    let script = format!(
        "mount --bind {} /etc/resolv.conf && exec {} check --config {}",
        resolv.display(),
        env!("CARGO_BIN_EXE_lookout"),
        config.display()
    );
    let started = Instant::now();
    let out = Command::new("unshare")
        .args(["--mount", "sh", "-c", &script])
        .output()
        .expect("run unshare");
    let took = started.elapsed();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("unshare failed") || stderr.contains("Operation not permitted") {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "a mount namespace is needed under CI=true: {stderr}"
        );
        eprintln!("skipped: no mount namespace here ({stderr})");
        return;
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(2),
        "DOWN is exit 2:\n{stdout}\n{stderr}"
    );
    assert!(stdout.contains("far"), "{stdout}");
    // The query reached the silent server, so the lookup really was stuck there.
    silent
        .set_read_timeout(Some(Duration::from_millis(100)))
        .expect("read timeout");
    let mut query = [0u8; 512];
    assert!(
        silent.recv_from(&mut query).is_ok(),
        "no DNS query was sent"
    );
    assert!(
        took < RESOLVER_WAITS - Duration::from_secs(2),
        "exited after {took:?}: it waited for the resolver ({RESOLVER_WAITS:?}), not the 1 s timeout"
    );
}
