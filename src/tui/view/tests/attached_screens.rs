//! A dashboard attached to an engine elsewhere, at the sizes people use: the status
//! bar names the engine while its stream flows, and says it is reconnecting (never
//! dropped for room) while it does not.

use std::sync::Arc;
use std::time::Duration;

use super::{now, screen, text, ui};
use crate::state::sample::sample_snapshot;
use crate::tui::ui_state::Glyphs;
use crate::view::snapshot::{EngineInfo, Link, Snapshot};

const SIZES: [(u16, u16); 3] = [(160, 48), (80, 24), (40, 12)];

fn attached(lost: Option<&str>) -> Snapshot {
    let mut snapshot = sample_snapshot(12, now());
    snapshot.link = Some(Arc::new(Link {
        to: "/var/lib/lookout/lookout.sock".into(),
        engine: Some(EngineInfo {
            pid: 4242,
            mode: "headless".into(),
            started: now() - Duration::from_secs(3 * 86_400 + 7200),
            version: "0.1.0".into(),
        }),
        lost: lost.map(|why| (now() - Duration::from_secs(12), why.to_string())),
        failed: None,
    }));
    snapshot
}

#[test]
fn an_attached_dashboard_names_its_engine_and_says_when_it_is_gone() {
    for (width, height) in SIZES {
        let ui = ui(Glyphs::Unicode, false);
        let flowing = text(&screen(width, height, &attached(None), &ui));
        let gone = text(&screen(
            width,
            height,
            &attached(Some("connection refused")),
            &ui,
        ));
        let status = |screen: &str| screen.lines().last().unwrap_or("").to_string();
        if width >= 80 {
            assert!(
                status(&flowing).contains("attached to pid 4242"),
                "{flowing}"
            );
        }
        assert!(
            status(&gone).contains("reconnecting"),
            "{width}x{height}:\n{gone}"
        );
        assert!(!status(&gone).contains("attached to"), "{gone}");
        insta::assert_snapshot!(format!("attached_{width}x{height}"), flowing);
        insta::assert_snapshot!(format!("attached_gone_{width}x{height}"), gone);
    }
}
