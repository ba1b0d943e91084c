//! `certificate_expiring`: an HTTPS service's certificate close to its expiry warns,
//! then is critical, while the service itself stays UP; a renewed one resolves it.

use super::engine::AlertEngine;
use super::engine_tests_support::{Fleet, Svc, UP, svc, words};
use crate::config::{AlertsConfig, Severity};
use crate::kinds::{CertificateLimits, CheckConfig};
use crate::test_support::at;

const DAY: u64 = 86_400;

/// "shop", an https:// service whose certificate expires at `expires` (as `at`).
fn shop(expires: u64) -> Svc {
    Svc {
        cert_expires: Some(expires),
        ..svc("shop", UP, 0)
    }
}

fn https(fleet: &mut Fleet) {
    fleet.configure("shop", |config| {
        let CheckConfig::Http(http) = &mut config.check else {
            panic!("shop is an HTTP service");
        };
        http.url = "https://shop.example.com/health".parse().expect("a URL");
    });
}

#[test]
fn warns_under_14_days_then_is_critical_under_3_and_resolves_when_renewed() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    https(&mut fleet);
    let expires = 30 * DAY;
    let mut at_day = |engine: &mut AlertEngine, day: u64, expires: u64| {
        let t = day * DAY;
        words(&engine.evaluate(&fleet.snapshot(&[shop(expires)]), at(t)))
    };
    assert_eq!(
        at_day(&mut engine, 15, expires),
        [] as [&str; 0],
        "15 days left"
    );
    assert_eq!(
        at_day(&mut engine, 17, expires),
        ["certificate_expiring/shop#1 firing!"],
        "13 days left"
    );
    let alert = engine.active()[0].clone();
    assert_eq!(alert.severity, Severity::Medium);
    assert_eq!(
        alert.summary,
        "shop's certificate expires in 13 days (2023-12-14)"
    );
    assert_eq!(
        at_day(&mut engine, 28, expires),
        ["certificate_expiring/shop#1 worsened!"],
        "2 days left: critical"
    );
    assert_eq!(engine.active()[0].severity, Severity::Critical);
    // Renewed: 90 days from now.
    assert_eq!(
        at_day(&mut engine, 29, 119 * DAY),
        ["certificate_expiring/shop#1 resolved!"]
    );
    // It resolves saying what is true now, not the last warning.
    let resolved = &engine.history()[0];
    assert_eq!(
        resolved.summary,
        "shop's certificate expires in 90 days (2024-03-12)"
    );
}

#[test]
fn a_plain_http_service_or_one_without_a_certificate_yet_never_warns() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    // http://: no certificate can come.
    let events = engine.evaluate(&fleet.snapshot(&[shop(DAY)]), at(0));
    assert_eq!(words(&events), [] as [&str; 0]);
    // https://, not answered yet: nothing known, nothing said.
    https(&mut fleet);
    let waiting = svc("shop", UP, 0);
    let events = engine.evaluate(&fleet.snapshot(&[waiting]), at(10));
    assert_eq!(words(&events), [] as [&str; 0]);
}

#[test]
fn the_limits_are_the_service_s_own() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let mut fleet = Fleet::default();
    https(&mut fleet);
    fleet.configure("shop", |config| {
        if let CheckConfig::Http(http) = &mut config.check {
            http.certificate = CertificateLimits {
                warn: std::time::Duration::from_secs(40 * DAY),
                critical: std::time::Duration::from_secs(10 * DAY),
            };
        }
    });
    let events = engine.evaluate(&fleet.snapshot(&[shop(30 * DAY)]), at(0));
    assert_eq!(words(&events), ["certificate_expiring/shop#1 firing!"]);
    let expired = engine.evaluate(&fleet.snapshot(&[shop(30 * DAY)]), at(31 * DAY));
    assert_eq!(words(&expired), ["certificate_expiring/shop#1 worsened!"]);
    assert_eq!(
        engine.active()[0].summary,
        "shop's certificate expired on 2023-12-14"
    );
}
