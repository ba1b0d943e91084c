//! What valid configs turn into: defaults, overrides, expansion, conversions.

use std::path::{Path, PathBuf};
use std::time::Duration;

use super::{Config, Severity, parse};
use crate::kinds::{CheckConfig, HttpCheck};

pub(super) fn env(name: &str) -> Option<String> {
    match name {
        "HOME" => Some("/home/u".to_string()),
        "TOKEN" => Some("s3cret".to_string()),
        "API_HOST" => Some("127.0.0.1:9000".to_string()),
        _ => None,
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("/etc/lookout/lookout.toml"), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{errors}"),
    }
}

fn http(config: &Config, index: usize) -> &HttpCheck {
    match &config.services[index].check {
        CheckConfig::Http(http) => http,
        other => panic!("service {index} is not HTTP: {other:?}"),
    }
}

#[test]
fn an_empty_file_is_valid_with_no_services() {
    let config = parsed("");
    assert!(config.services.is_empty());
    assert_eq!(config.source, PathBuf::from("/etc/lookout/lookout.toml"));
    assert_eq!(
        config.general.state_dir,
        PathBuf::from("/home/u/.local/state/lookout")
    );
    assert_eq!(config.general.history, Duration::from_secs(3600));
    assert_eq!(config.general.max_concurrent_checks, 256);
}

#[test]
fn state_dir_follows_xdg_then_home_and_relative_paths_follow_the_file() {
    let xdg = |name: &str| (name == "XDG_STATE_HOME").then(|| "/var/state".to_string());
    let config = parse("", Path::new("x.toml"), &xdg).expect("valid");
    assert_eq!(
        config.general.state_dir,
        PathBuf::from("/var/state/lookout")
    );

    let relative_xdg = |name: &str| match name {
        "XDG_STATE_HOME" => Some("relative".to_string()),
        _ => env(name),
    };
    let config = parse("", Path::new("x.toml"), &relative_xdg).expect("valid");
    assert_eq!(
        config.general.state_dir,
        PathBuf::from("/home/u/.local/state/lookout")
    );

    let config = parsed("[general]\nstate_dir = \"state\"");
    assert_eq!(
        config.general.state_dir,
        PathBuf::from("/etc/lookout/state")
    );
    let config = parsed("[general]\nstate_dir = \"${HOME}/st\"");
    assert_eq!(config.general.state_dir, PathBuf::from("/home/u/st"));
}

#[test]
fn defaults_apply_to_services_that_do_not_override_them() {
    let config = parsed(
        r#"
        [defaults]
        interval = "30s"
        timeout = "3s"
        severity = "high"
        failure_threshold = 4
        max_body = "1MiB"
        use_env_proxy = true

        [[service]]
        name = "a"
        url = "http://127.0.0.1/"

        [[service]]
        name = "b"
        url = "https://localhost/"
        interval = "1m"
        severity = "low"
        max_body = 100
        use_env_proxy = false
        success_threshold = 3
        insecure = true
        "#,
    );
    let (a, b) = (&config.services[0], &config.services[1]);
    assert_eq!(
        (a.interval, a.timeout),
        (Duration::from_secs(30), Duration::from_secs(3))
    );
    assert_eq!(
        (a.severity, a.failure_threshold, a.success_threshold),
        (Severity::High, 4, 1)
    );
    assert_eq!(a.degraded_after, Duration::from_secs(1));
    assert_eq!(
        (
            http(&config, 0).max_body_bytes,
            http(&config, 0).use_env_proxy
        ),
        (1 << 20, true)
    );
    assert_eq!(
        (b.interval, b.timeout),
        (Duration::from_secs(60), Duration::from_secs(3))
    );
    assert_eq!(
        (b.severity, b.failure_threshold, b.success_threshold),
        (Severity::Low, 4, 3)
    );
    assert_eq!(
        (
            http(&config, 1).max_body_bytes,
            http(&config, 1).use_env_proxy
        ),
        (100, false)
    );
    assert_eq!(http(&config, 1).max_redirects, 5);
    assert!(!http(&config, 1).reuse_connections);
    assert!(!http(&config, 0).insecure && http(&config, 1).insecure);
}

#[test]
fn strings_take_variables_from_the_environment() {
    let config = parsed(
        r#"
        [[service]]
        name = "cost $$5"
        url = "http://${API_HOST}/health"
        headers = { Authorization = "Bearer ${TOKEN}", X-Literal = "$${TOKEN}" }
        "#,
    );
    assert_eq!(config.services[0].name, "cost $5");
    let http = http(&config, 0);
    assert_eq!(http.url.as_str(), "http://127.0.0.1:9000/health");
    assert!(
        http.headers
            .contains(&("Authorization".into(), "Bearer s3cret".into()))
    );
    assert!(
        http.headers
            .contains(&("X-Literal".into(), "${TOKEN}".into()))
    );
}

#[test]
fn http_keys_are_read_and_converted() {
    let config = parsed(
        r#"
        [[service]]
        name = "a"
        url = "http://127.0.0.1/"
        method = "post"
        expect_status = []
        expect_json = { path = "a.0", equals = { n = 1, f = 1.5, ok = true, l = ["x", 1979-05-27] } }
        "#,
    );
    let http = http(&config, 0);
    assert_eq!(http.method, reqwest::Method::POST);
    assert!(http.expect_status.is_empty());
    let json = http.expect_json.as_ref().expect("expect_json");
    let want = serde_json::json!({ "n": 1, "f": 1.5, "ok": true, "l": ["x", "1979-05-27"] });
    assert_eq!((json.path.as_str(), &json.equals), ("a.0", &want));
}

#[test]
fn tcp_targets_keep_ipv6_hosts_without_brackets() {
    let config = parsed("[[service]]\nname = \"v6\"\ntcp = \"[::1]:80\"\ngroup = \"g\"");
    let service = &config.services[0];
    let CheckConfig::Tcp(tcp) = &service.check else {
        panic!("tcp service: {:?}", service.check);
    };
    assert_eq!((tcp.host.as_str(), tcp.port), ("::1", 80));
    assert_eq!(service.check.display_target(), "tcp://[::1]:80");
    assert_eq!(service.group.as_deref(), Some("g"));
}
