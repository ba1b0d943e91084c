//! Writing: what one change made (silences made and ended, alerts as they are now) and
//! pruning. Every call is one `BEGIN IMMEDIATE` transaction, durable when it returns;
//! one that fails lets go of the database's files.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use sqlx::SqliteTransaction;

use super::load::clamp;
use super::record::{self, AlertRow, SilenceRow, to_ms};
use super::{AlertStore, OwedNotice, StoreError, sql};
use crate::view::alert::{AlertView, Silence};

/// A silence to write or delete, in the order they happened.
#[derive(Debug, Clone, PartialEq)]
pub enum SilenceWrite {
    Save(Silence),
    Delete(u64),
}

impl AlertStore {
    /// Writes one alert as it is now; returns once it is on disk.
    pub async fn save_alert(&self, alert: &AlertView) -> Result<(), StoreError> {
        self.save(&[], std::slice::from_ref(&Arc::new(alert.clone())))
            .await
    }

    /// Writes several alerts in one transaction: one fsync for the whole burst.
    pub async fn save_alerts(&self, alerts: &[Arc<AlertView>]) -> Result<(), StoreError> {
        self.save(&[], alerts).await
    }

    /// Writes what one change made as one transaction: silences made and ended, in the
    /// order they were, then the alerts as they are now (those a silence covers with
    /// it). Durable when it returns; a crash before that leaves none of it, so a silence
    /// is never stored without the alerts it quiets, nor the other way round.
    pub async fn save(
        &self,
        silences: &[SilenceWrite],
        alerts: &[Arc<AlertView>],
    ) -> Result<(), StoreError> {
        self.save_with_notices(silences, alerts, &[], &[]).await
    }

    /// [`AlertStore::save`], and in the same transaction the notices the change owes
    /// (`owed`) and those delivered since the last write (`settled`, deleted): a
    /// notice is never stored without the alert it tells of, nor lost between them.
    pub async fn save_with_notices(
        &self,
        silences: &[SilenceWrite],
        alerts: &[Arc<AlertView>],
        owed: &[OwedNotice],
        settled: &[u64],
    ) -> Result<(), StoreError> {
        if silences.is_empty() && alerts.is_empty() && owed.is_empty() && settled.is_empty() {
            return Ok(());
        }
        self.letting_go_on_failure(self.write(silences, alerts, owed, settled))
            .await
    }

    async fn write(
        &self,
        silences: &[SilenceWrite],
        alerts: &[Arc<AlertView>],
        owed: &[OwedNotice],
        settled: &[u64],
    ) -> Result<(), StoreError> {
        const ACTION: &str = "saving alerts and silences";
        let (mut last_alert, mut last_silence) = (0, 0);
        let mut rows = Vec::new();
        for alert in alerts {
            rows.push(AlertRow::from_view(alert).map_err(|detail| self.unstorable(detail))?);
            last_alert = last_alert.max(alert.id);
            if let Some(silence) = &alert.silence {
                last_silence = last_silence.max(silence.id);
            }
        }
        let mut tx = self.write_tx(ACTION).await?;
        for write in silences {
            match write {
                SilenceWrite::Save(silence) => {
                    self.write_silence(&mut tx, silence).await?;
                    last_silence = last_silence.max(silence.id);
                }
                SilenceWrite::Delete(id) => {
                    let id = record::id_to_db(*id).map_err(|detail| self.unstorable(detail))?;
                    sqlx::query(sql::DELETE_SILENCE)
                        .bind(id)
                        .execute(&mut *tx)
                        .await
                        .map_err(|err| self.fail("deleting a silence", err))?;
                }
            }
        }
        for row in rows {
            sqlx::query(sql::UPSERT_ALERT)
                .bind(row.id)
                .bind(row.kind)
                .bind(row.rule)
                .bind(row.subject)
                .bind(row.state)
                .bind(row.severity)
                .bind(row.started_ms)
                .bind(row.resolved_ms)
                .bind(row.body)
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail(ACTION, err))?;
        }
        self.raise_mark(&mut tx, sql::ALERT_MARK, last_alert)
            .await?;
        self.raise_mark(&mut tx, sql::SILENCE_MARK, last_silence)
            .await?;
        self.write_outbox(&mut tx, owed, settled).await?;
        self.commit(tx, ACTION).await
    }

    async fn write_silence(
        &self,
        tx: &mut SqliteTransaction<'static>,
        silence: &Silence,
    ) -> Result<(), StoreError> {
        let row = SilenceRow::from_model(silence).map_err(|detail| self.unstorable(detail))?;
        sqlx::query(sql::UPSERT_SILENCE)
            .bind(row.id)
            .bind(row.target)
            .bind(row.created_ms)
            .bind(row.until_ms)
            .bind(row.by)
            .bind(row.comment)
            .execute(&mut **tx)
            .await
            .map_err(|err| self.fail("saving a silence", err))?;
        Ok(())
    }

    /// Writes that `service` is paused (since `now`) or not; durable when it returns.
    pub async fn save_paused(
        &self,
        service: &str,
        paused: bool,
        now: SystemTime,
    ) -> Result<(), StoreError> {
        self.letting_go_on_failure(async {
            const ACTION: &str = "saving a paused service";
            let mut tx = self.write_tx(ACTION).await?;
            let query = if paused {
                sqlx::query(sql::PAUSE).bind(service).bind(to_ms(now))
            } else {
                sqlx::query(sql::RESUME).bind(service)
            };
            query
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail(ACTION, err))?;
            self.commit(tx, ACTION).await
        })
        .await
    }

    /// Deletes resolved alerts that resolved before `now - keep` or are beyond the
    /// newest `max`, and silences ended by `now`. Returns the number of rows deleted.
    pub async fn prune(
        &self,
        now: SystemTime,
        keep: Duration,
        max: usize,
    ) -> Result<u64, StoreError> {
        self.letting_go_on_failure(self.delete_old(now, keep, max))
            .await
    }

    async fn delete_old(
        &self,
        now: SystemTime,
        keep: Duration,
        max: usize,
    ) -> Result<u64, StoreError> {
        const ACTION: &str = "pruning history";
        let now_ms = to_ms(now);
        let oldest = now_ms.saturating_sub(i64::try_from(keep.as_millis()).unwrap_or(i64::MAX));
        let mut tx = self.write_tx(ACTION).await?;
        let mut deleted = 0;
        for (statement, value) in [
            (sql::PRUNE_OLD, oldest),
            (sql::PRUNE_BEYOND, clamp(max)),
            (sql::PRUNE_SILENCES, now_ms),
        ] {
            deleted += sqlx::query(statement)
                .bind(value)
                .execute(&mut *tx)
                .await
                .map_err(|err| self.fail(ACTION, err))?
                .rows_affected();
        }
        self.commit(tx, ACTION).await?;
        Ok(deleted)
    }

    /// A write transaction that holds the write lock from its first statement, so it
    /// waits (up to the busy timeout) instead of failing half-way.
    pub(super) async fn write_tx(
        &self,
        action: &'static str,
    ) -> Result<SqliteTransaction<'static>, StoreError> {
        self.pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|err| self.fail(action, err))
    }

    /// Commits; with `synchronous = FULL` the WAL is fsynced before this returns.
    pub(super) async fn commit(
        &self,
        tx: SqliteTransaction<'static>,
        action: &'static str,
    ) -> Result<(), StoreError> {
        tx.commit().await.map_err(|err| self.fail(action, err))
    }

    /// Runs one write; when it fails, its connection is closed instead of going back
    /// to the pool, and the pool opens a new one for the next write, which meets the
    /// disk as it is then. A COMMIT that failed (a full or read-only disk) leaves
    /// SQLite's transaction open, so the connection would refuse every later BEGIN; and
    /// a connection kept on a disk that failed holds its files open there, so the disk
    /// cannot be unmounted and repaired under a running lookout.
    pub(super) async fn letting_go_on_failure<T>(
        &self,
        write: impl Future<Output = Result<T, StoreError>>,
    ) -> Result<T, StoreError> {
        let result = write.await;
        // With no connection open (opening it was what failed) there is nothing to close,
        // and acquiring would open one.
        if result.is_err()
            && self.pool.size() > 0
            && let Ok(mut connection) = self.pool.acquire().await
        {
            connection.close_on_drop();
        }
        result
    }

    pub(super) async fn raise_mark(
        &self,
        tx: &mut SqliteTransaction<'static>,
        name: &'static str,
        id: u64,
    ) -> Result<(), StoreError> {
        if id == 0 {
            return Ok(());
        }
        let id = record::id_to_db(id).map_err(|detail| self.unstorable(detail))?;
        sqlx::query(sql::RAISE_MARK)
            .bind(name)
            .bind(id)
            .execute(&mut **tx)
            .await
            .map_err(|err| self.fail("recording the last id", err))?;
        Ok(())
    }
}
