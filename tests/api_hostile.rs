//! The real binary's API against hostile local clients: thousands of idle sockets cost
//! the checks nothing (no descriptor, no lateness, no failure), SIGTERM stops it at once
//! with slow clients connected, and a web page's form post cannot pause a service.

mod support;

use std::io::Write;
use std::net::TcpStream;
use std::time::{Duration, Instant};

use serde_json::Value;
use support::ToggleServer;
use support::api::TOKEN;
use support::fleet::FastConfig;
use support::headless::Headless;

const LIMIT: Duration = Duration::from_secs(20);
/// Idle sockets opened against the API at once.
const IDLE_SOCKETS: usize = 3000;
/// The most a check may start late while they are open: the schedule the checks keep
/// on a quiet machine is within a few ms; this leaves room for a busy one.
const LATE_MS: f64 = 100.0;

/// Headless lookout checking `web` every 200 ms with check lines logged; its API's
/// address.
fn started(dir: &std::path::Path, web: &ToggleServer) -> (Headless, String) {
    let path = FastConfig::new(dir, 200)
        .headless_api()
        .service("web", &web.url("/health"), "")
        .write();
    let mut lookout = Headless::start(&path, &[("LOOKOUT_LOG", "lookout=debug")]);
    let listening = lookout.seen_or_wait("server_listening", None, LIMIT);
    let address = listening["address"].as_str().expect("address").to_string();
    let up = lookout.seen_or_wait("service_state_changed", Some("web"), LIMIT);
    assert_eq!(up["to"], "UP");
    (lookout, address)
}

/// The process's open file descriptors.
fn descriptors(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|dir| dir.count())
        .unwrap_or(0)
}

/// `GET /healthz` on a fresh connection: the status line.
fn healthz(address: &str) -> String {
    let Ok(mut stream) = TcpStream::connect(address) else {
        return "no connection".to_string();
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let _ =
        stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    let _ = std::io::Read::read_to_string(&mut stream, &mut answer);
    answer.lines().next().unwrap_or("").to_string()
}

#[test]
fn three_thousand_idle_sockets_take_no_descriptor_and_no_check() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let (mut lookout, address) = started(dir.path(), &web);
    let before = descriptors(lookout.pid());

    // In batches, so the kernel's accept queue (128 here) never overflows: past it the
    // kernel drops the handshake's last step and lookout would never see the socket.
    let mut idle = Vec::new();
    while idle.len() < IDLE_SOCKETS {
        idle.extend((0..50).filter_map(|_| TcpStream::connect(&address).ok()));
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(idle.len(), IDLE_SOCKETS, "every connect went through");
    std::thread::sleep(Duration::from_secs(2));
    let held = descriptors(lookout.pid());
    eprintln!("descriptors: {before} before, {held} with {IDLE_SOCKETS} idle sockets");
    assert!(
        held <= before + lookout::server::listen::MAX_CONNECTIONS + 16,
        "{held} descriptors open (from {before})"
    );
    let busy = healthz(&address);
    assert!(
        busy.contains("503"),
        "past the cap a new client is told so: {busy}"
    );
    std::thread::sleep(Duration::from_secs(1));
    drop(idle);

    // Served again once the idle sockets are gone.
    let deadline = Instant::now() + LIMIT;
    while !healthz(&address).contains("200") {
        assert!(Instant::now() < deadline, "the API never answered again");
        std::thread::sleep(Duration::from_millis(50));
    }
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    let checks: Vec<&Value> = (lookout.seen.iter())
        .filter(|l| l["event"] == "check_completed" && l["service"] == "web")
        .collect();
    assert!(checks.len() >= 10, "{} checks", checks.len());
    for check in &checks {
        assert_eq!(check["passed"], true, "{check}");
        let lag = check["lag_ms"].as_f64().unwrap_or(f64::MAX);
        assert!(lag <= LATE_MS, "a check started {lag} ms late: {check}");
    }
    assert!(
        (lookout.seen.iter()).all(|l| l["event"] != "service_state_changed" || l["to"] == "UP"),
        "the service changed state"
    );
}

#[test]
fn sigterm_stops_it_at_once_with_slow_clients_connected() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let (mut lookout, address) = started(dir.path(), &web);
    // A hundred clients trickling headers, a hundred idle.
    let mut slow: Vec<TcpStream> = (0..200)
        .filter_map(|_| TcpStream::connect(&address).ok())
        .collect();
    for stream in slow.iter_mut().take(100) {
        let _ = stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n");
    }
    std::thread::sleep(Duration::from_millis(300));
    for stream in slow.iter_mut().take(100) {
        let _ = stream.write_all(b"X");
    }
    let asked = Instant::now();
    lookout.signal("TERM");
    let status = lookout.wait_exit(LIMIT).expect("stopped");
    let took = asked.elapsed();
    eprintln!("stopped {took:?} after SIGTERM");
    assert_eq!(status.code(), Some(0));
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_web_pages_form_post_cannot_pause_a_service() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let (mut lookout, address) = started(dir.path(), &web);
    let base = format!("http://{address}");
    lookout::net::install_crypto_provider();
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("client");
    let pause = format!("{base}/api/v1/services/web/pause");
    // What a page on another site can send without asking first: a form post, with
    // the page's origin; and the same with the token, as a script that learnt it.
    let form = client
        .post(&pause)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("origin", "http://attacker.example")
        .body("x=1")
        .send()
        .await
        .expect("POST");
    assert_eq!(form.status(), 403);
    let plain = client
        .post(&pause)
        .header("content-type", "text/plain")
        .bearer_auth(TOKEN)
        .body("{}")
        .send()
        .await
        .expect("POST");
    assert_eq!(plain.status(), 415);
    // Checks made after the refusals (the view is published every 100 ms) show it UP.
    let deadline = Instant::now() + LIMIT;
    loop {
        let status: Value = client
            .get(format!("{base}/api/v1/status"))
            .send()
            .await
            .expect("GET")
            .json()
            .await
            .expect("JSON");
        let web = &status["services"][0];
        if web["checks_in_window"].as_u64().is_some_and(|n| n >= 5) {
            assert_eq!(web["state"], "UP", "{status}");
            break;
        }
        assert!(Instant::now() < deadline, "{status}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    lookout.signal("TERM");
    lookout.wait_exit(LIMIT).expect("stopped");
    assert!(
        (lookout.seen.iter()).all(|l| l["event"] != "service_paused"),
        "paused by a web page"
    );
}

#[test]
fn a_taken_port_stops_lookout_before_any_check_saying_why_once() {
    let web = ToggleServer::start_new();
    let dir = tempfile::tempdir().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = taken.local_addr().expect("addr").port();
    let path = FastConfig::new(dir.path(), 200)
        .toml(&format!(
            "[log]\nstdout = true\n\n[server]\nlisten = \"127.0.0.1:{port}\""
        ))
        .service("web", &web.url("/health"), "")
        .write();
    let mut lookout = Headless::start(&path, &[]);
    let status = lookout.wait_exit(LIMIT).expect("it stops");
    let stderr = lookout.stderr();
    assert_eq!(status.code(), Some(1), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert_eq!(
        stderr.matches("in use").count(),
        1,
        "the OS error said once: {stderr}"
    );
    assert!(
        (lookout.seen.iter()).all(|l| l["event"] != "service_state_changed"),
        "checks ran before the port was found taken: {:?}",
        lookout.seen
    );
}
