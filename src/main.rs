//! The `lookout` binary: parse arguments, install error reporting, run.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = lookout::cli::Cli::parse();
    if let Err(err) = color_eyre::install() {
        eprintln!("lookout: could not install error reporting: {err}");
    }
    match lookout::run(cli) {
        Ok(code) => code,
        Err(report) => {
            // The cause chain on one line: these are operational errors, not bugs, so no
            // backtrace (panics still get color-eyre's full report).
            eprintln!("lookout: {}", lookout::words::error_line(report.chain()));
            ExitCode::FAILURE
        }
    }
}
