//! `GET /metrics`: OpenMetrics text for clients that ask for it (Prometheus does), the
//! classic Prometheus text format for everyone else (curl, promtool, older scrapers).
//!
//! prometheus-client encodes only OpenMetrics. Its counters read wrongly in the classic
//! format: the family is declared as `x` while the samples are `x_total`, so a classic
//! parser takes the samples for an untyped metric without help. `to_classic` renames
//! counter families and drops what the classic format lacks (`# UNIT`, `# EOF`).

use std::collections::HashSet;
use std::fmt;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{AppState, metrics, reply};

/// What prometheus-client encodes.
pub const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";
/// The classic Prometheus text format.
pub const CLASSIC: &str = "text/plain; version=0.0.4; charset=utf-8";

/// `GET /metrics`.
pub(super) async fn scrape(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let text = match metrics::encode(&state.registry) {
        Ok(text) => text,
        Err(fmt::Error) => {
            return reply::error(
                StatusCode::INTERNAL_SERVER_ERROR,
                "could not encode the metrics",
            );
        }
    };
    if wants_openmetrics(&headers) {
        ([(header::CONTENT_TYPE, OPENMETRICS)], text).into_response()
    } else {
        ([(header::CONTENT_TYPE, CLASSIC)], to_classic(&text)).into_response()
    }
}

/// True when `Accept` ranks OpenMetrics at least as high as plain text (and above 0).
fn wants_openmetrics(headers: &HeaderMap) -> bool {
    let mut openmetrics = 0.0f64;
    let mut text = 0.0f64;
    let ranges = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','));
    for range in ranges {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default();
        let q = parts
            .filter_map(|p| p.split_once('='))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case("q"))
            .map_or(1.0, |(_, q)| q.trim().parse().unwrap_or(0.0));
        if media.eq_ignore_ascii_case("application/openmetrics-text") {
            openmetrics = openmetrics.max(q);
        } else if media.eq_ignore_ascii_case("text/plain") {
            text = text.max(q);
        }
    }
    openmetrics > 0.0 && openmetrics >= text
}

/// The classic text format of an OpenMetrics exposition of gauges, counters and
/// histograms (the only types lookout exports).
pub fn to_classic(openmetrics: &str) -> String {
    let counters: HashSet<&str> = openmetrics
        .lines()
        .filter_map(|line| line.strip_prefix("# TYPE ")?.strip_suffix(" counter"))
        .collect();
    let mut classic = String::with_capacity(openmetrics.len());
    for line in openmetrics.lines() {
        if line.starts_with("# UNIT ") || line == "# EOF" {
            continue;
        }
        let descriptor = ["# HELP ", "# TYPE "]
            .into_iter()
            .find_map(|keyword| Some((keyword, line.strip_prefix(keyword)?)));
        match descriptor {
            Some((keyword, rest)) => {
                let name = rest.split(' ').next().unwrap_or_default();
                classic.push_str(keyword);
                classic.push_str(name);
                if counters.contains(name) {
                    classic.push_str("_total");
                }
                classic.push_str(&rest[name.len()..]);
            }
            None => classic.push_str(line),
        }
        classic.push('\n');
    }
    classic
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn openmetrics_only_when_asked_for_first() {
        let prometheus = "application/openmetrics-text;version=1.0.0,\
            application/openmetrics-text;version=0.0.1;q=0.75,\
            text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        let cases: &[(Option<&str>, bool)] = &[
            (None, false),
            (Some("*/*"), false),
            (Some("text/plain"), false),
            (Some(prometheus), true),
            (Some("application/openmetrics-text"), true),
            (
                Some("Application/OpenMetrics-Text; q=0.3, text/plain; q=0.9"),
                false,
            ),
            (Some("application/openmetrics-text;q=0"), false),
        ];
        for (accept, want) in cases {
            let mut headers = HeaderMap::new();
            if let Some(accept) = accept {
                let value = HeaderValue::from_str(accept).expect("valid header");
                headers.insert(header::ACCEPT, value);
            }
            assert_eq!(wants_openmetrics(&headers), *want, "{accept:?}");
        }
    }

    #[test]
    fn classic_names_counter_families_after_their_samples() {
        let openmetrics = "# HELP a_checks Checks.\n\
            # TYPE a_checks counter\n\
            a_checks_total{x=\"1\"} 3\n\
            # HELP a_lag_seconds Lag.\n\
            # TYPE a_lag_seconds gauge\n\
            # UNIT a_lag_seconds seconds\n\
            a_lag_seconds 0.5\n\
            # EOF\n";
        let want = "# HELP a_checks_total Checks.\n\
            # TYPE a_checks_total counter\n\
            a_checks_total{x=\"1\"} 3\n\
            # HELP a_lag_seconds Lag.\n\
            # TYPE a_lag_seconds gauge\n\
            a_lag_seconds 0.5\n";
        assert_eq!(to_classic(openmetrics), want);
    }
}
