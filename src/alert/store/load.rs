//! Reading everything back at start: active alerts, bounded history, live silences
//! and the next ids.

use std::time::SystemTime;

use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use super::record::{AlertRow, SilenceRow, to_ms};
use super::{AlertStore, Persisted, StoreError, sql};
use crate::view::alert::AlertView;

impl AlertStore {
    /// Reads everything back at start; see [`Persisted`].
    pub async fn load(&self, now: SystemTime, history_max: usize) -> Result<Persisted, StoreError> {
        const ACTION: &str = "loading alerts";
        // One read transaction: the parts agree with each other.
        let mut tx = self
            .pool
            .begin()
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        let active = sqlx::query(sql::ACTIVE_ALERTS)
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        let history = sqlx::query(sql::HISTORY)
            .bind(clamp(history_max))
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        let silences = sqlx::query(sql::LIVE_SILENCES)
            .bind(to_ms(now))
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| self.fail("loading silences", err))?;
        let last_alert: i64 = sqlx::query_scalar(sql::LAST_ALERT_ID)
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        let last_silence: i64 = sqlx::query_scalar(sql::LAST_SILENCE_ID)
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| self.fail("loading silences", err))?;
        let paused: Vec<String> = sqlx::query_scalar(sql::PAUSED)
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| self.fail("loading paused services", err))?;
        tx.rollback().await.map_err(|err| self.fail(ACTION, err))?;
        Ok(Persisted {
            alerts: self.alerts_from(active)?,
            history: self.alerts_from(history)?,
            silences: silences
                .into_iter()
                .map(|row| silence_row(&row).and_then(SilenceRow::into_model))
                .collect::<Result<_, _>>()
                .map_err(|detail| self.corrupt(detail))?,
            next_alert_id: next_id(last_alert),
            next_silence_id: next_id(last_silence),
            paused,
        })
    }

    fn alerts_from(&self, rows: Vec<SqliteRow>) -> Result<Vec<AlertView>, StoreError> {
        rows.iter()
            .map(|row| alert_row(row).and_then(AlertRow::into_view))
            .collect::<Result<_, _>>()
            .map_err(|detail| self.corrupt(detail))
    }
}

fn alert_row(row: &SqliteRow) -> Result<AlertRow, String> {
    let read = |err: sqlx::Error| format!("an alert row does not read: {err}");
    Ok(AlertRow {
        id: row.try_get(0).map_err(read)?,
        kind: row.try_get(1).map_err(read)?,
        rule: row.try_get(2).map_err(read)?,
        subject: row.try_get(3).map_err(read)?,
        state: row.try_get(4).map_err(read)?,
        severity: row.try_get(5).map_err(read)?,
        started_ms: row.try_get(6).map_err(read)?,
        resolved_ms: row.try_get(7).map_err(read)?,
        body: row.try_get(8).map_err(read)?,
    })
}

fn silence_row(row: &SqliteRow) -> Result<SilenceRow, String> {
    let read = |err: sqlx::Error| format!("a silence row does not read: {err}");
    Ok(SilenceRow {
        id: row.try_get(0).map_err(read)?,
        target: row.try_get(1).map_err(read)?,
        created_ms: row.try_get(2).map_err(read)?,
        until_ms: row.try_get(3).map_err(read)?,
        by: row.try_get(4).map_err(read)?,
        comment: row.try_get(5).map_err(read)?,
    })
}

fn next_id(last: i64) -> u64 {
    u64::try_from(last).unwrap_or(0).saturating_add(1)
}

/// A count as an SQL `LIMIT`.
pub(super) fn clamp(count: usize) -> i64 {
    i64::try_from(count).unwrap_or(i64::MAX)
}
