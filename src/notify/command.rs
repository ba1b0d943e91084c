//! One run of a `command` channel: `argv[0]` started directly with `argv[1..]` (no
//! shell, so alert text can never become shell syntax), the notice in its environment
//! and as JSON on stdin. Exit 0 is delivered; dropping the run (the timeout, or
//! shutdown) kills it and everything it started, as its own process group.

use std::process::Stdio;
use std::time::Duration;

use rustix::process::{Pid, Signal, kill_process_group};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::process::Command;

use super::http::{Outcome, Retry};

/// Bytes of stderr kept (the end of it) while the program runs.
const STDERR_KEEP: usize = 4096;
/// Characters of stderr's end shown in the log line.
const STDERR_SHOWN: usize = 300;
/// How long stderr is still read after the program exited.
const STDERR_GRACE: Duration = Duration::from_millis(100);

/// Runs `argv` with `env` added to lookout's environment and `stdin` written to it.
pub(crate) async fn run(
    argv: &[String],
    env: &[(&'static str, String)],
    stdin: Vec<u8>,
) -> Outcome {
    let Some((program, args)) = argv.split_first() else {
        return Outcome::failed("empty argv", Retry::Never);
    };
    let spawned = Command::new(program)
        .args(args)
        .envs(env.iter().map(|(name, value)| (*name, value.as_str())))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        // Its own group: a timeout kills what it started too, and a Ctrl-C meant for
        // lookout's terminal does not reach it.
        .process_group(0)
        .kill_on_drop(true)
        .spawn();
    let mut child = match spawned {
        Ok(child) => child,
        // The io error says why ("No such file or directory"), not which argv.
        Err(err) => return Outcome::failed(format!("cannot start: {err}"), Retry::Never),
    };
    let mut group = GroupKill(child.id().and_then(|id| Pid::from_raw(id.try_into().ok()?)));
    let input = child.stdin.take();
    let errors = child.stderr.take();
    let feed = async move {
        if let Some(mut input) = input {
            // A program that does not read its stdin is fine (a broken pipe here).
            let _ = input.write_all(&stdin).await;
        }
    };
    let mut tail = Vec::new();
    let status = {
        let read = read_tail(errors, &mut tail);
        tokio::pin!(read);
        let run = async {
            feed.await;
            child.wait().await
        };
        tokio::pin!(run);
        tokio::select! {
            () = &mut read => run.await,
            status = &mut run => {
                // Something it started in the background may hold stderr open: what
                // came so far is enough.
                let _ = tokio::time::timeout(STDERR_GRACE, read).await;
                status
            }
        }
    };
    // It ended on its own: what it left running in the background is its business.
    group.0 = None;
    match status {
        Ok(status) if status.success() => Outcome::Delivered { status: None },
        Ok(status) => {
            let tail = one_line_tail(&tail, STDERR_SHOWN);
            let error = if tail.is_empty() {
                status.to_string()
            } else {
                format!("{status}: {tail}")
            };
            Outcome::failed(error, Retry::Later(None))
        }
        Err(err) => Outcome::failed(format!("wait failed: {err}"), Retry::Later(None)),
    }
}

/// Kills a run's process group when dropped before the run ended.
struct GroupKill(Option<Pid>);

impl Drop for GroupKill {
    fn drop(&mut self) {
        if let Some(group) = self.0 {
            // Gone already is fine.
            let _ = kill_process_group(group, Signal::KILL);
        }
    }
}

/// Reads `stream` to its end into `kept`, keeping its last `STDERR_KEEP` bytes.
async fn read_tail(stream: Option<impl AsyncRead + Unpin>, kept: &mut Vec<u8>) {
    let Some(mut stream) = stream else {
        return;
    };
    let mut chunk = [0u8; 1024];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) | Err(_) => return,
            Ok(n) => {
                kept.extend_from_slice(&chunk[..n]);
                if kept.len() > STDERR_KEEP {
                    kept.drain(..kept.len() - STDERR_KEEP);
                }
            }
        }
    }
}

/// The last `limit` characters of `bytes` on one line: whitespace runs (newlines
/// included) become one space, other control characters are dropped.
pub(crate) fn one_line_tail(bytes: &[u8], limit: usize) -> String {
    let text = String::from_utf8_lossy(bytes);
    let words: Vec<&str> = text.split_whitespace().collect();
    let line: String = words
        .join(" ")
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let count = line.chars().count();
    if count <= limit {
        return line;
    }
    let start = line.char_indices().nth(count - limit).map_or(0, |(i, _)| i);
    format!("…{}", &line[start..])
}
