//! Which services on the page have an active alert, and the worst one of each: one pass
//! over the alerts (most severe first) that stops once every service has its alert. With
//! ten thousand alerts the pass is the cost, so a subject is first checked against a
//! 64-bit filter of the page's names (length, first and last byte), and only then compared.

use std::collections::HashMap;
use std::ops::Range;

use crate::view::alert::AlertView;
use crate::view::check::ServiceId;
use crate::view::snapshot::Snapshot;

/// The most severe active alert of each service in `range` of `visible`, by name.
pub fn alert_marks<'a>(
    snapshot: &'a Snapshot,
    visible: &[ServiceId],
    range: Range<usize>,
) -> HashMap<&'a str, &'a AlertView> {
    let range = range.start.min(visible.len())..range.end.min(visible.len());
    let names: Vec<&str> = visible
        .get(range)
        .unwrap_or_default()
        .iter()
        .filter_map(|id| snapshot.services.get(*id))
        .map(|service| service.config.name.as_str())
        .collect();
    let filter = names.iter().fold(0u64, |bits, name| bits | signature(name));
    let mut found: HashMap<&str, &AlertView> = HashMap::with_capacity(names.len());
    for alert in &snapshot.alerts {
        if found.len() == names.len() {
            break;
        }
        let subject = alert.key.subject.as_str();
        if filter & signature(subject) == 0 || !alert.is_own() {
            continue;
        }
        if let Some(name) = names.iter().find(|name| **name == subject) {
            // The first is the most severe: the list is in pane order.
            found.entry(*name).or_insert(alert.as_ref());
        }
    }
    found
}

/// One bit of 64 for a name, from its length and its first and last bytes: different
/// names mostly differ, and equal names always have the same bit.
fn signature(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let first = bytes.first().map_or(0, |b| u32::from(*b));
    let last = bytes.last().map_or(0, |b| u32::from(*b));
    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
    let mix = len.wrapping_mul(0x9E37_79B9) ^ first.wrapping_mul(0x85EB_CA6B) ^ last;
    1u64 << (mix.wrapping_mul(0xC2B2_AE35) >> 26)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample::sample_snapshot;
    use crate::state::sample_alerts::{many_alerts, sample_alerts};
    use crate::test_support::at;

    #[test]
    fn the_worst_alert_of_each_service_on_the_page() {
        let mut snapshot = sample_snapshot(12, at(0));
        let (alerts, _) = sample_alerts(at(0));
        snapshot.alerts = many_alerts(2000, at(0));
        snapshot.alerts.extend(alerts);
        let visible: Vec<ServiceId> = (0..12).collect();
        let marks = alert_marks(&snapshot, &visible, 0..12);
        let mut ids: Vec<(&str, u64)> = marks.iter().map(|(k, v)| (*k, v.id)).collect();
        ids.sort_unstable();
        let want = [
            ("auth", 45),
            ("billing", 41),
            ("inventory", 48),
            ("media", 46),
            ("notify", 42),
        ];
        assert_eq!(ids, want);
        // Only the page counts; a range past the end is empty, not a panic.
        assert_eq!(
            alert_marks(&snapshot, &visible, 0..3).len(),
            2,
            "auth and billing"
        );
        assert!(alert_marks(&snapshot, &visible, 20..30).is_empty());
    }
}
