//! A small ext4 disk (a loop-mounted image, `errors=remount-ro`) on a test's directory,
//! that a test makes fail the way a real disk does: an error makes the kernel remount it
//! read-only under the files open on it. Repairing it is what an operator does: unmount,
//! `e2fsck`, mount again. Needs root and loop devices: without them the test is skipped
//! with the reason, except under `CI=true`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

/// A mounted ext4 image.
pub struct FailingDisk {
    pub dir: PathBuf,
    image: PathBuf,
}

/// Runs `program args`; its stderr when it fails.
fn run(program: &str, args: &[&str]) -> Result<(), String> {
    let out = Command::new(program)
        .args(args)
        .output()
        .map_err(|err| format!("{program}: {err}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{program} {}: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

impl FailingDisk {
    /// Makes a `size` (like "16M") ext4 image beside `dir` and mounts it on `dir`.
    pub fn mount(dir: &Path, size: &str) -> Option<Self> {
        std::fs::create_dir_all(dir).expect("the mount point");
        let image = dir.with_extension("img");
        let made = run("truncate", &["-s", size, &image.to_string_lossy()])
            .and_then(|()| run("mkfs.ext4", &["-q", "-F", &image.to_string_lossy()]));
        let disk = Self {
            dir: dir.to_path_buf(),
            image,
        };
        match made.and_then(|()| disk.attach()) {
            Ok(()) => Some(disk),
            Err(why) => {
                assert!(
                    std::env::var("CI").as_deref() != Ok("true"),
                    "an ext4 image cannot be mounted under CI=true: {why}"
                );
                eprintln!("skipped: cannot mount an ext4 image ({why})");
                None
            }
        }
    }

    fn attach(&self) -> Result<(), String> {
        run(
            "mount",
            &[
                "-o",
                "loop,errors=remount-ro",
                &self.image.to_string_lossy(),
                &self.dir.to_string_lossy(),
            ],
        )
    }

    /// The loop device's name under /sys/fs/ext4 ("loop3").
    fn device(&self) -> String {
        let out = Command::new("findmnt")
            .args(["-n", "-o", "SOURCE"])
            .arg(&self.dir)
            .output()
            .expect("run findmnt");
        let source = String::from_utf8_lossy(&out.stdout).trim().to_owned();
        source.rsplit('/').next().unwrap_or_default().to_owned()
    }

    /// An error on the disk: the kernel aborts the journal and remounts it read-only,
    /// with lookout's files still open on it.
    pub fn fail(&self) {
        let trigger = format!("/sys/fs/ext4/{}/trigger_fs_error", self.device());
        std::fs::write(&trigger, "1").expect("trigger the ext4 error");
        let options = Command::new("findmnt")
            .args(["-n", "-o", "OPTIONS"])
            .arg(&self.dir)
            .output()
            .expect("run findmnt");
        let options = String::from_utf8_lossy(&options.stdout).into_owned();
        // ext4 shows `emergency_ro` on a mount still flagged `rw`.
        let read_only = options
            .trim()
            .split(',')
            .any(|option| option == "ro" || option == "emergency_ro");
        assert!(read_only, "still writable: {options}");
    }

    /// What an operator does: unmount (which fails while a process holds a file open
    /// on it: retried for up to `limit`), check and fix the filesystem, mount it again.
    /// Returns the last unmount error when it never let go.
    pub fn repair(&self, limit: Duration) -> Result<(), String> {
        let deadline = Instant::now() + limit;
        let dir = self.dir.to_string_lossy().into_owned();
        while let Err(why) = run("umount", &[&dir]) {
            if Instant::now() > deadline {
                return Err(why);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // e2fsck exits 1 when it fixed something: that is the point.
        let _ = Command::new("e2fsck")
            .args(["-f", "-y"])
            .arg(&self.image)
            .output();
        self.attach().map_err(|why| format!("mount again: {why}"))
    }
}

impl Drop for FailingDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(&self.dir).status();
        let _ = std::fs::remove_file(&self.image);
    }
}
