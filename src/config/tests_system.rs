//! `[system]`: its defaults, what valid values turn into, and the message each mistake
//! gives.

use std::path::Path;
use std::time::Duration;

use super::{Config, SystemConfig, SystemThresholds, Threshold, parse};

fn parsed(text: &str) -> Config {
    match parse(text, Path::new("lookout.toml"), &super::tests_parse::env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

/// "line:column: message" for every problem in `text`.
fn problems(text: &str) -> Vec<String> {
    match parse(text, Path::new("x.toml"), &super::tests_parse::env) {
        Ok(config) => panic!("should be invalid:\n{text}\nparsed as {:?}", config.system),
        Err(errors) => errors
            .problems()
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
    }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn without_the_section_the_machine_is_sampled_every_2s_with_the_builtin_thresholds() {
    let config = parsed("");
    assert_eq!(config.system, SystemConfig::default());
    let system = config.system;
    assert!(system.enabled && !system.processes);
    assert_eq!((system.interval, system.log_every), (secs(2), secs(60)));
    let t = system.thresholds;
    let rule = |above, clear_below, s| {
        Some(Threshold {
            above,
            clear_below,
            hold: secs(s),
        })
    };
    assert_eq!(t.cpu, rule(90.0, 85.0, 120));
    assert_eq!(t.memory, rule(90.0, 85.0, 60));
    assert_eq!(t.swap, rule(80.0, 75.0, 300));
    assert_eq!(t.disk, rule(90.0, 85.0, 60));
    assert_eq!(t.inodes, rule(90.0, 85.0, 60));
    assert_eq!(t.load, rule(2.0, 1.8, 300));
    assert_eq!(parsed("[system]\n").system, SystemConfig::default());
}

#[test]
fn every_key_is_read() {
    let text = r#"
[system]
enabled = false
interval = "1s"
processes = true
log_every = "5m"
cpu = { above = 95, for = "30s", clear_below = 70 }
memory = { above = "85%" }
swap = false
disk = { for = "0s", clear_below = "88%" }
inodes = { above = 97.5, for = "10m" }
load = { above = 1.5, clear_below = 1.5 }
"#;
    let system = parsed(text).system;
    assert!(!system.enabled && system.processes);
    assert_eq!((system.interval, system.log_every), (secs(1), secs(300)));
    let rule = |above, clear_below, hold| {
        Some(Threshold {
            above,
            clear_below,
            hold,
        })
    };
    assert_eq!(
        system.thresholds,
        SystemThresholds {
            cpu: rule(95.0, 70.0, secs(30)),
            // A new `above` moves the default clear line with it.
            memory: rule(85.0, 80.0, secs(60)),
            swap: None,
            disk: rule(90.0, 88.0, Duration::ZERO),
            inodes: rule(97.5, 92.5, secs(600)),
            load: rule(1.5, 1.5, secs(300)),
        }
    );
}

#[test]
fn mistakes_are_all_reported_with_what_is_valid() {
    let text = r#"
[system]
enabled = "yes"
interval = "100ms"
cpu = 90
memory = { above = 100 }
swap = { abve = 50 }
disk = { above = "lots", for = "soon", clear_below = 95 }
load = { above = "2" }
intervall = "1s"
inodes = { above = 80, clear_below = 85 }
"#;
    assert_eq!(
        problems(text),
        [
            "3:11: `enabled` expects true or false, found string \"yes\"",
            "4:12: `interval` 100ms is too short: use at least 500ms",
            "5:7: `cpu` expects a table like { above = 90, for = \"2m\" }, or false to turn \
             it off, found integer 90",
            "6:20: `memory.above` = 100 is out of range: use a percentage above 0 and below 100",
            "7:10: unknown key `abve` in `swap` of [system]; did you mean `above`?",
            "8:18: `disk.above` expects a percentage like 90 or \"90%\", found string \"lots\"",
            "8:32: `disk.for` = \"soon\" is not a duration (expected a number followed by a \
             unit); write it like \"500ms\", \"10s\", \"5m\" or \"1h\"",
            "9:18: `load.above` expects a load per core like 2 or 1.5, found string \"2\"",
            "10:1: unknown key `intervall` in [system]; did you mean `interval`?",
            "11:38: `inodes.clear_below` = 85 is above `inodes.above` = 80: a reading must \
             fall back below the threshold to clear it; use at most 80 (the default is 75)",
        ]
    );
}

#[test]
fn the_interval_must_fit_in_the_history_and_keys_find_their_section() {
    let text = "[general]\nhistory = \"1m\"\n[system]\ninterval = \"2m\"\n";
    assert_eq!(
        problems(text),
        [
            "4:12: `interval` 2m is longer than `history` 1m (from [general]): the history \
             must hold at least one sample; make `interval` at most 1m"
        ]
    );
    assert_eq!(
        problems("[general]\nprocesses = true\n"),
        ["2:1: `processes` belongs in [system], not in [general]"]
    );
    assert_eq!(
        problems("[system]\ntimeout = \"1s\"\n"),
        ["2:1: `timeout` belongs in [defaults] (or a [[service]]), not in [system]"]
    );
}
