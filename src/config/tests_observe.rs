//! `[general] watch`, `[log]` and `[server]`: their defaults, what valid values turn
//! into, and the message each mistake gives.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use super::{Config, DEFAULT_LOG_KEEP, LogConfig, Rotation, ServerConfig, parse};

/// A token long enough to be accepted.
const TOKEN: &str = "0123456789abcdef";

fn env(name: &str) -> Option<String> {
    match name {
        "API_TOKEN" => Some("from-the-environment-42".to_string()),
        "SHORT" => Some("tiny".to_string()),
        "ANY_ADDR" => Some("0.0.0.0:9898".to_string()),
        _ => super::tests_parse::env(name),
    }
}

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("/etc/lookout/lookout.toml"), &env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

/// "line:column: message" for every problem in `text`.
fn problems(text: &str) -> Vec<String> {
    match parse(text, Path::new("x.toml"), &env) {
        Ok(config) => panic!("should be invalid:\n{text}\nparsed as {config:?}"),
        Err(errors) => errors
            .problems()
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
    }
}

fn api(text: &str) -> ServerConfig {
    let config = parsed(text);
    config.server.expect("the API is on")
}

fn addr(text: &str) -> SocketAddr {
    text.parse().expect("a socket address")
}

#[test]
fn without_the_sections_watch_is_off_logs_go_under_state_dir_and_the_api_is_off() {
    let config = parsed("");
    assert!(!config.general.watch);
    let state_dir = PathBuf::from("/home/u/.local/state/lookout");
    assert_eq!(config.log, LogConfig::defaults(&state_dir));
    assert_eq!(
        config.log,
        LogConfig {
            dir: state_dir.join("logs"),
            rotation: Rotation::Daily,
            keep: DEFAULT_LOG_KEEP,
            stdout: false,
        }
    );
    assert_eq!(DEFAULT_LOG_KEEP, 7);
    assert_eq!(config.server, None);

    let empty = parsed("[general]\n[log]\n[server]\n");
    assert_eq!((empty.general.watch, &empty.server), (false, &None));
    assert_eq!(empty.log, config.log);
}

#[test]
fn watch_is_read() {
    assert!(parsed("[general]\nwatch = true").general.watch);
    assert!(!parsed("[general]\nwatch = false").general.watch);
}

#[test]
fn the_default_log_dir_follows_the_final_state_dir() {
    let config = parsed("[general]\nstate_dir = \"state\"");
    assert_eq!(config.log.dir, PathBuf::from("/etc/lookout/state/logs"));
    let config = parsed("[general]\nstate_dir = \"/srv/lookout\"");
    assert_eq!(config.log.dir, PathBuf::from("/srv/lookout/logs"));
}

#[test]
fn log_keys_are_read_and_a_relative_dir_follows_the_config_file() {
    let config =
        parsed("[log]\ndir = \"logs/lookout\"\nrotation = \"hourly\"\nkeep = 30\nstdout = true\n");
    assert_eq!(
        config.log,
        LogConfig {
            dir: PathBuf::from("/etc/lookout/logs/lookout"),
            rotation: Rotation::Hourly,
            keep: 30,
            stdout: true,
        }
    );
    let dir = |text: &str| parsed(&format!("[log]\ndir = {text:?}")).log.dir;
    assert_eq!(dir("/var/log/lookout"), PathBuf::from("/var/log/lookout"));
    assert_eq!(dir("${HOME}/logs"), PathBuf::from("/home/u/logs"));
    assert_eq!(dir("../logs"), PathBuf::from("/etc/lookout/../logs"));
    let rotation = |word: &str| parsed(&format!("[log]\nrotation = {word:?}")).log.rotation;
    assert_eq!(rotation("daily"), Rotation::Daily);
    assert_eq!(rotation("hourly"), Rotation::Hourly);
    let keep = |n: u32| parsed(&format!("[log]\nkeep = {n}")).log.keep;
    assert_eq!((keep(1), keep(1000)), (1, 1000));
    assert!(!parsed("[log]\nstdout = false").log.stdout);
}

#[test]
fn listen_takes_ipv4_and_ipv6_addresses_and_port_0() {
    let cases = [
        ("127.0.0.1:9898", "127.0.0.1:9898"),
        ("[::1]:9898", "[::1]:9898"),
        ("127.0.0.1:0", "127.0.0.1:0"),
        ("[::1]:0", "[::1]:0"),
        ("127.8.9.10:65535", "127.8.9.10:65535"),
    ];
    for (written, want) in cases {
        let server = api(&format!("[server]\nlisten = {written:?}"));
        assert_eq!(server.listen, addr(want), "{written}");
        assert_eq!(server.token, None, "{written}");
    }
}

#[test]
fn a_token_is_read_and_allows_a_non_loopback_address() {
    let server = api(&format!(
        "[server]\nlisten = \"0.0.0.0:9898\"\ntoken = \"{TOKEN}\""
    ));
    assert_eq!(server.listen, addr("0.0.0.0:9898"));
    assert_eq!(server.token.as_deref(), Some(TOKEN));
    assert!(!format!("{server:?}").contains(TOKEN));

    let cases = ["10.1.2.3:9898", "[::]:0", "[2001:db8::1]:443"];
    for written in cases {
        let text = format!("[server]\nlisten = {written:?}\ntoken = \"{TOKEN}\"");
        assert_eq!(api(&text).listen, addr(written), "{written}");
    }

    let server = api("[server]\nlisten = \"${ANY_ADDR}\"\ntoken = \"${API_TOKEN}\"");
    assert_eq!(server.listen, addr("0.0.0.0:9898"));
    assert_eq!(server.token.as_deref(), Some("from-the-environment-42"));

    let server = api(&format!(
        "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"{TOKEN}\""
    ));
    assert_eq!(server.token.as_deref(), Some(TOKEN));
}

#[test]
fn each_rule_reports_its_mistake() {
    let cases: Vec<(String, &str)> = vec![
        (
            "[general]\nwatch = \"yes\"".into(),
            "2:9: `watch` expects true or false, found string \"yes\"",
        ),
        (
            "log = 1".into(),
            "1:7: `log` expects a table, written [log], found integer 1",
        ),
        (
            "[[server]]".into(),
            "1:1: `server` expects a table, written [server], found an array",
        ),
        (
            "[log]\nrotaton = \"daily\"".into(),
            "2:1: unknown key `rotaton` in [log]; did you mean `rotation`?",
        ),
        (
            "[log]\npath = \"x\"".into(),
            "2:1: unknown key `path` in [log]; valid keys here are `dir`, `rotation`, `keep`, `stdout`",
        ),
        (
            "[log]\nwatch = true".into(),
            "2:1: `watch` belongs in [general], not in [log]",
        ),
        (
            "[general]\nkeep = 3".into(),
            "2:1: `keep` belongs in [log], not in [general]",
        ),
        (
            "listen = \"127.0.0.1:1\"".into(),
            "1:1: `listen` belongs in [server], not at the top level",
        ),
        (
            "[server]\nlistn = \"127.0.0.1:1\"".into(),
            "2:1: unknown key `listn` in [server]; did you mean `listen`?",
        ),
        (
            "[log]\ndir = \"~/logs\"".into(),
            "2:7: `dir` = \"~/logs\" starts with `~`, which is not expanded here; write \"${HOME}/…\" instead",
        ),
        (
            "[log]\ndir = 5".into(),
            "2:7: `dir` expects a string, found integer 5",
        ),
        (
            "[log]\nrotation = \"dayly\"".into(),
            "2:12: unknown rotation \"dayly\"; did you mean `daily`? (valid rotations are `daily`, `hourly`)",
        ),
        (
            "[log]\nrotation = \"Hourly\"".into(),
            "2:12: unknown rotation \"Hourly\"; did you mean `hourly`? (valid rotations are `daily`, `hourly`)",
        ),
        (
            "[log]\nrotation = \"weekly\"".into(),
            "2:12: unknown rotation \"weekly\"; valid rotations are `daily`, `hourly`",
        ),
        (
            "[log]\nrotation = 24".into(),
            "2:12: `rotation` expects a string, found integer 24",
        ),
        (
            "[log]\nkeep = 0".into(),
            "2:8: `keep` = 0 is out of range: use a number from 1 to 1000",
        ),
        (
            "[log]\nkeep = 1001".into(),
            "2:8: `keep` = 1001 is out of range: use a number from 1 to 1000",
        ),
        (
            "[log]\nkeep = \"7\"".into(),
            "2:8: `keep` expects an integer like 1, found string \"7\"",
        ),
        (
            "[log]\nstdout = 1".into(),
            "2:10: `stdout` expects true or false, found integer 1",
        ),
        (
            "[server]\nlisten = 9898".into(),
            "2:10: `listen` expects an address and port like \"127.0.0.1:9898\" or \"[::1]:9898\", found integer 9898",
        ),
        (
            "[server]\nlisten = \"localhost:9898\"".into(),
            "2:10: `listen` = \"localhost:9898\" names the host \"localhost\", which is not looked up here; write an IP address, like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"[localhost]:9898\"".into(),
            "2:10: `listen` = \"[localhost]:9898\" names the host \"localhost\", which is not looked up here; write an IP address, like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"127.0.0.1\"".into(),
            "2:10: `listen` = \"127.0.0.1\" is not an IP address and port (the port is missing); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"[::1]\"".into(),
            "2:10: `listen` = \"[::1]\" is not an IP address and port (the port is missing); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"9898\"".into(),
            "2:10: `listen` = \"9898\" is not an IP address and port (the address is missing); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \":9898\"".into(),
            "2:10: `listen` = \":9898\" is not an IP address and port (the address is missing); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"::1:9898\"".into(),
            "2:10: `listen` = \"::1:9898\" is not an IP address and port (an IPv6 address needs brackets, then the port); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"fe80::1%eth0:9898\"".into(),
            "2:10: `listen` = \"fe80::1%eth0:9898\" is not an IP address and port (an IPv6 address needs brackets); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:99999\"".into(),
            "2:10: `listen` = \"127.0.0.1:99999\" is not an IP address and port (port \"99999\" is not a number from 0 to 65535); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"1.2.3:80\"".into(),
            "2:10: `listen` = \"1.2.3:80\" is not an IP address and port (\"1.2.3\" is not an IP address); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"http://127.0.0.1:9898\"".into(),
            "2:10: `listen` = \"http://127.0.0.1:9898\" is not an IP address and port (it takes no scheme); write it like \"127.0.0.1:9898\" or \"[::1]:9898\"",
        ),
        (
            "[server]\nlisten = \"0.0.0.0:9898\"".into(),
            "2:10: `listen` = \"0.0.0.0:9898\" is not a loopback address, so others can reach the API: set `token` so API writes are authenticated, or listen on 127.0.0.1",
        ),
        (
            "[server]\nlisten = \"10.1.2.3:9898\"".into(),
            "2:10: `listen` = \"10.1.2.3:9898\" is not a loopback address, so others can reach the API: set `token` so API writes are authenticated, or listen on 127.0.0.1",
        ),
        (
            "[server]\nlisten = \"[::]:0\"".into(),
            "2:10: `listen` = \"[::]:0\" is not a loopback address, so others can reach the API: set `token` so API writes are authenticated, or listen on 127.0.0.1",
        ),
        (
            "[server]\nlisten = \"${ANY_ADDR}\"".into(),
            "2:10: `listen` = \"${ANY_ADDR}\" (which is \"0.0.0.0:9898\") is not a loopback address, so others can reach the API: set `token` so API writes are authenticated, or listen on 127.0.0.1",
        ),
        (
            format!("[server]\ntoken = \"{TOKEN}\""),
            "2:1: `token` has no effect without `listen`; set `listen` (like \"127.0.0.1:9898\" or \"[::1]:9898\") to turn the API on, or remove `token`",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"short\"".into(),
            "3:9: `token` is shorter than 16 characters, and a short token is easy to guess; use a long random one, like the output of `openssl rand -hex 32`",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"${SHORT}\"".into(),
            "3:9: `token` is shorter than 16 characters, and a short token is easy to guess; use a long random one, like the output of `openssl rand -hex 32`",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"0123456789 abcdef\"".into(),
            "3:9: `token` holds whitespace; it is sent as one word in `Authorization: Bearer …`, so leave spaces and line breaks out",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"0123456789abcdefé\"".into(),
            "3:9: `token` holds a character other than visible ASCII; it is sent in an `Authorization: Bearer …` header, so use letters, digits and punctuation",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = 1234567890123456".into(),
            "3:9: `token` expects a string, found integer",
        ),
        (
            "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"${NOPE}\"".into(),
            "3:10: environment variable `NOPE` is not set; set it, or write `$$` for a literal `$`",
        ),
        (
            // A token that is written but wrong is reported once: the address is not
            // blamed for lacking one.
            "[server]\nlisten = \"0.0.0.0:1\"\ntoken = \"short\"".into(),
            "3:9: `token` is shorter than 16 characters, and a short token is easy to guess; use a long random one, like the output of `openssl rand -hex 32`",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(problems(&text), [want], "in:\n{text}");
    }
}

#[test]
fn every_problem_in_log_and_server_is_reported_at_once() {
    let text = "[log]\nrotation = \"weekly\"\nkeep = 0\nstdout = \"no\"\n\
                [server]\ntoken = \"short\"\n";
    let found = problems(text);
    let places: Vec<&str> = found
        .iter()
        .map(|p| p.split(": ").next().unwrap_or(""))
        .collect();
    assert_eq!(places, ["2:12", "3:8", "4:10", "6:1", "6:9"], "{found:?}");
}

#[test]
fn the_token_never_appears_in_messages() {
    let cases = [
        "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"hunter2\"",
        "[server]\ntoken = \"hunter2hunter2hunter2\"",
        "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"hunter2 hunter2 hunter2\"",
        "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"${SHORT}\"",
        "[server]\nlisten = \"localhost:1\"\ntoken = \"${API_TOKEN}\"\n",
    ];
    for text in cases {
        let errors = parse(text, Path::new("x.toml"), &env).expect_err("invalid");
        let shown = errors.to_string();
        assert!(!shown.contains("hunter2h"), "{shown}");
        assert!(!shown.contains("hunter2\""), "{shown}");
        assert!(!shown.contains("tiny"), "{shown}");
        assert!(!shown.contains("from-the-environment"), "{shown}");
    }
    let errors = parse(
        "[server]\nlisten = \"127.0.0.1:1\"\ntoken = \"hunter2\"",
        Path::new("x.toml"),
        &env,
    )
    .expect_err("short");
    assert_eq!(errors.problems()[0].snippet, "token = *********");
}
