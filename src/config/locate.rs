//! Where the config file is: `--config`, else `./lookout.toml`, else the XDG config dir.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

/// Why no config file could be used.
#[derive(Debug, thiserror::Error)]
pub enum LocateError {
    /// A path given with `--config` must be readable: falling back would hide a typo.
    #[error("cannot read config file {} (given with --config): {source}", path.display())]
    Unreadable { path: PathBuf, source: io::Error },
    /// None of the usual places holds a config file.
    #[error(
        "no config file found; looked at:\n{}\nrun `lookout demo` to see lookout with a \
         built-in fleet, or copy config.example.toml to ./lookout.toml and edit it",
        looked_at.iter().map(|p| format!("  {}", p.display())).collect::<Vec<_>>().join("\n")
    )]
    NotFound { looked_at: Vec<PathBuf> },
}

/// Finds the config file the way PRODUCT.md promises, reading the process environment.
pub fn locate(explicit: Option<&Path>) -> Result<PathBuf, LocateError> {
    locate_in(explicit, Path::new("."), &|name| std::env::var(name).ok())
}

/// [`locate`] with the working directory and environment injected (for tests).
fn locate_in(
    explicit: Option<&Path>,
    cwd: &Path,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<PathBuf, LocateError> {
    if let Some(path) = explicit {
        return match readable(path) {
            Ok(()) => Ok(path.to_path_buf()),
            Err(source) => Err(LocateError::Unreadable {
                path: path.to_path_buf(),
                source,
            }),
        };
    }
    let absolute = |name: &str| {
        env(name)
            .map(PathBuf::from)
            .filter(|path| path.is_absolute())
    };
    let mut looked_at = vec![cwd.join("lookout.toml")];
    if let Some(config_home) = absolute("XDG_CONFIG_HOME") {
        looked_at.push(config_home.join("lookout/config.toml"));
    } else if let Some(home) = absolute("HOME") {
        looked_at.push(home.join(".config/lookout/config.toml"));
    }
    match looked_at.iter().find(|path| path.is_file()) {
        Some(found) => Ok(found.clone()),
        None => Err(LocateError::NotFound { looked_at }),
    }
}

fn readable(path: &Path) -> io::Result<()> {
    let file = File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(io::Error::new(
            io::ErrorKind::IsADirectory,
            "it is a directory",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env_with<'a>(vars: &'a [(&'a str, &'a Path)]) -> impl Fn(&str) -> Option<String> + 'a {
        move |name| {
            vars.iter()
                .find(|(key, _)| *key == name)
                .map(|(_, value)| value.display().to_string())
        }
    }

    #[test]
    fn an_explicit_path_wins_and_must_be_readable() {
        let dir = tempfile::tempdir().expect("temp dir");
        let file = dir.path().join("mine.toml");
        std::fs::write(&file, "").expect("write");
        std::fs::write(dir.path().join("lookout.toml"), "").expect("write");
        let none = |_: &str| None;
        assert_eq!(locate_in(Some(&file), dir.path(), &none).ok(), Some(file));

        let missing = dir.path().join("missing.toml");
        let error = locate_in(Some(&missing), dir.path(), &none).unwrap_err();
        let shown = error.to_string();
        assert!(shown.starts_with(&format!("cannot read config file {}", missing.display())));
        assert!(shown.contains("No such file or directory"), "{shown}");

        let error = locate_in(Some(dir.path()), dir.path(), &none).unwrap_err();
        assert!(error.to_string().ends_with("it is a directory"), "{error}");
    }

    #[test]
    fn the_working_directory_comes_before_the_config_dir() {
        let cwd = tempfile::tempdir().expect("temp dir");
        let config = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(config.path().join("lookout")).expect("mkdir");
        let in_config = config.path().join("lookout/config.toml");
        std::fs::write(&in_config, "").expect("write");
        let vars = [("XDG_CONFIG_HOME", config.path())];
        let env = env_with(&vars);
        assert_eq!(locate_in(None, cwd.path(), &env).ok(), Some(in_config));

        let local = cwd.path().join("lookout.toml");
        std::fs::write(&local, "").expect("write");
        assert_eq!(locate_in(None, cwd.path(), &env).ok(), Some(local));
    }

    #[test]
    fn home_is_the_fallback_and_nothing_found_lists_the_places() {
        let cwd = tempfile::tempdir().expect("temp dir");
        let home = tempfile::tempdir().expect("temp dir");
        let vars = [("HOME", home.path()), ("XDG_CONFIG_HOME", Path::new("rel"))];
        let env = env_with(&vars);
        let error = locate_in(None, cwd.path(), &env).unwrap_err();
        let want = format!(
            "no config file found; looked at:\n  {}\n  {}\nrun `lookout demo` to see lookout \
             with a built-in fleet, or copy config.example.toml to ./lookout.toml and edit it",
            cwd.path().join("lookout.toml").display(),
            home.path().join(".config/lookout/config.toml").display()
        );
        assert_eq!(error.to_string(), want);

        let in_home = home.path().join(".config/lookout/config.toml");
        std::fs::create_dir_all(in_home.parent().expect("has a parent")).expect("mkdir");
        std::fs::write(&in_home, "").expect("write");
        assert_eq!(locate_in(None, cwd.path(), &env).ok(), Some(in_home));
    }
}
