//! `[[notify]]`: what each channel type turns into, the defaults, and the message each
//! mistake gives, with URLs and header values never shown.

use std::path::Path;
use std::time::Duration;

use super::{Config, NotifyChannel, Severity, parse};

fn env(name: &str) -> Option<String> {
    match name {
        "SLACK_URL" => Some("https://hooks.slack.com/services/T0/B0/s3cret".to_string()),
        "HOOK_TOKEN" => Some("s3cret".to_string()),
        _ => super::tests_parse::env(name),
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("lookout.toml"), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

fn rendered(text: &str) -> (Vec<String>, String) {
    match parse(text, Path::new("x.toml"), &env) {
        Ok(config) => panic!("should be invalid:\n{text}\nparsed as {:?}", config.notify),
        Err(errors) => {
            let listed = errors
                .problems()
                .iter()
                .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
                .collect();
            (listed, errors.to_string())
        }
    }
}

#[test]
fn each_channel_type_and_the_defaults() {
    let config = parsed(
        r#"
[[notify]]
name = "hook"
type = "webhook"
url = "https://alerts.example.com/in"
headers = { Authorization = "Bearer ${HOOK_TOKEN}" }
min_severity = "medium"
timeout = "3s"
retries = 0
backoff = "250ms"

[[notify]]
name = "chat"
type = "slack"
url = "${SLACK_URL}"

[[notify]]
name = "pager"
type = "command"
command = ["/usr/local/bin/page", "--team", "ops"]
"#,
    );
    let [hook, chat, pager] = config.notify.as_slice() else {
        panic!("three channels: {:?}", config.notify);
    };
    let NotifyChannel::Webhook { url, headers } = &hook.channel else {
        panic!("a webhook: {hook:?}");
    };
    assert_eq!(url.as_str(), "https://alerts.example.com/in");
    assert_eq!(
        headers,
        &[("Authorization".to_string(), "Bearer s3cret".to_string())]
    );
    assert_eq!(hook.min_severity, Severity::Medium);
    let timing = (hook.timeout, hook.retries, hook.backoff);
    assert_eq!(
        timing,
        (Duration::from_secs(3), 0, Duration::from_millis(250))
    );
    let NotifyChannel::Slack { url } = &chat.channel else {
        panic!("slack: {chat:?}");
    };
    assert_eq!(url.host_str(), Some("hooks.slack.com"));
    assert_eq!(chat.min_severity, Severity::High);
    let timing = (chat.timeout, chat.retries, chat.backoff);
    assert_eq!(timing, (Duration::from_secs(10), 3, Duration::from_secs(1)));
    let NotifyChannel::Command { argv } = &pager.channel else {
        panic!("a command: {pager:?}");
    };
    assert_eq!(argv, &["/usr/local/bin/page", "--team", "ops"]);
    assert!(
        !format!("{config:?}").contains("s3cret"),
        "Debug hides secrets"
    );
}

#[test]
fn mistakes_are_reported_without_secrets() {
    let (found, shown) = rendered(
        r#"
[[notify]]
name = "hook"
type = "webhok"

[[notify]]
name = "hook"
type = "slack"
url = "ftp://s3cret@example.com/"
command = ["x"]

[[notify]]
name = "pager"
type = "command"
command = "page --team ops"
min_severity = "urgent"

[[notify]]
name = "empty"
type = "command"
command = []
retries = 99

[[notify]]
name = "nourl"
type = "webhook"
headers = { "Bad Name" = "s3cret" }
"#,
    );
    assert_eq!(
        found,
        [
            "4:8: unknown channel type \"webhok\"; did you mean `webhook`? (valid types are \
             `webhook`, `slack`, `command`)",
            "7:8: channel name \"hook\" is already used by the channel at line 3; names must \
             be unique",
            "9:7: `url` has scheme `ftp`; a slack channel posts to http:// or https:// (the \
             value is not shown: it is a secret)",
            "10:1: `command` does not apply to a slack channel, which takes `url`; remove it",
            "15:11: `command` expects an argv list, never a shell string: write each argument \
             as its own string, like [\"/usr/local/bin/page\", \"--team\", \"ops\"]",
            "16:16: `min_severity` = \"urgent\" is not a severity; valid severities are `low`, \
             `medium`, `high`, `critical`",
            "21:11: `command` is empty; name the program to run, like \
             [\"/usr/local/bin/page\", \"--team\", \"ops\"]",
            "22:11: `retries` = 99 is out of range: use a number from 0 to 20",
            "24:1: this webhook channel has no `url`; add one, like url = \
             \"${SLACK_WEBHOOK_URL}\"",
            "27:13: `Bad Name` is not a valid header name: use letters, digits and `-`, like \
             `X-Api-Key`",
        ]
    );
    assert!(!shown.contains("s3cret"), "{shown}");
}
