//! lookout: a terminal dashboard for people on call.
//!
//! `run` picks the mode from the command line: the dashboard or headless mode (over a
//! config file or the built-in demo fleet), a one-shot `check`, `validate`, or one pass
//! of the job monitor (`jobs check`).

pub mod alert;
pub mod attach;
pub mod cli;
pub mod config;
pub mod contract;
pub mod core;
pub mod demo;
pub mod document;
pub mod engine;
pub mod event;
pub mod headless;
pub mod jobs;
pub mod keymap;
pub mod kinds;
pub mod log;
pub mod net;
pub mod notify;
pub mod probe;
pub mod reload;
pub mod report;
pub mod server;
pub mod sources;
pub mod state;
pub mod state_dir;
pub mod system;
pub mod tui;
pub mod view;
pub mod view_form;
pub mod words;

#[cfg(test)]
pub(crate) mod test_support;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use color_eyre::eyre::{Result, WrapErr};
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

use crate::cli::{Cli, CliCommand, JobsCommand};
use crate::config::Config;
use crate::engine::Engine;
use crate::report::Report;
use crate::state_dir::lock::{self, StateLock};
use crate::tui::ui_state::UiState;
use crate::view::snapshot::Snapshot;

/// Exit code for a bad config or bad usage (PRODUCT.md).
const EXIT_BAD_CONFIG: u8 = 2;

/// Runs the command the user asked for; returns the process exit code.
pub fn run(cli: Cli) -> Result<ExitCode> {
    let ascii = cli.ascii;
    match cli.command {
        Some(CliCommand::Validate) => Ok(validate(&cli)),
        Some(CliCommand::Check { json }) => {
            let Some(config) = load_config(&cli) else {
                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
            };
            run_to_end(runtime(&config)?, check(&config, json))
        }
        Some(CliCommand::Jobs {
            command: JobsCommand::Check { dry_run, json },
        }) => {
            let Some(config) = load_config(&cli) else {
                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
            };
            let Some(jobs) = &config.jobs else {
                eprintln!(
                    "{}: there is no [jobs] section; add one to watch a job queue \
                     (config.example.toml shows every key)",
                    config.source.display()
                );
                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
            };
            let code = run_to_end(
                runtime_with_workers(1)?,
                jobs::check::run(jobs, dry_run, json),
            );
            Ok(ExitCode::from(code))
        }
        Some(CliCommand::Attach { ref url, ref token }) => {
            attach_command(&cli, url.clone(), token.clone())
        }
        Some(CliCommand::Demo) => {
            // A dozen services: one worker is plenty, and cheapest.
            let runtime = runtime_with_workers(1)?;
            let cancel = CancellationToken::new();
            let mut config = runtime
                .block_on(demo::start(cancel.clone()))
                .wrap_err("could not start the demo fleet")?;
            let shown = if screenless(cli.headless) {
                // Nobody reads the demo's temporary log directory: show the lines.
                config.log.stdout = true;
                headless(&config, runtime, cancel)
            } else {
                dashboard(&config, ascii, runtime, cancel)
            };
            // The demo's state (its alert store, its logs) lives only as long as it runs.
            let _ = std::fs::remove_dir_all(&config.general.state_dir);
            shown
        }
        None => {
            let Some(config) = load_config(&cli) else {
                return Ok(ExitCode::from(EXIT_BAD_CONFIG));
            };
            let runtime = runtime(&config)?;
            if screenless(cli.headless) {
                return headless(&config, runtime, CancellationToken::new());
            }
            dashboard(&config, ascii, runtime, CancellationToken::new())
        }
    }
}

/// True when there is no screen to draw on: asked for, or stdout is not a terminal
/// (which is said on stderr, so a mistake is noticed).
fn screenless(asked: bool) -> bool {
    if asked {
        return true;
    }
    if std::io::stdout().is_terminal() {
        return false;
    }
    eprintln!(
        "lookout: stdout is not a terminal, so running headless (pass --headless to say so \
         and silence this note)"
    );
    true
}

/// How long the runtime waits for blocking work (a name lookup, say) after the work
/// it ran is done, before the process exits anyway.
const RUNTIME_GRACE: Duration = Duration::from_millis(200);

/// Runs `work` to its end, then stops the runtime without waiting on blocking work still
/// running past `RUNTIME_GRACE`: a name lookup stuck in the resolver must not hold up
/// the exit of a check whose timeout has passed (dropping a runtime waits for it).
fn run_to_end<T>(runtime: tokio::runtime::Runtime, work: impl Future<Output = T>) -> T {
    let out = runtime.block_on(work);
    runtime.shutdown_timeout(RUNTIME_GRACE);
    out
}

/// Takes the config's state directory for this process; `None` (said on stderr) when
/// another engine holds it.
fn take_state_dir(config: &Config, mode: lock::Mode) -> Option<StateLock> {
    match StateLock::acquire(config, mode) {
        Ok(lock) => Some(lock),
        Err(err) => {
            eprintln!("lookout: {err}");
            None
        }
    }
}

/// Headless mode: the state directory taken and logging set up first (a second engine,
/// a bad filter or log directory is reported before anything runs), then the engine
/// until a signal, then every log line written out.
fn headless(
    config: &Config,
    runtime: tokio::runtime::Runtime,
    cancel: CancellationToken,
) -> Result<ExitCode> {
    let Some(lock) = take_state_dir(config, lock::Mode::Headless) else {
        return Ok(ExitCode::FAILURE);
    };
    let filter = match log::filter_from_env(|name| std::env::var(name).ok()) {
        Ok(filter) => filter,
        Err(err) => {
            eprintln!("lookout: {err}");
            return Ok(ExitCode::from(EXIT_BAD_CONFIG));
        }
    };
    let guard = log::init(&config.log, filter).wrap_err("cannot start logging")?;
    let code = run_to_end(runtime, headless::run(config, lock, cancel));
    drop(guard);
    code
}

/// Binds the TCP API when `[server] listen` is set, before the engine starts: a taken
/// port is an error before anything is checked or drawn.
pub(crate) async fn bind_server(config: &Config) -> Result<Option<server::Server>> {
    let Some(settings) = &config.server else {
        return Ok(None);
    };
    let server = server::Server::bind(settings)
        .await
        .wrap_err("cannot start the local API")?;
    Ok(Some(server))
}

/// Serves the API on the engine's local socket (`<state_dir>/lookout.sock`), and over
/// TCP on `bound` when `[server] listen` is set.
pub(crate) fn start_server(
    config: &Config,
    mode: lock::Mode,
    bound: Option<server::Server>,
    engine: &Engine,
    view: watch::Receiver<Snapshot>,
    held: watch::Receiver<bool>,
    cancel: &CancellationToken,
) -> (tokio::task::JoinHandle<()>, server::Hubs) {
    let mut served = tokio::task::JoinSet::new();
    let engine_info = view::snapshot::EngineInfo::of_this_process(mode.as_str());
    let hubs = server::Hubs::start(view.clone(), engine_info, cancel);
    let group = config.socket_group.as_ref().map(|g| g.gid);
    match server::LocalSocket::bind(&config.general.state_dir, group) {
        Ok(socket) => {
            tracing::info!(
                event = crate::log::events::SOCKET_LISTENING,
                path = %socket.path().display(),
            );
            served.spawn(server::serve_socket(
                socket,
                view.clone(),
                engine.commands.clone(),
                hubs.clone(),
                held,
                cancel.clone(),
            ));
        }
        // The checks and notices matter more than a way in for viewers.
        Err(err) => tracing::warn!(event = crate::log::events::SOCKET_FAILED, error = %err),
    }
    if let Some(server) = bound {
        tracing::info!(
            event = crate::log::events::SERVER_LISTENING,
            address = %server.local_addr(),
        );
        served.spawn(server.run(view, engine.commands.clone(), hubs.clone(), cancel.clone()));
    }
    let serving = tokio::spawn(async move { while served.join_next().await.is_some() {} });
    (serving, hubs)
}

/// Planned checks per second above which a second worker thread pays for itself; below
/// it, waking two threads for each check costs more than the checks (see BENCHMARKS.md).
const CHECKS_PER_SECOND_FOR_ALL_CORES: f64 = 1000.0;

/// A runtime sized for the config's check rate. `TOKIO_WORKER_THREADS` overrides it.
fn runtime(config: &Config) -> Result<tokio::runtime::Runtime> {
    let all_cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let workers = if planned_check_rate(config) < CHECKS_PER_SECOND_FOR_ALL_CORES {
        1
    } else {
        all_cores
    };
    runtime_with_workers(workers)
}

fn runtime_with_workers(workers: usize) -> Result<tokio::runtime::Runtime> {
    let mut builder = tokio::runtime::Builder::new_multi_thread();
    if std::env::var_os("TOKIO_WORKER_THREADS").is_none() {
        builder.worker_threads(workers);
    }
    builder
        .enable_all()
        .build()
        .wrap_err("could not start the async runtime")
}

/// Checks per second the config asks for.
fn planned_check_rate(config: &Config) -> f64 {
    config
        .services
        .iter()
        .map(|s| 1.0 / s.interval.as_secs_f64().max(0.001))
        .sum()
}

/// Finds and loads the config, printing every problem to stderr when it is not valid.
fn load_config(cli: &Cli) -> Option<Config> {
    let loaded = config::locate(cli.config.as_deref())
        .map_err(|err| err.to_string())
        .and_then(|path| config::load(&path).map_err(|err| err.to_string()));
    match loaded {
        Ok(config) => Some(config),
        Err(message) => {
            eprintln!("{message}");
            None
        }
    }
}

fn validate(cli: &Cli) -> ExitCode {
    match load_config(cli) {
        Some(config) => {
            println!(
                "{}: valid ({} service{})",
                config.source.display(),
                config.services.len(),
                if config.services.len() == 1 { "" } else { "s" }
            );
            ExitCode::SUCCESS
        }
        None => ExitCode::from(EXIT_BAD_CONFIG),
    }
}

async fn check(config: &Config, json: bool) -> Result<ExitCode> {
    crate::net::install_crypto_provider();
    let checked_at = SystemTime::now();
    let (targets, problems) = sources::prometheus::discovery::discover_once(config).await;
    for problem in problems {
        eprintln!("lookout: {problem}");
    }
    let config = &sources::prometheus::discovery::with_targets(config.clone(), &targets);
    let results =
        probe::check_all_once(&config.services, config.general.max_concurrent_checks).await;
    let report = Report::new(&config.services, &results, checked_at);
    let text = if json {
        let mut text = report.to_json().wrap_err("could not encode the report")?;
        text.push('\n');
        text
    } else {
        report.table()
    };
    std::io::stdout()
        .write_all(text.as_bytes())
        .wrap_err("could not write the report")?;
    Ok(ExitCode::from(report.exit_code()))
}

/// The dashboard, once the state directory is taken (before the terminal is); when an
/// engine already holds it, the dashboard attaches to that engine instead.
fn dashboard(
    config: &Config,
    ascii: bool,
    runtime: tokio::runtime::Runtime,
    cancel: CancellationToken,
) -> Result<ExitCode> {
    let lock = match StateLock::acquire(config, lock::Mode::Dashboard) {
        Ok(lock) => lock,
        Err(lock::LockError::Held { .. }) => {
            let socket = config.general.state_dir.join(server::socket::FILE_NAME);
            let ui = ui_for(Some(config), ascii);
            return Ok(attach(attach::Target::Socket(socket), ui, runtime));
        }
        Err(err) => {
            eprintln!("lookout: {err}");
            return Ok(ExitCode::FAILURE);
        }
    };
    run_to_end(runtime, run_dashboard(config, ascii, lock, cancel))
}

/// `lookout attach [--url URL --token TOKEN]`.
fn attach_command(cli: &Cli, url: Option<url::Url>, token: Option<String>) -> Result<ExitCode> {
    if cli.headless {
        eprintln!(
            "lookout: attach draws the engine's screen: --headless has no meaning here (the \
             engine's own logs and API have what a script needs)"
        );
        return Ok(ExitCode::from(EXIT_BAD_CONFIG));
    }
    let runtime = runtime_with_workers(1)?;
    let Some(url) = url else {
        let Some(config) = load_config(cli) else {
            return Ok(ExitCode::from(EXIT_BAD_CONFIG));
        };
        let socket = config.general.state_dir.join(server::socket::FILE_NAME);
        let ui = ui_for(Some(&config), cli.ascii);
        return Ok(attach(attach::Target::Socket(socket), ui, runtime));
    };
    if url.scheme() != "http" {
        eprintln!(
            "lookout: --url {url}: only http:// is spoken (the API has no TLS of its own); \
             reach a remote engine through an SSH tunnel (ssh -L 9100:127.0.0.1:9100 host) \
             and attach to http://127.0.0.1:9100"
        );
        return Ok(ExitCode::from(EXIT_BAD_CONFIG));
    }
    let Some(token) = token.filter(|t| !t.is_empty()) else {
        eprintln!(
            "lookout: attaching to {url} needs the API's token ([server] token of that \
             engine): pass --token or set LOOKOUT_TOKEN"
        );
        return Ok(ExitCode::from(EXIT_BAD_CONFIG));
    };
    // Keys from a config named on the command line; the defaults otherwise.
    let config = cli.config.as_ref().and_then(|_| load_config(cli));
    let ui = ui_for(config.as_ref(), cli.ascii);
    Ok(attach(
        attach::Target::Tcp { base: url, token },
        ui,
        runtime,
    ))
}

/// Runs an attached dashboard; a failure to attach is said on stderr (exit 1).
fn attach(target: attach::Target, ui: UiState, runtime: tokio::runtime::Runtime) -> ExitCode {
    match run_to_end(runtime, attach::run(target, ui, CancellationToken::new())) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("lookout: {err}");
            ExitCode::FAILURE
        }
    }
}

/// The screen's settings: the terminal's, and the config's bell and keys when there is
/// a config.
fn ui_for(config: Option<&Config>, ascii: bool) -> UiState {
    let mut ui = UiState::for_terminal(ascii, |key| std::env::var(key).ok());
    if let Some(config) = config {
        ui.bell = config.alerts.bell;
        ui.keys = config.keys.clone();
    }
    ui
}

async fn run_dashboard(
    config: &Config,
    ascii: bool,
    lock: StateLock,
    cancel: CancellationToken,
) -> Result<ExitCode> {
    let bound = bind_server(config).await?;
    let held = lock.held();
    let (engine, view) = Engine::start(config, lock, &cancel)
        .await
        .wrap_err("cannot keep alert state")?;
    let (server, hubs) = start_server(
        config,
        lock::Mode::Dashboard,
        bound,
        &engine,
        view.clone(),
        held,
        &cancel,
    );
    let mut ui = ui_for(Some(config), ascii);
    ui.viewers = Some(tui::ui_state::Viewers::new(move || hubs.view.listeners()));
    let shown = tui::app::run(view, engine.commands.clone(), ui, cancel.clone()).await;
    cancel.cancel();
    engine.stopped().await;
    let _ = server.await;
    shown.wrap_err("the terminal failed")?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::test_support::{config, http_service};

    #[test]
    fn check_rate_sums_every_service() {
        let with_interval = |ms: u64| {
            let mut service = http_service("s");
            service.interval = Duration::from_millis(ms);
            service
        };
        let cases: &[(&[u64], f64)] = &[
            (&[], 0.0),
            (&[1000], 1.0),
            (&[1000, 500, 100], 13.0),
            (&[100; 200], 2000.0),
        ];
        for (intervals, want) in cases {
            let services = intervals.iter().map(|ms| with_interval(*ms)).collect();
            let rate = planned_check_rate(&config(services));
            assert!((rate - want).abs() < 1e-9, "{intervals:?}: {rate}");
        }
    }
}
