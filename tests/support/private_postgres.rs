//! A PostgreSQL server of a test's own (Debian's binaries, run as the `postgres` user)
//! on a free loopback port with its data in a temporary directory, to stop and start
//! under lookout without touching the machine's shared server. `None`, with the reason,
//! when it cannot run here; under `CI=true` that fails the test.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::prometheus::free_port;

/// A running private server; stopped on drop.
pub struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    log: PathBuf,
    pub port: u16,
}

impl PrivatePostgres {
    /// initdb in `dir`, then start. Needs root (to run the server as `postgres`).
    pub fn start(dir: &Path) -> Option<Self> {
        let bin = match bin_dir() {
            Some(bin) => bin,
            None => return skip("no /usr/lib/postgresql/*/bin/pg_ctl"),
        };
        let root = dir.join("pg");
        std::fs::create_dir_all(&root).expect("the server's directory");
        for path in [dir, root.as_path()] {
            let status = Command::new("chmod").arg("755").arg(path).status();
            assert!(
                status.is_ok_and(|s| s.success()),
                "chmod {}",
                path.display()
            );
        }
        let status = Command::new("chown")
            .args(["postgres:postgres"])
            .arg(&root)
            .status();
        if !status.is_ok_and(|s| s.success()) {
            return skip("cannot hand a directory to the postgres user (not root?)");
        }
        let server = Self {
            data: root.join("data"),
            log: root.join("server.log"),
            port: free_port(),
            bin,
        };
        let initdb = server.as_postgres(
            "initdb",
            &[
                "-D",
                &server.data.display().to_string(),
                "-A",
                "trust",
                "-U",
                "postgres",
                "--no-sync",
            ],
        );
        if !initdb {
            return skip("initdb failed");
        }
        server.up();
        Some(server)
    }

    /// The URL lookout's `[jobs] database` takes.
    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Starts the server (again) and waits until it takes connections.
    pub fn up(&self) {
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
            self.port,
            self.data
                .parent()
                .map_or(PathBuf::new(), Path::to_path_buf)
                .display()
        );
        let data = self.data.display().to_string();
        let log = self.log.display().to_string();
        let started = self.as_postgres(
            "pg_ctl",
            &["-D", &data, "-l", &log, "-o", &options, "-w", "start"],
        );
        assert!(started, "pg_ctl start failed; log:\n{}", self.log());
    }

    /// Stops it the way an operator restarting it would (`-m fast`: clients cut off).
    pub fn down(&self) {
        let data = self.data.display().to_string();
        let stopped = self.as_postgres("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
        assert!(stopped, "pg_ctl stop failed; log:\n{}", self.log());
    }

    /// Switches TLS on with `cert_pem` and its `key_pem` (files in the data directory,
    /// as PostgreSQL asks: the key readable by its owner only) and restarts.
    pub fn enable_ssl(&self, cert_pem: &str, key_pem: &str) {
        let (cert, key) = (self.data.join("server.crt"), self.data.join("server.key"));
        std::fs::write(&cert, cert_pem).expect("write server.crt");
        std::fs::write(&key, key_pem).expect("write server.key");
        for (path, mode) in [(&cert, "644"), (&key, "600")] {
            let owned = Command::new("chown")
                .arg("postgres:postgres")
                .arg(path)
                .status();
            let moded = Command::new("chmod").arg(mode).arg(path).status();
            assert!(owned.is_ok_and(|s| s.success()) && moded.is_ok_and(|s| s.success()));
        }
        let conf = self.data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).expect("postgresql.conf");
        text.push_str("\nssl = on\n");
        std::fs::write(&conf, text).expect("write postgresql.conf");
        self.down();
        self.up();
    }

    /// Refuses connections without TLS (`hostnossl … reject` first in pg_hba.conf), as a
    /// managed database does; call before [`PrivatePostgres::enable_ssl`], which
    /// restarts.
    pub fn require_ssl(&self) {
        let hba = self.data.join("pg_hba.conf");
        let rules = std::fs::read_to_string(&hba).expect("pg_hba.conf");
        let text = format!("hostnossl all all 0.0.0.0/0 reject\n{rules}");
        std::fs::write(&hba, text).expect("write pg_hba.conf");
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    fn as_postgres(&self, program: &str, args: &[&str]) -> bool {
        Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(self.bin.join(program))
            .args(args)
            .output()
            .is_ok_and(|o| o.status.success())
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        let data = self.data.display().to_string();
        let _ = self.as_postgres("pg_ctl", &["-D", &data, "-m", "immediate", "-w", "stop"]);
    }
}

/// The newest installed version's binaries.
fn bin_dir() -> Option<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|bin| bin.join("pg_ctl").exists())
        .collect();
    versions.sort();
    versions.pop()
}

fn skip(why: &str) -> Option<PrivatePostgres> {
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "a private PostgreSQL is required under CI=true: {why}"
    );
    eprintln!("skipped: cannot run a private PostgreSQL ({why})");
    None
}
