//! The dashboard's loop: keys, snapshots and the clock in; frames out. It draws at once
//! after a key; new data is drawn with the clock, once a second (like htop), except for
//! a moment after a key, when it is drawn within `FRAME` so `r` and `p` answer at once.
//! Never a busy loop. A new critical alert that is firing rings the bell when its
//! snapshot is taken.

use std::io::{self, Write};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crossterm::event::{Event as TermEvent, EventStream, KeyEventKind};
use futures_util::StreamExt;
use ratatui::layout::{Position, Rect};
use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::{mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use crate::event::{Command, Done, NotDone, Reply};
use crate::tui::input::{Effect, Grid, handle_key};
use crate::tui::terminal::TerminalGuard;
use crate::tui::ui_state::UiState;
use crate::tui::view;
use crate::view::snapshot::Snapshot;

/// How often the loop looks for something to draw.
const FRAME: Duration = Duration::from_millis(250);
/// After a key, new data is drawn within `FRAME` for this long, not only on the second.
const AFTER_KEY: Duration = Duration::from_secs(2);

/// Runs the dashboard until `q`, Ctrl-C, SIGTERM, SIGINT, or cancellation. SIGHUP
/// reloads the config, as it does headless; a terminal that really hung up ends the
/// dashboard at its next draw, which fails.
pub async fn run(
    mut view_rx: watch::Receiver<Snapshot>,
    commands: mpsc::Sender<Command>,
    mut ui: UiState,
    cancel: CancellationToken,
) -> io::Result<()> {
    let mut terminal = TerminalGuard::enter()?;
    let mut terminate = signal(SignalKind::terminate())?;
    let mut hangup = signal(SignalKind::hangup())?;
    let mut interrupt = signal(SignalKind::interrupt())?;
    let mut input = forward_input();
    // What became of the commands the core answers, for the status bar.
    let (outcome_tx, mut outcomes) = mpsc::channel::<String>(16);
    let mut ticker = tokio::time::interval(FRAME);
    ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);

    let mut snapshot = view_rx.borrow_and_update().clone();
    ui.note_link(&snapshot);
    ui.settle(&snapshot);
    ring_if_due(&mut terminal, &snapshot, &mut ui)?;
    let mut last_key = Instant::now();
    let mut data_waiting = false;
    let mut drawn_second = draw(&mut terminal, &snapshot, &ui)?;
    loop {
        tokio::select! {
            () = cancel.cancelled() => break,
            _ = terminate.recv() => break,
            _ = interrupt.recv() => break,
            _ = hangup.recv() => {
                send(&commands, Command::Reload("SIGHUP"), &mut ui, &outcome_tx);
            }
            changed = view_rx.changed() => {
                if changed.is_err() {
                    break; // the core is gone
                }
                data_waiting = true;
                // Someone acted, here, on another screen or over the API: drawn at once,
                // not on the next second.
                if view_rx.borrow().acted == snapshot.acted {
                    continue;
                }
                snapshot = take_newest(&mut view_rx, &mut ui, &mut terminal)?;
                data_waiting = false;
                drawn_second = draw(&mut terminal, &snapshot, &ui)?;
            }
            _ = ticker.tick() => {
                let new_second = whole_seconds(SystemTime::now()) != drawn_second;
                let eager = last_key.elapsed() < AFTER_KEY;
                if !(new_second || (data_waiting && eager)) {
                    continue;
                }
                if data_waiting {
                    snapshot = take_newest(&mut view_rx, &mut ui, &mut terminal)?;
                    data_waiting = false;
                }
                drawn_second = draw(&mut terminal, &snapshot, &ui)?;
            }
            Some(outcome) = outcomes.recv() => {
                ui.message = Some(outcome);
                drawn_second = draw(&mut terminal, &snapshot, &ui)?;
            }
            event = input.recv() => {
                match event {
                    Some(Ok(TermEvent::Key(key))) if key.kind != KeyEventKind::Release => {
                        last_key = Instant::now();
                        let area = Rect::from((Position::ORIGIN, terminal.screen.size()?));
                        let grid = Grid {
                            columns: view::columns_for(area, &snapshot, &ui),
                            page: view::page_size(area, &snapshot, &ui),
                            list_page: view::list_page(area, &snapshot, &ui),
                        };
                        match handle_key(&mut ui, key, &snapshot, grid) {
                            Effect::Quit if quit_now(&mut ui) => break,
                            Effect::Quit => {}
                            Effect::Send(command) => {
                                ui.quit_armed = false;
                                send(&commands, command, &mut ui, &outcome_tx);
                            }
                            Effect::Nothing => ui.quit_armed = false,
                        }
                    }
                    Some(Ok(TermEvent::Resize(..))) => terminal.screen.autoresize()?,
                    Some(Ok(_)) => continue,
                    Some(Err(err)) => return Err(err),
                    None => break,
                }
                ui.settle(&snapshot);
                drawn_second = draw(&mut terminal, &snapshot, &ui)?;
            }
        }
    }
    Ok(())
}

/// True when `q` may quit now: no screen elsewhere follows this dashboard's engine, or
/// `q` was pressed again after the warning.
fn quit_now(ui: &mut UiState) -> bool {
    let others = ui.viewers.as_ref().map_or(0, |v| v.count());
    if others == 0 || ui.quit_armed {
        return true;
    }
    ui.quit_armed = true;
    ui.message = Some(format!(
        "{others} attached here would lose their engine: q again to quit"
    ));
    false
}

/// Terminal events, read in a task of their own. Polling crossterm's `EventStream` from
/// the select loop would try-lock its reader on every wake-up while its thread holds the
/// lock, spinning with `sched_yield`; a task is polled only when an event is there.
fn forward_input() -> mpsc::Receiver<io::Result<TermEvent>> {
    let (tx, rx) = mpsc::channel(64);
    tokio::spawn(async move {
        let mut stream = EventStream::new();
        while let Some(event) = stream.next().await {
            if tx.send(event).await.is_err() {
                break;
            }
        }
    });
    rx
}

/// Hands `command` to the core. For a command the core answers (an ack, a silence…),
/// its answer comes back on `outcomes` as a status line: done, or refused and why (the
/// alert resolved while the key was pressed, say), never silently nothing.
fn send(
    commands: &mpsc::Sender<Command>,
    mut command: Command,
    ui: &mut UiState,
    outcomes: &mpsc::Sender<String>,
) {
    let asked = ui.message.clone().unwrap_or_else(|| "done".to_string());
    // An Alertmanager's answer comes as the snapshot's notice (`UiState::note_action`).
    let remote = matches!(
        command,
        Command::SilenceRemote { .. } | Command::ExpireRemote { .. }
    );
    let answer = command.reply_slot().filter(|_| !remote).map(|slot| {
        let (reply, answer) = Reply::new();
        *slot = Some(reply);
        answer
    });
    if commands.try_send(command).is_err() {
        ui.message = Some("busy: command dropped, try again".to_string());
        return;
    }
    if let Some(answer) = answer {
        let outcomes = outcomes.clone();
        tokio::spawn(async move {
            let line = match answer.await {
                Ok(done) => outcome_line(&asked, &done),
                Err(_) => format!("{asked}: no answer (lookout is stopping)"),
            };
            let _ = outcomes.send(line).await;
        });
    }
}

/// "acknowledging service_down/api as ana@db1: done", or what kept it from being done.
fn outcome_line(asked: &str, done: &Done) -> String {
    match done {
        Ok(_) => format!("{asked}: done"),
        Err(NotDone::Refused(why)) => format!("{asked}: not done, {why}"),
        Err(NotDone::Unsaved { why, .. }) => format!("{asked}: {why}"),
        Err(NotDone::Unanswered(why)) => format!("{asked}: unknown, {why}"),
    }
}

/// Rings the terminal bell (BEL) once for each new critical alert that is firing.
/// The newest snapshot, with what the screen notes of it: the engine it comes from, the
/// selection kept to what is shown, a reload's or an action's outcome, the bell.
fn take_newest(
    view_rx: &mut watch::Receiver<Snapshot>,
    ui: &mut UiState,
    terminal: &mut TerminalGuard,
) -> io::Result<Snapshot> {
    let snapshot = view_rx.borrow_and_update().clone();
    ui.note_link(&snapshot);
    ui.settle(&snapshot);
    ui.note_reload(&snapshot);
    ui.note_action(&snapshot);
    ring_if_due(terminal, &snapshot, ui)?;
    Ok(snapshot)
}

fn ring_if_due(
    terminal: &mut TerminalGuard,
    snapshot: &Snapshot,
    ui: &mut UiState,
) -> io::Result<()> {
    if ui.bell_due(snapshot) {
        let backend = terminal.screen.backend_mut();
        backend.write_all(b"\x07")?;
        backend.flush()?;
    }
    Ok(())
}

/// Draws one frame; returns the wall-clock second it shows.
fn draw(terminal: &mut TerminalGuard, snapshot: &Snapshot, ui: &UiState) -> io::Result<u64> {
    let now = SystemTime::now();
    terminal
        .screen
        .draw(|frame| view::render(frame, snapshot, ui, now))?;
    Ok(whole_seconds(now))
}

fn whole_seconds(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}
