//! `[[alertmanager]]`: the defaults, what each key turns into, and the message each
//! mistake gives, placed at file:line:column, with a URL's password never shown.

use std::path::Path;
use std::time::Duration;

use super::{AlertmanagerConfig, Config, parse};

fn env(name: &str) -> Option<String> {
    match name {
        "AM_URL" => Some("https://ops:s3cret@am.example.com/alertmanager".to_string()),
        "AM_PASSWORD" => Some("s3cret".to_string()),
        _ => super::tests_parse::env(name),
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("lookout.toml"), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

/// Each problem as `line:column: message`, and the whole report as printed.
fn rendered(text: &str) -> (Vec<String>, String) {
    match parse(text, Path::new("x.toml"), &env) {
        Ok(config) => panic!(
            "should be invalid:\n{text}\nparsed as {:?}",
            config.alertmanagers
        ),
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

fn url(text: &str) -> reqwest::Url {
    reqwest::Url::parse(text).expect("test URL")
}

#[test]
fn defaults_and_every_key() {
    let config = parsed(
        r#"
[[alertmanager]]
name = "local"
url = "http://127.0.0.1:9093"

[[alertmanager]]
name = "behind-a-gateway"
url = "https://gw.example.com/api/alertmanager"

[[alertmanager]]
name = "team"
url = "${AM_URL}"
forward = true
resend = "30s"
timeout = "2s"
poll = "1m"
silence_by = "oncall@ops"
"#,
    );
    let [local, gateway, team] = config.alertmanagers.as_slice() else {
        panic!("three alertmanagers: {:?}", config.alertmanagers);
    };
    assert_eq!(
        gateway.url.path(),
        "/api/alertmanager",
        "a prefix, not the API"
    );
    assert_eq!(
        local,
        &AlertmanagerConfig::new("local", url("http://127.0.0.1:9093"))
    );
    assert!(!local.forward);
    assert_eq!(
        (local.resend, local.timeout, local.poll),
        (
            Duration::from_secs(60),
            Duration::from_secs(5),
            Duration::from_secs(15)
        )
    );
    assert_eq!(local.silence_by, None);
    assert_eq!(
        team,
        &AlertmanagerConfig {
            forward: true,
            resend: Duration::from_secs(30),
            timeout: Duration::from_secs(2),
            poll: Duration::from_secs(60),
            silence_by: Some("oncall@ops".to_string()),
            ..AlertmanagerConfig::new(
                "team",
                url("https://ops:s3cret@am.example.com/alertmanager")
            )
        }
    );
    assert_eq!(
        team.display_url(),
        "https://***:***@am.example.com/alertmanager"
    );
    assert!(!format!("{config:?}").contains("s3cret"), "Debug masks it");
}

#[test]
fn none_is_the_default() {
    assert!(parsed("").alertmanagers.is_empty());
}

#[test]
fn mistakes_are_placed_and_passwords_never_shown() {
    let (found, shown) = rendered(
        r#"
[[alertmanager]]
name = "team"
url = "am.example.com:9093"
forward = "yes"
resend = "0s"

[[alertmanager]]
name = "team"
url = "ftp://ops:s3cret@am.example.com/"
timeout = "10ms"
poll = "fast"

[[alertmanager]]
name = "api"
url = "http://ops:${AM_PASSWORD}@am:9093/api/v2/alerts"
silence_by = " "
polll = "1m"

[[alertmanager]]
name = "query"
url = "http://am:9093/?x=1"

[[alertmanager]]
forward = true
"#,
    );
    assert_eq!(
        found,
        [
            "4:7: `url` = \"am.example.com:9093\" has no `http://` or `https://` in front; \
             write Alertmanager's base URL, like \"http://127.0.0.1:9093\"",
            "5:11: `forward` expects true or false, found string \"yes\"",
            "6:10: `resend` 0s is too short: use at least 1s",
            "9:8: alertmanager name \"team\" is already used by the alertmanager at line 3; \
             names must be unique",
            "10:7: `url` = \"ftp://***:***@am.example.com/\" has scheme `ftp`; Alertmanager's \
             API is http:// or https://",
            "11:11: `timeout` 10ms is too short: use at least 100ms",
            "12:8: `poll` = \"fast\" is not a duration (expected a number followed by a unit); \
             write it like \"500ms\", \"10s\", \"5m\" or \"1h\"",
            "16:7: `url` = \"http://***:***@am:9093/api/v2/alerts\" names an API path; write \
             Alertmanager's base URL, like \"http://127.0.0.1:9093\" (lookout adds /api/v2/…)",
            "17:14: `silence_by` is empty; name who the silences are by, like \"oncall@ops\", \
             or leave it out for the person's user@host",
            "18:1: unknown key `polll` in [[alertmanager]] \"api\"; did you mean `poll`?",
            "22:7: `url` = \"http://am:9093/?***\" has a query or a fragment; write \
             Alertmanager's base URL, like \"http://127.0.0.1:9093\"",
            "24:1: this [[alertmanager]] has no `name`; add one, like name = \"team-am\"",
            "24:1: this [[alertmanager]] has no `url`; add one, like url = \
             \"http://127.0.0.1:9093\"",
        ]
    );
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(
        shown.starts_with("x.toml:4:7: `url` = \"am.example.com:9093\""),
        "{shown}"
    );
}

#[test]
fn a_single_table_asks_for_double_brackets() {
    let (found, _) = rendered("[alertmanager]\nname = \"team\"\nurl = \"http://am:9093\"\n");
    assert_eq!(
        found,
        ["1:1: write [[alertmanager]] with double brackets: each entry is one table of a list"]
    );
    let (found, _) = rendered("[general]\nforward = true\n");
    assert_eq!(
        found,
        ["2:1: `forward` belongs in each [[alertmanager]], not in [general]"]
    );
}
