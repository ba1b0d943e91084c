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
            eprintln!("lookout: {report:?}");
            ExitCode::FAILURE
        }
    }
}
