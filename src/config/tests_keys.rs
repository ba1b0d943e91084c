//! Which keys are valid where: a key written in the wrong place is sent to its home.

use super::keys::{defaults_keys, kind_of_key, misplaced, service_keys};

#[test]
fn misplaced_keys_are_sent_home() {
    let cases = [
        (
            "history",
            "in [defaults]",
            Some("`history` belongs in [general], not in [defaults]"),
        ),
        (
            "timeout",
            "in [general]",
            Some("`timeout` belongs in [defaults] (or a [[service]]), not in [general]"),
        ),
        (
            "url",
            "in [defaults]",
            Some("`url` belongs in each [[service]], not in [defaults]"),
        ),
        (
            "watch",
            "in [defaults]",
            Some("`watch` belongs in [general], not in [defaults]"),
        ),
        (
            "rotation",
            "in [general]",
            Some("`rotation` belongs in [log], not in [general]"),
        ),
        (
            "listen",
            "at the top level",
            Some("`listen` belongs in [server], not at the top level"),
        ),
        (
            "token",
            "in a [[service]]",
            Some("`token` belongs in [server], not in a [[service]]"),
        ),
        (
            "processes",
            "in [general]",
            Some("`processes` belongs in [system], not in [general]"),
        ),
        (
            "cpu",
            "at the top level",
            Some("`cpu` belongs in [system], not at the top level"),
        ),
        (
            "reminder",
            "at the top level",
            Some("`reminder` belongs in [alerts], not at the top level"),
        ),
        (
            "metric",
            "in [alerts]",
            Some("`metric` belongs in each [[alerts.rule]], not in [alerts]"),
        ),
        (
            "min_severity",
            "in [alerts]",
            Some("`min_severity` belongs in each [[notify]], not in [alerts]"),
        ),
        (
            "forward",
            "at the top level",
            Some("`forward` belongs in each [[alertmanager]], not at the top level"),
        ),
        ("timout", "in [general]", None),
    ];
    for (key, place, want) in cases {
        assert_eq!(misplaced(key, place).as_deref(), want, "{key}");
    }
}

#[test]
fn kinds_own_their_keys() {
    let owner = |key| kind_of_key(key).map(|kind| kind.name);
    assert_eq!(owner("method"), Some("HTTP"));
    assert_eq!(owner("insecure"), Some("HTTP"));
    assert_eq!(owner("url"), Some("HTTP"));
    assert_eq!(owner("tcp"), Some("TCP"));
    assert_eq!(owner("starttls"), Some("TLS"));
    assert_eq!(owner("interval"), None);
    assert_eq!(owner("name"), None);
    // Keys two kinds share (`insecure`, `certificate_warn`) are listed once.
    let keys = service_keys();
    assert_eq!(keys.iter().filter(|k| **k == "insecure").count(), 1);
    assert_eq!(keys.len(), 31);
    assert_eq!(defaults_keys().len(), 12);
}
