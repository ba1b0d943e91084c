//! The dashboard under a resize storm: the demo's fleet in tmux, its window resized about
//! a hundred times a second for three seconds through every size down to 1x1 (with the
//! help overlay open for part of it). It keeps running, then draws the final size whole,
//! and `q` gives the terminal back.

mod support;

use std::time::{Duration, Instant};

use support::{Tmux, require};

const PATIENCE: Duration = Duration::from_secs(20);
const STORM: Duration = Duration::from_secs(3);

/// Sizes the storm cycles through: wide, standard, tiny, degenerate.
const SIZES: [(u16, u16); 8] = [
    (160, 48),
    (1, 1),
    (80, 24),
    (20, 5),
    (200, 60),
    (40, 12),
    (3, 2),
    (120, 7),
];

fn storm(tmux: &Tmux) -> usize {
    let started = Instant::now();
    let mut resizes = 0;
    while started.elapsed() < STORM {
        let (width, height) = SIZES[resizes % SIZES.len()];
        tmux.resize(width, height);
        resizes += 1;
        // Paced to 100 a second (a resize takes a few ms of its own).
        let next = started + Duration::from_millis(10) * resizes as u32;
        std::thread::sleep(next.saturating_duration_since(Instant::now()));
    }
    println!("{resizes} resizes in {:.1?}", started.elapsed());
    resizes
}

#[test]
fn a_hundred_resizes_a_second_leave_it_running_and_drawn() {
    if !require("tmux", "end-to-end dashboard test") {
        return;
    }
    let command = format!("exec {} demo", env!("CARGO_BIN_EXE_lookout"));
    let tmux = Tmux::start("resize-storm", 160, 48, &command);
    tmux.wait_for("the demo's fleet", PATIENCE, |s| s.contains("storefront"));

    let mut resizes = storm(&tmux);
    tmux.keys(&["?"]);
    resizes += storm(&tmux);
    tmux.keys(&["Escape"]);
    assert!(resizes >= 400, "the storm resized {resizes} times");
    assert!(
        !tmux.exited(),
        "lookout died in the storm:\n{}",
        tmux.screen()
    );

    tmux.resize(100, 30);
    let screen = tmux.wait_for("the whole dashboard at 100x30", PATIENCE, |s| {
        s.contains("storefront") && s.contains("<demo>") && !s.contains("Esc or ? closes")
    });
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines.iter().all(|l| l.chars().count() <= 100), "{screen}");
    assert!(lines.len() >= 29, "every row drawn:\n{screen}");

    tmux.keys(&["q"]);
    tmux.wait_for("the dashboard to quit", PATIENCE, |_| tmux.exited());
    assert!(
        !tmux.alternate_screen(),
        "terminal not restored:\n{}",
        tmux.screen()
    );
}
