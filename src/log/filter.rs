//! Which events are written: `RUST_LOG`-style directives such as `warn,lookout=debug`,
//! from `LOOKOUT_LOG`, else `RUST_LOG`, else [`DEFAULT_FILTER`].

use std::fmt;
use std::str::FromStr;

use tracing_subscriber::filter::{LevelFilter, Targets};

use super::LogError;

/// The filter used when neither variable is set: warnings from everything, and lookout's
/// own info lines (state changes, reloads…).
pub const DEFAULT_FILTER: &str = "warn,lookout=info";

/// The environment variables read for the filter, first found wins.
pub const FILTER_VARS: [&str; 2] = ["LOOKOUT_LOG", "RUST_LOG"];

/// A parsed level filter: a default level plus per-target levels (by module path prefix).
/// Disabled callsites are switched off once, so a filtered-out `debug!` costs next to
/// nothing.
#[derive(Debug, Clone, PartialEq)]
pub struct Filter {
    targets: Targets,
    /// The directives, normalized (trimmed, empty ones dropped), for display.
    text: String,
}

impl Filter {
    /// Parses comma-separated `LEVEL` / `TARGET=LEVEL` directives.
    pub fn parse(directives: &str) -> Result<Self, LogError> {
        Self::parse_from(directives, "the log filter")
    }

    /// The underlying per-target filter.
    pub fn targets(&self) -> &Targets {
        &self.targets
    }

    /// Whether an event at `level` from `target` (a module path) passes.
    pub fn enables(&self, target: &str, level: tracing::Level) -> bool {
        self.targets.would_enable(target, &level)
    }

    pub(crate) fn into_targets(self) -> Targets {
        self.targets
    }

    /// `origin` names where the text came from, for the error message.
    fn parse_from(text: &str, origin: &str) -> Result<Self, LogError> {
        let bad = |directive: &str, reason: String| LogError::Filter {
            origin: origin.to_string(),
            directive: directive.to_string(),
            reason,
        };
        let mut kept = Vec::new();
        for directive in text.split(',').map(str::trim) {
            if directive.is_empty() {
                continue;
            }
            let normalized = normalize(directive).map_err(|reason| bad(directive, reason))?;
            // Parsed one at a time so that an error quotes the directive at fault.
            normalized
                .parse::<Targets>()
                .map_err(|err| bad(directive, err.to_string()))?;
            kept.push(normalized);
        }
        if kept.is_empty() {
            return Err(bad(text, "no directives".to_string()));
        }
        let text = kept.join(",");
        let targets = text.parse().map_err(|err| bad(&text, format!("{err}")))?;
        Ok(Filter { targets, text })
    }
}

/// Trims around `=` and refuses the shapes `Targets` would quietly misread: an empty
/// target, or an empty level (which it takes as `error`).
fn normalize(directive: &str) -> Result<String, String> {
    let Some((target, level)) = directive.split_once('=') else {
        return Ok(directive.to_string());
    };
    let (target, level) = (target.trim(), level.trim());
    if target.is_empty() {
        return Err("missing target before `=`".to_string());
    }
    if level.is_empty() {
        return Err("missing level after `=`".to_string());
    }
    Ok(format!("{target}={level}"))
}

impl Default for Filter {
    /// [`DEFAULT_FILTER`].
    fn default() -> Self {
        Filter {
            targets: Targets::new()
                .with_default(LevelFilter::WARN)
                .with_target("lookout", LevelFilter::INFO),
            text: DEFAULT_FILTER.to_string(),
        }
    }
}

impl FromStr for Filter {
    type Err = LogError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl fmt::Display for Filter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// The filter from `LOOKOUT_LOG`, else `RUST_LOG`, else [`DEFAULT_FILTER`]; `env` looks a
/// variable up (`|key| std::env::var(key).ok()` in the binary). A variable set to blanks
/// counts as unset. A bad directive is an error that quotes it and names the variable.
pub fn filter_from_env(env: impl Fn(&str) -> Option<String>) -> Result<Filter, LogError> {
    for var in FILTER_VARS {
        if let Some(text) = env(var).filter(|text| !text.trim().is_empty()) {
            return Filter::parse_from(&text, var);
        }
    }
    Ok(Filter::default())
}
