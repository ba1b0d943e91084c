//! The command channel runs real programs: the alert arrives in the environment and as
//! JSON on stdin, byte for byte, never through a shell; a run past the timeout is
//! killed with everything it started; a non-zero exit fails with the end of stderr in
//! the log.

mod notify_support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lookout::config::{NotifyChannel, NotifyConfig, Severity};
use lookout::log::events;
use lookout::notify::{Health, NoticeKind, Notifier};
use notify_support::{Capture, alert, channel, finish, notice};
use tokio_util::sync::CancellationToken;

/// Saves its environment, its arguments after the first and its stdin into `$1`.
const RECORD: &str = r#"#!/bin/sh
out="$1"
shift
env -0 > "$out/env"
printf '%s\0' "$@" > "$out/args"
cat > "$out/stdin.json"
"#;

/// Writes `body` as a script in `dir`; it is run as `/bin/sh <script>`, so it is never
/// executed while a forked test process might still hold it open for writing.
fn script(dir: &Path, name: &str, body: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, body).expect("write script");
    path
}

fn command(argv: Vec<String>) -> NotifyConfig {
    channel("pager", NotifyChannel::Command { argv })
}

fn path_str(path: &Path) -> String {
    path.to_str().expect("utf-8 path").to_string()
}

async fn run_once(config: NotifyConfig, view: lookout::view::alert::AlertView) {
    let notifier = Notifier::start(&[config], &CancellationToken::new(), &Health::default());
    notifier.notify(notice(NoticeKind::Firing, view));
    finish(notifier).await;
}

/// Sends one notice and stops the channel once `failures` attempts failed: a notice
/// that keeps failing is held and tried again until it is taken.
async fn run_failing(
    config: NotifyConfig,
    view: lookout::view::alert::AlertView,
    logs: &Capture,
    failures: usize,
) {
    let cancel = CancellationToken::new();
    let notifier = Notifier::start(&[config], &cancel, &Health::default());
    notifier.notify(notice(NoticeKind::Firing, view));
    logs.wait_for(events::NOTIFICATION_FAILED, failures).await;
    cancel.cancel();
    finish(notifier).await;
}

fn read_env(dir: &Path) -> HashMap<String, String> {
    let bytes = std::fs::read(dir.join("env")).expect("env saved");
    String::from_utf8(bytes)
        .expect("utf-8 env")
        .split('\0')
        .filter_map(|pair| pair.split_once('='))
        .map(|(name, value)| (name.to_string(), value.to_string()))
        .collect()
}

#[tokio::test]
async fn env_and_stdin_carry_the_alert() {
    let logs = Capture::default();
    let _guard = logs.install();
    let dir = tempfile::tempdir().expect("tempdir");
    let record = script(dir.path(), "record.sh", RECORD);
    let argv = vec!["/bin/sh".into(), path_str(&record), path_str(dir.path())];
    run_once(command(argv), alert(77, Severity::High)).await;

    let env = read_env(dir.path());
    let want = [
        ("LOOKOUT_NOTICE", "firing"),
        ("LOOKOUT_NOTICE_ID", "77"),
        ("LOOKOUT_ALERT_ID", "77"),
        ("LOOKOUT_ALERT_TYPE", "service_down"),
        ("LOOKOUT_ALERT_SUBJECT", "payments"),
        ("LOOKOUT_ALERT_SEVERITY", "high"),
        ("LOOKOUT_ALERT_STATE", "firing"),
        (
            "LOOKOUT_ALERT_SUMMARY",
            "payments is DOWN: connection refused",
        ),
    ];
    for (name, value) in want {
        assert_eq!(env.get(name).map(String::as_str), Some(value), "{name}");
    }
    assert!(
        env.contains_key("PATH"),
        "lookout's own environment is kept"
    );
    let stdin = std::fs::read(dir.path().join("stdin.json")).expect("stdin saved");
    let body: serde_json::Value = serde_json::from_slice(&stdin).expect("JSON on stdin");
    assert_eq!(body["notice"], "firing");
    assert_eq!(body["alert"]["id"], 77);
    assert_eq!(body["alert"]["severity"], "high");

    let sent = logs.events(events::NOTIFICATION_SENT);
    assert_eq!(sent.len(), 1, "{}", logs.text());
    assert_eq!(sent[0]["kind"], "command");
    assert_eq!(sent[0]["channel"], "pager");
    assert!(sent[0].get("status").is_none());
}

#[tokio::test]
async fn alert_text_never_becomes_shell_syntax() {
    let _guard = Capture::default().install();
    let dir = tempfile::tempdir().expect("tempdir");
    let record = script(dir.path(), "record.sh", RECORD);
    let pwned = |tag: &str| dir.path().join(format!("pwned-{tag}"));
    let summary = format!(
        "\"; touch {} # $(touch {}) `touch {}` '; touch {}; ' \\ \n$HOME *",
        pwned("quote").display(),
        pwned("dollar").display(),
        pwned("tick").display(),
        pwned("single").display(),
    );
    let arg = format!("$(touch {}); rm -rf nothing", pwned("arg").display());
    let mut view = alert(5, Severity::Critical);
    view.summary = summary.clone();
    view.key.subject = format!("x; touch {}", pwned("subject").display());
    let argv = vec![
        "/bin/sh".into(),
        path_str(&record),
        path_str(dir.path()),
        arg.clone(),
        "*".into(),
    ];
    run_once(command(argv), view).await;

    for tag in ["quote", "dollar", "tick", "single", "arg", "subject"] {
        assert!(!pwned(tag).exists(), "{tag}: a shell ran the text");
    }
    let env = read_env(dir.path());
    assert_eq!(env["LOOKOUT_ALERT_SUMMARY"], summary, "byte for byte");
    assert_eq!(
        env["LOOKOUT_ALERT_SUBJECT"],
        format!("x; touch {}", pwned("subject").display())
    );
    let args = std::fs::read(dir.path().join("args")).expect("args saved");
    assert_eq!(args, format!("{arg}\0*\0").into_bytes(), "byte for byte");
    let stdin = std::fs::read(dir.path().join("stdin.json")).expect("stdin saved");
    let body: serde_json::Value = serde_json::from_slice(&stdin).expect("JSON");
    assert_eq!(body["alert"]["summary"], summary.as_str());
}

/// Waits (bounded) until process `pid` has ended: gone, or a zombie left to its reaper.
async fn ended(pid: &str) -> bool {
    let stat = PathBuf::from(format!("/proc/{}/stat", pid.trim()));
    for _ in 0..500 {
        let gone = match std::fs::read_to_string(&stat) {
            Err(_) => true,
            Ok(text) => text
                .rsplit(')')
                .next()
                .is_some_and(|s| s.trim_start().starts_with('Z')),
        };
        if gone {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    false
}

#[tokio::test]
async fn a_run_past_the_timeout_is_killed_with_what_it_started() {
    let logs = Capture::default();
    let _guard = logs.install();
    let dir = tempfile::tempdir().expect("tempdir");
    // A background child that would outlive a kill of the script alone.
    let hang = script(
        dir.path(),
        "hang.sh",
        "sleep 60 &
echo $! > \"$1/child.tmp\" && mv \"$1/child.tmp\" \"$1/child\"
\
         echo $$ > \"$1/pid.tmp\" && mv \"$1/pid.tmp\" \"$1/pid\"
exec sleep 60
",
    );
    let mut config = command(vec![
        "/bin/sh".into(),
        path_str(&hang),
        path_str(dir.path()),
    ]);
    config.timeout = Duration::from_secs(1);
    run_failing(config, alert(6, Severity::High), &logs, 1).await;

    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(failed[0]["error"], "timed out after 1s");
    assert_eq!(failed[0]["will_retry"], true, "held, to be tried again");
    // SIGKILL goes to the whole group when the run is dropped.
    for name in ["pid", "child"] {
        let pid = std::fs::read_to_string(dir.path().join(name)).expect("the script started");
        assert!(ended(&pid).await, "{name} {} still running", pid.trim());
    }
}

#[tokio::test]
async fn a_non_zero_exit_fails_with_the_end_of_stderr() {
    let logs = Capture::default();
    let _guard = logs.install();
    let dir = tempfile::tempdir().expect("tempdir");
    let fail = script(
        dir.path(),
        "fail.sh",
        "echo 'pager: first line' >&2\necho 'rejected: quota' >&2\nexit 3\n",
    );
    let mut config = command(vec!["/bin/sh".into(), path_str(&fail)]);
    config.retries = 1;
    config.backoff = Duration::from_millis(1);
    run_failing(config, alert(7, Severity::High), &logs, 2).await;

    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(
        failed[0]["error"],
        "exit status: 3: pager: first line rejected: quota"
    );
    assert_eq!(failed[0]["will_retry"], true);
    assert_eq!(failed[1]["will_retry"], true, "held past its retries");
    assert!(logs.events(events::NOTIFICATION_SENT).is_empty());
}

#[tokio::test]
async fn a_missing_program_is_not_retried() {
    let logs = Capture::default();
    let _guard = logs.install();
    let mut config = command(vec!["/nonexistent/lookout-pager-secret-path".into()]);
    config.retries = 3;
    run_once(config, alert(8, Severity::High)).await;

    let failed = logs.events(events::NOTIFICATION_FAILED);
    assert_eq!(failed.len(), 1, "{}", logs.text());
    let error = failed[0]["error"].as_str().expect("error");
    assert!(error.starts_with("cannot start: "), "{error}");
    assert_eq!(failed[0]["will_retry"], false);
    assert!(!logs.text().contains("secret-path"), "argv is not logged");
}
