//! The question before a key makes the job monitor write to the queue's database
//! (starting it with `J`, a pass now with `r`): what it would change, from a dry run
//! made when the key was pressed, and `y` to go ahead.

use crate::event::Command;
use crate::view::jobs::{JobsView, Remedy};
use crate::words::short_age;

/// What `y` does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobsWrite {
    /// Start the monitor: it passes at once, then every `interval`.
    Start,
    /// A pass now, while it runs.
    PassNow,
}

/// How long a dry run shown in the question stands for what a pass would do: `y`
/// after that looks again and asks again, rather than act on an old picture.
pub const PREVIEW_FRESH: std::time::Duration = std::time::Duration::from_secs(15);

/// The open question: what it is about and which preview answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JobsPrompt {
    pub write: JobsWrite,
    /// The number of the preview asked for when the key was pressed.
    pub preview: u64,
    /// When that preview was asked for.
    pub asked: std::time::Instant,
}

impl JobsPrompt {
    /// What `y` sends.
    pub fn command(&self) -> Command {
        match self.write {
            JobsWrite::Start => Command::SetJobsRunning(true),
            JobsWrite::PassNow => Command::RunJobsPass,
        }
    }

    /// The box's title.
    pub fn title(&self) -> &'static str {
        match self.write {
            JobsWrite::Start => "start the job monitor",
            JobsWrite::PassNow => "a job monitor pass now",
        }
    }

    /// The box's lines, from the monitor's picture: where it writes, what it does, and
    /// what a pass would change now (or that it is being looked at).
    pub fn lines(&self, jobs: &JobsView) -> Vec<String> {
        let mut lines = vec![
            format!("It writes to {} in {}:", jobs.table, jobs.database),
            format!(
                "rows claimed over {} go back to pending, rows processing over {} \
                 are failed or retried.",
                short_age(jobs.claimed_timeout),
                short_age(jobs.processing_timeout)
            ),
        ];
        let answer = jobs.preview.as_ref().filter(|p| p.sequence == self.preview);
        lines.push(match answer.map(|p| &p.outcome) {
            None => "Looking at what a pass would do now (a dry run)…".to_string(),
            Some(Err(why)) => format!("A dry run could not look: {why}"),
            Some(Ok(pass)) if pass.actions.is_empty() => {
                "A pass now would change nothing: no row is stuck.".to_string()
            }
            Some(Ok(pass)) => {
                let count = |remedy| pass.actions.iter().filter(|a| a.remedy == remedy).count();
                let done: Vec<String> = [
                    (Remedy::Requeue, "requeue"),
                    (Remedy::Retry, "retry"),
                    (Remedy::Fail, "fail"),
                ]
                .into_iter()
                .filter(|(remedy, _)| count(*remedy) > 0)
                .map(|(remedy, verb)| format!("{verb} {}", count(remedy)))
                .collect();
                let more = if pass.more { ", and more after" } else { "" };
                format!("A pass now would {}{more}.", done.join(", "))
            }
        });
        lines.push(match self.write {
            JobsWrite::Start => "Start it?".to_string(),
            JobsWrite::PassNow => "Run the pass?".to_string(),
        });
        lines
    }
}
