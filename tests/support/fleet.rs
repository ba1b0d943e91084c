//! The config most end-to-end tests run: a state directory of the test's own, no machine
//! panel, quick checks that fail at the first failure, and the services the test names.

use std::path::{Path, PathBuf};

/// A config being put together; [`FastConfig::write`] writes it as `dir/lookout.toml`.
pub struct FastConfig {
    dir: PathBuf,
    text: String,
    services: String,
}

impl FastConfig {
    /// Checks every `interval_ms` (timeout three quarters of it, DEGRADED past half of
    /// it), `failure_threshold = 1`, state in `dir/state`.
    pub fn new(dir: &Path, interval_ms: u64) -> Self {
        let text = format!(
            "[general]\nstate_dir = \"{state}\"\n\n[system]\nenabled = false\n\n\
             [defaults]\ninterval = \"{interval_ms}ms\"\ntimeout = \"{timeout}ms\"\n\
             degraded_after = \"{degraded}ms\"\nfailure_threshold = 1\n",
            state = dir.join("state").display(),
            timeout = interval_ms * 3 / 4,
            degraded = interval_ms / 2,
        );
        Self {
            dir: dir.to_path_buf(),
            text,
            services: String::new(),
        }
    }

    /// Headless with JSON lines on stdout and the API on a port of the system's choice,
    /// its token [`super::api::TOKEN`].
    pub fn headless_api(self) -> Self {
        self.toml(&format!(
            "[log]\nstdout = true\n\n[server]\nlisten = \"127.0.0.1:0\"\ntoken = \"{}\"",
            super::api::TOKEN
        ))
    }

    /// Adds `text` (whole tables) before the services.
    pub fn toml(mut self, text: &str) -> Self {
        self.text.push('\n');
        self.text.push_str(text);
        self.text.push('\n');
        self
    }

    /// Adds a `[[service]]` checking `url`, with `extra` lines (`group = "shop"`).
    pub fn service(mut self, name: &str, url: &str, extra: &str) -> Self {
        self.services.push_str(&format!(
            "\n[[service]]\nname = \"{name}\"\nurl = \"{url}\"\n"
        ));
        if !extra.is_empty() {
            self.services.push_str(extra);
            self.services.push('\n');
        }
        self
    }

    /// Writes it; its path.
    pub fn write(self) -> PathBuf {
        super::write_config(&self.dir, &format!("{}{}", self.text, self.services))
    }
}
