//! Drives the real binary in headless mode: its stdout JSON lines are read as they come,
//! so a test waits for a line rather than for time to pass.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A headless lookout with `[log] stdout = true`; killed on drop.
pub struct Headless {
    child: Child,
    lines: mpsc::Receiver<String>,
    /// Every line seen so far, parsed (in order).
    pub seen: Vec<Value>,
    stderr: Option<std::thread::JoinHandle<String>>,
}

impl Headless {
    /// Starts `lookout --headless --config <config>` with `env` added.
    pub fn start(config: &Path, env: &[(&str, &str)]) -> Self {
        Self::spawn(
            &["--headless", "--config", &config.display().to_string()],
            env,
        )
    }

    /// Starts lookout with `args`, stdout and stderr piped.
    pub fn spawn(args: &[&str], env: &[(&str, &str)]) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_lookout"))
            .args(args)
            .env_remove("RUST_LOG")
            .env_remove("LOOKOUT_LOG")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start lookout");
        let stdout = child.stdout.take().expect("piped stdout");
        let (send, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if send.send(line).is_err() {
                    break;
                }
            }
        });
        let mut stderr = child.stderr.take().expect("piped stderr");
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        Self {
            child,
            lines,
            seen: Vec::new(),
            stderr: Some(stderr),
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The first line from now on for which `pred` holds; panics after `limit` with
    /// every line seen.
    pub fn wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        let deadline = Instant::now() + limit;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let value: Value = serde_json::from_str(&line)
                        .unwrap_or_else(|err| panic!("not a JSON line ({err}): {line}"));
                    self.seen.push(value.clone());
                    if pred(&value) {
                        return value;
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => panic!(
                    "timed out after {limit:?} waiting for {what}; lines so far:\n{}",
                    self.seen_text()
                ),
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let status = self.child.wait().ok();
                    let stderr = self.stderr();
                    panic!(
                        "lookout exited ({status:?}) before {what}; stderr:\n{stderr}\nlines:\n{}",
                        self.seen_text()
                    )
                }
            }
        }
    }

    fn seen_text(&self) -> String {
        self.seen
            .iter()
            .map(Value::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The first line seen already for which `pred` holds, or else the next one: for
    /// lines whose order among themselves is not fixed (a service's first state change
    /// and `server_listening`; the failures of two tasks).
    pub fn seen_or_wait_for(
        &mut self,
        what: &str,
        limit: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Value {
        if let Some(line) = self.seen.iter().find(|line| pred(line)) {
            return line.clone();
        }
        self.wait_for(what, limit, pred)
    }

    /// [`Headless::seen_or_wait_for`] the line with this `event` (and, if given, this
    /// `service`).
    pub fn seen_or_wait(&mut self, event: &str, service: Option<&str>, limit: Duration) -> Value {
        let what = format!("{event} {service:?}");
        self.seen_or_wait_for(&what, limit, |line| {
            line["event"] == event && service.is_none_or(|name| line["service"] == name)
        })
    }

    /// Waits for the line with this `event` (and, if given, this `service`).
    pub fn wait_event(&mut self, event: &str, service: Option<&str>, limit: Duration) -> Value {
        let what = format!("{event} {service:?}");
        self.wait_for(&what, limit, |line| {
            line["event"] == event && service.is_none_or(|name| line["service"] == name)
        })
    }

    /// Sends a signal by name (`TERM`, `HUP`, `INT`, `KILL`).
    pub fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args(["-s", name, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {name} failed");
    }

    /// Waits up to `limit` for the process to exit; reads the remaining lines.
    pub fn wait_exit(&mut self, limit: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + limit;
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                while let Ok(line) = self.lines.recv_timeout(Duration::from_secs(1)) {
                    if let Ok(value) = serde_json::from_str(&line) {
                        self.seen.push(value);
                    }
                }
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }

    /// Everything written to stderr; waits for the process to end.
    pub fn stderr(&mut self) -> String {
        let _ = self.child.wait();
        self.stderr
            .take()
            .map(|thread| thread.join().unwrap_or_default())
            .unwrap_or_default()
    }
}

impl Drop for Headless {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
