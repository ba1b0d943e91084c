//! The shipped config.example.toml parses, means what its comments say, and shows every key
//! (its commented-out sections: config_example_commented.rs).

use std::path::{Path, PathBuf};
use std::time::Duration;

use lookout::config::{
    self, AlertsConfig, JobsConfig, JobsDatabase, LogConfig, Metric, Op, Rotation, RuleThreshold,
    Schedule, Severity, SystemConfig,
};
use lookout::kinds::CheckConfig;

const EXAMPLE: &str = "config.example.toml";

fn env(name: &str) -> Option<String> {
    (name == "HOME").then(|| "/home/oncall".to_string())
}

#[test]
fn the_example_parses_to_what_its_comments_say() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let config = match config::parse(&text, Path::new(EXAMPLE), &env) {
        Ok(config) => config,
        Err(errors) => panic!("config.example.toml is invalid:\n{errors}"),
    };
    assert_eq!(config.source, PathBuf::from(EXAMPLE));
    assert_eq!(
        config.general.state_dir,
        PathBuf::from("/home/oncall/.local/state/lookout")
    );
    assert_eq!(config.general.history, Duration::from_secs(3600));
    assert_eq!(config.general.max_concurrent_checks, 256);
    assert!(!config.general.watch);
    assert_eq!(
        config.log,
        LogConfig {
            dir: PathBuf::from("/home/oncall/.local/state/lookout/logs"),
            rotation: Rotation::Daily,
            keep: 7,
            stdout: false,
        }
    );
    // Running the example must not open a port: the API is documented, not turned on.
    assert_eq!(config.server, None);
    // The [system] section spells out the defaults.
    assert_eq!(config.system, SystemConfig::default());
    // [keys] lists every action with its default keys, in the default order.
    assert_eq!(config.keys, lookout::keymap::KeyMap::default());
    assert_eq!(config.system.interval, Duration::from_secs(2));

    let names: Vec<&str> = config.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["api", "admin", "postgres", "mail"]);

    let api = &config.services[0];
    assert_eq!(api.group.as_deref(), Some("web"));
    assert_eq!(api.severity, Severity::Critical);
    assert_eq!(
        (api.interval, api.timeout, api.degraded_after),
        (
            Duration::from_secs(5),
            Duration::from_secs(2),
            Duration::from_millis(500)
        )
    );
    let CheckConfig::Http(http) = &api.check else {
        panic!("api is an HTTP service: {:?}", api.check);
    };
    assert_eq!(http.url.as_str(), "http://127.0.0.1:8080/health");
    assert_eq!(http.method, reqwest::Method::GET);
    assert_eq!(http.expect_status, [200, 204]);
    assert_eq!(http.expect_body.as_deref(), Some("ok"));
    let json = http.expect_json.as_ref().expect("api has expect_json");
    assert_eq!(json.path, "checks.0.status");
    assert_eq!(json.equals, serde_json::json!("pass"));
    assert_eq!(http.max_body_bytes, 64 * 1024);
    assert_eq!(http.max_redirects, 5);
    assert!(!http.reuse_connections && !http.use_env_proxy);

    let admin = &config.services[1];
    let CheckConfig::Http(http) = &admin.check else {
        panic!("admin is an HTTP service: {:?}", admin.check);
    };
    assert_eq!(admin.interval, Duration::from_secs(10));
    assert_eq!(admin.severity, Severity::Medium);
    assert_eq!(http.url.host_str(), Some("localhost"));
    let headers: Vec<(&str, &str)> = http
        .headers
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert!(
        headers.contains(&("Accept", "application/json")),
        "{headers:?}"
    );
    assert!(headers.contains(&("X-Lookout", "probe")), "{headers:?}");
    assert_eq!(http.max_body_bytes, 1 << 20);
    assert_eq!(http.max_redirects, 0);
    assert!(http.reuse_connections);

    let postgres = &config.services[2];
    assert_eq!(postgres.check.display_target(), "tcp://127.0.0.1:5432");
    assert_eq!(postgres.severity, Severity::High);
    assert_eq!(
        (postgres.failure_threshold, postgres.success_threshold),
        (3, 2)
    );
    assert_eq!(postgres.timeout, Duration::from_secs(5));

    let mail = &config.services[3];
    assert_eq!(mail.check.display_target(), "smtp://127.0.0.1:587");
    let CheckConfig::Tls(tls) = &mail.check else {
        panic!("mail is a tls check: {:?}", mail.check)
    };
    assert_eq!(tls.starttls, Some(lookout::kinds::StartTls::Smtp));
    assert_eq!(tls.server_name.as_deref(), Some("mail.example.com"));
    assert_eq!(tls.ca_file, None, "shown commented out: no file to read");
    assert_eq!(
        tls.certificate,
        lookout::kinds::CertificateLimits::default()
    );

    // [alerts] spells out the defaults, then adds rules and maintenance windows.
    let alerts = &config.alerts;
    let defaults = AlertsConfig::default();
    assert_eq!(
        AlertsConfig {
            rules: Vec::new(),
            maintenance: Vec::new(),
            ..alerts.clone()
        },
        defaults
    );
    let names: Vec<&str> = alerts.rules.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["slow-api", "slow-api", "disk-almost-full"]);
    let slow = &alerts.rules[0];
    assert_eq!((slow.metric, slow.op), (Metric::LatencyP95, Op::Gt));
    assert_eq!(slow.threshold, RuleThreshold::Number(800.0));
    assert_eq!(
        (slow.hold, slow.severity),
        (Duration::from_secs(300), Severity::High)
    );
    assert_eq!(alerts.rules[1].severity, Severity::Critical);
    assert_eq!(alerts.rules[2].threshold, RuleThreshold::Number(97.0));
    let windows: Vec<&str> = alerts.maintenance.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(windows, ["postgres-upgrade", "weekly-vacuum"]);
    assert!(matches!(
        alerts.maintenance[0].schedule,
        Schedule::Once { .. }
    ));
    assert!(matches!(
        alerts.maintenance[1].schedule,
        Schedule::Weekly { .. }
    ));
    // Running the example notifies nobody: the channels and the Alertmanager are
    // documented, not turned on.
    assert!(config.notify.is_empty());
    assert!(config.alertmanagers.is_empty());

    // [jobs] spells out the defaults (and a retry limit) with the monitor off, on a
    // SQLite file beside the config that nothing opens.
    let beside = JobsDatabase::Sqlite {
        path: PathBuf::from("queue.db"),
    };
    let jobs = config.jobs.expect("config.example.toml has [jobs]");
    assert_eq!(
        jobs,
        JobsConfig {
            max_attempts: Some(3),
            ..JobsConfig::new(beside, "jobs")
        }
    );
    assert!(!jobs.enabled);
}

/// True when `text` sets `key` or shows it commented out, on a line of its own or
/// inside an inline table (`cpu = { above = 90, for = "2m" }`).
fn shows(text: &str, key: &str) -> bool {
    let set = format!("{key} = ");
    text.lines().any(|line| {
        let line = line.strip_prefix("# ").unwrap_or(line);
        line.starts_with(&set)
            || line.contains(&format!("{{ {set}"))
            || line.contains(&format!(", {set}"))
    })
}

#[test]
fn the_example_shows_every_key() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    // Every key lookout reads, from the same definitions the config is checked with.
    let keys = config::keys::every_key();
    let missing: Vec<&str> = (keys.iter().chain(&lookout::keymap::ACTION_NAMES))
        .copied()
        .filter(|key| !shows(&text, key))
        .collect();
    assert!(
        missing.is_empty(),
        "config.example.toml does not show {missing:?}"
    );
    // Shown commented out, so that running the example opens no port and sends nothing.
    let commented = [
        "listen",
        "token",
        "type",
        "url",
        "headers",
        "command",
        "min_severity",
        "timeout",
        "retries",
        "backoff",
        "forward",
        "resend",
        "poll",
        "silence_by",
    ];
    for key in commented {
        let shown = text
            .lines()
            .any(|line| line.starts_with(&format!("# {key} = ")));
        assert!(shown, "config.example.toml does not show `# {key} = …`");
    }
    for section in [
        "[general]",
        "[log]",
        "[server]",
        "[system]",
        "[defaults]",
        "[[service]]",
        "[alerts]",
        "[[alerts.rule]]",
        "[[alerts.maintenance]]",
        "# [[notify]]",
        "# [[alertmanager]]",
        "[jobs]",
        "[jobs.columns]",
        "[jobs.states]",
        "[keys]",
    ] {
        assert!(text.lines().any(|line| line == section), "no {section}");
    }
}

#[test]
fn the_example_targets_only_this_machine() {
    let text = std::fs::read_to_string(EXAMPLE).expect("config.example.toml at the root");
    let config = config::parse(&text, Path::new(EXAMPLE), &env).expect("valid");
    for service in &config.services {
        let target = service.check.display_target();
        assert!(
            target.contains("127.0.0.1") || target.contains("localhost"),
            "{} points at {target}",
            service.name
        );
    }
}
