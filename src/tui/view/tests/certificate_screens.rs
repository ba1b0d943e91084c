//! A service whose HTTPS server presented a certificate shows its days left on the card
//! and when it expires, whom it is for and who issued it in the detail.

use std::sync::Arc;
use std::time::Duration;

use super::{screen, text, ui};
use crate::kinds::Certificate;
use crate::state::sample::{sample_name, sample_snapshot};
use crate::tui::ui_state::{Glyphs, Mode};
use crate::view::snapshot::Snapshot;

/// "inventory", the selected service of the sample fleet.
const SHOP: usize = 5;

/// The sample fleet with `SHOP`'s server presenting a certificate that expires in
/// `days` days and some hours.
fn snapshot(days: u64) -> Snapshot {
    let now = super::now();
    let mut snapshot = sample_snapshot(12, now);
    let view = Arc::make_mut(&mut snapshot.services[SHOP]);
    view.certificate = Some(Arc::new(Certificate {
        not_before: now - Duration::from_secs(80 * 86_400),
        not_after: now + Duration::from_secs(days * 86_400 + 3 * 3600),
        subject: "CN=inventory.example.com".into(),
        issuer: "CN=Example Issuing CA,O=Example".into(),
        names: vec!["inventory.example.com".into(), "10.0.0.7".into()],
        chain: Vec::new(),
    }));
    snapshot
}

#[test]
fn the_card_counts_the_days_and_the_detail_names_the_certificate() {
    let snapshot = snapshot(12);
    for (width, height) in [(80, 24), (160, 48), (40, 12)] {
        let mut ui = ui(Glyphs::Unicode, false);
        ui.selected = Some(sample_name(SHOP));
        let dashboard = text(&screen(width, height, &snapshot, &ui));
        if width == 160 {
            assert!(dashboard.contains("cert 12d"), "{dashboard}");
        }
        ui.mode = Mode::Detail(sample_name(SHOP));
        let detail = text(&screen(width, height, &snapshot, &ui));
        if height >= 24 {
            assert!(detail.contains("(12d left)"), "{detail}");
            assert!(detail.contains("CN=Example Issuing CA"), "{detail}");
        }
        insta::assert_snapshot!(format!("certificate_detail_{width}x{height}"), detail);
    }
}

#[test]
fn an_expired_certificate_says_so() {
    let mut snapshot = snapshot(1);
    let view = Arc::make_mut(&mut snapshot.services[SHOP]);
    let cert = Arc::make_mut(view.certificate.as_mut().expect("a certificate"));
    cert.not_after = super::now() - Duration::from_secs(3600);
    let mut ui = ui(Glyphs::Unicode, false);
    ui.mode = Mode::Detail(sample_name(SHOP));
    let detail = text(&screen(160, 48, &snapshot, &ui));
    assert!(detail.contains("EXPIRED"), "{detail}");
}

#[test]
fn the_last_day_counts_whole_hours_and_an_expired_card_keeps_the_word() {
    let mut snapshot = snapshot(1);
    let view = Arc::make_mut(&mut snapshot.services[SHOP]);
    let cert = Arc::make_mut(view.certificate.as_mut().expect("a certificate"));
    cert.not_after = super::now() + Duration::from_secs(4 * 3600 + 1800);
    let mut ui = ui(Glyphs::Unicode, false);
    ui.selected = Some(sample_name(SHOP));
    let dashboard = text(&screen(160, 48, &snapshot, &ui));
    assert!(
        dashboard.contains("cert 4h"),
        "4h 30m left, rounded down: {dashboard}"
    );
    ui.mode = Mode::Detail(sample_name(SHOP));
    let detail = text(&screen(160, 48, &snapshot, &ui));
    assert!(detail.contains("(4h left)"), "{detail}");
    let view = Arc::make_mut(&mut snapshot.services[SHOP]);
    let cert = Arc::make_mut(view.certificate.as_mut().expect("a certificate"));
    cert.not_after = super::now() - Duration::from_secs(60);
    ui.mode = Mode::Dashboard;
    let dashboard = text(&screen(160, 48, &snapshot, &ui));
    assert!(dashboard.contains("EXPIRED cert"), "{dashboard}");
}

/// The cells of `buffer` where `needle` is drawn, as (x, y) of its first character.
fn find(buffer: &ratatui::buffer::Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    (area.top()..area.bottom()).find_map(|y| {
        let line: String = (area.left()..area.right())
            .map(|x| buffer[(x, y)].symbol().to_string())
            .collect();
        let at = line.find(needle)?;
        let x = line[..at].chars().count();
        Some((u16::try_from(x).ok()?, y))
    })
}

#[test]
fn the_card_colours_the_time_left_by_the_alert_s_limits() {
    use ratatui::style::Color;
    let mut ui = ui(Glyphs::Unicode, true);
    ui.selected = Some(sample_name(SHOP));
    let colour = |days: u64, figure: &str| {
        let buffer = screen(160, 48, &snapshot(days), &ui);
        let (x, y) = find(&buffer, figure).expect("the figure on the card");
        buffer[(x, y)].fg
    };
    assert_eq!(colour(40, "cert 40d"), Color::DarkGray, "dim above 14 days");
    assert_eq!(
        colour(12, "cert 12d"),
        Color::Yellow,
        "a warning under 14 days"
    );
    assert_eq!(colour(2, "cert 2d"), Color::Red, "critical under 3 days");
}
