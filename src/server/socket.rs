//! The engine's local socket, `<state_dir>/lookout.sock`: the way in for viewers on this
//! machine (a dashboard attaching, `curl --unix-socket`), authorised by who may open it.
//! It is made with mode 0600 (the engine's user only) inside a private directory and
//! renamed into place, so it is never reachable with wider rights, and replaces the
//! socket a stopped engine left behind (the state directory's lock says no engine runs).

use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use tokio::net::UnixListener;
use tracing::{info, warn};

use crate::log::events;

/// The socket's file name inside the state directory.
pub const FILE_NAME: &str = "lookout.sock";
/// How often the socket's file is looked at, to make it again if it went.
pub const LOOK_EVERY: std::time::Duration = std::time::Duration::from_secs(1);
/// The longest path a Unix socket may have (`sun_path`, less its closing NUL).
const MAX_PATH: usize = 107;

/// Why the socket could not be made.
#[derive(Debug, thiserror::Error)]
pub enum SocketError {
    #[error(
        "the local socket's path {path} is {len} bytes, over the {MAX_PATH} a Unix socket \
         may have: set [general] state_dir to a shorter path"
    )]
    TooLong { path: PathBuf, len: usize },
    #[error("cannot make the local socket {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// The bound socket.
#[derive(Debug)]
pub struct LocalSocket {
    pub(super) listener: UnixListener,
    pub(super) file: SocketFile,
    /// `[server] socket_group`'s gid, kept to make the socket again alike.
    group: Option<u32>,
}

/// The socket's file, removed when the engine stops if it is still this one.
#[derive(Debug)]
pub(super) struct SocketFile {
    path: PathBuf,
    /// Device and inode of the file made, to remove only that one.
    identity: (u64, u64),
}

impl LocalSocket {
    /// Makes `<state_dir>/lookout.sock`, mode 0600; with `group` (`[server]
    /// socket_group`), mode 0660 in that group, and the state directory 0710 in it so
    /// the group can reach the socket without listing the directory.
    pub fn bind(state_dir: &Path, group: Option<u32>) -> Result<Self, SocketError> {
        let path = state_dir.join(FILE_NAME);
        let len = path.as_os_str().len();
        if len > MAX_PATH {
            return Err(SocketError::TooLong { path, len });
        }
        let private = state_dir.join(format!(".{FILE_NAME}.{}", std::process::id()));
        let made = made_privately(&private, &path, group);
        let _ = std::fs::remove_dir_all(&private);
        let (listener, identity) = made.map_err(|source| SocketError::Io {
            path: path.clone(),
            source,
        })?;
        Ok(Self {
            listener,
            file: SocketFile { path, identity },
            group,
        })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.file.path
    }
}

impl SocketFile {
    /// True when the file is no longer the socket made: deleted (with the state
    /// directory, maybe) or replaced.
    pub(super) fn moved_away(&self) -> bool {
        match std::fs::metadata(&self.path) {
            Ok(meta) => (meta.dev(), meta.ino()) != self.identity,
            Err(err) => err.kind() == std::io::ErrorKind::NotFound,
        }
    }

    /// Removes the socket's file, unless another has replaced it meanwhile.
    pub(super) fn remove(&self) {
        let ours = std::fs::metadata(&self.path)
            .is_ok_and(|meta| (meta.dev(), meta.ino()) == self.identity);
        if ours {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Makes the socket again after its file went, saying so; a failure is said once until
/// the error changes.
pub(super) struct Remaking {
    dir: PathBuf,
    group: Option<u32>,
    last_error: Option<String>,
}

impl Remaking {
    pub(super) fn new(socket: &LocalSocket) -> Self {
        let dir = socket.file.path.parent().map(Path::to_path_buf);
        Self {
            dir: dir.unwrap_or_default(),
            group: socket.group,
            last_error: None,
        }
    }

    /// The socket made again, or `None` (said) when it cannot be yet.
    pub(super) fn again(&mut self) -> Option<LocalSocket> {
        match LocalSocket::bind(&self.dir, self.group) {
            Ok(socket) => {
                info!(
                    event = events::SOCKET_LISTENING,
                    path = %socket.path().display(),
                    remade = true,
                );
                self.last_error = None;
                Some(socket)
            }
            Err(err) => {
                let text = err.to_string();
                if self.last_error.as_deref() != Some(text.as_str()) {
                    warn!(event = events::SOCKET_FAILED, error = %text);
                    self.last_error = Some(text);
                }
                None
            }
        }
    }
}

/// Binds the socket in a directory only this user can enter, sets its mode, and renames
/// it to `path`.
fn made_privately(
    private: &Path,
    path: &Path,
    group: Option<u32>,
) -> std::io::Result<(UnixListener, (u64, u64))> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
        if let Some(gid) = group {
            std::os::unix::fs::chown(dir, None, Some(gid)).map_err(|err| to_group(gid, err))?;
            std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o710))?;
        }
    }
    let _ = std::fs::remove_dir_all(private);
    std::fs::DirBuilder::new().mode(0o700).create(private)?;
    let inside = private.join(FILE_NAME);
    let listener = UnixListener::bind(&inside)?;
    let mode = match group {
        Some(gid) => {
            std::os::unix::fs::chown(&inside, None, Some(gid)).map_err(|err| to_group(gid, err))?;
            0o660
        }
        None => 0o600,
    };
    std::fs::set_permissions(&inside, std::fs::Permissions::from_mode(mode))?;
    std::fs::rename(&inside, path)?;
    let meta = std::fs::metadata(path)?;
    Ok((listener, (meta.dev(), meta.ino())))
}

/// A failure to give the socket to `[server] socket_group`, said as such.
fn to_group(gid: u32, err: std::io::Error) -> std::io::Error {
    let why = format!(
        "giving it to group {gid} ([server] socket_group; lookout's user must be a member): {err}"
    );
    std::io::Error::new(err.kind(), why)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_socket_is_the_users_alone_and_replaces_a_stale_one() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        std::fs::write(dir.path().join(FILE_NAME), "left by a stopped engine")
            .expect("the test\'s own files");
        let socket = LocalSocket::bind(dir.path(), None).expect("bound");
        let meta = std::fs::metadata(socket.path()).expect("the socket's file");
        assert_eq!(meta.permissions().mode() & 0o777, 0o600);
        assert!(std::os::unix::fs::FileTypeExt::is_socket(&meta.file_type()));
        let entries: Vec<_> = std::fs::read_dir(dir.path())
            .expect("the test's own directory")
            .collect();
        assert_eq!(entries.len(), 1, "the private directory is gone");
        tokio::net::UnixStream::connect(socket.path())
            .await
            .expect("it listens");
        let path = socket.path().to_owned();
        socket.file.remove();
        assert!(!path.exists());
    }

    #[test]
    fn a_path_too_long_for_a_socket_is_said_so() {
        let long = Path::new("/tmp").join("d".repeat(120));
        let err = LocalSocket::bind(&long, None).expect_err("too long");
        assert!(err.to_string().contains("shorter path"), "{err}");
    }
}
