//! The `event` names of headless log lines: `tracing::info!(event = events::STARTED, …)`.
//!
//! Each line's `event` key holds one of these; the subject (`service`, `alert_id`,
//! `job_id`…) and the details follow as the event's own fields.

/// A service moved between states (`from`, `to`, `reason`).
pub const SERVICE_STATE_CHANGED: &str = "service_state_changed";
/// A service's checks were paused.
pub const SERVICE_PAUSED: &str = "service_paused";
/// A paused service's checks resumed.
pub const SERVICE_RESUMED: &str = "service_resumed";
/// One check finished (debug level: one line per check, off by default).
pub const CHECK_COMPLETED: &str = "check_completed";
/// A changed config file was loaded and is now in use.
pub const CONFIG_RELOADED: &str = "config_reloaded";
/// A `targets = true` Prometheus listed other scrape targets: their cards follow, the
/// config file is not read again and no other check is stopped.
pub const TARGETS_CHANGED: &str = "targets_changed";
/// A changed config file was invalid; the previous one stays in use.
pub const CONFIG_REJECTED: &str = "config_rejected";
/// The process started.
pub const STARTED: &str = "started";
/// The process is stopping.
pub const SHUTDOWN: &str = "shutdown";
/// The HTTP server is accepting connections.
pub const SERVER_LISTENING: &str = "server_listening";
/// The engine's local socket is accepting connections.
pub const SOCKET_LISTENING: &str = "socket_listening";
/// The engine's local socket could not be made; the engine runs without it.
pub const SOCKET_FAILED: &str = "socket_failed";
/// An alert's condition holds but has not lasted long enough to fire.
pub const ALERT_PENDING: &str = "alert_pending";
/// An alert fired.
pub const ALERT_FIRING: &str = "alert_firing";
/// Someone acknowledged an alert.
pub const ALERT_ACKED: &str = "alert_acked";
/// An alert's condition no longer holds.
pub const ALERT_RESOLVED: &str = "alert_resolved";
/// A notification was delivered.
pub const NOTIFICATION_SENT: &str = "notification_sent";
/// A notification could not be delivered.
pub const NOTIFICATION_FAILED: &str = "notification_failed";
/// Notices still owed when lookout last stopped were handed to their channels again.
pub const NOTICES_RESUMED: &str = "notices_resumed";
/// Stuck jobs were handed back to the queue.
pub const JOBS_RESCUED: &str = "jobs_rescued";
/// A periodic sample of the machine (at the configured cadence).
pub const SYSTEM_SAMPLE: &str = "system_sample";
/// A `[system]` threshold started (`state = "exceeded"`, warn) or stopped (`"cleared"`,
/// info) being exceeded: the resource, its reading and the threshold.
pub const SYSTEM_THRESHOLD: &str = "system_threshold";
/// An acknowledgement was taken back.
pub const ALERT_UNACKED: &str = "alert_unacked";
/// A silence or maintenance window now covers an alert.
pub const ALERT_SILENCED: &str = "alert_silenced";
/// No silence covers an alert any more.
pub const ALERT_UNSILENCED: &str = "alert_unsilenced";
/// An alert is still firing and nobody took it: another reminder period passed.
pub const ALERT_REMINDER: &str = "alert_reminder";
/// An alert got worse than it has been since it fired or was acked (its severity, or
/// DOWN after DEGRADED); an acknowledgement is dropped.
pub const ALERT_WORSENED: &str = "alert_worsened";
/// An alert changed kind or severity in place, no worse than it has been.
pub const ALERT_SHIFTED: &str = "alert_shifted";
/// Another engine took the state directory while this one had let go of it (its disk
/// failed): this one stops, so that one engine keeps it.
pub const STATE_DIR_TAKEN: &str = "state_dir_taken";
/// An alert closed without its condition clearing (`reason`: paused, removed…).
pub const ALERT_ENDED: &str = "alert_ended";
/// An alert started flapping: notices wait until it settles.
pub const ALERT_FLAP_STARTED: &str = "alert_flap_started";
/// An alert stopped flapping.
pub const ALERT_FLAP_ENDED: &str = "alert_flap_ended";
pub const ALERT_RELEASED: &str = "alert_released";
/// Someone silenced alerts.
pub const SILENCE_ADDED: &str = "silence_added";
/// A silence expired or was lifted.
pub const SILENCE_ENDED: &str = "silence_ended";
/// Alert state could not be written to the state directory.
pub const ALERT_STORE_FAILED: &str = "alert_store_failed";
/// The local API refused connections past its cap, or could not accept one.
pub const SERVER_BUSY: &str = "server_busy";
/// One stuck job and what a pass did to it (`job_id`, `from`, `action`, `outcome`).
pub const JOB_RESCUED: &str = "job_rescued";
/// The job monitor was turned on (`J`, the API, or at start with `enabled = true`).
pub const JOBS_MONITOR_STARTED: &str = "jobs_monitor_started";
/// The job monitor was turned off.
pub const JOBS_MONITOR_STOPPED: &str = "jobs_monitor_stopped";
/// The job queue's database failed (connect, schema or query); retried with backoff.
pub const JOBS_DATABASE_FAILED: &str = "jobs_database_failed";
/// The job queue's database answers again after failing.
pub const JOBS_DATABASE_RECOVERED: &str = "jobs_database_recovered";
/// Lookout's alerts were sent to an Alertmanager (info when something changed, debug
/// for the periodic re-send of open alerts).
pub const ALERTMANAGER_FORWARDED: &str = "alertmanager_forwarded";
/// A request to an Alertmanager failed; retried with backoff (logged when the error
/// changes, not for each repeat).
pub const ALERTMANAGER_FAILED: &str = "alertmanager_failed";
/// An Alertmanager answers again after failing.
pub const ALERTMANAGER_RECOVERED: &str = "alertmanager_recovered";
/// Reading an Alertmanager's alerts for the pane failed (logged when the error changes).
pub const ALERTMANAGER_READ_FAILED: &str = "alertmanager_read_failed";
/// An Alertmanager's alerts are read again after failing.
pub const ALERTMANAGER_READ_RECOVERED: &str = "alertmanager_read_recovered";
/// A silence was made in an Alertmanager from lookout (`a` or `s` on its alert).
pub const ALERTMANAGER_SILENCE_CREATED: &str = "alertmanager_silence_created";
/// Silences in an Alertmanager were expired from lookout (`u` or `S` on its alert).
pub const ALERTMANAGER_SILENCE_EXPIRED: &str = "alertmanager_silence_expired";
/// A silence could not be made or expired in an Alertmanager.
pub const ALERTMANAGER_SILENCE_FAILED: &str = "alertmanager_silence_failed";
/// The log directory disappeared while lookout ran and was made again (the first line
/// of the new file).
pub const LOG_DIR_RECREATED: &str = "log_dir_recreated";
/// The disk refused log lines for longer than lookout could hold them: how many of the
/// oldest went (`dropped`) and since when.
pub const LOG_LINES_DROPPED: &str = "log_lines_dropped";
/// The alert store takes writes again after failing; what waited is written.
pub const ALERT_STORE_RECOVERED: &str = "alert_store_recovered";
