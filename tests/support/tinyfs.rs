//! A small tmpfs mounted on a test's directory, to make a state directory full or
//! read-only on purpose; unmounted on drop. Mounting needs root (or CAP_SYS_ADMIN):
//! without it the test is skipped with the reason, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A mounted tmpfs.
pub struct TinyFs {
    pub dir: PathBuf,
}

impl TinyFs {
    /// Mounts `size` (like "8m") on `dir`, made if missing.
    pub fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).expect("the mount point");
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output();
        let ok = out.as_ref().is_ok_and(|o| o.status.success());
        if !ok {
            let why = out
                .map(|o| String::from_utf8_lossy(&o.stderr).into_owned())
                .unwrap_or_else(|err| err.to_string());
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "a tmpfs cannot be mounted under CI=true: {why}"
            );
            eprintln!("skipped: cannot mount a tmpfs ({why})");
            return None;
        }
        Some(Self {
            dir: dir.to_path_buf(),
        })
    }

    /// Makes it read-only (`false`) or writable again (`true`).
    pub fn set_writable(&self, writable: bool) {
        let option = if writable { "remount,rw" } else { "remount,ro" };
        let status = Command::new("mount")
            .args(["-o", option])
            .arg(&self.dir)
            .status()
            .expect("run mount");
        assert!(status.success(), "mount -o {option} failed");
    }

    /// Fills it up with one file; returns the file, to delete to free the space.
    pub fn fill(&self) -> PathBuf {
        use std::io::Write;
        let path = self.dir.join("filler");
        let mut file = std::fs::File::create(&path).expect("the filler");
        let chunk = vec![0u8; 64 * 1024];
        while file.write_all(&chunk).is_ok() {}
        // What is left below a chunk, byte by byte is too slow: a smaller chunk will do.
        while file.write_all(&chunk[..512]).is_ok() {}
        path
    }
}

impl Drop for TinyFs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
    }
}
