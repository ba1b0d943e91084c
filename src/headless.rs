//! Headless mode: the same engine with no screen. It logs JSON lines, serves the local
//! API when configured, reloads the config on SIGHUP and stops on SIGTERM or SIGINT.

use std::process::ExitCode;
use std::time::{Duration, Instant};

use color_eyre::eyre::{Result, WrapErr};
use tokio::signal::unix::{SignalKind, signal};
use tokio_util::sync::CancellationToken;
use tracing::{info, warn};

use crate::config::Config;
use crate::engine::Engine;
use crate::event::Command;
use crate::log::events;
use crate::state_dir::lock::StateLock;

/// How long shutdown waits for checks and the server to stop before it exits anyway; with
/// the log flush after it, a stop takes well under the 2 s a service manager is promised.
pub const SHUTDOWN_BUDGET: Duration = Duration::from_secs(1);

/// Runs until SIGTERM, SIGINT or `cancel`; a clean stop is exit 0.
pub async fn run(config: &Config, lock: StateLock, cancel: CancellationToken) -> Result<ExitCode> {
    let started = Instant::now();
    let mut terminate = signal(SignalKind::terminate()).wrap_err("cannot watch SIGTERM")?;
    let mut interrupt = signal(SignalKind::interrupt()).wrap_err("cannot watch SIGINT")?;
    let mut hangup = signal(SignalKind::hangup()).wrap_err("cannot watch SIGHUP")?;
    let bound = crate::bind_server(config).await?;
    let held = lock.held();
    let (engine, view) = Engine::start(config, lock, &cancel)
        .await
        .wrap_err("cannot keep alert state")?;
    let (server, _) = crate::start_server(
        config,
        crate::state_dir::lock::Mode::Headless,
        bound,
        &engine,
        view,
        held,
        &cancel,
    );
    info!(
        event = events::STARTED,
        mode = "headless",
        version = env!("CARGO_PKG_VERSION"),
        pid = std::process::id(),
        config = %config.source.display(),
        services = config.services.len(),
        log_dir = %config.log.dir.display(),
    );
    say_where_the_logs_go(config);
    let reason = loop {
        tokio::select! {
            _ = terminate.recv() => break "SIGTERM",
            _ = interrupt.recv() => break "SIGINT",
            () = cancel.cancelled() => break "cancelled",
            _ = hangup.recv() => {
                if engine.commands.send(Command::Reload("SIGHUP")).await.is_err() {
                    break "the engine stopped";
                }
            }
        }
    };
    cancel.cancel();
    let stopping = async {
        engine.stopped().await;
        let _ = server.await;
    };
    let clean = tokio::time::timeout(SHUTDOWN_BUDGET, stopping)
        .await
        .is_ok();
    if !clean {
        warn!(
            event = events::SHUTDOWN,
            message = "checks still running after the shutdown budget were abandoned",
        );
    }
    info!(
        event = events::SHUTDOWN,
        reason,
        uptime_s = started.elapsed().as_secs(),
        clean,
    );
    Ok(ExitCode::SUCCESS)
}

/// Started by hand in a terminal with the log lines going to files only, a headless
/// lookout would show nothing at all: one line on stderr says it runs and where to look.
fn say_where_the_logs_go(config: &Config) {
    use std::io::IsTerminal;
    if config.log.stdout || !std::io::stderr().is_terminal() {
        return;
    }
    eprintln!(
        "lookout: running headless (pid {}), {} services; log lines go to {} \
         (`[log] stdout = true` writes them here too); Ctrl-C stops it, and `lookout` with \
         the same config in another terminal shows its dashboard",
        std::process::id(),
        config.services.len(),
        config.log.dir.display(),
    );
}
