//! Frame cost: the whole dashboard for 1,000 services at 160x48 into `TestBackend`,
//! also with 10,000 alerts in the pane, and with the job monitor's panel over a pass of
//! 10,000 stuck rows. The budget is 1 ms per frame, so redraws never compete with the
//! pollers.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use criterion::{Criterion, criterion_group, criterion_main};
use lookout::state::sample::sample_snapshot;
use lookout::state::sample_alerts::many_alerts;
use lookout::state::sample_jobs::many_stuck_jobs_view;
use lookout::state::sample_system::sample_system_view;
use lookout::tui::alerts::Focus;
use lookout::tui::ui_state::{Glyphs, Mode, UiState};
use lookout::tui::view::render;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

const SERVICES: usize = 1_000;

fn frames(c: &mut Criterion) {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let snapshot = sample_snapshot(SERVICES, now);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    let mut ui = UiState {
        color: true,
        ..UiState::default()
    };

    // The selection walks the fleet, so every frame changes the page or the marked card
    // and the terminal's diff has real work to do.
    let names: Vec<String> = (snapshot.services.iter())
        .map(|s| s.config.name.clone())
        .collect();
    let mut step = 0usize;
    let mut walk = |c: &mut Criterion, name: &str, ui: &mut UiState| {
        c.bench_function(name, |b| {
            b.iter(|| {
                step = (step + 7) % SERVICES;
                ui.selected = Some(names[step].clone());
                terminal
                    .draw(|frame| render(frame, black_box(&snapshot), ui, now))
                    .expect("draw");
            });
        });
    };
    walk(c, "dashboard 1000 services 160x48", &mut ui);
    ui.glyphs = Glyphs::Ascii;
    ui.color = false;
    walk(c, "dashboard 1000 services 160x48 ascii no colour", &mut ui);

    ui.mode = Mode::Detail(names[2].clone());
    ui.glyphs = Glyphs::Unicode;
    ui.color = true;
    c.bench_function("detail 160x48", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| render(frame, black_box(&snapshot), &ui, now + tick(&mut step)))
                .expect("draw");
        });
    });
}

/// 10,000 alerts: only the pane's visible rows may be built, so a frame costs about
/// what it does without them.
fn alert_frames(c: &mut Criterion) {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut snapshot = sample_snapshot(SERVICES, now);
    snapshot.alerts = many_alerts(ALERTS, now);
    snapshot.alert_history = many_alerts(ALERTS, now);
    let mut terminal = Terminal::new(TestBackend::new(160, 48)).expect("test backend");
    let mut ui = UiState {
        color: true,
        ..UiState::default()
    };
    let names: Vec<String> = (snapshot.services.iter())
        .map(|s| s.config.name.clone())
        .collect();
    let mut step = 0usize;
    c.bench_function("dashboard 1000 services 10000 alerts 160x48", |b| {
        b.iter(|| {
            step = (step + 7) % SERVICES;
            ui.selected = Some(names[step].clone());
            terminal
                .draw(|frame| render(frame, black_box(&snapshot), &ui, now))
                .expect("draw");
        });
    });
    ui.focus = Focus::Alerts;
    c.bench_function("alert pane focused, walking 10000 alerts 160x48", |b| {
        b.iter(|| {
            step = (step + 7) % ALERTS;
            ui.alert_selected = Some(snapshot.alerts[step].id);
            terminal
                .draw(|frame| render(frame, black_box(&snapshot), &ui, now))
                .expect("draw");
        });
    });
    ui.mode = Mode::AlertHistory;
    c.bench_function("alert history 10000 160x48", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| render(frame, black_box(&snapshot), &ui, now + tick(&mut step)))
                .expect("draw");
        });
    });
}

const ALERTS: usize = 10_000;

/// The machine and the jobs share the side column; a pass of 10,000 stuck rows may build
/// only the rows the panel shows, at 160x48 as at 80x24 (where the jobs are a line).
fn jobs_frames(c: &mut Criterion) {
    let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let mut snapshot = sample_snapshot(SERVICES, now);
    snapshot.system = Some(Arc::new(sample_system_view(now)));
    snapshot.jobs = Some(Arc::new(many_stuck_jobs_view(STUCK_ROWS, now)));
    let ui = UiState {
        color: true,
        focus: Focus::Jobs,
        ..UiState::default()
    };
    let mut step = 0usize;
    for (width, height) in [(160, 48), (80, 24)] {
        let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
        let name = format!("jobs panel, 10000 stuck rows {width}x{height}");
        c.bench_function(&name, |b| {
            b.iter(|| {
                terminal
                    .draw(|frame| render(frame, black_box(&snapshot), &ui, now + tick(&mut step)))
                    .expect("draw");
            });
        });
    }
}

const STUCK_ROWS: usize = 10_000;

/// A clock that moves a second per frame, as the real one does between redraws.
fn tick(step: &mut usize) -> Duration {
    *step += 1;
    Duration::from_secs(u64::try_from(*step % 60).unwrap_or(0))
}

criterion_group!(benches, frames, alert_frames, jobs_frames);
criterion_main!(benches);
