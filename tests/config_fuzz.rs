//! The config loader under fuzzing: generated and mutated config texts (see
//! `support/fuzz_toml.rs`) must never panic the loader or its error messages, and every
//! error must be placed on a real line and column of the text and quote that line.
//!
//! A short run is part of the suite. The long one:
//! `LOOKOUT_FUZZ_RUNS=10000000 cargo test --release --test config_fuzz -- --nocapture`
//! (`LOOKOUT_FUZZ_SEED` picks another sequence). An input that fails is written to
//! `target/config-fuzz-failure.toml` and named in the message.

mod support;

use std::path::Path;
use std::time::Instant;

use lookout::config::{self, ConfigErrors};
use support::fuzz_toml::{Rng, document, mutate};

/// Executions in the suite's short run.
const SHORT_RUN: u64 = 20_000;

/// The seeds to mutate: the example config and every invalid fixture.
fn corpus() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut texts = vec![
        std::fs::read_to_string(root.join("config.example.toml")).expect("the example config"),
    ];
    for dir in ["tests/fixtures/config/invalid", "tests/fixtures/fuzz"] {
        let Ok(entries) = std::fs::read_dir(root.join(dir)) else {
            continue;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        {
            texts.push(std::fs::read_to_string(path).expect("a corpus file"));
        }
    }
    texts
}

/// `${VAR}` answers: some set, some not.
fn env(name: &str) -> Option<String> {
    match name {
        "HOME" => Some("/home/op".into()),
        "A" => Some("x".into()),
        "TOKEN" => Some("s3cr3t-token".into()),
        _ => None,
    }
}

/// Loads `text`: whether it is a valid config, or what is wrong with the outcome (a
/// panic is caught by the caller).
fn check(text: &str) -> Result<bool, String> {
    let source = Path::new("/etc/lookout/fuzz.toml");
    match config::parse(text, source, &env) {
        Ok(config) if format!("{config:?}").is_empty() => Err("an empty Debug".to_string()),
        Ok(_) => Ok(true),
        Err(errors) => misplaced(text, &errors).map_or(Ok(false), Err),
    }
}

/// Every problem has a message and a place that exists in `text`, quoting its line.
fn misplaced(text: &str, errors: &ConfigErrors) -> Option<String> {
    let rendered = errors.to_string();
    let problems = errors.problems();
    if problems.is_empty() {
        return Some(format!("an invalid config with no problem: {rendered}"));
    }
    let lines: Vec<&str> = text.split('\n').collect();
    for p in problems {
        if p.message.trim().is_empty() {
            return Some("a problem without a message".into());
        }
        if p.line == 0 {
            if p.column != 0 || !p.snippet.is_empty() {
                return Some(format!("a placeless problem with a place: {p:?}"));
            }
            continue;
        }
        let Some(line) = lines.get(p.line - 1) else {
            return Some(format!("line {} of {}: {p:?}", p.line, lines.len()));
        };
        let chars = line.trim_end_matches('\r').chars().count();
        if p.column == 0 || p.column > chars + 1 || p.snippet.chars().count() != chars {
            return Some(format!(
                "column {} on a line of {chars} characters: {p:?}",
                p.column
            ));
        }
    }
    None
}

#[test]
fn the_loader_survives_generated_and_mutated_configs() {
    let runs: u64 = std::env::var("LOOKOUT_FUZZ_RUNS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(SHORT_RUN);
    let seed: u64 = std::env::var("LOOKOUT_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x1005_c0de);
    let corpus = corpus();
    let mut rng = Rng::new(seed);
    let started = Instant::now();
    let (mut valid, mut invalid) = (0u64, 0u64);
    std::panic::set_hook(Box::new(|_| {}));
    for run in 0..runs {
        let text = if rng.chance(3) {
            document(&mut rng)
        } else {
            let base = &corpus[rng.below(corpus.len())];
            let other = &corpus[rng.below(corpus.len())];
            mutate(&mut rng, base, other)
        };
        let outcome = std::panic::catch_unwind(|| check(&text));
        let failure = match outcome {
            Ok(Ok(true)) => {
                valid += 1;
                None
            }
            Ok(Ok(false)) => {
                invalid += 1;
                None
            }
            Ok(Err(wrong)) => Some(wrong),
            Err(panic) => Some(format!(
                "panicked: {}",
                panic
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default()
            )),
        };
        if let Some(failure) = failure {
            let _ = std::panic::take_hook();
            let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join("config-fuzz-failure.toml");
            std::fs::write(&path, &text).expect("keep the failing input");
            panic!(
                "run {run} (seed {seed}): {failure}\ninput kept in {}",
                path.display()
            );
        }
    }
    let _ = std::panic::take_hook();
    let took = started.elapsed();
    println!(
        "{runs} runs (seed {seed}) in {took:.1?}: {valid} valid, {invalid} invalid, {:.1} µs each",
        took.as_secs_f64() * 1e6 / runs.max(1) as f64
    );
    assert!(
        valid > 0 && invalid > 0,
        "both kinds are reached: {valid} valid, {invalid} invalid"
    );
}
