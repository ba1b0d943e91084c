//! A real Alertmanager (Debian's `prometheus-alertmanager`, or an `alertmanager` on the
//! PATH) on a free loopback port, with a temporary storage path, a one-receiver config
//! and no clustering; ready when started, killed on drop (also when the test panics).

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::prometheus::free_port;

/// How long Alertmanager gets to answer `/-/ready`.
const READY_LIMIT: Duration = Duration::from_secs(30);

/// The names the program goes by: Debian's, then upstream's.
const PROGRAMS: [&str; 2] = ["prometheus-alertmanager", "alertmanager"];

/// Routes every alert to a receiver that sends nothing.
const CONFIG: &str = "route:\n  receiver: nowhere\nreceivers:\n  - name: nowhere\n";

/// A running Alertmanager; killed on drop.
pub struct Alertmanager {
    child: Child,
    pub port: u16,
    log: PathBuf,
    program: &'static str,
    dir: PathBuf,
}

impl Alertmanager {
    /// Starts one with its files under `dir`; `None` (having said why) when the program
    /// is not installed, which fails the test under `CI=true`.
    pub fn start(dir: &Path) -> Option<Self> {
        let program = program()?;
        let port = free_port();
        let config = dir.join("alertmanager.yml");
        std::fs::write(&config, CONFIG).expect("write alertmanager.yml");
        let log = dir.join("alertmanager.log");
        let child = spawn(program, dir, port, &log);
        let alertmanager = Self {
            child,
            port,
            log,
            program,
            dir: dir.to_path_buf(),
        };
        alertmanager.wait_ready();
        Some(alertmanager)
    }

    /// Kills it (as a crash would: SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// Starts it again on the same port with the same storage, after `kill`.
    pub fn restart(&mut self) {
        self.kill();
        self.child = spawn(self.program, &self.dir, self.port, &self.log);
        self.wait_ready();
    }

    /// The base URL, as `[[alertmanager]] url` takes it.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Alertmanager's own log, for a failure message.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `/-/ready` (a plain socket: this works inside and outside a runtime) until
    /// it answers 200; panics with the log after `READY_LIMIT`.
    fn wait_ready(&self) {
        let deadline = Instant::now() + READY_LIMIT;
        while Instant::now() < deadline {
            if self.ready() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        panic!(
            "alertmanager not ready after {READY_LIMIT:?}; log:\n{}",
            self.log()
        );
    }

    fn ready(&self) -> bool {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", self.port)) else {
            return false;
        };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(2)));
        let request = "GET /-/ready HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
        if stream.write_all(request.as_bytes()).is_err() {
            return false;
        }
        let mut answer = String::new();
        let _ = stream.read_to_string(&mut answer);
        answer.starts_with("HTTP/1.0 200") || answer.starts_with("HTTP/1.1 200")
    }
}

impl Drop for Alertmanager {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A headless config: one fast service `web` at `service_url` (one failure makes it
/// DOWN), logs on stdout, and Alertmanager `team` at `alertmanager_url`, forwarded to
/// (re-sent each second) and read each second.
pub fn headless_config(dir: &Path, service_url: &str, alertmanager_url: &str) -> String {
    format!(
        "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"200ms\"\ntimeout = \"150ms\"\n\
         degraded_after = \"100ms\"\nfailure_threshold = 1\n\n[system]\nenabled = false\n\n\
         [log]\nstdout = true\n\n[[service]]\nname = \"web\"\nurl = \"{service_url}\"\n\
         group = \"shop\"\nseverity = \"high\"\n\n\
         [[alertmanager]]\nname = \"team\"\nurl = \"{alertmanager_url}\"\nforward = true\n\
         resend = \"1s\"\npoll = \"1s\"\n",
        dir.join("state").display(),
    )
}

/// Runs `program` on `port` with its files in `dir`, its output appended to `log`.
fn spawn(program: &str, dir: &Path, port: u16, log: &Path) -> Child {
    let log_file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log)
        .expect("open log");
    Command::new(program)
        .arg(format!(
            "--config.file={}",
            dir.join("alertmanager.yml").display()
        ))
        .arg(format!("--storage.path={}", dir.join("data").display()))
        .arg(format!("--web.listen-address=127.0.0.1:{port}"))
        .arg("--cluster.listen-address=")
        .stdin(Stdio::null())
        .stdout(log_file.try_clone().expect("log handle"))
        .stderr(log_file)
        .spawn()
        .expect("start alertmanager")
}

/// The first of `PROGRAMS` installed; otherwise `require` decides (skip, or fail in CI).
fn program() -> Option<&'static str> {
    let installed = |name: &str| {
        Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    match PROGRAMS.into_iter().find(|name| installed(name)) {
        Some(name) => Some(name),
        None => {
            let why = "a real Alertmanager receives lookout's alerts and silences";
            super::require(PROGRAMS[0], why);
            None
        }
    }
}
