//! Who is in the demo fleet: names, groups, scripts, and how each one is checked.

use std::time::Duration;

use crate::config::{ServiceConfig, Severity};
use crate::kinds::{CheckConfig, HttpCheck, JsonExpectation, TcpCheck};

use super::script::{EXPECTED_BODY, Kind};

/// Slower than this is DEGRADED; the slow scripts answer in 650 ms.
const DEGRADED_AFTER: Duration = Duration::from_millis(400);

/// One demo HTTP service and the script its server follows.
#[derive(Debug, Clone, Copy)]
pub(super) struct Member {
    pub name: &'static str,
    pub group: &'static str,
    pub severity: Severity,
    pub kind: Kind,
    pub path: &'static str,
    pub interval_ms: u64,
    pub timeout_ms: u64,
    pub success_threshold: u32,
}

const fn member(name: &'static str, group: &'static str, kind: Kind) -> Member {
    Member {
        name,
        group,
        severity: Severity::Medium,
        kind,
        path: "/health",
        interval_ms: 2000,
        timeout_ms: 2000,
        success_threshold: 1,
    }
}

/// The HTTP half of the fleet, in the order the dashboard lists it.
pub(super) const MEMBERS: &[Member] = &[
    Member {
        path: "/",
        severity: Severity::Low,
        ..member("storefront", "web", Kind::Steady)
    },
    Member {
        interval_ms: 1000,
        severity: Severity::High,
        ..member("checkout-api", "web", Kind::Slow)
    },
    Member {
        interval_ms: 1000,
        severity: Severity::Critical,
        ..member("auth", "api", Kind::Flapping)
    },
    Member {
        severity: Severity::Critical,
        success_threshold: 3,
        ..member("payments", "api", Kind::Outage)
    },
    Member {
        interval_ms: 1000,
        ..member("search", "api", Kind::Jittery)
    },
    Member {
        timeout_ms: 1000,
        severity: Severity::Low,
        ..member("notifications", "api", Kind::Hang)
    },
    Member {
        path: "/actuator/health",
        ..member("catalog", "data", Kind::JsonHealth)
    },
    Member {
        interval_ms: 3000,
        severity: Severity::Low,
        ..member("reports", "data", Kind::StartsDown)
    },
    Member {
        severity: Severity::High,
        ..member("cdn-edge", "edge", Kind::BodyMismatch)
    },
    Member {
        interval_ms: 1000,
        severity: Severity::High,
        ..member("gateway", "edge", Kind::Errors)
    },
    Member {
        interval_ms: 3000,
        severity: Severity::Low,
        ..member("status-page", "edge", Kind::Steady)
    },
];

/// The TCP service: a port the demo opens and closes on schedule.
pub(super) const TCP_NAME: &str = "postgres-tcp";

fn service(name: &str, group: &str, severity: Severity, check: CheckConfig) -> ServiceConfig {
    ServiceConfig {
        name: name.to_string(),
        group: Some(group.to_string()),
        severity,
        interval: Duration::from_secs(2),
        timeout: Duration::from_secs(2),
        degraded_after: DEGRADED_AFTER,
        failure_threshold: 2,
        success_threshold: 1,
        check,
    }
}

/// The service config that checks `member`'s server listening on `url`.
pub(super) fn http_service(member: &Member, url: reqwest::Url) -> ServiceConfig {
    let check = HttpCheck {
        expect_body: (member.kind == Kind::BodyMismatch).then(|| EXPECTED_BODY.to_string()),
        expect_json: (member.kind == Kind::JsonHealth).then(|| JsonExpectation {
            path: "status".to_string(),
            equals: serde_json::Value::from("UP"),
        }),
        max_redirects: 0,
        ..HttpCheck::get(url)
    };
    ServiceConfig {
        interval: Duration::from_millis(member.interval_ms),
        timeout: Duration::from_millis(member.timeout_ms),
        success_threshold: member.success_threshold,
        ..service(
            member.name,
            member.group,
            member.severity,
            CheckConfig::Http(check),
        )
    }
}

/// The service config for the demo's TCP port.
pub(super) fn tcp_service(port: u16) -> ServiceConfig {
    let check = CheckConfig::Tcp(TcpCheck {
        host: "127.0.0.1".to_string(),
        port,
    });
    service(TCP_NAME, "data", Severity::Critical, check)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn names_are_unique_and_groups_known() {
        let names: HashSet<&str> = MEMBERS.iter().map(|m| m.name).chain([TCP_NAME]).collect();
        assert_eq!(names.len(), MEMBERS.len() + 1);
        for m in MEMBERS {
            assert!(
                ["web", "api", "data", "edge"].contains(&m.group),
                "{}",
                m.name
            );
        }
    }

    #[test]
    fn checks_are_quick_enough_to_watch() {
        let url = reqwest::Url::parse("http://127.0.0.1:1/").expect("valid URL");
        for m in MEMBERS {
            let s = http_service(m, url.clone());
            assert!((1..=3).contains(&s.interval.as_secs()), "{}", s.name);
            assert!(s.timeout <= Duration::from_secs(2), "{}", s.name);
            assert!(s.degraded_after < s.timeout, "{}", s.name);
        }
    }

    #[test]
    fn expectations_follow_the_script() {
        let url = reqwest::Url::parse("http://127.0.0.1:1/").expect("valid URL");
        for m in MEMBERS {
            let CheckConfig::Http(http) = http_service(m, url.clone()).check else {
                panic!("{} is not HTTP", m.name);
            };
            assert_eq!(http.expect_body.is_some(), m.kind == Kind::BodyMismatch);
            assert_eq!(http.expect_json.is_some(), m.kind == Kind::JsonHealth);
        }
    }
}
