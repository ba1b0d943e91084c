//! A panic in any task gives the terminal back before the report is printed, and ends the
//! process. The test runs its own binary again inside tmux as the "child", which takes
//! the terminal the way the dashboard does, draws, and panics inside a spawned task.

mod support;

use std::time::Duration;

use lookout::tui::terminal::TerminalGuard;
use ratatui::widgets::Paragraph;
use support::{Tmux, require};

const CHILD: &str = "LOOKOUT_PANIC_CHILD";
const DRAWN: &str = "drawn on the alternate screen";
const PANIC: &str = "a poller went wrong";

#[test]
fn a_panic_inside_a_task_restores_the_terminal_and_exits_101() {
    if std::env::var_os(CHILD).is_some() {
        return child();
    }
    if !require("tmux", "terminal restore on panic") {
        return;
    }
    let exe = std::env::current_exe().expect("test binary path");
    // The pane's shell runs the child, then prints its exit status: on the normal
    // screen only if the child gave the terminal back.
    let command = format!(
        "{CHILD}=1 RUST_BACKTRACE=0 {} --exact a_panic_inside_a_task_restores_the_terminal_and_exits_101 --nocapture; echo child-exit=$?",
        exe.display()
    );
    let tmux = Tmux::start("panic", 100, 30, &command);
    tmux.wait_for("the child to exit", Duration::from_secs(15), |s| {
        s.contains("child-exit=")
    });
    let screen = tmux.screen();
    assert!(screen.contains("child-exit=101"), "{screen}");
    assert!(
        !tmux.alternate_screen(),
        "the alternate screen is left:\n{screen}"
    );
    // What the harness printed before the terminal was taken is back on screen.
    assert!(
        screen.contains("running 1 test"),
        "the normal screen is back:\n{screen}"
    );
    assert!(screen.contains(PANIC), "the report is shown:\n{screen}");
    assert!(!screen.contains(DRAWN), "the drawing is gone:\n{screen}");
}

/// Takes the terminal, draws, then panics in a task as a broken poller would.
fn child() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let mut guard = TerminalGuard::enter().expect("a terminal");
        guard
            .screen
            .draw(|frame| frame.render_widget(Paragraph::new(DRAWN), frame.area()))
            .expect("draw");
        tokio::spawn(async { panic!("{PANIC}") });
        // The panic hook ends the process long before this.
        tokio::time::sleep(Duration::from_secs(10)).await;
    });
    unreachable!("the panic hook exits the process");
}
