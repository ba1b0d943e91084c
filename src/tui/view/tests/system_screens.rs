//! Whole screens with the machine: beside the services, under them, on one line, hidden,
//! in detail, and with everything n/a, in Unicode and in ASCII without colour.

use std::sync::Arc;

use super::{now, screen, text, ui};
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::state::sample_system::{bare_system_view, sample_system_view};
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::view::snapshot::Snapshot;

fn with_machine(services: usize) -> Snapshot {
    let mut snapshot = sample_snapshot(services, now());
    snapshot.system = Some(Arc::new(sample_system_view(now())));
    snapshot
}

fn snap(name: &str, width: u16, height: u16, snapshot: &Snapshot, ui: &UiState) {
    insta::assert_snapshot!(name, text(&screen(width, height, snapshot, ui)));
}

#[test]
fn the_machine_beside_under_or_on_one_line() {
    let snapshot = with_machine(40);
    for (width, height) in [(160, 48), (80, 24), (40, 12)] {
        for (glyphs, tag) in [(Glyphs::Unicode, "unicode"), (Glyphs::Ascii, "ascii")] {
            let mut ui = ui(glyphs, false);
            ui.selected = Some(sample_name(5));
            snap(
                &format!("machine_{width}x{height}_{tag}"),
                width,
                height,
                &snapshot,
                &ui,
            );
        }
    }
}

#[test]
fn hidden_the_dashboard_is_as_without_a_machine() {
    let plain = sample_snapshot(40, now());
    let machine = with_machine(40);
    for (width, height) in [(160, 48), (80, 24), (40, 12)] {
        let mut ui = ui(Glyphs::Unicode, false);
        ui.hide_system = true;
        assert_eq!(
            text(&screen(width, height, &machine, &ui)),
            text(&screen(width, height, &plain, &ui)),
            "{width}x{height}"
        );
    }
}

#[test]
fn the_machine_in_detail() {
    let snapshot = with_machine(12);
    for (width, height, glyphs, tag) in [
        (160, 48, Glyphs::Unicode, "unicode"),
        (80, 24, Glyphs::Ascii, "ascii"),
        (40, 12, Glyphs::Unicode, "unicode"),
    ] {
        let mut ui = ui(glyphs, false);
        ui.mode = Mode::System;
        snap(
            &format!("machine_detail_{width}x{height}_{tag}"),
            width,
            height,
            &snapshot,
            &ui,
        );
    }
}

#[test]
fn a_container_without_swap_disks_or_network_shows_n_a() {
    let mut snapshot = sample_snapshot(12, now());
    snapshot.system = Some(Arc::new(bare_system_view(now())));
    let ui_ascii = ui(Glyphs::Ascii, false);
    snap("machine_bare_160x48_ascii", 160, 48, &snapshot, &ui_ascii);
    snap("machine_bare_80x24_ascii", 80, 24, &snapshot, &ui_ascii);
    let mut detail = ui(Glyphs::Unicode, false);
    detail.mode = Mode::System;
    snap(
        "machine_bare_detail_80x24_unicode",
        80,
        24,
        &snapshot,
        &detail,
    );
    let shown = text(&screen(80, 24, &snapshot, &ui_ascii));
    assert!(
        shown.contains("swap  n/a") && shown.contains("disk n/a"),
        "{shown}"
    );
}
