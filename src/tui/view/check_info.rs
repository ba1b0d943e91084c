//! The check's configuration as the detail view lists it. Secrets stay hidden: the target
//! goes through `display_target`, and headers show their names only.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use std::time::SystemTime;

use crate::config::ServiceConfig;
use crate::kinds::Certificate;
use crate::tui::view::format;
use crate::tui::view::theme::Theme;

/// "label    value" lines, labels dimmed and padded to one column; short values, one
/// fact per line, so a narrow pane cuts little. Group and severity are in the heading.
pub fn lines(
    config: &ServiceConfig,
    certificate: Option<&Certificate>,
    now: SystemTime,
    theme: &Theme,
) -> Vec<Line<'static>> {
    let mut rows: Vec<(&str, String)> = vec![("target", config.check.display_target())];
    let facts = config.check.facts();
    rows.extend(facts.iter().map(|fact| (fact.label, fact.text.clone())));
    if let Some(cert) = certificate {
        rows.extend(certificate_rows(cert, now));
    }
    let every = format::span(config.interval);
    let timeout = format::span(config.timeout);
    rows.push((
        "timing",
        format!("every {every}{}timeout {timeout}", theme.separator()),
    ));
    if config.check.judged_by_latency() {
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

/// The certificate the server last presented: when it expires, whom it is for, who
/// issued it.
fn certificate_rows(cert: &Certificate, now: SystemTime) -> Vec<(&'static str, String)> {
    let date = cert.expiry_day();
    let expiry = match super::facts::certificate_left(cert, now) {
        Some(left) => format!("expires {date} ({left} left)"),
        None => format!("EXPIRED {date}"),
    };
    let mut rows = vec![
        ("cert", expiry),
        ("subject", cert.subject.clone()),
        ("issuer", cert.issuer.clone()),
    ];
    if !cert.names.is_empty() {
        rows.push(("names", cert.names.join(", ")));
    }
    if !cert.chain.is_empty() {
        rows.push(("chain", cert.chain.join(" < ")));
    }
    rows
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
        let text: Vec<String> = lines(&snapshot.services[0].config, None, now, &theme)
            .iter()
            .map(ToString::to_string)
            .collect();
        let text = text.join("\n");
        assert!(!text.contains("s3cret"), "{text}");
        assert!(text.contains("***:***@gateway.example.com"), "{text}");
        assert!(text.contains("Authorization: ***, X-Team: ***"), "{text}");
    }
}
