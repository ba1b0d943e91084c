//! Taking and giving back the terminal: raw mode and the alternate screen, restored by a
//! guard's `Drop` on every exit path and by the panic hook (also for panics in tasks).

use std::io::{self, Stdout};

use crossterm::cursor::Show;
use crossterm::execute;
use crossterm::terminal::{
    Clear, ClearType, EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;

pub type Screen = Terminal<CrosstermBackend<Stdout>>;

/// Owns the terminal while the dashboard runs; dropping it restores the terminal.
pub struct TerminalGuard {
    pub screen: Screen,
}

impl TerminalGuard {
    pub fn enter() -> io::Result<Self> {
        install_panic_hook();
        enable_raw_mode()?;
        // Cleared here rather than with `Terminal::clear`, which asks the terminal where its
        // cursor is and waits up to 2 s for an answer some terminals never send.
        let entered = execute!(io::stdout(), EnterAlternateScreen, Clear(ClearType::All))
            .and_then(|()| Terminal::new(CrosstermBackend::new(io::stdout())));
        match entered {
            Ok(mut screen) => {
                screen.hide_cursor()?;
                Ok(Self { screen })
            }
            Err(err) => {
                restore();
                Err(err)
            }
        }
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Leaves raw mode and the alternate screen; safe to call more than once.
pub fn restore() {
    // Errors are ignored on purpose: this runs on the way out, often after a failure.
    let _ = disable_raw_mode();
    let _ = execute!(io::stdout(), LeaveAlternateScreen, Show);
}

/// A panic anywhere (the UI thread or any task) restores the terminal before the report
/// is printed, then ends the process: a dashboard with a dead part must not pretend.
fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
        std::process::exit(101);
    }));
}
