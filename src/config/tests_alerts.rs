//! `[alerts]` and `[[alerts.rule]]`: defaults, what valid values turn into, and the
//! message each mistake gives (`[[alerts.maintenance]]` in `tests_maintenance.rs`).

use std::path::Path;
use std::time::Duration;

use super::{AlertsConfig, Config, Metric, Op, RuleThreshold, Selector, Severity, parse};
use crate::contract::{Resource, ServiceState};

const SERVICES: &str = r#"
[[service]]
name = "api"
url = "http://127.0.0.1:1/"
group = "web"

[[service]]
name = "db"
tcp = "127.0.0.1:5432"
group = "data"
"#;

/// `text` then the services, so lines in messages are lines of `text`.
pub(super) fn parsed(text: &str) -> Config {
    let text = format!("{text}\n{SERVICES}");
    match parse(&text, Path::new("lookout.toml"), &super::tests_parse::env) {
        Ok(config) => config,
        Err(errors) => panic!("should be valid:\n{text}\n{errors}"),
    }
}

/// "line:column: message" for every problem in `text` (followed by the services).
pub(super) fn problems(text: &str) -> Vec<String> {
    let full = format!("{text}\n{SERVICES}");
    match parse(&full, Path::new("x.toml"), &super::tests_parse::env) {
        Ok(config) => panic!("should be invalid:\n{text}\nparsed as {:?}", config.alerts),
        Err(errors) => errors
            .problems()
            .iter()
            .map(|p| format!("{}:{}: {}", p.line, p.column, p.message))
            .collect(),
    }
}

pub(super) fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn without_the_section_the_documented_defaults_apply() {
    let alerts = parsed("").alerts;
    assert_eq!(alerts, AlertsConfig::default());
    assert_eq!(alerts.reminder, Some(secs(1800)));
    assert!(alerts.bell);
    assert_eq!(
        (alerts.keep_firing_for, alerts.degraded_for),
        (secs(0), secs(300))
    );
    assert_eq!((alerts.error_rate, alerts.error_rate_min_checks), (0.2, 10));
    assert_eq!(
        (alerts.flap_window, alerts.flap_transitions),
        (secs(600), 6)
    );
    assert_eq!(
        (alerts.history_max, alerts.history_keep),
        (1000, secs(7 * 86_400))
    );
    assert_eq!(alerts.system_severity.of(Resource::Cpu), Severity::Medium);
    assert_eq!(alerts.system_severity.of(Resource::Disk), Severity::High);
    assert!(alerts.rules.is_empty() && alerts.maintenance.is_empty());
}

#[test]
fn every_key_is_read() {
    let alerts = parsed(
        r#"
[alerts]
reminder = false
bell = false
keep_firing_for = "2m"
degraded_for = "0s"
error_rate = "25%"
error_rate_min_checks = 5
flap_window = "15m"
flap_transitions = 4
history_max = 50
history_keep = "1day"
system_severity = { cpu = "low", disk = "critical" }

[[alerts.rule]]
name = "slow"
services = ["api"]
group = "data"
metric = "latency_p95"
op = ">"
threshold = "1.5s"
for = "5m"
severity = "high"
summary = "{subject} p95 {value}"

[[alerts.rule]]
name = "slow"
metric = "latency_p95"
op = ">="
threshold = 5000

[[alerts.rule]]
name = "paused"
metric = "state"
op = "=="
threshold = "paused"

[[alerts.rule]]
name = "full"
metric = "disk"
op = ">"
threshold = "95%"
"#,
    )
    .alerts;
    assert_eq!(alerts.reminder, None);
    assert!(!alerts.bell);
    assert_eq!(
        (alerts.keep_firing_for, alerts.degraded_for),
        (secs(120), secs(0))
    );
    assert_eq!((alerts.error_rate, alerts.error_rate_min_checks), (0.25, 5));
    assert_eq!(
        (alerts.flap_window, alerts.flap_transitions),
        (secs(900), 4)
    );
    assert_eq!(
        (alerts.history_max, alerts.history_keep),
        (50, secs(86_400))
    );
    assert_eq!(alerts.system_severity.of(Resource::Cpu), Severity::Low);
    assert_eq!(
        alerts.system_severity.of(Resource::Disk),
        Severity::Critical
    );
    assert_eq!(alerts.system_severity.of(Resource::Memory), Severity::High);
    let [slow, slower, paused, full] = alerts.rules.as_slice() else {
        panic!("four rules: {:?}", alerts.rules);
    };
    assert_eq!(
        slow.selector,
        Selector {
            services: vec!["api".into()],
            group: Some("data".into())
        }
    );
    assert_eq!((slow.metric, slow.op), (Metric::LatencyP95, Op::Gt));
    assert_eq!(slow.threshold, RuleThreshold::Number(1500.0));
    assert_eq!((slow.hold, slow.severity), (secs(300), Severity::High));
    assert_eq!(slow.summary.as_deref(), Some("{subject} p95 {value}"));
    assert!(slower.selector.is_all());
    assert_eq!(
        (slower.threshold, slower.severity),
        (RuleThreshold::Number(5000.0), Severity::Medium)
    );
    assert_eq!(slower.hold, Duration::ZERO);
    assert_eq!(paused.threshold, RuleThreshold::State(ServiceState::Paused));
    assert_eq!(
        (full.metric, full.threshold),
        (Metric::Disk, RuleThreshold::Number(95.0))
    );
}

#[test]
fn mistakes_in_alerts_are_all_reported() {
    let found = problems(
        r#"
[alerts]
reminder = true
keep_firing_for = "soon"
error_rate = 20
flap_transitions = 1
system_severity = { cpu = "hgih", gpu = "low" }
remider = "1h"
"#,
    );
    assert_eq!(
        found,
        [
            "3:12: `reminder` = true is not a period; write one like \"500ms\", \"10s\", \"5m\" \
             or \"1h\" (like \"30m\"), or false for no reminders",
            "4:19: `keep_firing_for` = \"soon\" is not a duration (expected a number followed \
             by a unit); write it like \"500ms\", \"10s\", \"5m\" or \"1h\"",
            "5:14: `error_rate` = 20 is out of range: use a fraction above 0 and below 1 like \
             0.2, or a percentage like \"20%\"; did you mean \"20%\"?",
            "6:20: `flap_transitions` = 1 is out of range: use a number from 2 to 1000",
            "7:27: `system_severity.cpu` = \"hgih\" is not a severity; did you mean `high`?",
            "7:35: unknown key `gpu` in `system_severity`; did you mean `cpu`?",
            "8:1: unknown key `remider` in [alerts]; did you mean `reminder`?",
        ]
    );
}

#[test]
fn mistakes_in_rules_say_what_is_valid() {
    let found = problems(
        r#"
[[alerts.rule]]
name = "a"
services = ["apii"]
group = "wbe"
metric = "latency"
op = "="
threshold = 1

[[alerts.rule]]
name = "b"
metric = "state"
op = ">"
threshold = "broken"

[[alerts.rule]]
name = "c"
group = "web"
metric = "cpu"
op = ">"
threshold = 120
for = "5"

[[alerts.rule]]
metric = "error_rate"

[[alerts.rule]]
name = "b"
metric = "error_rate"
op = ">"
threshold = 0.5
"#,
    );
    assert_eq!(
        found,
        [
            "4:13: no [[service]] is named \"apii\"; did you mean `api`?",
            "5:9: no [[service]] has group \"wbe\"; did you mean `web`?",
            "6:10: unknown metric \"latency\"; valid metrics are `state`, `latency_p95`, \
             `error_rate`, `cpu`, `memory`, `disk`",
            "7:6: unknown op \"=\"; did you mean `==`? (valid comparisons are `>`, `<`, `>=`, \
             `<=`, `==`, `!=`)",
            "13:6: `op` = \">\" cannot order service states; `state` compares with \"==\" or \
             \"!=\"",
            "14:13: `threshold` = \"broken\" is not a service state; valid states are `UP`, \
             `DEGRADED`, `DOWN`, `UNKNOWN`, `PAUSED`",
            "18:1: `group` selects services, but `cpu` is a figure of the machine itself; \
             remove it",
            "21:13: `threshold` = 120 is out of range: use a percentage from 0 to 100",
            "22:7: `for` = \"5\" is not a duration (the unit is missing); write it like \
             \"500ms\", \"10s\", \"5m\" or \"1h\"",
            "24:1: this [[alerts.rule]] has no `name`; add one, like name = \"slow-checkout\"",
            "24:1: this [[alerts.rule]] has no `op`; add one, like op = \">\"",
            "24:1: this [[alerts.rule]] has no `threshold`; add one, like threshold = 500",
            "28:8: rule name \"b\" is already used by the rule at line 11, which watches \
             `state`; rules sharing a name are tiers of one alert and must watch the same \
             metric (this one watches `error_rate`): rename one",
        ]
    );
}
