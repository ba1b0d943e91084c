//! One pass of the job monitor: find the rows stuck past each timeout, decide what each
//! needs, and change them with compare-and-set writes, so a worker that moved a row in
//! the meantime always wins. Which remedy a row gets is [`remedy`], a pure function.

use std::time::{Duration, SystemTime};

use super::queue::{JobsError, Queue, SeenRow};
use crate::config::JobsConfig;
use crate::view::jobs::{JobAction, Outcome, PassReport, Phase, Remedy, StuckRow};

/// Batches one pass handles per phase; rows beyond wait for the next pass, so a pass
/// over a huge backlog stays short.
pub const MAX_BATCHES: usize = 10;

/// What a stuck row needs: a claimed row goes back to pending; a processing row fails,
/// unless `max_attempts` is set and its attempts are below it (a NULL count is 0).
pub fn remedy(phase: Phase, attempts: Option<i64>, max_attempts: Option<u32>) -> Remedy {
    match (phase, max_attempts) {
        (Phase::Claimed, _) => Remedy::Requeue,
        (Phase::Processing, Some(max)) if attempts.unwrap_or(0) < i64::from(max) => Remedy::Retry,
        (Phase::Processing, _) => Remedy::Fail,
    }
}

/// The `last_error` written with a remedy.
pub fn reason(remedy: Remedy, timeout: Duration) -> String {
    let timeout = humantime::format_duration(timeout);
    match remedy {
        Remedy::Requeue => {
            format!("claimed for more than {timeout}; put back to pending by lookout")
        }
        Remedy::Retry => format!("processing for more than {timeout}; retried by lookout"),
        Remedy::Fail => format!("processing for more than {timeout}; failed by lookout"),
    }
}

/// The timeout of `phase`.
pub fn timeout(config: &JobsConfig, phase: Phase) -> Duration {
    match phase {
        Phase::Claimed => config.claimed_timeout,
        Phase::Processing => config.processing_timeout,
    }
}

/// Runs one pass at `now`. With `write` false (a dry run, or another instance leads),
/// rows are only found and reported.
pub async fn run<Q: Queue>(
    queue: &mut Q,
    config: &JobsConfig,
    now: SystemTime,
    write: bool,
    sequence: u64,
) -> Result<PassReport, JobsError> {
    let started = std::time::Instant::now();
    let mut report = PassReport {
        sequence,
        at: now,
        took: Duration::ZERO,
        dry_run: !write,
        actions: Vec::new(),
        more: false,
    };
    let batch = config.batch.max(1);
    for phase in Phase::ALL {
        let timeout = timeout(config, phase);
        for round in 0.. {
            if round == MAX_BATCHES {
                report.more = true;
                break;
            }
            let rows = queue.stuck(phase, now, timeout, batch).await?;
            let full = rows.len() >= batch as usize;
            if write {
                fix(queue, config, phase, &rows, &mut report.actions).await?;
            } else {
                record(
                    config,
                    phase,
                    &rows,
                    &[],
                    Outcome::Skipped,
                    &mut report.actions,
                );
                // Nothing changed: reading again would find the same rows.
                report.more |= full;
                break;
            }
            if !full {
                break;
            }
        }
    }
    report.took = started.elapsed();
    Ok(report)
}

/// Changes `rows`, one statement per remedy, and records each row's outcome.
async fn fix<Q: Queue>(
    queue: &mut Q,
    config: &JobsConfig,
    phase: Phase,
    rows: &[SeenRow],
    actions: &mut Vec<JobAction>,
) -> Result<(), JobsError> {
    for cure in [Remedy::Requeue, Remedy::Retry, Remedy::Fail] {
        let picked: Vec<SeenRow> = rows
            .iter()
            .filter(|row| remedy(phase, row.attempts, config.max_attempts) == cure)
            .cloned()
            .collect();
        if picked.is_empty() {
            continue;
        }
        let why = reason(cure, timeout(config, phase));
        let changed = queue.change(phase, cure, &picked, &why).await?;
        record(config, phase, &picked, &changed, Outcome::Raced, actions);
    }
    Ok(())
}

/// Adds one action per row: `Done` for the indexes in `changed`, `otherwise` for the
/// rest.
fn record(
    config: &JobsConfig,
    phase: Phase,
    rows: &[SeenRow],
    changed: &[usize],
    otherwise: Outcome,
    actions: &mut Vec<JobAction>,
) {
    for (i, row) in rows.iter().enumerate() {
        actions.push(JobAction {
            row: StuckRow {
                id: row.id.to_string(),
                phase,
                age: row.age,
                attempts: row.attempts,
            },
            remedy: remedy(phase, row.attempts, config.max_attempts),
            outcome: if changed.contains(&i) {
                Outcome::Done
            } else {
                otherwise
            },
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_stuck_row_gets_its_remedy() {
        use Phase::{Claimed, Processing};
        use Remedy::{Fail, Requeue, Retry};
        let cases: &[(Phase, Option<i64>, Option<u32>, Remedy)] = &[
            (Claimed, Some(0), None, Requeue),
            (Claimed, Some(9), Some(3), Requeue),
            (Claimed, None, Some(1), Requeue),
            (Processing, Some(1), None, Fail),
            (Processing, None, None, Fail),
            (Processing, Some(0), Some(3), Retry),
            (Processing, Some(2), Some(3), Retry),
            (Processing, Some(3), Some(3), Fail),
            (Processing, Some(7), Some(3), Fail),
            (Processing, None, Some(1), Retry),
            (Processing, Some(-1), Some(1), Retry),
            (Processing, Some(0), Some(0), Fail),
        ];
        for (phase, attempts, max, want) in cases {
            assert_eq!(
                remedy(*phase, *attempts, *max),
                *want,
                "{phase:?} attempts {attempts:?} max {max:?}"
            );
        }
    }

    #[test]
    fn reasons_name_the_timeout_and_what_was_done() {
        let ten = Duration::from_secs(600);
        assert_eq!(
            reason(Remedy::Fail, ten),
            "processing for more than 10m; failed by lookout"
        );
        assert_eq!(
            reason(Remedy::Retry, ten),
            "processing for more than 10m; retried by lookout"
        );
        assert!(
            reason(Remedy::Requeue, Duration::from_secs(300)).contains("claimed for more than 5m")
        );
    }
}
