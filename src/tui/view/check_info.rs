//! The check's configuration as the detail view lists it. Secrets stay hidden: the target
//! goes through `display_target`, and headers show their names only.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::config::{CheckConfig, ServiceConfig};
use crate::sources::prometheus;
use crate::tui::view::format;
use crate::tui::view::theme::Theme;

/// "label    value" lines, labels dimmed and padded to one column; short values, one
/// fact per line, so a narrow pane cuts little. Group and severity are in the heading.
pub fn lines(config: &ServiceConfig, theme: &Theme) -> Vec<Line<'static>> {
    let mut rows: Vec<(&str, String)> = vec![("target", config.check.display_target())];
    match &config.check {
        CheckConfig::Http(http) => {
            if http.insecure {
                rows.push(("TLS", "insecure: certificate not verified".to_string()));
            }
            rows.push(("method", http.method.to_string()));
            if !http.headers.is_empty() {
                let names: Vec<String> = http
                    .headers
                    .iter()
                    .map(|(name, _)| format!("{name}: ***"))
                    .collect();
                rows.push(("headers", names.join(", ")));
            }
            let status = if http.expect_status.is_empty() {
                "status 2xx".to_string()
            } else {
                let codes: Vec<String> = http.expect_status.iter().map(u16::to_string).collect();
                format!("status {}", codes.join(" or "))
            };
            rows.push(("expect", status));
            if let Some(body) = &http.expect_body {
                rows.push(("", format!("body has \"{body}\"")));
            }
            if let Some(json) = &http.expect_json {
                rows.push(("", format!("json {} = {}", json.path, json.equals)));
            }
        }
        CheckConfig::Tcp(_) => rows.push(("expect", "TCP connect".to_string())),
        CheckConfig::Query(query) => {
            rows.push(("query", query.query.clone()));
            let unit = query.unit.as_deref();
            let side = if query.limits.below { "<=" } else { ">=" };
            let limit = |name: &str, limit: Option<f64>| match limit {
                Some(limit) => format!("{name} {side} {}", prometheus::show(limit, unit)),
                None => format!("no {name} limit"),
            };
            rows.push(("DEGRADED", limit("warn", query.limits.warn)));
            rows.push(("failing", limit("crit", query.limits.crit)));
        }
        CheckConfig::Target(target) => {
            rows.push(("pool", target.scrape_pool.clone()));
            rows.push(("via", format!("Prometheus {:?}", target.prometheus)));
            rows.push(("expect", "health up".to_string()));
        }
    }
    let is_prometheus = matches!(config.check, CheckConfig::Query(_) | CheckConfig::Target(_));
    let every = format::span(config.interval);
    let timeout = format::span(config.timeout);
    rows.push((
        "timing",
        format!("every {every}{}timeout {timeout}", theme.separator()),
    ));
    if !is_prometheus {
        rows.push((
            "slow",
            format!("over {}", format::span(config.degraded_after)),
        ));
    }
    rows.push((
        "DOWN",
        format!("after {} failed in a row", config.failure_threshold),
    ));
    rows.push((
        "back UP",
        format!("after {} passed", config.success_threshold),
    ));
    rows.into_iter()
        .map(|(label, value)| {
            Line::from(vec![
                Span::styled(format!("{label:<9}"), theme.dim()),
                Span::styled(value, Style::new()),
            ])
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample::sample_snapshot;
    use std::time::{Duration, UNIX_EPOCH};

    #[test]
    fn secrets_never_show() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let snapshot = sample_snapshot(1, now);
        let theme = Theme {
            color: false,
            ascii: true,
        };
        let text: Vec<String> = lines(&snapshot.services[0].config, &theme)
            .iter()
            .map(ToString::to_string)
            .collect();
        let text = text.join("\n");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("monitor:***@gateway.example.com"), "{text}");
        assert!(text.contains("Authorization: ***, X-Team: ***"), "{text}");
    }
}
