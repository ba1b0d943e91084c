//! Every SQL statement the alert store runs, in one place: the schema and its version,
//! the writes, the reads and the pruning. Values are always bound, never formatted in.

/// The schema this build writes, kept in `PRAGMA user_version`. A database with a
/// higher number was written by a newer lookout and is refused, not guessed at.
pub const SCHEMA_VERSION: i64 = 4;

pub const READ_VERSION: &str = "PRAGMA user_version";

/// Tables that are not lookout's.
pub const FOREIGN_TABLES: &str = "
SELECT name FROM sqlite_master
WHERE type = 'table' AND name NOT IN ('alerts', 'silences', 'id_marks', 'paused', 'outbox', 'certificates')
ORDER BY name";

/// Version 1. Times are epoch milliseconds. `alerts.body` is JSON holding what no
/// query looks into: group, summary, fired, ack, silence, flapping, timeline.
/// `id_marks` keeps the highest id ever stored per table, so ids are never handed
/// out twice even after pruning deleted the newest rows.
pub const SCHEMA_V1: &str = "
CREATE TABLE IF NOT EXISTS alerts (
    id          INTEGER PRIMARY KEY,
    kind        TEXT    NOT NULL,
    rule        TEXT,
    subject     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    started_ms  INTEGER NOT NULL,
    resolved_ms INTEGER,
    body        TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS alerts_by_key ON alerts (kind, rule, subject);
CREATE INDEX IF NOT EXISTS alerts_by_state ON alerts (state, resolved_ms);
CREATE TABLE IF NOT EXISTS silences (
    id         INTEGER PRIMARY KEY,
    target     TEXT    NOT NULL,
    created_ms INTEGER NOT NULL,
    until_ms   INTEGER NOT NULL,
    by_whom    TEXT    NOT NULL,
    comment    TEXT
);
CREATE INDEX IF NOT EXISTS silences_by_until ON silences (until_ms);
CREATE TABLE IF NOT EXISTS id_marks (
    name TEXT    PRIMARY KEY,
    last INTEGER NOT NULL
) WITHOUT ROWID;
PRAGMA user_version = 1;
";

/// Version 2: an alert may close without resolving, as `state = 'ended'` (its reason in
/// the body). No table changes; the version tells an older lookout, which would take
/// such a row for an open alert, to refuse the file.
pub const SCHEMA_V2: &str = "PRAGMA user_version = 2;";

/// Version 3: the services paused from the keyboard or the API, by name, so a restart
/// keeps them paused.
pub const SCHEMA_V3: &str = "
CREATE TABLE IF NOT EXISTS paused (
    service  TEXT    PRIMARY KEY,
    since_ms INTEGER NOT NULL
) WITHOUT ROWID;
PRAGMA user_version = 3;
";

/// Version 4: notices owed to a channel and not yet delivered, one row per notice and
/// channel, written with the change that made them and deleted once delivered (or
/// refused for good), so that a notice held for retry outlives a restart. The alert is
/// kept as it was when the notice was made, in the columns of `alerts`; `addressed`
/// lists (JSON) every channel the notice was made for, so that one owed to a channel
/// since removed goes to the channels that never had it. And the
/// certificate each service's server last presented (JSON), so that a restart while the
/// server cannot be reached still knows when it expires.
pub const SCHEMA_V4: &str = "
CREATE TABLE IF NOT EXISTS outbox (
    id          INTEGER PRIMARY KEY,
    channel     TEXT    NOT NULL,
    addressed   TEXT    NOT NULL,
    notice      TEXT    NOT NULL,
    at_ms       INTEGER NOT NULL,
    alert_id    INTEGER NOT NULL,
    kind        TEXT    NOT NULL,
    rule        TEXT,
    subject     TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    severity    TEXT    NOT NULL,
    started_ms  INTEGER NOT NULL,
    resolved_ms INTEGER,
    body        TEXT    NOT NULL
);
CREATE TABLE IF NOT EXISTS certificates (
    service TEXT    PRIMARY KEY,
    seen_ms INTEGER NOT NULL,
    body    TEXT    NOT NULL
) WITHOUT ROWID;
PRAGMA user_version = 4;
";

pub const INSERT_OWED: &str = "
INSERT INTO outbox (id, channel, notice, at_ms, alert_id, kind, rule, subject, state, severity,
                    started_ms, resolved_ms, body, addressed)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
ON CONFLICT (id) DO NOTHING";

/// `?1` the service, `?2` when the certificate was first seen, `?3` it as JSON.
pub const SAVE_CERTIFICATE: &str = "
INSERT INTO certificates (service, seen_ms, body) VALUES (?1, ?2, ?3)
ON CONFLICT (service) DO UPDATE SET seen_ms = excluded.seen_ms, body = excluded.body";

pub const CERTIFICATES: &str = "SELECT service, body FROM certificates ORDER BY service";

pub const FORGET_CERTIFICATE: &str = "DELETE FROM certificates WHERE service = ?1";

pub const DELETE_OWED: &str = "DELETE FROM outbox WHERE id = ?1";

/// Oldest first: the order they were owed in.
pub const OWED: &str = "
SELECT id, channel, notice, at_ms, alert_id, kind, rule, subject, state, severity,
       started_ms, resolved_ms, body, addressed
FROM outbox ORDER BY id";

/// `?1` the service's name, `?2` when it was paused (epoch milliseconds).
pub const PAUSE: &str =
    "INSERT INTO paused (service, since_ms) VALUES (?1, ?2) ON CONFLICT (service) DO NOTHING";

pub const RESUME: &str = "DELETE FROM paused WHERE service = ?1";

pub const PAUSED: &str = "SELECT service FROM paused ORDER BY service";

/// Closed alerts: resolved or ended. Both are history.
macro_rules! closed {
    () => {
        "state IN ('resolved', 'ended')"
    };
}

pub const UPSERT_ALERT: &str = "
INSERT INTO alerts (id, kind, rule, subject, state, severity, started_ms, resolved_ms, body)
VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
ON CONFLICT (id) DO UPDATE SET
    kind = excluded.kind, rule = excluded.rule, subject = excluded.subject,
    state = excluded.state, severity = excluded.severity,
    started_ms = excluded.started_ms, resolved_ms = excluded.resolved_ms,
    body = excluded.body";

pub const UPSERT_SILENCE: &str = "
INSERT INTO silences (id, target, created_ms, until_ms, by_whom, comment)
VALUES (?1, ?2, ?3, ?4, ?5, ?6)
ON CONFLICT (id) DO UPDATE SET
    target = excluded.target, created_ms = excluded.created_ms,
    until_ms = excluded.until_ms, by_whom = excluded.by_whom, comment = excluded.comment";

pub const DELETE_SILENCE: &str = "DELETE FROM silences WHERE id = ?1";

/// `?1` is `alert` or `silence`; the mark only ever grows.
pub const RAISE_MARK: &str = "
INSERT INTO id_marks (name, last) VALUES (?1, ?2)
ON CONFLICT (name) DO UPDATE SET last = max(last, excluded.last)";

pub const ALERT_MARK: &str = "alert";
pub const SILENCE_MARK: &str = "silence";
pub const NOTICE_MARK: &str = "notice";

/// The highest id ever stored: the mark, or the table itself if someone wrote to it
/// by hand.
pub const LAST_ALERT_ID: &str = "
SELECT max(coalesce((SELECT last FROM id_marks WHERE name = 'alert'), 0),
           coalesce((SELECT max(id) FROM alerts), 0))";
pub const LAST_SILENCE_ID: &str = "
SELECT max(coalesce((SELECT last FROM id_marks WHERE name = 'silence'), 0),
           coalesce((SELECT max(id) FROM silences), 0))";

pub const LAST_NOTICE_ID: &str = "
SELECT max(coalesce((SELECT last FROM id_marks WHERE name = 'notice'), 0),
           coalesce((SELECT max(id) FROM outbox), 0))";

/// The columns every alert read returns, in the order `record::AlertRow` reads them.
macro_rules! select_alerts {
    () => {
        "SELECT id, kind, rule, subject, state, severity, started_ms, resolved_ms, body \
         FROM alerts "
    };
}

/// A resolved alert's place in history: when it resolved (when it started if that
/// was never recorded), newest first.
macro_rules! history_order {
    () => {
        "coalesce(resolved_ms, started_ms) DESC, id DESC"
    };
}

pub const ACTIVE_ALERTS: &str = concat!(select_alerts!(), "WHERE NOT ", closed!(), " ORDER BY id");

pub const HISTORY: &str = concat!(
    select_alerts!(),
    "WHERE ",
    closed!(),
    " ORDER BY ",
    history_order!(),
    " LIMIT ?1"
);

/// `?1` is now in epoch milliseconds.
pub const LIVE_SILENCES: &str = "
SELECT id, target, created_ms, until_ms, by_whom, comment
FROM silences WHERE until_ms > ?1 ORDER BY id";

/// `?1` is the oldest close time kept, in epoch milliseconds.
pub const PRUNE_OLD: &str = concat!(
    "DELETE FROM alerts WHERE ",
    closed!(),
    " AND coalesce(resolved_ms, started_ms) < ?1"
);

/// `?1` is how many closed alerts to keep.
pub const PRUNE_BEYOND: &str = concat!(
    "DELETE FROM alerts WHERE ",
    closed!(),
    " AND id NOT IN (SELECT id FROM alerts WHERE ",
    closed!(),
    " ORDER BY ",
    history_order!(),
    " LIMIT ?1)"
);

/// `?1` is now in epoch milliseconds.
pub const PRUNE_SILENCES: &str = "DELETE FROM silences WHERE until_ms <= ?1";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_sets_the_version_this_build_knows() {
        assert!(SCHEMA_V4.contains(&format!("user_version = {SCHEMA_VERSION}")));
        assert!(
            ACTIVE_ALERTS.contains("FROM alerts WHERE"),
            "{ACTIVE_ALERTS}"
        );
    }
}
