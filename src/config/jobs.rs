//! `[jobs]`: the job queue table the job monitor watches, how its columns and states are
//! named, and when a claimed or processing row counts as stuck. Read by
//! `jobs_section.rs`.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use super::Severity;

/// `[jobs]`, validated: every name that reaches SQL is a plain identifier.
#[derive(Clone, PartialEq)]
pub struct JobsConfig {
    /// Start the monitor with lookout; `J` (and the API) turn it on and off at any time.
    pub enabled: bool,
    pub database: JobsDatabase,
    /// The queue table, `name` or `schema.name`.
    pub table: String,
    pub columns: JobColumns,
    pub states: JobStates,
    /// How SQLite keeps the timestamp columns; PostgreSQL's are read from the schema.
    pub timestamps: TimestampFormat,
    /// A row `claimed` for longer than this goes back to `pending`.
    pub claimed_timeout: Duration,
    /// A row `processing` for longer than this is failed (or retried, see
    /// `max_attempts`).
    pub processing_timeout: Duration,
    /// Time between two passes.
    pub interval: Duration,
    /// Rows changed per statement (and per transaction on SQLite).
    pub batch: u32,
    /// A row stuck in `processing` with fewer attempts than this goes back to `pending`
    /// for a retry instead of failing.
    pub max_attempts: Option<u32>,
    /// Find and report stuck rows, change nothing.
    pub dry_run: bool,
    /// The longest one query may run before it is cancelled (and the database counts
    /// as having an issue).
    pub query_timeout: Duration,
    /// The severity of `stuck_jobs` alerts (`database_issue` is always high).
    pub severity: Severity,
}

/// Where the queue table lives.
#[derive(Clone, PartialEq)]
pub enum JobsDatabase {
    /// `sqlite://path` (relative paths are taken from the config file's directory).
    Sqlite { path: PathBuf },
    /// `postgres://…`; the URL may hold a password: never logged or shown as is.
    Postgres { url: String },
}

impl JobsDatabase {
    /// `sqlite` or `postgres`.
    pub fn kind(&self) -> &'static str {
        match self {
            JobsDatabase::Sqlite { .. } => "sqlite",
            JobsDatabase::Postgres { .. } => "postgres",
        }
    }
}

impl fmt::Display for JobsDatabase {
    /// The database as it may be shown or logged: a password is replaced by `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JobsDatabase::Sqlite { path } => write!(f, "sqlite://{}", path.display()),
            JobsDatabase::Postgres { url } => match masked_url(url) {
                Some(shown) => f.write_str(&shown),
                None => f.write_str("postgres://***"),
            },
        }
    }
}

/// Query parameters that hold a secret (`postgres://db/app?password=…`).
const SECRET_PARAMETERS: [&str; 2] = ["password", "sslpassword"];

/// `url` with every password (before the `@`, or as a `password` parameter) shown as
/// `***`; `None` when it may hold one but cannot be parsed, so where it is cannot be told.
pub(crate) fn masked_url(url: &str) -> Option<String> {
    let lower = url.to_ascii_lowercase();
    if !url.contains('@') && !SECRET_PARAMETERS.iter().any(|p| lower.contains(p)) {
        return Some(url.to_string());
    }
    let mut parsed = url::Url::parse(url).ok().filter(url::Url::has_host)?;
    if parsed.password().is_some() {
        parsed.set_password(Some("***")).ok()?;
    }
    if parsed.query().is_some() {
        let pairs: Vec<(String, String)> = parsed
            .query_pairs()
            .map(|(key, value)| {
                let secret = SECRET_PARAMETERS
                    .iter()
                    .any(|p| key.eq_ignore_ascii_case(p));
                let value = if secret {
                    "***".to_string()
                } else {
                    value.into_owned()
                };
                (key.into_owned(), value)
            })
            .collect();
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Some(parsed.to_string())
}

impl fmt::Debug for JobsDatabase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

/// `[jobs.columns]`: the column names, each a validated identifier.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobColumns {
    pub id: String,
    pub state: String,
    /// When the row was claimed (the claimed timeout runs from it).
    pub claimed_at: String,
    /// When processing started, or a column workers touch as they go (`updated_at`);
    /// the processing timeout runs from it.
    pub started_at: String,
    pub attempts: String,
    /// Where the reason a job failed is written.
    pub last_error: String,
}

impl Default for JobColumns {
    fn default() -> Self {
        Self {
            id: "id".into(),
            state: "state".into(),
            claimed_at: "claimed_at".into(),
            started_at: "started_at".into(),
            attempts: "attempts".into(),
            last_error: "last_error".into(),
        }
    }
}

/// `[jobs.states]`: the words the state column holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobStates {
    pub pending: String,
    pub claimed: String,
    pub processing: String,
    pub completed: String,
    pub failed: String,
}

impl Default for JobStates {
    fn default() -> Self {
        Self {
            pending: "pending".into(),
            claimed: "claimed".into(),
            processing: "processing".into(),
            completed: "completed".into(),
            failed: "failed".into(),
        }
    }
}

/// How a SQLite queue writes its timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// Read from the declared column type: INTEGER, REAL or NUMERIC are epoch seconds,
    /// anything else ISO-8601 text.
    Auto,
    /// ISO-8601 text, as `datetime('now')` or `strftime('%Y-%m-%dT%H:%M:%fZ')` write it.
    Iso8601,
    /// Seconds since the Unix epoch, integer or real.
    EpochSeconds,
}

impl TimestampFormat {
    /// The word written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            TimestampFormat::Auto => "auto",
            TimestampFormat::Iso8601 => "iso8601",
            TimestampFormat::EpochSeconds => "epoch",
        }
    }
}

/// The documented defaults, for a given database and table.
impl JobsConfig {
    pub fn new(database: JobsDatabase, table: &str) -> Self {
        Self {
            enabled: false,
            database,
            table: table.to_string(),
            columns: JobColumns::default(),
            states: JobStates::default(),
            timestamps: TimestampFormat::Auto,
            claimed_timeout: Duration::from_secs(5 * 60),
            processing_timeout: Duration::from_secs(10 * 60),
            interval: Duration::from_secs(60),
            batch: 100,
            max_attempts: None,
            dry_run: false,
            query_timeout: Duration::from_secs(10),
            severity: Severity::Medium,
        }
    }
}

impl fmt::Debug for JobsConfig {
    /// The database is shown masked (its URL may hold a password).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JobsConfig")
            .field("enabled", &self.enabled)
            .field("database", &self.database)
            .field("table", &self.table)
            .field("columns", &self.columns)
            .field("states", &self.states)
            .field("timestamps", &self.timestamps)
            .field("claimed_timeout", &self.claimed_timeout)
            .field("processing_timeout", &self.processing_timeout)
            .field("interval", &self.interval)
            .field("batch", &self.batch)
            .field("max_attempts", &self.max_attempts)
            .field("dry_run", &self.dry_run)
            .field("query_timeout", &self.query_timeout)
            .field("severity", &self.severity)
            .finish()
    }
}
