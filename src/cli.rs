//! Command-line arguments.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// A terminal dashboard for people on call.
#[derive(Debug, Parser)]
#[command(name = "lookout", version, about, long_about = None)]
pub struct Cli {
    /// Config file [default: ./lookout.toml, then $XDG_CONFIG_HOME/lookout/config.toml]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Draw with ASCII only (borders, symbols, sparklines); automatic when LANG is not UTF-8
    #[arg(long, global = true)]
    pub ascii: bool,

    /// No screen: run the checks and write JSON-line logs (automatic when stdout is not a
    /// terminal)
    #[arg(long, global = true)]
    pub headless: bool,

    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// The dashboard over a built-in demo fleet (no setup, no external service); with
    /// --headless, its log lines on stdout
    Demo,
    /// Run every check once, print the results, exit 0 all up, 1 degraded, 2 down
    Check {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Check the config file and exit (0 valid, 2 invalid)
    Validate,
    /// The dashboard of a running engine: the one holding the config's state directory
    /// (over its local socket), or with --url the one whose API answers there
    Attach {
        /// The engine's API over TCP, e.g. http://db1:9100 (needs its token)
        #[arg(long, value_name = "URL", value_parser = api_url)]
        url: Option<url::Url>,
        /// The API's bearer token, for --url
        #[arg(
            long,
            env = "LOOKOUT_TOKEN",
            hide_env_values = true,
            value_name = "TOKEN"
        )]
        token: Option<String>,
    },
    /// The job monitor of the config's [jobs] section
    Jobs {
        #[command(subcommand)]
        command: JobsCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum JobsCommand {
    /// Run one pass over the job queue and print what it did: exit 0 done, 1 the
    /// database failed, 2 bad config or no [jobs] section
    Check {
        /// Find stuck jobs and print what would be done, change nothing
        #[arg(long)]
        dry_run: bool,
        /// Print JSON instead of text
        #[arg(long)]
        json: bool,
    },
}

/// `--url`: an absolute URL; `host:port` alone is answered with the URL meant.
fn api_url(text: &str) -> Result<url::Url, String> {
    if !text.contains("://") {
        return Err(format!("not a URL; write http://{text}"));
    }
    url::Url::parse(text).map_err(|err| format!("not a URL ({err}); like http://db1:9100"))
}
