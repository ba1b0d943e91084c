//! Config reloads: noticing that the file changed, and saying what a reload did or why a
//! new config was rejected, in one line for the status bar and the log.

use std::path::Path;
use std::time::SystemTime;

use crate::config::{Config, ConfigErrors};
use crate::state::store::ReloadSummary;

/// What the file looked like when last read; a change in either means "read it again".
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileStamp {
    modified: Option<SystemTime>,
    len: u64,
}

impl FileStamp {
    /// `None` when the file cannot be looked at (it is being replaced, say): no reload
    /// is attempted until it is back.
    pub fn read(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

/// "reloaded lookout.toml: 1 added, 0 removed, 0 changed, 11 kept" plus what needs a
/// restart, if the new config changed it.
pub fn accepted_line(old: &Config, new: &Config, summary: &ReloadSummary) -> String {
    let mut line = format!("reloaded {}: {}", new.source.display(), summary.counts());
    let pending = needs_restart(old, new);
    if !pending.is_empty() {
        line.push_str(&format!(
            "; {} changes apply after a restart",
            pending.join(" and ")
        ));
    }
    line
}

/// Sections a running process cannot switch over to.
pub fn needs_restart(old: &Config, new: &Config) -> Vec<&'static str> {
    let mut sections = Vec::new();
    if old.server != new.server {
        sections.push("[server]");
    }
    if old.log != new.log {
        sections.push("[log]");
    }
    // The targets watcher asks the servers it started with.
    let watched = |config: &Config| -> Vec<(String, reqwest::Url, std::time::Duration)> {
        let servers = config.prometheus.iter().filter(|p| p.targets);
        servers
            .map(|p| (p.name.clone(), p.url.clone(), p.interval))
            .collect()
    };
    if watched(old) != watched(new) {
        sections.push("[[prometheus]] targets");
    }
    sections
}

/// "config rejected, still running the previous one: lookout.toml:3:5: … (and 2 more)".
pub fn rejected_line(errors: &ConfigErrors) -> String {
    let first = match errors {
        ConfigErrors::Unreadable { .. } => errors.to_string(),
        ConfigErrors::Invalid { path, problems } => match problems.first() {
            Some(p) => format!("{}:{}:{}: {}", path.display(), p.line, p.column, p.message),
            None => errors.to_string(),
        },
    };
    let more = errors.problems().len().saturating_sub(1);
    let first = first.lines().next().unwrap_or_default().to_string();
    match more {
        0 => format!("config rejected, still running the previous one: {first}"),
        n => format!("config rejected, still running the previous one: {first} (and {n} more)"),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;
    use crate::config;
    use crate::test_support::{config as config_of, http_service};

    fn env(name: &str) -> Option<String> {
        (name == "HOME").then(|| "/home/op".to_string())
    }

    #[test]
    fn a_stamp_changes_when_the_file_does() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("lookout.toml");
        assert_eq!(FileStamp::read(&path), None);
        std::fs::write(&path, "a").expect("the test\'s own files");
        let first = FileStamp::read(&path);
        std::fs::write(&path, "ab").expect("the test\'s own files");
        assert_ne!(FileStamp::read(&path), first);
    }

    #[test]
    fn rejected_lines_name_the_first_problem_and_count_the_rest() {
        let text = "[general]\nhistory = \"soon\"\n[defaults]\ntimeout = 3\n";
        let errors = config::parse(text, &PathBuf::from("/etc/lookout.toml"), &env)
            .expect_err("two problems");
        let line = rejected_line(&errors);
        assert!(
            line.starts_with(
                "config rejected, still running the previous one: /etc/lookout.toml:2:11: "
            ),
            "{line}"
        );
        assert!(line.ends_with("(and 1 more)"), "{line}");
        let missing =
            config::load(&PathBuf::from("/nonexistent/lookout.toml")).expect_err("no file");
        assert!(rejected_line(&missing).contains("/nonexistent/lookout.toml"));
    }

    #[test]
    fn accepted_lines_mention_sections_that_need_a_restart() {
        let old = config_of(vec![http_service("a")]);
        let mut new = old.clone();
        let summary = ReloadSummary {
            kept: 1,
            ..ReloadSummary::default()
        };
        assert_eq!(
            accepted_line(&old, &new, &summary),
            "reloaded lookout.toml: 0 added, 0 removed, 0 changed, 1 kept"
        );
        new.log.keep = 2;
        new.server = Some(config::ServerConfig {
            listen: "127.0.0.1:9898".parse().expect("a valid address"),
            token: None,
        });
        assert_eq!(
            accepted_line(&old, &new, &summary),
            "reloaded lookout.toml: 0 added, 0 removed, 0 changed, 1 kept; [server] and [log] \
             changes apply after a restart"
        );
    }
}
