//! `lookout jobs check [--dry-run] [--json]`: one round against the queue, printed.

use std::io::Write;
use std::time::SystemTime;

use super::check_report;
use super::cycle;
use super::database::Database;
use crate::config::JobsConfig;

/// The exit code when the database could not be used (PRODUCT.md: a runtime failure).
pub const EXIT_DATABASE_FAILED: u8 = 1;

/// Runs one round and prints it; returns the exit code. A dry run (asked here or in the
/// config) changes nothing.
pub async fn run(config: &JobsConfig, dry_run: bool, json: bool) -> u8 {
    let dry_run = dry_run || config.dry_run;
    let outcome = match Database::open(config).await {
        Ok(mut queue) => cycle::round(&mut queue, config, SystemTime::now(), dry_run, 1).await,
        Err(err) => Err(err),
    };
    let round = match outcome {
        Ok(round) => round,
        Err(err) => {
            eprintln!(
                "lookout: job queue {} in {}: {err}",
                config.table, config.database
            );
            return EXIT_DATABASE_FAILED;
        }
    };
    let text = if json {
        match check_report::json(&round, config) {
            Ok(mut text) => {
                text.push('\n');
                text
            }
            Err(err) => {
                eprintln!("lookout: could not encode the report: {err}");
                return EXIT_DATABASE_FAILED;
            }
        }
    } else {
        check_report::text(&round, config)
    };
    if let Err(err) = std::io::stdout().write_all(text.as_bytes()) {
        eprintln!("lookout: could not write the report: {err}");
        return EXIT_DATABASE_FAILED;
    }
    0
}
