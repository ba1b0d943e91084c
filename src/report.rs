//! The report of `lookout check`: one verdict per service from a single round of checks,
//! the exit code, and the table or JSON that is printed.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use serde::Serialize;

use crate::config::ServiceConfig;
use crate::contract::ServiceState;
use crate::kinds::{Certificate, Outcome};
use crate::state::service::Verdict;
use crate::view::check::CheckResult;

/// The state one check alone gives a service: a pass within `degraded_after` is UP, a
/// slower pass DEGRADED, a failure DOWN.
///
/// A single check cannot apply `failure_threshold` or `success_threshold`: the dashboard
/// waits for failures in a row before it says DOWN, `lookout check` has only one result
/// and reports DOWN on the first failure.
/// A query that read no usable value (NaN, no series) is UNKNOWN, as on the dashboard.
pub fn verdict(service: &ServiceConfig, result: &CheckResult) -> ServiceState {
    match Verdict::of(result, service.degraded_after) {
        Verdict::Pass => ServiceState::Up,
        Verdict::Slow => ServiceState::Degraded,
        Verdict::Fail => ServiceState::Down,
        Verdict::Unknown => ServiceState::Unknown,
    }
}

/// Why a passing check made its service DEGRADED: too slow, or a query's value at `warn`.
fn degraded_reason(service: &ServiceConfig, result: &CheckResult) -> String {
    let warning = result.reading.and_then(|r| service.check.warning(&r));
    warning.unwrap_or_else(|| {
        let limit = humantime::format_duration(service.degraded_after);
        format!("slower than {limit}")
    })
}

/// The exit code of `lookout check`, so scripts and cron jobs can act on it: 0 when every
/// service is UP (or there is none), 1 when something is DEGRADED (or a query read no
/// value: UNKNOWN) and nothing DOWN, 2 when something is DOWN.
pub fn exit_code(verdicts: impl IntoIterator<Item = ServiceState>) -> u8 {
    verdicts
        .into_iter()
        .map(|state| match state {
            ServiceState::Down => 2,
            ServiceState::Degraded | ServiceState::Unknown => 1,
            ServiceState::Up | ServiceState::Paused => 0,
        })
        .max()
        .unwrap_or(0)
}

/// One service's line in the report.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    name: String,
    group: Option<String>,
    state: ServiceState,
    latency: Duration,
    status: Option<u16>,
    target: String,
    reason: Option<String>,
    certificate: Option<Arc<Certificate>>,
}

/// The outcome of one round of checks, ready to print as a table or as JSON.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    checked_at: SystemTime,
    lines: Vec<Line>,
}

impl Report {
    /// Pairs each result with its service (`CheckResult::service` indexes `services`) and
    /// keeps the order of `results`; a result for an unknown index is skipped.
    /// `checked_at` is when the round started: it is the report's timestamp.
    pub fn new(
        services: &[ServiceConfig],
        results: &[CheckResult],
        checked_at: SystemTime,
    ) -> Self {
        let lines = results
            .iter()
            .filter_map(|result| {
                let service = services.get(result.service)?;
                let state = verdict(service, result);
                let reason = match &result.outcome {
                    Outcome::Fail { reason, .. } => Some(reason.clone()),
                    Outcome::Pass { .. } if state == ServiceState::Degraded => {
                        Some(degraded_reason(service, result))
                    }
                    Outcome::Pass { .. } => None,
                };
                Some(Line {
                    name: service.name.clone(),
                    group: service.group.clone(),
                    state,
                    latency: result.latency,
                    status: result.outcome.status(),
                    target: service.check.display_target(),
                    reason,
                    certificate: result.certificate.clone(),
                })
            })
            .collect();
        Self { checked_at, lines }
    }

    /// See [`exit_code`].
    pub fn exit_code(&self) -> u8 {
        exit_code(self.lines.iter().map(|line| line.state))
    }

    fn count(&self, state: ServiceState) -> usize {
        self.lines.iter().filter(|line| line.state == state).count()
    }

    /// The human report: aligned columns SERVICE, GROUP, STATE, TIME, STATUS, TARGET,
    /// REASON (`-` where there is nothing to say), then a summary line such as
    /// `12 checked: 9 UP, 1 DEGRADED, 2 DOWN`. Ends with a newline.
    pub fn table(&self) -> String {
        let header = [
            "SERVICE", "GROUP", "STATE", "TIME", "STATUS", "TARGET", "REASON",
        ];
        let rows: Vec<[String; 7]> = self
            .lines
            .iter()
            .map(|line| {
                [
                    line.name.clone(),
                    line.group.clone().unwrap_or_else(|| "-".to_string()),
                    line.state.as_str().to_string(),
                    latency_text(line.latency),
                    line.status
                        .map_or_else(|| "-".to_string(), |s| s.to_string()),
                    line.target.clone(),
                    line.reason.clone().unwrap_or_else(|| "-".to_string()),
                ]
            })
            .collect();
        let mut widths = header.map(|h| h.chars().count());
        for row in &rows {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let mut out = String::new();
        let header = header.map(str::to_string);
        for row in std::iter::once(&header).chain(&rows) {
            let cells: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| format!("{cell:<width$}"))
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
        out.push_str(&format!(
            "{} checked: {} UP, {} DEGRADED, {} DOWN",
            self.lines.len(),
            self.count(ServiceState::Up),
            self.count(ServiceState::Degraded),
            self.count(ServiceState::Down),
        ));
        match self.count(ServiceState::Unknown) {
            0 => out.push('\n'),
            unknown => out.push_str(&format!(", {unknown} UNKNOWN\n")),
        }
        out
    }

    /// The report for `lookout check --json`, pretty-printed:
    ///
    /// ```json
    /// {
    ///   "checked_at": "2023-11-14T22:13:20Z",
    ///   "summary": { "up": 1, "degraded": 0, "down": 0 },
    ///   "services": [
    ///     {
    ///       "name": "checkout-api",
    ///       "group": "web",
    ///       "state": "UP",
    ///       "latency_ms": 43,
    ///       "status": 200,
    ///       "target": "https://shop.example.com/health",
    ///       "reason": null
    ///     }
    ///   ]
    /// }
    /// ```
    ///
    /// - `checked_at`: when the round of checks started, RFC 3339 in UTC, whole seconds.
    /// - `summary`: how many services are in each state.
    /// - `services`: one object per service, in config order.
    ///   - `group`: string, or `null` when the service has none.
    ///   - `state`: `"UP"`, `"DEGRADED"` or `"DOWN"`; `"UNKNOWN"` for a Prometheus query
    ///     that read no value (then `summary` also counts `unknown`).
    ///   - `latency_ms`: integer milliseconds from the start of the check to its verdict.
    ///   - `status`: the HTTP status code, or `null` (TCP checks, no answer).
    ///   - `target`: the URL or `tcp://host:port`; passwords are shown as `***`.
    ///   - `reason`: why the service is not UP, or `null` when it is.
    ///   - `certificate`: for an HTTPS answer, the server's certificate: `days_left`
    ///     (whole days, counted down as a timer does; 0 or less once expired),
    ///     `expires_at` (RFC 3339), `subject`, `issuer`, `names` and `chain`; left out otherwise.
    pub fn to_json(&self) -> serde_json::Result<String> {
        let document = JsonReport {
            checked_at: humantime::format_rfc3339_seconds(self.checked_at).to_string(),
            summary: JsonSummary {
                up: self.count(ServiceState::Up),
                degraded: self.count(ServiceState::Degraded),
                down: self.count(ServiceState::Down),
                unknown: self.count(ServiceState::Unknown),
            },
            services: (self.lines.iter())
                .map(|line| JsonService::of(line, self.checked_at))
                .collect(),
        };
        serde_json::to_string_pretty(&document)
    }
}

#[derive(Serialize)]
struct JsonReport<'a> {
    checked_at: String,
    summary: JsonSummary,
    services: Vec<JsonService<'a>>,
}

#[derive(Serialize)]
struct JsonSummary {
    up: usize,
    degraded: usize,
    down: usize,
    /// Queries that read no value; left out when none did.
    #[serde(skip_serializing_if = "is_zero")]
    unknown: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

#[derive(Serialize)]
struct JsonService<'a> {
    name: &'a str,
    group: Option<&'a str>,
    state: &'static str,
    latency_ms: u64,
    status: Option<u16>,
    target: &'a str,
    reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    certificate: Option<JsonCertificate<'a>>,
}

#[derive(Serialize)]
struct JsonCertificate<'a> {
    days_left: i64,
    expires_at: String,
    subject: &'a str,
    issuer: &'a str,
    names: &'a [String],
    /// The subjects of the certificates sent with it (a `tls` check's chain).
    chain: &'a [String],
}

impl<'a> JsonService<'a> {
    fn of(line: &'a Line, checked_at: SystemTime) -> Self {
        let certificate = line.certificate.as_deref().map(|cert| JsonCertificate {
            days_left: cert.days_left(checked_at),
            expires_at: humantime::format_rfc3339_seconds(cert.not_after).to_string(),
            subject: &cert.subject,
            issuer: &cert.issuer,
            names: &cert.names,
            chain: &cert.chain,
        });
        Self {
            name: &line.name,
            group: line.group.as_deref(),
            state: line.state.as_str(),
            latency_ms: u64::try_from(line.latency.as_millis()).unwrap_or(u64::MAX),
            status: line.status,
            target: &line.target,
            reason: line.reason.as_deref(),
            certificate,
        }
    }
}

/// "43ms" below a second, "1.2s" from there on.
fn latency_text(latency: Duration) -> String {
    if latency < Duration::from_secs(1) {
        format!("{}ms", latency.as_millis())
    } else {
        format!("{:.1}s", latency.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{check, fail, http_service, pass, tcp_service};
    use ServiceState::*;

    #[test]
    fn verdicts_table() {
        let mut service = http_service("api");
        service.degraded_after = Duration::from_millis(300);
        let cases: &[(u64, Outcome, ServiceState)] = &[
            (0, pass(), Up),
            (300, pass(), Up),
            (301, pass(), Degraded),
            (5000, pass(), Degraded),
            (10, fail("status 503"), Down),
            (2000, fail("timeout after 2s"), Down),
        ];
        for (latency_ms, outcome, want) in cases {
            let result = check(0, 0, *latency_ms, outcome.clone());
            assert_eq!(
                verdict(&service, &result),
                *want,
                "{latency_ms}ms {outcome:?}"
            );
        }
        let tcp = tcp_service("db", 5432);
        let connected = check(0, 0, 3, Outcome::Pass { status: None });
        assert_eq!(verdict(&tcp, &connected), Up);
    }

    #[test]
    fn exit_codes_table() {
        let cases: &[(&[ServiceState], u8)] = &[
            (&[], 0),
            (&[Up], 0),
            (&[Up, Up], 0),
            (&[Up, Degraded], 1),
            (&[Degraded, Degraded], 1),
            (&[Down], 2),
            (&[Degraded, Down, Up], 2),
            (&[Down, Degraded], 2),
            (&[Up, Unknown], 1),
            (&[Unknown, Down], 2),
        ];
        for (verdicts, want) in cases {
            assert_eq!(exit_code(verdicts.iter().copied()), *want, "{verdicts:?}");
        }
    }

    #[test]
    fn latency_text_switches_to_seconds() {
        let cases = [
            (0, "0ms"),
            (43, "43ms"),
            (999, "999ms"),
            (1000, "1.0s"),
            (1240, "1.2s"),
        ];
        for (ms, want) in cases {
            assert_eq!(latency_text(Duration::from_millis(ms)), want);
        }
    }
}

#[cfg(test)]
#[path = "report_tests_queries.rs"]
mod tests_queries;
