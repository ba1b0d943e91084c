//! The sections config.example.toml shows commented out (so that running it opens no
//! port and sends nothing) are valid once uncommented, and mean what their comments say.

use std::path::Path;

use lookout::config::{self, AlertmanagerConfig, NotifyChannel, PrometheusConfig, Severity};
use lookout::kinds::{CheckConfig, ValueLimits};

const EXAMPLE: &str = "config.example.toml";

fn env(name: &str) -> Option<String> {
    (name == "HOME").then(|| "/home/oncall".to_string())
}

#[test]
fn the_commented_out_server_keys_turn_the_api_on_when_uncommented() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let uncommented: String = text
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(key) if key.starts_with("listen = ") || key.starts_with("token = ") => key,
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let token = "0123456789abcdef0123456789abcdef";
    let env = |name: &str| match name {
        "LOOKOUT_TOKEN" => Some(token.to_string()),
        _ => env(name),
    };
    let config = match config::parse(&uncommented, Path::new(EXAMPLE), &env) {
        Ok(config) => config,
        Err(errors) => panic!("the example with [server] uncommented is invalid:\n{errors}"),
    };
    let server = config.server.expect("[server] listen is set");
    assert_eq!(server.listen, "127.0.0.1:9898".parse().expect("address"));
    assert_eq!(server.token.as_deref(), Some(token));
}

/// `text` with the `keys` lines of the comment block that starts at `# {header}`
/// uncommented (the block ends at the first line that is not a comment).
fn uncomment(text: &str, header: &str, keys: &[&str]) -> String {
    let mut inside = false;
    text.lines()
        .map(|line| {
            if line == format!("# {header}") {
                inside = true;
            } else if !line.starts_with('#') {
                inside = false;
            }
            match line.strip_prefix("# ") {
                Some(rest) if inside && keys.iter().any(|k| rest.starts_with(k)) => rest,
                _ => line,
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_commented_out_channels_parse_when_uncommented() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let keys = [
        "[[notify]]",
        "name = ",
        "type = ",
        "url = ",
        "headers = ",
        "min_severity = ",
        "timeout = ",
        "retries = ",
        "backoff = ",
        "command = ",
    ];
    let uncommented = uncomment(&text, "[[notify]]", &keys);
    let env = |name: &str| match name {
        "ONCALL_WEBHOOK_URL" => Some("https://oncall.example.com/hooks/lookout".to_string()),
        "ONCALL_TOKEN" => Some("s3cret".to_string()),
        "SLACK_WEBHOOK_URL" => Some("https://hooks.slack.com/services/T0/B0/x".to_string()),
        _ => env(name),
    };
    let config = match config::parse(&uncommented, Path::new(EXAMPLE), &env) {
        Ok(config) => config,
        Err(errors) => panic!("the example with [[notify]] uncommented is invalid:\n{errors}"),
    };
    let kinds: Vec<&str> = config.notify.iter().map(|n| n.channel.kind()).collect();
    assert_eq!(kinds, ["webhook", "slack", "command"]);
    let hook = &config.notify[0];
    assert_eq!((hook.min_severity, hook.retries), (Severity::High, 3));
    assert_eq!(config.notify[1].min_severity, Severity::Critical);
    let NotifyChannel::Command { argv } = &config.notify[2].channel else {
        panic!("the pager is a command");
    };
    assert_eq!(argv[0], "/usr/local/bin/page");
}

#[test]
fn the_commented_out_alertmanager_parses_when_uncommented() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let keys = [
        "[[alertmanager]]",
        "name = ",
        "url = ",
        "forward = ",
        "resend = ",
        "timeout = ",
        "poll = ",
        "silence_by = ",
    ];
    let uncommented = uncomment(&text, "[[alertmanager]]", &keys);
    let config = match config::parse(&uncommented, Path::new(EXAMPLE), &env) {
        Ok(config) => config,
        Err(errors) => {
            panic!("the example with [[alertmanager]] uncommented is invalid:\n{errors}")
        }
    };
    assert!(
        config.notify.is_empty(),
        "only the Alertmanager is turned on"
    );
    let url = reqwest::Url::parse("http://127.0.0.1:9093").expect("url");
    assert_eq!(
        config.alertmanagers,
        [AlertmanagerConfig {
            forward: true,
            silence_by: Some("oncall".to_string()),
            ..AlertmanagerConfig::new("team-am", url)
        }]
    );
}

#[test]
fn the_commented_out_prometheus_parses_when_uncommented() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let keys = [
        "[[prometheus]]",
        "[[prometheus.query]]",
        "name = ",
        "url = ",
        "interval = ",
        "timeout = ",
        "targets = ",
        "query = ",
        "warn = ",
        "crit = ",
        "below = ",
        "unit = ",
        "group = ",
        "severity = ",
    ];
    let uncommented = uncomment(&text, "[[prometheus]]", &keys);
    let config = match config::parse(&uncommented, Path::new(EXAMPLE), &env) {
        Ok(config) => config,
        Err(errors) => panic!("the example with [[prometheus]] uncommented is invalid:\n{errors}"),
    };
    let url = reqwest::Url::parse("http://127.0.0.1:9090").expect("url");
    assert_eq!(
        config.prometheus,
        [PrometheusConfig {
            targets: true,
            ..PrometheusConfig::new("metrics", url)
        }]
    );
    let queries: Vec<_> = config
        .services
        .iter()
        .filter_map(|service| match &service.check {
            CheckConfig::Query(query) => Some((service, query)),
            _ => None,
        })
        .collect();
    let [(errors, rate), (disk_service, disk)] = queries.as_slice() else {
        panic!("two queries: {queries:?}");
    };
    assert_eq!(errors.name, "error-rate");
    assert_eq!(errors.group.as_deref(), Some("metrics"));
    assert_eq!(
        rate.limits,
        ValueLimits {
            warn: Some(1.0),
            crit: Some(5.0),
            below: false
        }
    );
    assert_eq!(rate.unit.as_deref(), Some("req/s"));
    assert_eq!(disk_service.group.as_deref(), Some("storage"));
    assert_eq!(disk_service.severity, Severity::Critical);
    assert_eq!(
        disk.limits,
        ValueLimits {
            warn: Some(10e9),
            crit: Some(2e9),
            below: true
        }
    );
}
