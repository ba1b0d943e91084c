//! `[general]` and `[defaults]`: the settings every service starts from; and how a
//! directory path is read (`state_dir`, and `[log] dir` in `observe.rs`).

use std::path::PathBuf;
use std::time::Duration;

use toml::de::DeTable;

use super::settings::{self, Order, Origin, Setting};
use super::walk::Walker;
use super::{GeneralConfig, Severity};
use crate::kinds::KindDefaults;

/// How often and how strictly a service is checked, before or after its own overrides.
#[derive(Debug, Clone)]
pub(crate) struct Timing {
    pub(crate) interval: Setting<Duration>,
    pub(crate) timeout: Setting<Duration>,
    pub(crate) degraded_after: Setting<Duration>,
    pub(crate) failure_threshold: u32,
    pub(crate) success_threshold: u32,
    pub(crate) severity: Severity,
}

impl Timing {
    /// The documented defaults, used where `[defaults]` says nothing.
    pub(crate) fn builtin() -> Self {
        Timing {
            interval: Setting::builtin(Duration::from_secs(10)),
            timeout: Setting::builtin(Duration::from_secs(5)),
            degraded_after: Setting::builtin(Duration::from_secs(1)),
            failure_threshold: 2,
            success_threshold: 1,
            severity: Severity::Medium,
        }
    }

    /// Reads the timing keys written in `table` over `self`, then checks the rules
    /// between them that this place (`origin`) is responsible for.
    pub(crate) fn read(
        &self,
        w: &mut Walker<'_>,
        table: &DeTable<'_>,
        origin: Origin,
        history: &Setting<Duration>,
    ) -> Timing {
        let ms = Duration::from_millis;
        let timing = Timing {
            interval: settings::duration(w, table, "interval", origin, &self.interval, ms(100)),
            timeout: settings::duration(w, table, "timeout", origin, &self.timeout, ms(0)),
            degraded_after: settings::duration(
                w,
                table,
                "degraded_after",
                origin,
                &self.degraded_after,
                ms(0),
            ),
            failure_threshold: settings::threshold(
                w,
                table,
                "failure_threshold",
                self.failure_threshold,
            ),
            success_threshold: settings::threshold(
                w,
                table,
                "success_threshold",
                self.success_threshold,
            ),
            severity: settings::severity(w, table, self.severity),
        };
        let here = [origin];
        let rule = |low, high, strict, why| Order {
            low,
            high,
            strict,
            why,
        };
        let checks = [
            rule(
                ("timeout", &timing.timeout),
                ("interval", &timing.interval),
                false,
                "a check must end before the next one starts",
            ),
            rule(
                ("degraded_after", &timing.degraded_after),
                ("timeout", &timing.timeout),
                true,
                "a check slower than `timeout` fails, so it could never be DEGRADED",
            ),
        ];
        for check in checks {
            settings::check_order(w, &here, check);
        }
        let history_here: &[Origin] = match origin {
            Origin::Defaults => &[Origin::General, Origin::Defaults],
            _ => &here,
        };
        let history_rule = rule(
            ("interval", &timing.interval),
            ("history", history),
            false,
            "the history must hold at least one check",
        );
        settings::check_order(w, history_here, history_rule);
        timing
    }
}

/// `[defaults]`, with the built-in defaults filled in.
#[derive(Debug, Clone)]
pub(crate) struct Defaults {
    pub(crate) timing: Timing,
    pub(crate) kinds: KindDefaults,
}

/// Reads `[general]` (absent: all defaults); `history` is returned with where it was
/// written, for the rules that compare it with intervals.
pub(crate) fn general(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
) -> (Option<GeneralConfig>, Setting<Duration>) {
    let builtin = Setting::builtin(Duration::from_secs(3600));
    let history = settings::duration(
        w,
        table,
        "history",
        Origin::General,
        &builtin,
        Duration::ZERO,
    );
    let max_concurrent_checks = table
        .get("max_concurrent_checks")
        .map_or(Some(256), |v| {
            w.integer(v, "max_concurrent_checks", 1..=10_000)
        })
        .and_then(|n| usize::try_from(n).ok());
    let state_dir = match table.get("state_dir") {
        Some(value) => w.path(value, "state_dir"),
        None => default_state_dir(w),
    };
    let watch = table
        .get("watch")
        .map_or(Some(false), |v| w.boolean(v, "watch"));
    let general = match (state_dir, max_concurrent_checks, watch) {
        (Some(state_dir), Some(max_concurrent_checks), Some(watch)) => Some(GeneralConfig {
            state_dir,
            history: history.value,
            max_concurrent_checks,
            watch,
        }),
        _ => None,
    };
    (general, history)
}

/// `$XDG_STATE_HOME/lookout`, else `$HOME/.local/state/lookout` (XDG base directories).
fn default_state_dir(w: &mut Walker<'_>) -> Option<PathBuf> {
    let absolute = |name: &str| w.env(name).map(PathBuf::from).filter(|p| p.is_absolute());
    if let Some(state) = absolute("XDG_STATE_HOME") {
        return Some(state.join("lookout"));
    }
    if let Some(home) = absolute("HOME") {
        return Some(home.join(".local/state/lookout"));
    }
    w.problems.push(super::errors::Problem::nowhere(
        "cannot choose a default `state_dir`: neither XDG_STATE_HOME nor HOME is set to an \
         absolute path; set `state_dir` in [general]",
    ));
    None
}
