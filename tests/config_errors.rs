//! Each invalid fixture gives the exact message a person reads: file:line:column, what is
//! wrong and what would be valid, the line and a caret under the bad part.

use std::path::{Path, PathBuf};

use lookout::config::{self, ConfigErrors};

fn fixture(name: &str) -> PathBuf {
    Path::new("tests/fixtures/config/invalid").join(format!("{name}.toml"))
}

fn errors(name: &str) -> ConfigErrors {
    match config::load(&fixture(name)) {
        Ok(config) => panic!("{name}.toml should be invalid, parsed as {config:?}"),
        Err(errors) => errors,
    }
}

/// One snapshot test per fixture, stored beside the fixtures.
macro_rules! fixtures {
    ($($name:ident),* $(,)?) => {$(
        #[test]
        fn $name() {
            let rendered = errors(stringify!($name)).to_string();
            insta::with_settings!({
                snapshot_path => "fixtures/config/snapshots",
                prepend_module_to_snapshot => false,
                omit_expression => true,
            }, {
                insta::assert_snapshot!(stringify!($name), rendered);
            });
        }
    )*};
}

fixtures!(
    unknown_key,
    unknown_section,
    misplaced_key,
    wrong_type,
    bad_duration,
    duration_out_of_range,
    timeout_longer_than_interval,
    history_shorter_than_interval,
    duplicate_name,
    url_and_tcp,
    no_target,
    missing_name,
    bad_url,
    unsupported_scheme,
    bad_tcp,
    http_key_on_tcp,
    unset_var,
    bad_header,
    bad_values,
    syntax_error,
    service_not_array,
    several_problems,
    bad_rotation,
    log_keep_out_of_range,
    unknown_log_key,
    listen_not_loopback,
    listen_hostname,
    short_token,
    token_without_listen,
    bad_system,
    system_interval_longer_than_history,
    bad_alerts,
    bad_alert_rule,
    bad_maintenance,
    bad_notify,
    bad_alertmanager,
    bad_prometheus,
    bad_tls,
    bad_http_options,
);

#[test]
fn every_fixture_has_a_test() {
    let dir = Path::new("tests/fixtures/config/invalid");
    let tested = include_str!("config_errors.rs");
    for entry in std::fs::read_dir(dir).expect("fixture dir") {
        let path = entry.expect("dir entry").path();
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        assert!(
            tested.contains(&format!("    {name},\n")),
            "{name}.toml is not tested"
        );
    }
}

#[test]
fn problems_are_also_given_as_data() {
    let errors = errors("several_problems");
    let places: Vec<(usize, usize)> = errors
        .problems()
        .iter()
        .map(|p| (p.line, p.column))
        .collect();
    assert_eq!(
        places,
        [
            (2, 1),
            (5, 12),
            (6, 12),
            (10, 7),
            (11, 11),
            (14, 8),
            (16, 1)
        ]
    );
    let first = &errors.problems()[0];
    assert_eq!(
        first.message,
        "unknown key `histroy` in [general]; did you mean `history`?"
    );
    assert_eq!(
        (first.snippet.as_str(), first.width),
        ("histroy = \"1h\"", 7)
    );
}

#[test]
fn secrets_never_reach_the_message() {
    let shown = errors("bad_header").to_string();
    assert!(!shown.contains("s3cret"), "{shown}");
    let shown = errors("unsupported_scheme").to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
    let shown = errors("short_token").to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
    let shown = errors("token_without_listen").to_string();
    assert!(!shown.contains("horse"), "{shown}");
    let shown = errors("bad_notify").to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
    let shown = errors("bad_alertmanager").to_string();
    assert!(!shown.contains("hunter2"), "{shown}");
}

#[test]
fn an_unreadable_file_quotes_the_path_and_the_reason() {
    let path = fixture("does_not_exist");
    let shown = errors("does_not_exist").to_string();
    assert_eq!(
        shown,
        format!(
            "cannot read config file {}: No such file or directory (os error 2)",
            path.display()
        )
    );
}
