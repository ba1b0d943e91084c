//! Helpers for integration tests: a loopback HTTP server that a test switches off and on,
//! a tmux driver, and the rule for tests that need a program that may be missing.
#![allow(dead_code)] // each test binary uses its own subset

pub mod alertmanager;
pub mod api;
pub mod failing_disk;
pub mod fleet;
pub mod fuzz_toml;
pub mod headless;
pub mod private_postgres;
pub mod prometheus;
pub mod queue;
pub mod tinyfs;

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU16, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// True when `program` can run. When it cannot: under `CI=true` the test fails, elsewhere
/// it prints why it is skipped and returns false.
pub fn require(program: &str, why: &str) -> bool {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .map(|o| o.status.success())
        .unwrap_or(false);
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{program} is required under CI=true ({why}); install it (scripts/test does)"
        );
        eprintln!("skipped: {program} is not installed ({why})");
    }
    found
}

/// An HTTP/1.1 server on a fixed loopback port answering every request with `status`
/// and a small JSON body; `stop` closes the port (connection refused), `start` reopens it.
pub struct ToggleServer {
    pub port: u16,
    status: Arc<AtomicU16>,
    delay_ms: Arc<AtomicU16>,
    running: Option<(Arc<AtomicBool>, JoinHandle<()>)>,
}

impl ToggleServer {
    pub fn start_new() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let port = listener.local_addr().expect("local addr").port();
        let mut server = Self {
            port,
            status: Arc::new(AtomicU16::new(200)),
            delay_ms: Arc::new(AtomicU16::new(0)),
            running: None,
        };
        server.serve(listener);
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn set_status(&self, status: u16) {
        self.status.store(status, Ordering::SeqCst);
    }

    /// Every answer waits this long first (at most 65 s).
    pub fn set_delay(&self, delay: Duration) {
        let ms = u16::try_from(delay.as_millis()).unwrap_or(u16::MAX);
        self.delay_ms.store(ms, Ordering::SeqCst);
    }

    pub fn start(&mut self) {
        if self.running.is_none() {
            let listener = TcpListener::bind(("127.0.0.1", self.port)).expect("rebind port");
            self.serve(listener);
        }
    }

    pub fn stop(&mut self) {
        if let Some((stop, thread)) = self.running.take() {
            stop.store(true, Ordering::SeqCst);
            // Wake the accept loop so it sees the flag and drops the listener.
            let _ = TcpStream::connect(("127.0.0.1", self.port));
            thread.join().expect("server thread");
        }
    }

    fn serve(&mut self, listener: TcpListener) {
        let stop = Arc::new(AtomicBool::new(false));
        let status = Arc::clone(&self.status);
        let delay = Arc::clone(&self.delay_ms);
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            for stream in listener.incoming() {
                if flag.load(Ordering::SeqCst) {
                    break;
                }
                if let Ok(stream) = stream {
                    let status = status.load(Ordering::SeqCst);
                    let delay = Duration::from_millis(u64::from(delay.load(Ordering::SeqCst)));
                    // One thread per connection so a slow answer never holds up the next.
                    std::thread::spawn(move || answer(stream, status, delay));
                }
            }
        });
        self.running = Some((stop, thread));
    }
}

impl Drop for ToggleServer {
    fn drop(&mut self) {
        self.stop();
    }
}

fn answer(mut stream: TcpStream, status: u16, delay: Duration) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    std::thread::sleep(delay);
    let body = if status < 400 {
        r#"{"status":"ok"}"#
    } else {
        r#"{"status":"down"}"#
    };
    let response = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(response.as_bytes());
    let _ = stream.shutdown(Shutdown::Both);
}

/// A loopback port with nothing listening (bound, then released).
pub fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr: SocketAddr = listener.local_addr().expect("addr");
    addr.port()
}

/// Writes `text` to `dir/lookout.toml` and returns its path.
pub fn write_config(dir: &Path, text: &str) -> std::path::PathBuf {
    let path = dir.join("lookout.toml");
    std::fs::write(&path, text).expect("write config");
    path
}

/// The pane command that runs the dashboard on `config`; `exec`, so the pane's process is
/// lookout itself and signals reach it directly.
pub fn dashboard_command(config: &Path) -> String {
    format!(
        "exec {} --config {}",
        env!("CARGO_BIN_EXE_lookout"),
        config.display()
    )
}

/// The tests' own tmux server, apart from any the developer is using.
const TMUX_SOCKET: &str = "lookout-tests";

/// A tmux session running one command in a pane of a fixed size; killed on drop.
pub struct Tmux {
    pub session: String,
}

impl Tmux {
    pub fn start(name: &str, width: u16, height: u16, command: &str) -> Self {
        let session = format!("lookout-test-{name}-{}", std::process::id());
        // remain-on-exit is chained into the same call so even an instant exit stays readable.
        let status = Command::new("tmux")
            .args(["-L", TMUX_SOCKET, "new-session", "-d", "-s", &session, "-x"])
            .arg(width.to_string())
            .arg("-y")
            .arg(height.to_string())
            .arg(command)
            .args([";", "set-option", "remain-on-exit", "on"])
            .env("LANG", "C.UTF-8")
            .env("TERM", "xterm-256color")
            .status()
            .expect("run tmux");
        assert!(status.success(), "tmux new-session failed");
        Self { session }
    }

    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", TMUX_SOCKET])
            .args(args)
            .output()
            .expect("run tmux");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Sends keys as `tmux send-keys` names them ("j", "Enter", "Escape", "C-c").
    pub fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", self.session.as_str()];
        args.extend_from_slice(keys);
        self.run(&args);
    }

    /// Resizes the pane's window, as a person dragging the terminal would.
    pub fn resize(&self, width: u16, height: u16) {
        let (width, height) = (width.to_string(), height.to_string());
        self.run(&[
            "resize-window",
            "-t",
            &self.session,
            "-x",
            &width,
            "-y",
            &height,
        ]);
    }

    /// The visible screen, as text.
    pub fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", &self.session])
    }

    /// The process id of the program in the pane.
    pub fn pane_pid(&self) -> u32 {
        let pid = self.run(&["display-message", "-p", "-t", &self.session, "#{pane_pid}"]);
        pid.trim().parse().expect("pane pid")
    }

    /// True while the pane shows the alternate screen (a full-screen program's).
    pub fn alternate_screen(&self) -> bool {
        self.run(&[
            "display-message",
            "-p",
            "-t",
            &self.session,
            "#{alternate_on}",
        ])
        .trim()
            == "1"
    }

    /// True once the program in the pane has exited.
    pub fn exited(&self) -> bool {
        self.run(&["display-message", "-p", "-t", &self.session, "#{pane_dead}"])
            .trim()
            == "1"
    }

    /// Polls the screen until `pred` holds, failing with the last screen after `limit`.
    pub fn wait_for(&self, what: &str, limit: Duration, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + limit;
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "waited {limit:?} for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", TMUX_SOCKET, "kill-session", "-t", &self.session])
            .status();
    }
}
