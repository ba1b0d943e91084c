//! `SystemState` on injected samples: history, thresholds per resource and per mount,
//! the log cadence, reconfiguring, and n/a readings.

use std::time::Duration;

use super::*;
use crate::config::SystemThresholds;
use crate::state::sample_system::{machine_sample, sample_system_view};
use crate::test_support::at;
use crate::view::machine_sample::{CpuUsage, Filesystem};

fn settings() -> SystemConfig {
    SystemConfig::default()
}

/// A sample at `at(secs)` with this CPU total and one filesystem "/" this full.
fn sample(secs: u64, cpu: f32, disk_percent: u64) -> SystemSample {
    SystemSample {
        at: at(secs),
        cpu: Some(CpuUsage {
            total: cpu,
            per_core: vec![cpu],
        }),
        filesystems: vec![Filesystem {
            mount: "/".to_string(),
            kind: "ext4".to_string(),
            used: disk_percent,
            available: 100 - disk_percent,
            inodes: None,
        }],
        ..machine_sample(0, at(secs))
    }
}

fn crossings(applied: &Applied) -> Vec<(&'static str, Option<&str>, Crossing)> {
    applied
        .changes
        .iter()
        .map(|c| (c.resource.as_str(), c.subject.as_deref(), c.crossing))
        .collect()
}

#[test]
fn nothing_to_show_before_the_first_sample() {
    let state = SystemState::new(&settings(), Duration::from_secs(3600));
    assert!(state.view().is_none() && state.latest().is_none());
}

#[test]
fn cpu_spike_needs_its_full_duration_clears_at_its_clear_line_and_disks_are_per_mount() {
    let mut state = SystemState::new(&settings(), Duration::from_secs(3600));
    // (seconds, cpu, disk %) -> crossings, and the rules shown afterwards.
    type Case = (
        u64,
        f32,
        u64,
        &'static [(&'static str, Option<&'static str>, Crossing)],
        &'static [(&'static str, &'static str)],
    );
    let cases: &[Case] = &[
        (0, 95.0, 50, &[], &[("cpu", "pending")]),
        (
            60,
            95.0,
            95,
            &[],
            &[("cpu", "pending"), ("disk", "pending")],
        ),
        (
            119,
            95.0,
            95,
            &[],
            &[("cpu", "pending"), ("disk", "pending")],
        ),
        (
            120,
            95.0,
            95,
            &[
                ("disk", Some("/"), Crossing::Exceeded),
                ("cpu", None, Crossing::Exceeded),
            ],
            &[("cpu", "exceeded"), ("disk", "exceeded")],
        ),
        // Back under 90 but above the clear line (85): still exceeded, nothing logged.
        (
            125,
            88.0,
            89,
            &[],
            &[("cpu", "exceeded"), ("disk", "exceeded")],
        ),
        (
            130,
            20.0,
            95,
            &[("cpu", None, Crossing::Cleared)],
            &[("disk", "exceeded")],
        ),
        (140, 20.0, 86, &[], &[("disk", "exceeded")]),
        (
            150,
            20.0,
            85,
            &[("disk", Some("/"), Crossing::Cleared)],
            &[],
        ),
    ];
    for (secs, cpu, disk, want, shown) in cases {
        let applied = state.apply(sample(*secs, *cpu, *disk));
        let mut got = crossings(&applied);
        let mut want = want.to_vec();
        got.sort_by_key(|c| c.0);
        want.sort_by_key(|c| c.0);
        assert_eq!(got, want, "at {secs}s");
        let view = state.view().expect("view");
        let rules: Vec<(&str, &str)> = view
            .rules
            .iter()
            .map(|r| (r.resource.as_str(), r.level.as_str()))
            .collect();
        assert_eq!(rules, *shown, "at {secs}s");
    }
}

#[test]
fn a_filesystem_that_goes_away_clears_its_threshold() {
    let mut state = SystemState::new(&settings(), Duration::from_secs(3600));
    state.apply(sample(0, 10.0, 95));
    state.apply(sample(100, 10.0, 95));
    let mut gone = sample(110, 10.0, 95);
    gone.filesystems.clear();
    let applied = state.apply(gone);
    assert_eq!(
        crossings(&applied),
        [("disk", Some("/"), Crossing::Cleared)]
    );
    assert_eq!(applied.changes[0].value, None);
}

#[test]
fn turned_off_thresholds_never_fire_and_n_a_readings_are_not_zero() {
    let quiet = SystemConfig {
        thresholds: SystemThresholds {
            cpu: None,
            ..SystemThresholds::BUILTIN
        },
        ..settings()
    };
    let mut state = SystemState::new(&quiet, Duration::from_secs(3600));
    state.apply(sample(0, 100.0, 10));
    let applied = state.apply(sample(600, 100.0, 10));
    assert!(applied.changes.is_empty());
    let mut bare = sample(602, 0.0, 10);
    bare.cpu = None;
    bare.swap = None;
    state.apply(bare);
    let view = state.view().expect("view");
    let newest = view.history.last().expect("points");
    assert_eq!((newest.cpu, newest.swap), (None, None));
    assert!(view.rules.is_empty());
}

#[test]
fn the_history_is_bounded_by_the_window() {
    let interval = Duration::from_secs(2);
    let config = SystemConfig {
        interval,
        ..settings()
    };
    let mut state = SystemState::new(&config, Duration::from_secs(60));
    for k in 0..100 {
        state.apply(sample(k * 2, 10.0, 10));
    }
    let view = state.view().expect("view");
    assert_eq!(
        view.history.len(),
        31,
        "60 s of samples every 2 s, both ends"
    );
    assert_eq!(view.history.last().map(|p| p.at()), Some(at(198)));
}

#[test]
fn a_sample_line_is_due_every_log_every() {
    let mut state = SystemState::new(&settings(), Duration::from_secs(3600));
    let due: Vec<bool> = [0, 2, 58, 60, 62, 121, 30]
        .iter()
        .map(|secs| state.apply(sample(*secs, 10.0, 10)).log_sample)
        .collect();
    // The clock went back at the end: a line is written and the cadence starts again.
    assert_eq!(due, [true, false, false, true, false, true, true]);
}

#[test]
fn reconfiguring_keeps_history_and_clears_what_was_exceeded() {
    let mut state = SystemState::new(&settings(), Duration::from_secs(3600));
    state.apply(sample(0, 95.0, 10));
    state.apply(sample(200, 95.0, 10));
    let cleared = state.reconfigure(&settings(), Duration::from_secs(3600));
    assert_eq!(cleared.len(), 1);
    assert_eq!(cleared[0].crossing, Crossing::Cleared);
    let view = state.view().expect("view");
    assert_eq!(view.history.len(), 2);
    assert!(view.rules.is_empty());
    state.apply(sample(202, 95.0, 10));
    assert_eq!(
        state.view().expect("view").rules[0].level.as_str(),
        "pending"
    );
}

#[test]
fn the_sample_machine_shows_a_pending_cpu_and_a_full_disk() {
    let view = sample_system_view(at(0));
    let rules: Vec<(&str, Option<&str>, &str)> = view
        .rules
        .iter()
        .map(|r| (r.resource.as_str(), r.subject.as_deref(), r.level.as_str()))
        .collect();
    assert_eq!(
        rules,
        [
            ("disk", Some("/var/lib/postgresql"), "exceeded"),
            ("cpu", None, "pending"),
        ]
    );
    assert_eq!(view.history.len(), 900);
    assert!(view.exceeded());
}
