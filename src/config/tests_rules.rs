//! Each validation rule, one table row per mistake, with the place and message it gives.

use std::path::Path;

use super::parse;
use super::tests_parse::env;

/// "line:column: message" for every problem in `text`.
fn problems(text: &str) -> Vec<String> {
    match parse(text, Path::new("x.toml"), &env) {
        Ok(config) => panic!("should be invalid, parsed as {config:?}"),
        Err(errors) => errors
            .problems()
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
    }
}

const URL: &str = "[[service]]\nname = \"a\"\nurl = \"http://127.0.0.1/\"\n";
const TCP: &str = "[[service]]\nname = \"a\"\ntcp = \"127.0.0.1:1\"\n";

#[test]
fn each_rule_reports_its_mistake() {
    let http = |extra: &str| format!("{URL}{extra}");
    let tcp = |extra: &str| format!("{TCP}{extra}");
    let cases: Vec<(String, &str)> = vec![
        (
            "top = 1".into(),
            "1:1: unknown key `top` at the top level; valid keys here are `general`, `defaults`, `service`, `log`, `server`, `system`, `alerts`, `notify`, `jobs`, `alertmanager`, `prometheus`, `keys`",
        ),
        (
            "[servce]".into(),
            "1:2: unknown key `servce` at the top level; did you mean `service`?",
        ),
        (
            "interval = \"5s\"".into(),
            "1:1: `interval` belongs in [defaults] (or a [[service]]), not at the top level",
        ),
        (
            "general = 1".into(),
            "1:11: `general` expects a table, written [general], found integer 1",
        ),
        (
            "[[defaults]]".into(),
            "1:1: `defaults` expects a table, written [defaults], found an array",
        ),
        (
            "service = \"x\"".into(),
            "1:11: `service` expects a list of tables, written [[service]], found string \"x\"",
        ),
        (
            "service = [1]".into(),
            "1:12: `service` expects a table with a `name` and a `url` or `tcp`, found integer 1",
        ),
        (
            "[defaults]\nhistory = \"1h\"".into(),
            "2:1: `history` belongs in [general], not in [defaults]",
        ),
        (
            "[general]\nhistory = \"0s\"".into(),
            "2:11: `history` 0s is too short: use more than 0s",
        ),
        (
            "[general]\nhistory = \"5s\"".into(),
            "2:11: `history` 5s is shorter than `interval` 10s (the default): the history must hold at least one check; make `history` at least 10s, or set a shorter `interval`",
        ),
        (
            "[general]\nmax_concurrent_checks = 0".into(),
            "2:25: `max_concurrent_checks` = 0 is out of range: use a number from 1 to 10000",
        ),
        (
            "[general]\nstate_dir = \"~/s\"".into(),
            "2:13: `state_dir` = \"~/s\" starts with `~`, which is not expanded here; write \"${HOME}/…\" instead",
        ),
        (
            "[defaults]\ninterval = \"99ms\"".into(),
            "2:12: `interval` 99ms is too short: use at least 100ms",
        ),
        (
            "[defaults]\ntimeout = \"20s\"".into(),
            "2:11: `timeout` 20s is longer than `interval` 10s (the default): a check must end before the next one starts; make `timeout` at most 10s",
        ),
        (
            "[defaults]\ndegraded_after = \"5s\"".into(),
            "2:18: `degraded_after` 5s is not shorter than `timeout` 5s (the default): a check slower than `timeout` fails, so it could never be DEGRADED; make `degraded_after` shorter than 5s",
        ),
        (
            "[defaults]\ntimeout = \"1s\"".into(),
            "2:11: `timeout` 1s is not longer than `degraded_after` 1s (the default): a check slower than `timeout` fails, so it could never be DEGRADED; make `timeout` longer than 1s, or set a shorter `degraded_after`",
        ),
        (
            "[defaults]\ninterval = \"2h\"".into(),
            "2:12: `interval` 2h is longer than `history` 1h (the default): the history must hold at least one check; make `interval` at most 1h",
        ),
        (
            "[defaults]\nfailure_threshold = 0".into(),
            "2:21: `failure_threshold` = 0 is out of range: use a number from 1 to 1000",
        ),
        (
            "[defaults]\nsuccess_threshold = 1.5".into(),
            "2:21: `success_threshold` expects an integer like 1, found float 1.5",
        ),
        (
            "[defaults]\nseverity = \"hihg\"".into(),
            "2:12: unknown severity \"hihg\"; did you mean `high`?",
        ),
        (
            "[defaults]\nreuse_connections = \"yes\"".into(),
            "2:21: `reuse_connections` expects true or false, found string \"yes\"",
        ),
        (
            "[defaults]\nmax_body = 0".into(),
            "2:12: `max_body` 0 bytes is out of range: use 1 byte to 1GiB (the body is held in memory while it is checked)",
        ),
        (
            "[defaults]\nmax_body = \"2GiB\"".into(),
            "2:12: `max_body` 2147483648 bytes is out of range: use 1 byte to 1GiB (the body is held in memory while it is checked)",
        ),
        (
            "[defaults]\nmax_body = true".into(),
            "2:12: `max_body` expects a number of bytes or a size like \"64KiB\" or \"1MiB\" (units B, KB, KiB, MB, MiB, GB, GiB), found boolean true",
        ),
        (
            "[defaults]\nmethod = \"GET\"".into(),
            "2:1: `method` belongs in each [[service]], not in [defaults]",
        ),
        (
            "[[service]]\nname = \"\"\ntcp = \"h:1\"".into(),
            "2:8: `name` is empty; give the service a name to show on screen",
        ),
        (
            "[[service]]\nname = 7\ntcp = \"h:1\"".into(),
            "2:8: `name` expects a string, found integer 7",
        ),
        (
            http("history = \"1h\""),
            "4:1: `history` belongs in [general], not in a [[service]]",
        ),
        (
            http("intervl = \"1s\""),
            "4:1: unknown key `intervl` in [[service]] \"a\"; did you mean `interval`?",
        ),
        (
            http("timeout = \"11s\""),
            "4:11: `timeout` 11s is longer than `interval` 10s (the default): a check must end before the next one starts; make `timeout` at most 10s",
        ),
        (
            http("interval = \"2h\""),
            "4:12: `interval` 2h is longer than `history` 1h (the default): the history must hold at least one check; make `interval` at most 1h",
        ),
        (
            http("group = 1"),
            "4:9: `group` expects a string, found integer 1",
        ),
        (
            http("method = \"GTE\""),
            "4:10: unknown HTTP method \"GTE\"; did you mean `GET`?",
        ),
        (
            http("expect_status = 200"),
            "4:17: `expect_status` expects a list of status codes like [200, 204], found integer 200",
        ),
        (
            http("expect_status = [600]"),
            "4:18: `expect_status` = 600 is out of range: use a number from 100 to 599",
        ),
        (
            http("expect_body = false"),
            "4:15: `expect_body` expects a string, found boolean false",
        ),
        (
            http("headers = \"Bearer x\""),
            "4:11: `headers` expects a table like { Authorization = \"Bearer ${TOKEN}\" }, found string",
        ),
        (
            http("headers = { A = 1 }"),
            "4:17: `headers.A` expects a string, found integer",
        ),
        (
            http("expect_json = 1"),
            "4:15: `expect_json` expects a table like { path = \"status\", equals = \"ok\" }, found integer 1",
        ),
        (
            http("expect_json = { equals = 1 }"),
            "4:15: `expect_json` needs `path`; write it like { path = \"status\", equals = \"ok\" }",
        ),
        (
            http("expect_json = { path = \"a\", equals = nan }"),
            "4:38: `expect_json.equals` = nan cannot be compared: JSON numbers are finite",
        ),
        (
            http("insecure = \"yes\""),
            "4:12: `insecure` expects true or false, found string \"yes\"",
        ),
        (
            http("max_redirects = 21"),
            "4:17: `max_redirects` = 21 is out of range: use a number from 0 to 20",
        ),
        (
            http("certificate_critical = \"20d\""),
            "4:24: `certificate_critical` (20days) must be shorter than `certificate_warn` (14days): a certificate is a warning first, critical closer to its expiry",
        ),
        (
            http("certificate_warn = \"0s\""),
            "4:20: `certificate_warn` must be more than 0s, like \"14d\"",
        ),
        (
            tcp("certificate_warn = \"14d\""),
            "4:1: `certificate_warn` only applies to HTTP checks, and this service checks `tcp`; remove it, or use `url` instead",
        ),
        (
            tcp("max_body = 1"),
            "4:1: `max_body` only applies to HTTP checks, and this service checks `tcp`; remove it, or use `url` instead",
        ),
        (
            "[[service]]\nname = \"a\"\nurl = \"http://\"".into(),
            "3:7: `url` = \"http://\" is not a valid URL (empty host); write it like \"http://127.0.0.1:8080/health\"",
        ),
        (
            "[[service]]\nname = \"a\"\nurl = \"http://${NOPE}/\"".into(),
            "3:15: environment variable `NOPE` is not set; set it, or write `$$` for a literal `$`",
        ),
        (
            "[[service]]\nname = \"a\"\nurl = 'http://x/${1}'".into(),
            "3:17: `${1}` is not a variable name: use letters, digits and `_`, not starting with a digit (write `$$` for a literal `$`)",
        ),
        (
            "[[service]]\nname = \"a\"\ntcp = \"h:1\"\nurl = \"http://h/\"".into(),
            "4:1: a service checks either `url` or `tcp`, not both; keep one",
        ),
        (
            "[[service]]\nname = \"a\"\ntcp = \"h:x\"".into(),
            "3:7: `tcp` = \"h:x\" is not host:port (port \"x\" is not a number from 1 to 65535); write it like \"localhost:5432\" or \"[::1]:5432\"",
        ),
        (
            "a = 1\na = 2".into(),
            "2:1: TOML syntax error: `a` is set twice in the same table; keep one",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(problems(&text), [want], "in:\n{text}");
    }
}

#[test]
fn a_rule_broken_in_defaults_is_reported_there_once() {
    let text = format!(
        "[defaults]\ntimeout = \"20s\"\n{URL}{}",
        TCP.replace("\"a\"", "\"b\"")
    );
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("2:11: `timeout` 20s is longer than `interval` 10s"));
}

#[test]
fn a_bad_value_is_reported_without_knock_on_problems() {
    let text = format!("[defaults]\ntimeout = \"soon\"\n{URL}interval = \"1s\"\n");
    let found = problems(&text);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("2:11: `timeout` = \"soon\" is not a duration"));
}

#[test]
fn every_problem_in_a_service_is_reported() {
    let text = "[[service]]\nurl = \"ftp://h/\"\nmethod = \"X\"\ntimeout = 1\nsevrity = \"low\"";
    let found = problems(text);
    assert_eq!(found.len(), 5, "{found:?}");
    assert!(found[0].starts_with("1:1: this [[service]] has no `name`"));
    assert!(
        found[4].starts_with("5:1: unknown key `sevrity` in [[service]]; did you mean `severity`?")
    );
}

#[test]
fn expanded_secrets_never_appear_in_messages() {
    let text = format!(
        "{URL}headers = {{ X = \"${{TOKEN}}\\u0001\" }}\n[[service]]\nname = \"b\"\n\
         url = \"ftp://u:${{TOKEN}}@h/\"\n"
    );
    let errors = parse(&text, Path::new("x.toml"), &env).expect_err("invalid");
    let shown = errors.to_string();
    assert_eq!(errors.problems().len(), 2, "{shown}");
    assert!(!shown.contains("s3cret"), "{shown}");
    assert!(
        shown.contains("`url` = \"ftp://***:***@h/\" has scheme"),
        "{shown}"
    );
}

#[test]
fn without_home_the_default_state_dir_is_a_problem_without_a_place() {
    let errors = parse("", Path::new("x.toml"), &|_| None).expect_err("no HOME");
    let problem = &errors.problems()[0];
    assert_eq!((problem.line, problem.column), (0, 0));
    assert_eq!(
        errors.to_string(),
        "x.toml: cannot choose a default `state_dir`: neither XDG_STATE_HOME nor HOME is set \
         to an absolute path; set `state_dir` in [general]\n\n1 problem in x.toml"
    );
}
