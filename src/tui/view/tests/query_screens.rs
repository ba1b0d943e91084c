//! Query cards drawn from a state fed by real judged readings: one of each state (UP,
//! DEGRADED at `warn`, DOWN past `crit` with `below`, UNKNOWN for want of a value) and a
//! scrape target that went down, beside an HTTP service, as cards, whole dashboards and
//! the detail screen, at 80x24 and 160x48.

use std::time::Duration;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use super::{now, screen, text, ui};
use crate::event::Event;
use crate::kinds::query::Answer;
use crate::kinds::target::list::{ActiveTarget, judge};
use crate::kinds::{CheckConfig, ValueLimits};
use crate::state::State;
use crate::test_support::judged_check;
use crate::test_support::{check, config, http_service, pass, query_service, target_service};
use crate::tui::ui_state::{Glyphs, Mode};
use crate::tui::view::card::ServiceCard;
use crate::tui::view::layout::{Density, card_height};
use crate::tui::view::theme::Theme;
use crate::view::check::CheckResult;
use crate::view::snapshot::Snapshot;

const CPU: ValueLimits = ValueLimits {
    warn: Some(80.0),
    crit: Some(95.0),
    below: false,
};
const DISK: ValueLimits = ValueLimits {
    warn: Some(20e9),
    crit: Some(5e9),
    below: true,
};

/// Thirty checks ten seconds apart, the last at `now()`, fed through the state.
fn fleet() -> Snapshot {
    let services = vec![
        http_service("gateway"),
        query_service("cpu", CPU, Some("%")),
        query_service("error-rate", CPU, Some("req/s")),
        query_service("free-disk", DISK, Some("B")),
        query_service("no-data", CPU, None),
        target_service("node/10.0.0.5:9100"),
    ];
    let mut state = State::new(&config(services.clone()));
    for k in 0..30u64 {
        let at = now() - Duration::from_secs((29 - k) * 10);
        let wave = (k % 7) as f64;
        let no_data = match k {
            0..25 => Answer::Value(1.0),
            _ => Answer::NoSeries,
        };
        let readings = [
            (1, Answer::Value(30.0 + wave * 4.0)),
            (2, Answer::Value(60.0 + wave * 4.0)),
            (3, Answer::Value(40e9 - k as f64 * 1.3e9)),
            (4, no_data),
        ];
        let mut results = vec![check(0, 0, 20 + k % 5, pass())];
        results.extend(
            readings
                .into_iter()
                .map(|(id, answer)| judged_check(id, 0, &services[id], answer)),
        );
        let node = ActiveTarget {
            scrape_pool: "node".to_string(),
            scrape_url: "http://10.0.0.5:9100/metrics".to_string(),
            labels: Default::default(),
            health: if k < 27 { "up" } else { "down" }.to_string(),
            last_error: "connection refused".to_string(),
            last_scrape_duration: 0.002 + (k % 4) as f64 * 0.0005,
        };
        let CheckConfig::Target(target) = &services[5].check else {
            panic!("a target card");
        };
        let (outcome, reading) = judge(&[node], target);
        results.push(CheckResult {
            reading,
            ..check(5, 0, 4, outcome)
        });
        for mut result in results {
            result.at = at;
            state.apply(Event::Checked(result), k);
        }
    }
    state.snapshot(now())
}

fn cards(density: Density, theme: &Theme, width: u16) -> String {
    let snapshot = fleet();
    let height = card_height(density);
    let mut out = String::new();
    for view in &snapshot.services {
        let card = ServiceCard {
            view,
            selected: false,
            density,
            alert: None,
            theme,
            now: now(),
        };
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        (&card).render(buf.area, &mut buf);
        out.push_str(&text(&buf));
    }
    out
}

#[test]
fn query_cards_tall_and_compact() {
    let unicode = Theme {
        color: false,
        ascii: false,
    };
    let ascii = Theme {
        color: false,
        ascii: true,
    };
    insta::assert_snapshot!(
        "query_cards_tall_unicode",
        cards(Density::Tall, &unicode, 40)
    );
    insta::assert_snapshot!(
        "query_cards_compact_ascii",
        cards(Density::Compact, &ascii, 40)
    );
}

#[test]
fn query_dashboards_and_detail() {
    let snapshot = fleet();
    for (width, height) in [(80, 24), (160, 48)] {
        let ui = ui(Glyphs::Unicode, false);
        let name = format!("query_dashboard_{width}x{height}");
        insta::assert_snapshot!(name, text(&screen(width, height, &snapshot, &ui)));
        let mut ui = ui.clone();
        ui.mode = Mode::Detail("free-disk".into());
        let name = format!("query_detail_free_disk_{width}x{height}");
        insta::assert_snapshot!(name, text(&screen(width, height, &snapshot, &ui)));
    }
    let mut target = ui(Glyphs::Unicode, false);
    target.mode = Mode::Detail("node/10.0.0.5:9100".into());
    let name = "target_detail_node_80x24";
    insta::assert_snapshot!(name, text(&screen(80, 24, &snapshot, &target)));
    let mut ui = ui(Glyphs::Ascii, false);
    ui.mode = Mode::Detail("no-data".into());
    let name = "query_detail_no_data_80x24_ascii";
    insta::assert_snapshot!(name, text(&screen(80, 24, &snapshot, &ui)));
}
