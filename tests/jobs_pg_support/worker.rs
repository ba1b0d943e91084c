//! A simulated queue worker on its own connection (`application_name = worker`): it
//! claims, starts and finishes jobs, each step a compare-and-set, and sometimes dies or
//! stalls past a timeout.

use std::str::FromStr;
use std::time::Duration;

use lookout::config::JobsConfig;
use sqlx::postgres::PgConnectOptions;
use sqlx::{AssertSqlSafe, Connection, PgConnection};

use super::url;

/// What a worker writes when a job fails on its own.
pub const WORKER_ERROR: &str = "worker: the job raised";

/// A small deterministic generator (xorshift64*), one per worker.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// True `percent` times in a hundred.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    /// Usually a millisecond or two of work; sometimes a stall past `stall`.
    fn pause(&mut self, stall: Duration) -> Duration {
        if self.chance(5) {
            stall + Duration::from_millis(self.next() % 20)
        } else {
            Duration::from_micros(500 + self.next() % 1_500)
        }
    }
}

/// A worker's statements for `table`.
struct Steps {
    claim: String,
    start: String,
    finish: String,
    unfinished: String,
}

impl Steps {
    fn new(table: &str) -> Self {
        Self {
            claim: format!(
                "UPDATE {table} SET state = 'claimed', claimed_at = clock_timestamp(), \
                 attempts = attempts + 1 \
                 WHERE id = (SELECT id FROM {table} WHERE state = 'pending' \
                             ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED) \
                 AND state = 'pending' RETURNING id, claimed_at::text"
            ),
            start: format!(
                "UPDATE {table} SET state = 'processing', started_at = clock_timestamp() \
                 WHERE id = $1 AND state = 'claimed' AND claimed_at = $2::timestamptz \
                 RETURNING started_at::text"
            ),
            finish: format!(
                "UPDATE {table} SET state = $3, last_error = $4 \
                 WHERE id = $1 AND state = 'processing' AND started_at = $2::timestamptz"
            ),
            unfinished: format!(
                "SELECT count(*) FROM {table} WHERE state IN ('pending', 'claimed', 'processing')"
            ),
        }
    }
}

/// Works jobs until none is left unfinished; returns how many it abandoned.
pub async fn worker(table: String, config: JobsConfig, seed: u64) -> u64 {
    let options = PgConnectOptions::from_str(&url())
        .expect("url")
        .application_name("worker");
    let mut connection = PgConnection::connect_with(&options).await.expect("connect");
    let steps = Steps::new(&table);
    let mut random = Random(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let mut abandoned = 0;
    loop {
        let claimed: Option<(i64, String)> = sqlx::query_as(AssertSqlSafe(steps.claim.as_str()))
            .fetch_optional(&mut connection)
            .await
            .expect("claim");
        let Some((id, claimed_at)) = claimed else {
            let left: i64 = sqlx::query_scalar(AssertSqlSafe(steps.unfinished.as_str()))
                .fetch_one(&mut connection)
                .await
                .expect("count");
            if left == 0 {
                return abandoned;
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
            continue;
        };
        if random.chance(3) {
            abandoned += 1; // dies holding a claimed row
            continue;
        }
        tokio::time::sleep(random.pause(config.claimed_timeout)).await;
        let started: Option<String> = sqlx::query_scalar(AssertSqlSafe(steps.start.as_str()))
            .bind(id)
            .bind(claimed_at)
            .fetch_optional(&mut connection)
            .await
            .expect("start");
        let Some(started_at) = started else {
            continue; // lookout put it back: another worker will take it
        };
        if random.chance(3) {
            abandoned += 1; // dies while processing
            continue;
        }
        tokio::time::sleep(random.pause(config.processing_timeout)).await;
        let (state, error) = if random.chance(10) {
            ("failed", Some(WORKER_ERROR))
        } else {
            ("completed", None)
        };
        sqlx::query(AssertSqlSafe(steps.finish.as_str()))
            .bind(id)
            .bind(started_at)
            .bind(state)
            .bind(error)
            .execute(&mut connection)
            .await
            .expect("finish");
    }
}
