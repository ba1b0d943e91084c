//! `[jobs] database`: a SQLite file or a PostgreSQL URL. A URL may hold a password: no
//! message and no shown line of the file ever holds it.

use std::path::{Path, PathBuf};

use url::Url;

use crate::config::JobsDatabase;
use crate::config::jobs::masked_url;
use crate::config::walk::{Text, Value, Walker};

/// An absolute SQLite path, for messages.
pub(super) const SQLITE_EXAMPLE: &str = "\"sqlite:///var/lib/app/queue.db\"";

const POSTGRES_EXAMPLE: &str = "\"postgres://lookout@db.internal/app\"";

/// Reads `database`: `sqlite://<path>` (a relative path is taken from the directory of
/// the config file, `source`) or `postgres://…` / `postgresql://…` with a host.
pub(super) fn database(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    source: &Path,
) -> Option<JobsDatabase> {
    let Some(raw) = value.get_ref().as_str() else {
        w.wrong_type(value, "database", &format!("a string like {}", forms()));
        return None;
    };
    if raw.contains('@') {
        // A password would sit before the `@`: the whole value is masked wherever its
        // line is shown.
        w.hide(value.span());
    }
    let text = w.text(value, "database")?;
    let problem = match text.value.split_once("://") {
        _ if text.value.trim().is_empty() => format!("is empty; write {}", forms()),
        None => format!(
            "has no `sqlite://` or `postgres://` in front; write {}",
            forms()
        ),
        Some((scheme, path)) if scheme.eq_ignore_ascii_case("sqlite") => {
            match sqlite(path, source) {
                Ok(path) => return Some(JobsDatabase::Sqlite { path }),
                Err(problem) => problem,
            }
        }
        Some((scheme, _))
            if scheme.eq_ignore_ascii_case("postgres")
                || scheme.eq_ignore_ascii_case("postgresql") =>
        {
            match postgres(&text.value) {
                Ok(()) => {
                    return Some(JobsDatabase::Postgres {
                        url: text.value.clone(),
                    });
                }
                Err(problem) => problem,
            }
        }
        Some((scheme, _)) if is_scheme(scheme) => format!(
            "has scheme `{scheme}`, which the job monitor cannot read; write {}",
            forms()
        ),
        Some(_) => format!(
            "is not a `sqlite://` or `postgres://` URL; write {}",
            forms()
        ),
    };
    let message = match quoted(&text) {
        Some(shown) => format!("`database` = {shown} {problem}"),
        None => format!("`database` (not shown: it may hold a password) {problem}"),
    };
    w.report(text.span, message);
    None
}

/// The two valid forms, for messages.
fn forms() -> String {
    format!(
        "{SQLITE_EXAMPLE} (a relative path, like \"sqlite://queue.db\", is taken from this \
         file's directory) or {POSTGRES_EXAMPLE}"
    )
}

/// The file of `sqlite://<path>`, or what is wrong with it.
fn sqlite(path: &str, source: &Path) -> Result<PathBuf, String> {
    if path.is_empty() {
        return Err(format!("names no file; write {}", forms()));
    }
    if path.starts_with('~') {
        return Err(
            "starts its path with `~`, which is not expanded here; write \
                    \"sqlite://${HOME}/…\" instead"
                .to_string(),
        );
    }
    if path.contains('?') {
        return Err(
            "has `?` options, which are not taken here; write the file's path alone".to_string(),
        );
    }
    Ok(source.parent().unwrap_or(Path::new("")).join(path))
}

/// What is wrong with a PostgreSQL URL, if anything.
fn postgres(url: &str) -> Result<(), String> {
    match Url::parse(url) {
        Err(why) => Err(format!(
            "is not a valid URL ({why}); write it like {POSTGRES_EXAMPLE}"
        )),
        Ok(url) if url.host_str().is_none_or(str::is_empty) => {
            Err(format!("names no host; write it like {POSTGRES_EXAMPLE}"))
        }
        Ok(_) => Ok(()),
    }
}

/// True for a word that may be a URL scheme (`mysql`, `redis+tls`), safe to name in a
/// message.
fn is_scheme(word: &str) -> bool {
    let mut chars = word.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
}

/// The value quoted as written and (when it differs) as expanded, with any password
/// shown as `***`; `None` when a value that may hold a password cannot be parsed, so
/// where the password is cannot be told.
fn quoted(text: &Text) -> Option<String> {
    let (raw, value) = (masked_url(&text.raw)?, masked_url(&text.value)?);
    if raw == value {
        Some(format!("{raw:?}"))
    } else {
        Some(format!("{raw:?} (which is {value:?})"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked_or_the_value_is_not_shown() {
        let cases = [
            ("sqlite://queue.db", Some("sqlite://queue.db")),
            (
                "postgres://app:s3cret@db/app",
                Some("postgres://app:***@db/app"),
            ),
            (
                "mysql://root:s3cret@localhost:3306/app",
                Some("mysql://root:***@localhost:3306/app"),
            ),
            (
                "postgres://app:s3@cret@db/app",
                Some("postgres://app:***@db/app"),
            ),
            ("postgres://app@db/app", Some("postgres://app@db/app")),
            ("postgres://app:s3cret@db:port/app", None),
            ("app:s3cret@db/app", None),
            (
                "postgres://db/app?sslmode=require&password=s3cret",
                Some("postgres://db/app?sslmode=require&password=***"),
            ),
            (
                "postgres://u@db/app?Password=s3cret",
                Some("postgres://u@db/app?Password=***"),
            ),
        ];
        for (url, want) in cases {
            assert_eq!(masked_url(url).as_deref(), want, "{url}");
        }
    }
}
