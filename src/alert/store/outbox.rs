//! The outbox: notices owed to a channel, written in the same transaction as the change
//! that made them and deleted once the channel has them, read back at start so that a
//! notice still held for retry when lookout stopped is delivered after it starts again.

use std::sync::Arc;
use std::time::SystemTime;

use sqlx::sqlite::SqliteRow;
use sqlx::{Row, SqliteTransaction};

use super::record::{self, AlertRow, from_ms, to_ms};
use super::{AlertStore, StoreError, sql};
use crate::view::alert::AlertView;
use crate::view::notice::NoticeKind;

/// One notice owed to one channel.
#[derive(Debug, Clone)]
pub struct OwedNotice {
    /// Unique among every notice ever owed by this state directory.
    pub id: u64,
    /// The channel's `name`.
    pub channel: String,
    /// Every channel the notice was made for (this one among them).
    pub addressed: Arc<[String]>,
    /// Why it is sent.
    pub notice: NoticeKind,
    /// When the engine decided to send it.
    pub at: SystemTime,
    /// The alert as it was then.
    pub alert: Arc<AlertView>,
}

/// What the outbox held when lookout last stopped.
#[derive(Debug)]
pub struct Outbox {
    /// Oldest first.
    pub owed: Vec<OwedNotice>,
    /// Greater than any notice id ever stored, delivered or not.
    pub next_id: u64,
}

impl AlertStore {
    /// Reads the notices still owed, oldest first, and the next notice id.
    pub async fn load_outbox(&self) -> Result<Outbox, StoreError> {
        const ACTION: &str = "loading owed notices";
        let mut tx = (self.pool.begin().await).map_err(|err| self.fail(ACTION, err))?;
        let rows = sqlx::query(sql::OWED)
            .fetch_all(&mut *tx)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        let last: i64 = sqlx::query_scalar(sql::LAST_NOTICE_ID)
            .fetch_one(&mut *tx)
            .await
            .map_err(|err| self.fail(ACTION, err))?;
        tx.rollback().await.map_err(|err| self.fail(ACTION, err))?;
        Ok(Outbox {
            owed: (rows.iter().map(owed_row).collect::<Result<_, _>>())
                .map_err(|detail| self.corrupt(detail))?,
            next_id: u64::try_from(last).unwrap_or(0).saturating_add(1),
        })
    }

    /// Inside a write: the notices now owed, then those the channels no longer owe.
    pub(super) async fn write_outbox(
        &self,
        tx: &mut SqliteTransaction<'static>,
        owed: &[OwedNotice],
        settled: &[u64],
    ) -> Result<(), StoreError> {
        const ACTION: &str = "saving owed notices";
        let mut last = 0;
        for notice in owed {
            let alert = AlertRow::from_view(&notice.alert).map_err(|d| self.unstorable(d))?;
            let id = record::id_to_db(notice.id).map_err(|d| self.unstorable(d))?;
            last = last.max(notice.id);
            sqlx::query(sql::INSERT_OWED)
                .bind(id)
                .bind(&notice.channel)
                .bind(notice.notice.as_str())
                .bind(to_ms(notice.at))
                .bind(alert.id)
                .bind(alert.kind)
                .bind(alert.rule)
                .bind(alert.subject)
                .bind(alert.state)
                .bind(alert.severity)
                .bind(alert.started_ms)
                .bind(alert.resolved_ms)
                .bind(alert.body)
                .bind(
                    serde_json::to_string(&*notice.addressed)
                        .map_err(|e| self.unstorable(e.to_string()))?,
                )
                .execute(&mut **tx)
                .await
                .map_err(|err| self.fail(ACTION, err))?;
        }
        for id in settled {
            let id = record::id_to_db(*id).map_err(|d| self.unstorable(d))?;
            sqlx::query(sql::DELETE_OWED)
                .bind(id)
                .execute(&mut **tx)
                .await
                .map_err(|err| self.fail("deleting delivered notices", err))?;
        }
        self.raise_mark(tx, sql::NOTICE_MARK, last).await
    }
}

fn owed_row(row: &SqliteRow) -> Result<OwedNotice, String> {
    let read = |err: sqlx::Error| format!("an owed notice does not read: {err}");
    let id: i64 = row.try_get(0).map_err(read)?;
    let id = u64::try_from(id).map_err(|_| format!("owed notice with negative id {id}"))?;
    let word: String = row.try_get(2).map_err(read)?;
    let notice = NoticeKind::parse(&word)
        .ok_or_else(|| format!("owed notice {id}: unknown notice {word:?}"))?;
    let alert = AlertRow {
        id: row.try_get(4).map_err(read)?,
        kind: row.try_get(5).map_err(read)?,
        rule: row.try_get(6).map_err(read)?,
        subject: row.try_get(7).map_err(read)?,
        state: row.try_get(8).map_err(read)?,
        severity: row.try_get(9).map_err(read)?,
        started_ms: row.try_get(10).map_err(read)?,
        resolved_ms: row.try_get(11).map_err(read)?,
        body: row.try_get(12).map_err(read)?,
    };
    let addressed: String = row.try_get(13).map_err(read)?;
    let addressed: Vec<String> = serde_json::from_str(&addressed)
        .map_err(|err| format!("owed notice {id}: its channels do not read: {err}"))?;
    Ok(OwedNotice {
        id,
        channel: row.try_get(1).map_err(read)?,
        addressed: addressed.into(),
        notice,
        at: from_ms(row.try_get(3).map_err(read)?),
        alert: Arc::new(alert.into_view()?),
    })
}
