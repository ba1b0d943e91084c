//! `lookout check --json` from a test: the config written into a directory of the
//! test's (where relative paths in it are taken from), the report read back.
#![allow(dead_code)] // each test binary uses its own subset

use std::path::Path;
use std::process::Command;

/// `lookout check --json` on a config of `text` written as `dir/lookout.toml`.
pub fn check_json_in(dir: &Path, text: &str) -> serde_json::Value {
    let config = dir.join("lookout.toml");
    std::fs::write(&config, text).expect("write config");
    let out = Command::new(env!("CARGO_BIN_EXE_lookout"))
        .args([
            "--config",
            config.to_str().expect("utf-8"),
            "check",
            "--json",
        ])
        .output()
        .expect("run lookout");
    let stdout = String::from_utf8_lossy(&out.stdout);
    serde_json::from_str(&stdout)
        .unwrap_or_else(|_| panic!("{stdout}\n{}", String::from_utf8_lossy(&out.stderr)))
}

/// The same in a directory of its own.
pub fn check_json(text: &str) -> serde_json::Value {
    let dir = tempfile::tempdir().expect("temp dir");
    check_json_in(dir.path(), text)
}
