//! The value a value-reading card shows (a query's value, a target's scrape duration).

use crate::kinds::{ValueCard, query};
use crate::view::service::ServiceView;

/// The last value with its unit ("97.3%", "NaN"), or "-" when the last check read none.
pub fn last_value(view: &ServiceView, card: &ValueCard<'_>) -> String {
    view.last()
        .and_then(|check| check.reading)
        .and_then(|reading| reading.value)
        .map_or_else(|| "-".to_string(), |value| query::show(value, card.unit))
}
