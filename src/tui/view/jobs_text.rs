//! The words and figures the job monitor is shown with, shared by its panel, its strip
//! under the services and the status bar's word: the monitor's state, the counts per
//! state, the oldest rows marked past their timeout, what a pass did or would do.

use std::time::{Duration, SystemTime};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::tui::view::alert_text;
use crate::tui::view::format;
use crate::tui::view::theme::Theme;
use crate::view::jobs::{
    Census, JobAction, JobsView, Outcome, PassReport, Phase, Remedy, Role, Totals,
};

/// Marks an age past its timeout, beside the colour.
pub const PAST: &str = "!";

/// What the monitor is doing, as one word on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    Off,
    /// Running, not connected yet.
    Connecting,
    Rescuing,
    DryRun,
    /// Another instance holds the table's lock.
    Watching,
    /// The database fails.
    Failing,
}

impl Health {
    pub fn of(view: &JobsView) -> Self {
        if !view.running {
            return Health::Off;
        }
        if view.problem.is_some() {
            return Health::Failing;
        }
        match view.role {
            None => Health::Connecting,
            Some(Role::Rescuer) => Health::Rescuing,
            Some(Role::DryRun) => Health::DryRun,
            Some(Role::Watcher) => Health::Watching,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Health::Off => "off",
            Health::Connecting => "connecting",
            Health::Rescuing => Role::Rescuer.as_str(),
            Health::DryRun => Role::DryRun.as_str(),
            Health::Watching => Role::Watcher.as_str(),
            Health::Failing => "database error",
        }
    }

    pub fn style(self, theme: &Theme) -> Style {
        match self {
            Health::Off | Health::Connecting => theme.dim(),
            Health::Rescuing => theme.fg(Color::Green),
            Health::DryRun | Health::Watching => theme.fg(Color::Cyan),
            Health::Failing => theme.fail().add_modifier(Modifier::BOLD),
        }
    }
}

/// One word for the status bar on screens with no room for the jobs, with its style:
/// "jobs:off", "jobs:error", "jobs:stuck" (rows found stuck, or one still past its
/// timeout), "jobs:wait" (connecting) or "jobs:ok".
pub fn word(view: &JobsView, theme: &Theme) -> (&'static str, Style) {
    match Health::of(view) {
        Health::Off => ("jobs:off", theme.dim()),
        Health::Failing => ("jobs:error", theme.fail()),
        Health::Connecting => ("jobs:wait", theme.dim()),
        _ if view.stuck() > 0 || oldest(view).iter().any(|o| o.past) => {
            ("jobs:stuck", theme.warn())
        }
        _ => ("jobs:ok", theme.fg(Color::Green)),
    }
}

/// Rows per state in the contract's words, `other` only when there are any.
pub fn counts(census: &Census) -> Vec<(&'static str, u64)> {
    let mut out = vec![
        ("pending", census.pending),
        ("claimed", census.claimed),
        ("processing", census.processing),
        ("completed", census.completed),
        ("failed", census.failed),
    ];
    if census.other > 0 {
        out.push(("other", census.other));
    }
    out
}

/// How long the oldest row of a phase has been so, against its timeout.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Oldest {
    pub phase: Phase,
    pub age: Option<Duration>,
    pub timeout: Duration,
    /// Older than the timeout: stuck, and not rescued yet.
    pub past: bool,
}

/// The oldest claimed and processing rows; empty before the first count.
pub fn oldest(view: &JobsView) -> Vec<Oldest> {
    let Some(census) = &view.census else {
        return Vec::new();
    };
    let make = |phase, age: Option<Duration>, timeout| Oldest {
        phase,
        age,
        timeout,
        past: age.is_some_and(|a| a > timeout),
    };
    vec![
        make(Phase::Claimed, census.oldest_claimed, view.claimed_timeout),
        make(
            Phase::Processing,
            census.oldest_processing,
            view.processing_timeout,
        ),
    ]
}

/// " 7m12s!" in the fail style past the timeout, " 3m04s " otherwise, "     - " with no
/// row: seven cells, so ages line up and the mark never moves them.
pub fn oldest_age(oldest: &Oldest, theme: &Theme) -> Span<'static> {
    match oldest.age {
        None => Span::raw(format!("{:>6} ", "-")),
        Some(age) if oldest.past => Span::styled(
            format!("{:>6}{PAST}", format::span(age)),
            theme.fail().add_modifier(Modifier::BOLD),
        ),
        Some(age) => Span::raw(format!("{:>6} ", format::span(age))),
    }
}

/// "last pass: 3 requeued, 1 failed, more left", or when room is short "last pass: 4 of
/// 5 rescued, more left" (a dry run: "last pass: 5 stuck").
pub fn pass_summary(pass: &PassReport) -> (String, String) {
    let said = pass_phrases(pass).join(", ");
    let found = pass.actions.len();
    let short = if pass.dry_run || found == 0 {
        format!("{found} stuck")
    } else {
        let done = pass
            .actions
            .iter()
            .filter(|a| a.outcome == Outcome::Done)
            .count();
        format!("{done} of {found} rescued")
    };
    let more = if pass.more { ", more left" } else { "" };
    (
        format!("last pass: {said}"),
        format!("last pass: {short}{more}"),
    )
}

/// The innermost cause of a database error, where the message nests them with ": "
/// ("error communicating with database: Connection refused" → "Connection refused").
pub fn cause(message: &str) -> &str {
    message
        .rsplit(": ")
        .next()
        .filter(|cause| !cause.trim().is_empty())
        .unwrap_or(message)
}

/// What a pass did: "2 requeued", "1 raced", "more left"; in a dry run (or watching)
/// what it would do: "1 to requeue". "nothing stuck" when it found nothing.
pub fn pass_phrases(pass: &PassReport) -> Vec<String> {
    let mut out = Vec::new();
    for remedy in [Remedy::Requeue, Remedy::Retry, Remedy::Fail] {
        let (n, text) = if pass.dry_run {
            let n = pass
                .actions
                .iter()
                .filter(|a| a.remedy == remedy && a.outcome == Outcome::Skipped)
                .count() as u64;
            (n, format!("{n} to {}", verb(remedy)))
        } else {
            let n = pass.count(remedy);
            (n, format!("{n} {}", remedy.as_str()))
        };
        if n > 0 {
            out.push(text);
        }
    }
    if pass.raced() > 0 {
        out.push(format!("{} raced", pass.raced()));
    }
    if out.is_empty() {
        out.push(if pass.actions.is_empty() {
            "nothing stuck".to_string()
        } else {
            "nothing done".to_string()
        });
    }
    if pass.more {
        out.push("more left".to_string());
    }
    out
}

/// "41 passes", then what they did, zeros left out.
pub fn totals_phrases(totals: &Totals) -> Vec<String> {
    let passes = match totals.passes {
        1 => "1 pass".to_string(),
        n => format!("{n} passes"),
    };
    let mut out = vec![passes];
    let done = [
        (totals.requeued, "requeued"),
        (totals.retried, "retried"),
        (totals.failed, "failed"),
        (totals.raced, "raced"),
    ];
    out.extend(
        done.iter()
            .filter(|(n, _)| *n > 0)
            .map(|(n, word)| format!("{n} {word}")),
    );
    out
}

/// "1 failure", "5 failures": tries of the database failed in a row.
pub fn failures(count: u32) -> String {
    match count {
        1 => "1 failure".to_string(),
        n => format!("{n} failures"),
    }
}

/// "12s ago, took 35ms".
pub fn pass_when(pass: &PassReport, now: SystemTime) -> String {
    format!(
        "{} ago, took {}",
        alert_text::age(format::age(now, pass.at)),
        format::latency(pass.took)
    )
}

/// "in 48s", or "due" once the time has come.
pub fn until(at: SystemTime, now: SystemTime) -> String {
    match at.duration_since(now) {
        Ok(d) if d >= Duration::from_secs(1) => format!("in {}", alert_text::age(d)),
        _ => "due".to_string(),
    }
}

/// When the monitor looks again: "next pass in 48s", "retry in 12s"; `None` while off.
pub fn next(view: &JobsView, now: SystemTime) -> Option<String> {
    if !view.running {
        return None;
    }
    match (&view.problem, view.next_pass) {
        (Some(problem), _) => Some(format!("retry {}", until(problem.retry_at, now))),
        (None, Some(at)) => Some(format!("next pass {}", until(at, now))),
        (None, None) => None,
    }
}

/// The imperative of a remedy, for what a dry run would do: "requeue", "retry", "fail".
pub fn verb(remedy: Remedy) -> &'static str {
    match remedy {
        Remedy::Requeue => "requeue",
        Remedy::Retry => "retry",
        Remedy::Fail => "fail",
    }
}

/// What became of a stuck row in one word: "requeued", "raced", or (not written) "retry".
pub fn did(action: &JobAction) -> &'static str {
    match action.outcome {
        Outcome::Done => action.remedy.as_str(),
        Outcome::Raced => "raced",
        Outcome::Skipped => verb(action.remedy),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pass_is_said_in_full_or_in_short() {
        use crate::state::sample_jobs::{dry_run_jobs_view, sample_jobs_view};
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let view = sample_jobs_view(now);
        let pass = view.last_pass.as_deref().expect("a pass");
        assert_eq!(
            pass_summary(pass),
            (
                "last pass: 3 requeued, 2 retried, 2 failed, 1 raced, more left".to_string(),
                "last pass: 7 of 8 rescued, more left".to_string()
            )
        );
        let dry = dry_run_jobs_view(now);
        let pass = dry.last_pass.as_deref().expect("a pass");
        assert_eq!(
            pass_summary(pass).0,
            "last pass: 1 to requeue, 1 to retry, 1 to fail"
        );
        assert_eq!(pass_summary(pass).1, "last pass: 3 stuck");
    }

    #[test]
    fn the_cause_is_the_innermost_part_of_a_message() {
        let message = "error communicating with database: Connection refused (os error 111)";
        assert_eq!(cause(message), "Connection refused (os error 111)");
        assert_eq!(cause("pool timed out"), "pool timed out");
        assert_eq!(cause("odd: "), "odd: ");
    }

    #[test]
    fn until_counts_down_to_due() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1000);
        assert_eq!(until(now + Duration::from_secs(48), now), "in 48s");
        assert_eq!(until(now + Duration::from_secs(150), now), "in 2m");
        assert_eq!(until(now, now), "due");
        assert_eq!(until(now - Duration::from_secs(5), now), "due");
    }
}
