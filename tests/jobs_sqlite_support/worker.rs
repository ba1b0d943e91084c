//! Simulated workers for the race test: they claim, start and finish jobs, give them
//! back or die holding them, each step a compare-and-set on what the worker last wrote.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use sqlx::AssertSqlSafe;
use sqlx::sqlite::SqliteConnection;

use super::{Stamp, Stamps, connect, unfinished};

/// What a worker writes in `last_error` when a job fails in its hands.
pub const WORKER_ERROR: &str = "the worker gave up";

/// How long workers dawdle, and how often they die.
#[derive(Debug, Clone, Copy)]
pub struct Habits {
    /// Longest pause between claiming and starting.
    pub before_start: Duration,
    /// Longest time spent processing.
    pub processing: Duration,
    /// Chance in a thousand to die holding a job, at each step.
    pub deaths_per_mille: u64,
    /// Chance in a thousand to give a job back (to pending, timestamps cleared), at
    /// each step: the job may then be claimed again while the monitor holds an old read.
    pub releases_per_mille: u64,
    /// Chance in a thousand that a finished job failed.
    pub failures_per_mille: u64,
}

/// What one worker did.
#[derive(Debug, Default, Clone, Copy)]
pub struct WorkerTally {
    pub claimed: u64,
    pub completed: u64,
    pub failed: u64,
    pub died: u64,
    pub released: u64,
    /// Steps whose compare-and-set found the job moved (by the monitor or a worker).
    pub lost: u64,
}

impl WorkerTally {
    pub fn add(&mut self, other: WorkerTally) {
        self.claimed += other.claimed;
        self.completed += other.completed;
        self.failed += other.failed;
        self.died += other.died;
        self.released += other.released;
        self.lost += other.lost;
    }
}

/// A small deterministic generator (xorshift64*), one per worker.
pub struct Dice(u64);

impl Dice {
    pub fn new(seed: u64) -> Self {
        Dice(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % bound.max(1)
    }

    fn pause(&mut self, longest: Duration) -> Duration {
        Duration::from_micros(self.below(longest.as_micros() as u64 + 1))
    }
}

type TestQuery<'q> = sqlx::query::Query<'q, sqlx::Sqlite, sqlx::sqlite::SqliteArguments>;

fn bind<'q>(query: TestQuery<'q>, stamp: &'q Stamp) -> TestQuery<'q> {
    match stamp {
        Stamp::Text(text) => query.bind(text.as_str()),
        Stamp::Real(seconds) => query.bind(*seconds),
    }
}

/// Works the queue at `path` until no job is pending, claimed or processing (or `stop`).
pub async fn work(
    path: PathBuf,
    stamps: Stamps,
    habits: Habits,
    seed: u64,
    stop: Arc<AtomicBool>,
) -> WorkerTally {
    let mut connection = connect(&path, false).await;
    let mut dice = Dice::new(seed);
    let mut tally = WorkerTally::default();
    while !stop.load(Ordering::Relaxed) {
        let Some(id) = pick(&mut connection, &mut dice).await else {
            if unfinished(&mut connection).await == 0 {
                break;
            }
            tokio::time::sleep(Duration::from_millis(1)).await;
            continue;
        };
        let claimed_at = stamps.now();
        let claim = sqlx::query(
            "UPDATE jobs SET state = 'claimed', claimed_at = ? WHERE id = ? AND state = 'pending'",
        );
        if !changed(&mut connection, bind(claim, &claimed_at).bind(id)).await {
            tally.lost += 1;
            continue;
        }
        tally.claimed += 1;
        tokio::time::sleep(dice.pause(habits.before_start)).await;
        if dice.below(1000) < habits.deaths_per_mille {
            tally.died += 1;
            continue;
        }
        if dice.below(1000) < habits.releases_per_mille {
            release(
                &mut connection,
                id,
                "claimed",
                "claimed_at",
                &claimed_at,
                &mut tally,
            )
            .await;
            continue;
        }
        let started_at = stamps.now();
        let start = sqlx::query(
            "UPDATE jobs SET state = 'processing', started_at = ?, attempts = attempts + 1 \
             WHERE id = ? AND state = 'claimed' AND claimed_at = ?",
        );
        let start = bind(bind(start, &started_at).bind(id), &claimed_at);
        if !changed(&mut connection, start).await {
            tally.lost += 1;
            continue;
        }
        tokio::time::sleep(dice.pause(habits.processing)).await;
        if dice.below(1000) < habits.deaths_per_mille {
            tally.died += 1;
            continue;
        }
        if dice.below(1000) < habits.releases_per_mille {
            release(
                &mut connection,
                id,
                "processing",
                "started_at",
                &started_at,
                &mut tally,
            )
            .await;
            continue;
        }
        let fails = dice.below(1000) < habits.failures_per_mille;
        let (state, error) = if fails {
            ("failed", Some(WORKER_ERROR))
        } else {
            ("completed", None)
        };
        let finish = sqlx::query(
            "UPDATE jobs SET state = ?, last_error = coalesce(?, last_error) \
             WHERE id = ? AND state = 'processing' AND started_at = ?",
        )
        .bind(state)
        .bind(error)
        .bind(id);
        if !changed(&mut connection, bind(finish, &started_at)).await {
            tally.lost += 1;
        } else if fails {
            tally.failed += 1;
        } else {
            tally.completed += 1;
        }
    }
    tally
}

/// Gives job `id` back to pending if it is still in `state` with `column` = `seen`.
async fn release(
    connection: &mut SqliteConnection,
    id: i64,
    state: &str,
    column: &str,
    seen: &Stamp,
    tally: &mut WorkerTally,
) {
    let sql = format!(
        "UPDATE jobs SET state = 'pending', claimed_at = NULL, started_at = NULL \
         WHERE id = ? AND state = ? AND {column} = ?"
    );
    let query = sqlx::query(AssertSqlSafe(sql)).bind(id).bind(state);
    if changed(connection, bind(query, seen)).await {
        tally.released += 1;
    } else {
        tally.lost += 1;
    }
}

/// A pending job, one of the first few (so that workers sometimes want the same one).
async fn pick(connection: &mut SqliteConnection, dice: &mut Dice) -> Option<i64> {
    let offset = dice.below(4) as i64;
    let sql = "SELECT id FROM jobs WHERE state = 'pending' ORDER BY id LIMIT 1 OFFSET ?";
    for offset in [offset, 0] {
        let id = sqlx::query_scalar(sql)
            .bind(offset)
            .fetch_optional(&mut *connection)
            .await
            .expect("pick a job");
        if id.is_some() {
            return id;
        }
    }
    None
}

async fn changed(connection: &mut SqliteConnection, query: TestQuery<'_>) -> bool {
    query
        .execute(connection)
        .await
        .expect("a worker's write")
        .rows_affected()
        == 1
}
