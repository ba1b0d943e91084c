//! `[server] socket_group` on the real binary: a member of the group (another user)
//! reaches the engine's socket and acts through it; a user outside it cannot even reach
//! it. Needs root (to run curl as other users) and `setpriv`.

mod support;

use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::process::Command;
use std::time::Duration;

use support::ToggleServer;
use support::fleet::FastConfig;
use support::headless::Headless;

const LIMIT: Duration = Duration::from_secs(20);
/// The users the test acts as: nobody, in a group given by number (no /etc change).
const NOBODY: &str = "65534";
const MEMBERS: u32 = 4242;
const OUTSIDERS: &str = "4343";

/// `curl` run as `nobody` in group `gid` against the socket: its exit code and body.
fn curl_as(gid: &str, socket: &std::path::Path, args: &[&str]) -> (i32, String) {
    let out = Command::new("setpriv")
        .args([
            "--reuid",
            NOBODY,
            "--regid",
            gid,
            "--clear-groups",
            "curl",
            "-s",
        ])
        .arg("--unix-socket")
        .arg(socket)
        .args(args)
        .output()
        .expect("run setpriv");
    let body = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code().unwrap_or(-1), body)
}

#[test]
fn a_member_of_the_socket_group_may_act_and_nobody_else_reaches_the_socket() {
    let root = running_as_root();
    if !root || !support::require("setpriv", "socket group test (as other users)") {
        if std::env::var("CI").as_deref() == Ok("true") {
            assert!(root, "CI runs the tests as root");
        }
        eprintln!("skipped: needs root to act as other users");
        return;
    }
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().expect("tempdir");
    // Others may pass through the test's directory, as through a home directory.
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o711)).expect("chmod");
    let path = FastConfig::new(dir.path(), 200)
        .toml(&format!(
            "[log]\nstdout = true\n\n[server]\nsocket_group = \"{MEMBERS}\""
        ))
        .service("web", &web.url("/health"), "")
        .write();
    let mut lookout = Headless::start(&path, &[]);
    lookout.seen_or_wait("socket_listening", None, LIMIT);
    let state = dir.path().join("state");
    let socket = state.join("lookout.sock");
    let meta = std::fs::metadata(&socket).expect("socket");
    assert_eq!((meta.mode() & 0o777, meta.gid()), (0o660, MEMBERS));
    let meta = std::fs::metadata(&state).expect("state dir");
    assert_eq!(
        (meta.mode() & 0o777, meta.gid()),
        (0o710, MEMBERS),
        "enter, not list"
    );

    let members = MEMBERS.to_string();
    let (code, body) = curl_as(&members, &socket, &["http://lookout/api/v1/status"]);
    assert_eq!(code, 0, "{body}");
    assert!(body.contains(r#""name":"web""#), "{body}");
    let (code, body) = curl_as(
        &members,
        &socket,
        &["-X", "POST", "http://lookout/api/v1/services/web/pause"],
    );
    assert_eq!(code, 0, "{body}");
    assert!(body.contains(r#""accepted":true"#), "a member acts: {body}");
    let (code, body) = curl_as(OUTSIDERS, &socket, &["http://lookout/api/v1/status"]);
    assert_ne!(code, 0, "an outsider reached the socket: {body}");
    // Nor can the group list what else the state directory holds.
    let listed = Command::new("setpriv")
        .args([
            "--reuid",
            NOBODY,
            "--regid",
            &members,
            "--clear-groups",
            "ls",
        ])
        .arg(&state)
        .output()
        .expect("run ls");
    assert!(
        !listed.status.success(),
        "the group listed the state directory"
    );
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}
