//! A service that does not verify certificates (`insecure = true`) says so on its card
//! and in its detail, at the sizes people use.

use std::sync::Arc;

use super::{screen, text, ui};
use crate::kinds::CheckConfig;
use crate::state::sample::sample_name;
use crate::state::sample::sample_snapshot;
use crate::tui::ui_state::{Glyphs, Mode};
use crate::view::snapshot::Snapshot;

/// "inventory", the selected service of the sample fleet.
const INSECURE: usize = 5;

/// The sample fleet with `INSECURE` checked with `insecure = true`.
fn snapshot() -> Snapshot {
    let mut snapshot = sample_snapshot(12, super::now());
    let view = Arc::make_mut(&mut snapshot.services[INSECURE]);
    let config = Arc::make_mut(&mut view.config);
    let CheckConfig::Http(http) = &mut config.check else {
        panic!("the sample service {INSECURE} is an HTTP check");
    };
    http.insecure = true;
    snapshot
}

#[test]
fn the_card_and_the_detail_say_insecure() {
    let snapshot = snapshot();
    for (width, height) in [(80, 24), (160, 48)] {
        let mut ui = ui(Glyphs::Unicode, false);
        ui.selected = Some(sample_name(INSECURE));
        let dashboard = text(&screen(width, height, &snapshot, &ui));
        let card_title = dashboard
            .lines()
            .find(|line| line.contains(" inventory "))
            .expect("the inventory card is on screen");
        assert!(card_title.contains(" insecure "), "{dashboard}");
        assert_eq!(dashboard.matches("insecure").count(), 1, "{dashboard}");
        insta::assert_snapshot!(format!("insecure_dashboard_{width}x{height}"), dashboard);

        ui.mode = Mode::Detail(sample_name(INSECURE));
        let detail = text(&screen(width, height, &snapshot, &ui));
        assert!(
            detail.contains("TLS      insecure: certificate not verified"),
            "{detail}"
        );
        insta::assert_snapshot!(format!("insecure_detail_{width}x{height}"), detail);
    }
}
