//! Which keys are valid where, and where a key written in the wrong place belongs. A
//! service's keys beyond its name, group and timing are its kind's (`crate::kinds`).

use crate::kinds::{KINDS, KindKeys};

/// The sections known today (later work adds more).
pub(crate) const ROOT_KEYS: [&str; 12] = [
    "general",
    "defaults",
    "service",
    "log",
    "server",
    "system",
    "alerts",
    "notify",
    "jobs",
    "alertmanager",
    "prometheus",
    "keys",
];

pub(crate) const GENERAL_KEYS: [&str; 4] =
    ["state_dir", "history", "max_concurrent_checks", "watch"];

/// `[log]`: where and how headless mode writes its lines.
pub(crate) const LOG_KEYS: [&str; 4] = ["dir", "rotation", "keep", "stdout"];

/// `[server]`: the local HTTP API.
pub(crate) const SERVER_KEYS: [&str; 3] = ["listen", "token", "socket_group"];

/// `[system]`: the machine's own resources.
pub(crate) const SYSTEM_KEYS: [&str; 10] = [
    "enabled",
    "interval",
    "processes",
    "log_every",
    "cpu",
    "memory",
    "swap",
    "disk",
    "inodes",
    "load",
];

/// Inside one `[system]` threshold, like `cpu = { above = 90, for = "2m" }`.
pub(crate) const THRESHOLD_KEYS: [&str; 3] = ["above", "for", "clear_below"];

/// `[alerts]`: how conditions become alerts, and the rule and maintenance lists.
pub(crate) const ALERTS_KEYS: [&str; 14] = [
    "reminder",
    "bell",
    "keep_firing_for",
    "degraded_for",
    "error_rate",
    "error_rate_min_checks",
    "error_rate_window",
    "flap_window",
    "flap_transitions",
    "history_max",
    "history_keep",
    "system_severity",
    "rule",
    "maintenance",
];

/// One `[[alerts.rule]]`.
pub(crate) const RULE_KEYS: [&str; 9] = [
    "name",
    "services",
    "group",
    "metric",
    "op",
    "threshold",
    "for",
    "severity",
    "summary",
];

/// One `[[alerts.maintenance]]` (one-off: `start`, `end`; weekly: `days`, `start`,
/// `duration`).
pub(crate) const MAINTENANCE_KEYS: [&str; 7] = [
    "name", "services", "group", "start", "end", "days", "duration",
];

/// One `[[notify]]` channel.
pub(crate) const NOTIFY_KEYS: [&str; 9] = [
    "name",
    "type",
    "url",
    "headers",
    "command",
    "min_severity",
    "timeout",
    "retries",
    "backoff",
];

/// Keys only a `[[notify]]` has.
const NOTIFY_OWN_KEYS: [&str; 5] = ["type", "command", "min_severity", "retries", "backoff"];

/// One `[[alertmanager]]`.
pub(crate) const ALERTMANAGER_KEYS: [&str; 7] = [
    "name",
    "url",
    "forward",
    "resend",
    "timeout",
    "poll",
    "silence_by",
];

/// Keys only an `[[alertmanager]]` has.
const ALERTMANAGER_OWN_KEYS: [&str; 4] = ["forward", "resend", "poll", "silence_by"];

/// One `[[prometheus]]`.
pub(crate) const PROMETHEUS_KEYS: [&str; 6] =
    ["name", "url", "interval", "timeout", "targets", "query"];

/// One `[[prometheus.query]]`.
pub(crate) const PROMETHEUS_QUERY_KEYS: [&str; 8] = [
    "name", "query", "warn", "crit", "below", "unit", "group", "severity",
];

/// [`misplaced`] for `[[prometheus]]` and its queries, which send a key written one
/// table off to the other.
pub(crate) fn misplaced_in_prometheus(key: &str, place: &str) -> Option<String> {
    let home = if PROMETHEUS_QUERY_KEYS.contains(&key) && !PROMETHEUS_KEYS.contains(&key) {
        "each [[prometheus.query]]"
    } else if PROMETHEUS_KEYS.contains(&key) && !PROMETHEUS_QUERY_KEYS.contains(&key) {
        "[[prometheus]]"
    } else {
        return misplaced(key, place);
    };
    Some(format!("`{key}` belongs in {home}, not {place}"))
}

/// `[jobs]`: the job queue the job monitor watches.
pub(crate) const JOBS_KEYS: [&str; 14] = [
    "enabled",
    "database",
    "table",
    "columns",
    "states",
    "timestamps",
    "claimed_timeout",
    "processing_timeout",
    "interval",
    "batch",
    "max_attempts",
    "dry_run",
    "query_timeout",
    "severity",
];

/// `[jobs.columns]`: the queue table's columns.
pub(crate) const JOB_COLUMN_KEYS: [&str; 6] = [
    "id",
    "state",
    "claimed_at",
    "started_at",
    "attempts",
    "last_error",
];

/// `[jobs.states]`: the words the state column holds.
pub(crate) const JOB_STATE_KEYS: [&str; 5] =
    ["pending", "claimed", "processing", "completed", "failed"];

/// Timing keys shared by `[defaults]` and `[[service]]`.
pub(crate) const TIMING_KEYS: [&str; 6] = [
    "interval",
    "timeout",
    "degraded_after",
    "failure_threshold",
    "success_threshold",
    "severity",
];

/// Keys every `[[service]]` has, whatever it checks.
pub(crate) const SERVICE_OWN_KEYS: [&str; 2] = ["name", "group"];

/// The kind whose keys in a `[[service]]` (its selector, its own keys and those
/// `[defaults]` may also set) include `key`.
pub(crate) fn kind_of_key(key: &str) -> Option<&'static KindKeys> {
    KINDS.iter().find(|kind| kind.owns(key))
}

/// The kind whose `[defaults]` keys include `key`.
fn kind_of_default_key(key: &str) -> Option<&'static KindKeys> {
    KINDS.iter().find(|kind| kind.default_keys.contains(&key))
}

/// Every key valid in `[defaults]`: the timing keys and each kind's default keys.
pub(crate) fn defaults_keys() -> Vec<&'static str> {
    let kinds = KINDS
        .iter()
        .flat_map(|kind| kind.default_keys.iter().copied());
    once_each(TIMING_KEYS.iter().copied().chain(kinds))
}

/// `keys` in order, each once (kinds may share a key: `insecure`, `certificate_warn`).
fn once_each(keys: impl Iterator<Item = &'static str>) -> Vec<&'static str> {
    let mut seen = Vec::new();
    for key in keys {
        if !seen.contains(&key) {
            seen.push(key);
        }
    }
    seen
}

/// Every key valid in a `[[service]]` of some kind.
pub(crate) fn service_keys() -> Vec<&'static str> {
    let kinds = KINDS.iter().flat_map(|kind| {
        let keys = kind.keys.iter().chain(kind.default_keys).copied();
        kind.selector.into_iter().chain(keys)
    });
    once_each(
        SERVICE_OWN_KEYS
            .iter()
            .chain(&TIMING_KEYS)
            .copied()
            .chain(kinds),
    )
}

/// For a key valid in another place: "`interval` belongs in [defaults] …, not `place`".
pub(crate) fn misplaced(key: &str, place: &str) -> Option<String> {
    let home = if GENERAL_KEYS.contains(&key) {
        "[general]"
    } else if LOG_KEYS.contains(&key) {
        "[log]"
    } else if SERVER_KEYS.contains(&key) {
        "[server]"
    } else if TIMING_KEYS.contains(&key) || kind_of_default_key(key).is_some() {
        "[defaults] (or a [[service]])"
    } else if SERVICE_OWN_KEYS.contains(&key) || kind_of_key(key).is_some() {
        "each [[service]]"
    } else if SYSTEM_KEYS.contains(&key) {
        "[system]"
    } else if ALERTS_KEYS.contains(&key) {
        "[alerts]"
    } else if ["metric", "op", "threshold"].contains(&key) {
        "each [[alerts.rule]]"
    } else if NOTIFY_OWN_KEYS.contains(&key) {
        "each [[notify]]"
    } else if ALERTMANAGER_OWN_KEYS.contains(&key) {
        "each [[alertmanager]]"
    } else if JOBS_KEYS.contains(&key) {
        // Last, so the keys [jobs] shares with other places are sent there.
        "[jobs]"
    } else {
        return None;
    };
    Some(format!("`{key}` belongs in {home}, not {place}"))
}

/// [`misplaced`] for the `[jobs]` tables, which also send a column or a state name
/// written one table off to `[jobs.columns]` or `[jobs.states]`.
pub(crate) fn misplaced_in_jobs(key: &str, place: &str) -> Option<String> {
    let home = if JOB_COLUMN_KEYS.contains(&key) {
        "[jobs.columns]"
    } else if JOB_STATE_KEYS.contains(&key) {
        "[jobs.states]"
    } else if JOBS_KEYS.contains(&key) {
        "[jobs]"
    } else {
        return misplaced(key, place);
    };
    Some(format!("`{key}` belongs in {home}, not {place}"))
}

/// Every key an operator may write, in every section and table (the names of tables
/// themselves, like `rule` in `[alerts]`, excepted): the example config shows each.
pub fn every_key() -> Vec<&'static str> {
    let tables: [&[&str]; 15] = [
        &GENERAL_KEYS,
        &LOG_KEYS,
        &SERVER_KEYS,
        &SYSTEM_KEYS,
        &THRESHOLD_KEYS,
        &ALERTS_KEYS,
        &RULE_KEYS,
        &MAINTENANCE_KEYS,
        &NOTIFY_KEYS,
        &ALERTMANAGER_KEYS,
        &PROMETHEUS_KEYS,
        &PROMETHEUS_QUERY_KEYS,
        &JOBS_KEYS,
        &JOB_COLUMN_KEYS,
        &JOB_STATE_KEYS,
    ];
    let subtables = ["rule", "maintenance", "query", "columns", "states"];
    let mut keys: Vec<&str> = tables.into_iter().flatten().copied().collect();
    keys.extend(defaults_keys());
    keys.extend(service_keys());
    keys.retain(|key| !subtables.contains(key));
    keys.sort_unstable();
    keys.dedup();
    keys
}
