//! Whole screens on `TestBackend`: dashboard, detail and help at the sizes people use.

use super::{screen, text, ui};
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::tui::ui_state::{Glyphs, Mode, UiState};
use crate::view::snapshot::Snapshot;

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 12)];

fn snap(name: &str, width: u16, height: u16, snapshot: &Snapshot, ui: &UiState) {
    insta::assert_snapshot!(name, text(&screen(width, height, snapshot, ui)));
}

#[test]
fn dashboards_in_unicode_and_ascii_without_colour() {
    let snapshot = sample_snapshot(40, super::now());
    for (width, height) in SIZES {
        for (glyphs, tag) in [(Glyphs::Unicode, "unicode"), (Glyphs::Ascii, "ascii")] {
            let mut ui = ui(glyphs, false);
            ui.selected = Some(sample_name(5));
            snap(
                &format!("dashboard_{width}x{height}_{tag}"),
                width,
                height,
                &snapshot,
                &ui,
            );
        }
    }
}

#[test]
fn dashboard_scrolls_to_a_late_selection() {
    let snapshot = sample_snapshot(40, super::now());
    let mut ui = ui(Glyphs::Unicode, true);
    ui.selected = Some(sample_name(38));
    snap("dashboard_80x24_page_of_38", 80, 24, &snapshot, &ui);
    snap("dashboard_40x12_page_of_38", 40, 12, &snapshot, &ui);
}

#[test]
fn detail_screens() {
    let mut snapshot = sample_snapshot(12, super::now());
    snapshot.max_lag = std::time::Duration::from_millis(2300);
    for (width, height) in SIZES {
        let mut ui = ui(Glyphs::Unicode, false);
        // "inventory": UP but its last check failed, with a secret in its URL.
        ui.mode = Mode::Detail(sample_name(5));
        snap(
            &format!("detail_{width}x{height}_unicode"),
            width,
            height,
            &snapshot,
            &ui,
        );
    }
    let mut ui = ui(Glyphs::Ascii, false);
    ui.mode = Mode::Detail(sample_name(0));
    snap("detail_80x24_ascii", 80, 24, &snapshot, &ui);
}

#[test]
fn help_screens() {
    let snapshot = sample_snapshot(12, super::now());
    for (width, height) in [(80, 24), (40, 12)] {
        let mut ui = ui(Glyphs::Ascii, false);
        ui.help_open = true;
        snap(
            &format!("help_{width}x{height}_ascii"),
            width,
            height,
            &snapshot,
            &ui,
        );
    }
}

#[test]
fn empty_config_and_empty_filter_say_what_to_do() {
    let empty = Snapshot::default();
    let plain = ui(Glyphs::Unicode, false);
    let screen80 = text(&screen(80, 24, &empty, &plain));
    assert!(
        screen80.contains("no services configured — see config.example.toml"),
        "{screen80}"
    );
    snap("empty_40x12", 40, 12, &empty, &plain);

    let snapshot = sample_snapshot(12, super::now());
    let mut filtered = ui(Glyphs::Ascii, false);
    filtered.filter = "zzz".to_string();
    filtered.filter_editing = true;
    snap("no_match_80x24", 80, 24, &snapshot, &filtered);
}

#[test]
fn filter_narrows_the_dashboard() {
    let snapshot = sample_snapshot(40, super::now());
    let mut ui = ui(Glyphs::Unicode, false);
    ui.filter = "data".to_string();
    // Groups take turns by threes: "data" holds services 6-8, 18-20 and 30-32.
    let shown = text(&screen(160, 48, &snapshot, &ui));
    assert!(shown.contains("/data (9 of 40)"), "{shown}");
    assert!(
        shown.contains(" payments ") && shown.contains(" queue-1 "),
        "{shown}"
    );
    assert!(!shown.contains(" gateway "), "{shown}");
}
