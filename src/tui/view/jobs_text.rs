//! The words and figures the job monitor is shown with, shared by its panel, its strip
//! under the services and the status bar's word: the monitor's state, the counts per
//! state, the oldest rows marked past their timeout, what a pass did or would do, and
//! the phrases that make a line, most important first.

use std::time::{Duration, SystemTime};

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::Span;

use crate::jobs::{Census, JobAction, JobsView, Outcome, PassReport, Phase, Remedy, Role, Totals};
use crate::tui::view::alert_text;
use crate::tui::view::format;
use crate::tui::view::theme::Theme;

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
        make(
            Phase::Claimed,
            census.oldest_claimed,
            view.claimed_timeout,
        ),
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

/// A piece of a line; pieces of higher `rank` give way first when room runs out: to
/// their `short` form, then altogether.
#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub text: String,
    pub short: Option<String>,
    pub style: Style,
    pub rank: u8,
}

impl Phrase {
    pub fn new(text: impl Into<String>, style: Style, rank: u8) -> Self {
        Self {
            text: text.into(),
            short: None,
            style,
            rank,
        }
    }

    /// The same phrase with a shorter form to fall back on.
    pub fn or_short(self, short: impl Into<String>) -> Self {
        Self {
            short: Some(short.into()),
            ..self
        }
    }
}

/// The phrases joined by `separator` that fit in `room` cells. The least important
/// (highest rank, the later of equals) give way first: all take their short forms, from
/// the highest rank down, before any is dropped; rank 0 is always kept.
pub fn fit(phrases: &[Phrase], separator: &str, room: usize) -> Vec<Span<'static>> {
    let mut kept: Vec<(&Phrase, &str)> = phrases.iter().map(|p| (p, p.text.as_str())).collect();
    let width = |kept: &[(&Phrase, &str)]| {
        let texts: usize = kept.iter().map(|(_, text)| format::width(text)).sum();
        texts + format::width(separator) * kept.len().saturating_sub(1)
    };
    let mut ranks: Vec<u8> = phrases.iter().map(|p| p.rank).collect();
    ranks.sort_unstable_by(|a, b| b.cmp(a));
    ranks.dedup();
    for rank in ranks {
        if width(&kept) <= room {
            break;
        }
        for (phrase, text) in kept.iter_mut().filter(|(p, _)| p.rank == rank) {
            if let Some(short) = &phrase.short {
                *text = short.as_str();
            }
        }
    }
    while width(&kept) > room {
        let Some(worst) = kept
            .iter()
            .enumerate()
            .filter(|(_, (p, _))| p.rank > 0)
            .max_by_key(|(i, (p, _))| (p.rank, *i))
            .map(|(i, _)| i)
        else {
            break;
        };
        kept.remove(worst);
    }
    let mut spans = Vec::with_capacity(kept.len() * 2);
    for (i, (phrase, text)) in kept.iter().enumerate() {
        if i > 0 {
            spans.push(Span::raw(separator.to_string()));
        }
        spans.push(Span::styled(text.to_string(), phrase.style));
    }
    spans
}

/// Phrases joined by `separator` and wrapped into lines of at most `width` cells, each
/// starting with `indent`; a phrase is never split (one too long is cut when drawn).
pub fn flow(phrases: &[String], separator: &str, indent: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for phrase in phrases {
        let candidate = if line.is_empty() {
            format!("{indent}{phrase}")
        } else {
            format!("{line}{separator}{phrase}")
        };
        if line.is_empty() || format::width(&candidate) <= width {
            line = candidate;
        } else {
            lines.push(std::mem::take(&mut line));
            line = format!("{indent}{phrase}");
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(text: &str, rank: u8) -> Phrase {
        Phrase::new(text, Style::new(), rank)
    }

    fn joined(spans: &[Span<'_>]) -> String {
        spans.iter().map(|s| s.content.as_ref()).collect()
    }

    #[test]
    fn fit_drops_the_least_important_first() {
        let phrases = [
            phrase("jobs", 0),
            phrase("rescuing", 0),
            phrase("pending 12", 3),
            phrase("last pass: 2 requeued", 2).or_short("2 fixed"),
            phrase("failed 9", 3),
        ];
        let cases = [
            (80, "jobs · rescuing · pending 12 · last pass: 2 requeued · failed 9"),
            (55, "jobs · rescuing · pending 12 · 2 fixed · failed 9"),
            (40, "jobs · rescuing · pending 12 · 2 fixed"),
            (30, "jobs · rescuing · 2 fixed"),
            (10, "jobs · rescuing"),
        ];
        for (room, want) in cases {
            assert_eq!(joined(&fit(&phrases, " · ", room)), want, "{room}");
        }
    }

    #[test]
    fn flow_wraps_between_phrases() {
        let phrases: Vec<String> = ["2 requeued", "1 retried", "1 failed", "more left"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            flow(&phrases, " · ", " ", 24),
            [" 2 requeued · 1 retried", " 1 failed · more left"]
        );
        assert_eq!(flow(&phrases, " · ", "", 5).len(), 4, "one a line at worst");
        assert!(flow(&[], " · ", " ", 10).is_empty());
    }

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
