//! Filter directives: what parses, what each lets through, and where the filter comes from.

use std::collections::HashMap;

use tracing::Level;

use super::{DEFAULT_FILTER, Filter, LogError, filter_from_env};

/// (target, level) pairs a filter is asked about.
const PROBES: [(&str, Level); 6] = [
    ("lookout::engine", Level::DEBUG),
    ("lookout::engine", Level::INFO),
    ("lookout", Level::WARN),
    ("hyper::proto", Level::INFO),
    ("hyper::proto", Level::WARN),
    ("rustls", Level::ERROR),
];

#[test]
fn good_directives_and_what_they_let_through() {
    // Directives, then whether each probe passes.
    let cases: &[(&str, [bool; 6])] = &[
        ("info", [false, true, true, true, true, true]),
        ("lookout=debug", [true, true, true, false, false, false]),
        ("warn,lookout=info", [false, true, true, false, true, true]),
        (DEFAULT_FILTER, [false, true, true, false, true, true]),
        (
            " warn , lookout = debug ,",
            [true, true, true, false, true, true],
        ),
        ("off", [false; 6]),
        ("error,hyper=info", [false, false, false, true, true, true]),
        ("TRACE", [true; 6]),
        (
            "lookout::engine=debug,error",
            [true, true, false, false, false, true],
        ),
    ];
    for (text, want) in cases {
        let filter = Filter::parse(text).unwrap_or_else(|err| panic!("{text:?}: {err}"));
        let got = PROBES.map(|(target, level)| filter.enables(target, level));
        assert_eq!(&got, want, "{text:?}");
    }
}

#[test]
fn bad_directives_are_quoted_with_the_valid_syntax() {
    // Directives, then the directive the error must quote.
    let cases: &[(&str, &str)] = &[
        ("lookout=loud", "lookout=loud"),
        ("warn,lookout=loud", "lookout=loud"),
        ("lookout=", "lookout="),
        ("=debug", "=debug"),
        ("a=b=c", "a=b=c"),
        ("lookout=6", "lookout=6"),
        ("", ""),
        (" , ", " , "),
    ];
    for (text, quoted) in cases {
        let err = Filter::parse(text).expect_err(text);
        let LogError::Filter { directive, .. } = &err else {
            panic!("{text:?}: {err:?}");
        };
        assert_eq!(directive, quoted, "{text:?}");
        let message = err.to_string();
        assert!(message.contains(&format!("`{quoted}`")), "{message}");
        assert!(message.contains("`TARGET=LEVEL`"), "{message}");
        assert!(
            message.contains("off, error, warn, info, debug, trace"),
            "{message}"
        );
    }
    let message = Filter::parse("lookout=loud").expect_err("bad").to_string();
    assert!(message.starts_with("invalid log filter directive `lookout=loud` in the log filter: "));
}

#[test]
fn the_default_is_the_documented_one() {
    let built = Filter::default();
    assert_eq!(built.to_string(), DEFAULT_FILTER);
    assert_eq!(Some(built), Filter::parse(DEFAULT_FILTER).ok());
}

fn env(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    move |key| vars.get(key).cloned()
}

#[test]
fn lookout_log_wins_over_rust_log_over_the_default() {
    let cases: &[(&[(&str, &str)], &str)] = &[
        (&[], DEFAULT_FILTER),
        (&[("RUST_LOG", "debug")], "debug"),
        (&[("LOOKOUT_LOG", "lookout=trace")], "lookout=trace"),
        (&[("LOOKOUT_LOG", "error"), ("RUST_LOG", "debug")], "error"),
        // Blank counts as unset.
        (&[("LOOKOUT_LOG", "  "), ("RUST_LOG", "debug")], "debug"),
        (&[("LOOKOUT_LOG", ""), ("RUST_LOG", "")], DEFAULT_FILTER),
        // The one that wins is the only one read: a bad RUST_LOG behind it is fine.
        (
            &[("LOOKOUT_LOG", "info"), ("RUST_LOG", "lookout=loud")],
            "info",
        ),
    ];
    for (vars, want) in cases {
        let filter = filter_from_env(env(vars)).unwrap_or_else(|err| panic!("{vars:?}: {err}"));
        assert_eq!(filter.to_string(), *want, "{vars:?}");
    }
}

#[test]
fn a_bad_variable_is_named_in_the_error() {
    for var in ["LOOKOUT_LOG", "RUST_LOG"] {
        let err = filter_from_env(env(&[(var, "info,lookout=loud")])).expect_err(var);
        let message = err.to_string();
        assert!(
            message.starts_with(&format!(
                "invalid log filter directive `lookout=loud` in {var}: "
            )),
            "{message}"
        );
    }
}
