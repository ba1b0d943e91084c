//! `lookout demo`: a built-in fleet of loopback servers that go slow, fail and recover
//! on a script, so a newcomer sees every service state within a minute, with no setup;
//! the local machine in the system panel; and a job queue whose workers sometimes die
//! (`queue.rs`), watched by the job monitor.

mod fleet;
pub mod queue;
mod script;
mod server;

use std::io;
use std::path::PathBuf;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

use crate::config::{Config, GeneralConfig};

/// Why the demo fleet could not start.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("cannot open a loopback port for the demo server {service:?}: {source}")]
    Bind {
        service: &'static str,
        #[source]
        source: io::Error,
    },
    #[error("cannot create the demo's job queue: {0}")]
    Queue(#[from] sqlx::Error),
}

/// Starts the demo fleet (about a dozen HTTP servers and one TCP port on 127.0.0.1, on
/// ports the OS picks) and returns the config that watches it, so `lookout demo` runs the
/// real dashboard and real probes against real sockets.
///
/// The servers run as tokio tasks until `cancel` fires; then their ports close (also
/// after an error here: servers already started wait for `cancel` too). Their scripts
/// start at the moment of this call. Must be called inside a tokio runtime.
pub async fn start(cancel: CancellationToken) -> Result<Config, DemoError> {
    // Nothing is written there until something persists state; then it is per process.
    let state_dir = std::env::temp_dir().join(format!("lookout-demo-{}", std::process::id()));

    let start = Instant::now();
    let mut services = Vec::with_capacity(fleet::MEMBERS.len() + 1);
    for member in fleet::MEMBERS {
        let bind_error = |source| DemoError::Bind {
            service: member.name,
            source,
        };
        let listener = bind_loopback().await.map_err(bind_error)?;
        let addr = server::spawn_http(listener, member.path, member.kind, start, cancel.clone())
            .map_err(bind_error)?;
        let url = format!("http://{addr}{}", member.path);
        let url = reqwest::Url::parse(&url).map_err(|e| bind_error(io::Error::other(e)))?;
        services.push(fleet::http_service(member, url));
    }
    let tcp_error = |source| DemoError::Bind {
        service: fleet::TCP_NAME,
        source,
    };
    let listener = bind_loopback().await.map_err(tcp_error)?;
    let addr = server::spawn_tcp(listener, start, cancel.clone()).map_err(tcp_error)?;
    services.push(fleet::tcp_service(addr.port()));

    let jobs = queue::start(&state_dir, cancel.clone()).await?;
    let log = crate::config::LogConfig::defaults(&state_dir);
    Ok(Config {
        source: PathBuf::from(crate::config::BUILT_IN_SOURCE),
        general: GeneralConfig {
            state_dir,
            history: Duration::from_secs(15 * 60),
            max_concurrent_checks: 16,
            watch: false,
        },
        log,
        server: None,
        socket_group: None,
        alerts: crate::config::AlertsConfig::default(),
        notify: Vec::new(),
        jobs: Some(jobs),
        alertmanagers: Vec::new(),
        prometheus: Vec::new(),
        keys: crate::keymap::KeyMap::default(),
        // The real local machine, sampled every second with its busiest processes, so
        // the panel and its detail view (`M`) are as alive as the fleet.
        system: crate::config::SystemConfig {
            interval: Duration::from_secs(1),
            processes: true,
            ..crate::config::SystemConfig::default()
        },
        services,
    })
}

async fn bind_loopback() -> io::Result<TcpListener> {
    TcpListener::bind(("127.0.0.1", 0)).await
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_incidents;
