//! The state directory and how one engine holds it: the lock that keeps a second engine
//! out (`lock.rs`), and making it private to its user.

pub mod lock;

use std::os::unix::fs::DirBuilderExt;
use std::path::Path;

/// Makes `dir` (and what leads to it) if missing, mode 0700: the alert database, its
/// notes and silences, and the local socket are this user's. A directory that exists
/// keeps the mode its owner gave it.
pub fn make_private_dir(dir: &Path) -> std::io::Result<()> {
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_state_directory_made_here_is_the_users_alone_and_one_there_is_left_as_it_is() {
        let root = tempfile::tempdir().expect("a temporary directory");
        let made = root.path().join("a/state");
        let mode = |path: &std::path::Path| {
            let meta = std::fs::metadata(path).expect("the test's own files");
            meta.permissions().mode() & 0o777
        };
        make_private_dir(&made).expect("a directory this user may make");
        assert_eq!(mode(&made), 0o700);
        let shared = root.path().join("shared");
        std::fs::create_dir(&shared).expect("the test\'s own files");
        std::fs::set_permissions(&shared, std::fs::Permissions::from_mode(0o750))
            .expect("the test\'s own files");
        make_private_dir(&shared).expect("a directory this user may make");
        assert_eq!(mode(&shared), 0o750, "the owner's choice stands");
    }
}
