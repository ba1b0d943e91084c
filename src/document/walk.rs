//! Reads typed values out of the spanned TOML document, collecting every problem instead
//! of stopping at the first one.

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::Duration;

use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::env;
use super::errors::{Found, Problem};
use super::suggest;
use super::units;

/// A value with the span it was written at.
pub(crate) type Value<'i> = Spanned<DeValue<'i>>;

/// A string after `${VAR}` expansion, remembering how it was written.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    pub(crate) value: String,
    /// As written in the file, before expansion.
    pub(crate) raw: String,
    pub(crate) span: Range<usize>,
}

impl Text {
    /// The value quoted for a message; when it came from the environment, the reference
    /// is shown first so the person knows where to look.
    pub(crate) fn quoted(&self) -> String {
        if self.raw == self.value {
            format!("{:?}", self.value)
        } else {
            format!("{:?} (which is {:?})", self.raw, self.value)
        }
    }
}

/// Walks one document: the text for spans, the environment for `${VAR}`, the problems.
pub(crate) struct Walker<'a> {
    text: &'a str,
    /// The config file, whose directory relative paths are taken from.
    source: &'a Path,
    env: &'a dyn Fn(&str) -> Option<String>,
    pub(crate) problems: Vec<Problem>,
    secrets: Vec<Range<usize>>,
}

impl<'a> Walker<'a> {
    pub(crate) fn new(
        text: &'a str,
        source: &'a Path,
        env: &'a dyn Fn(&str) -> Option<String>,
    ) -> Self {
        Walker {
            text,
            source,
            env,
            problems: Vec::new(),
            secrets: Vec::new(),
        }
    }

    /// Everything found, for the error; the walk is over.
    pub(crate) fn into_found(self) -> Found {
        Found {
            problems: self.problems,
            secrets: self.secrets,
        }
    }

    /// Marks bytes of the file as secret: they are masked wherever a line is quoted.
    pub(crate) fn hide(&mut self, range: Range<usize>) {
        self.secrets.push(range);
    }

    pub(crate) fn report(&mut self, span: Range<usize>, message: impl Into<String>) {
        self.problems.push(Problem::at(span, message));
    }

    /// The 1-based line of a byte offset, for messages that mention another place.
    pub(crate) fn line_of(&self, offset: usize) -> usize {
        let offset = self.text.floor_char_boundary(offset);
        self.text[..offset].matches('\n').count() + 1
    }

    pub(crate) fn env(&self, name: &str) -> Option<String> {
        (self.env)(name)
    }

    /// Reports each key of `table` not in `valid`; `special` may explain a key that is
    /// valid elsewhere better than a spelling hint would.
    pub(crate) fn unknown_keys(
        &mut self,
        table: &DeTable<'_>,
        place: &str,
        valid: &[&str],
        special: &dyn Fn(&str) -> Option<String>,
    ) {
        for key in table.keys() {
            let name = key.get_ref().as_ref();
            if valid.contains(&name) {
                continue;
            }
            let message = special(name).unwrap_or_else(|| {
                let hint = suggest::hint(name, valid, "keys here");
                format!("unknown key `{name}` {place}; {hint}")
            });
            self.report(key.span(), message);
        }
    }

    /// Reports a value of the wrong type: what `key` expects, and what was found.
    pub(crate) fn wrong_type(&mut self, value: &Value<'_>, key: &str, expected: &str) {
        let found = found(value.get_ref());
        self.report(
            value.span(),
            format!("`{key}` expects {expected}, found {found}"),
        );
    }

    pub(crate) fn table<'v, 'i>(
        &mut self,
        value: &'v Value<'i>,
        key: &str,
        expected: &str,
    ) -> Option<&'v DeTable<'i>> {
        let table = value.get_ref().as_table();
        if table.is_none() {
            self.wrong_type(value, key, expected);
        }
        table
    }

    /// A string with `${VAR}` expanded; unset variables are reported inside the string.
    pub(crate) fn text(&mut self, value: &Value<'_>, key: &str) -> Option<Text> {
        let Some(raw) = value.get_ref().as_str() else {
            self.wrong_type(value, key, "a string");
            return None;
        };
        self.expand(raw, value.span())
    }

    /// Like [`Walker::text`] for a secret: never quoted, masked in every shown line.
    pub(crate) fn secret(&mut self, value: &Value<'_>, key: &str) -> Option<String> {
        let span = value.span();
        let Some(raw) = value.get_ref().as_str() else {
            let kind = value.get_ref().type_str();
            self.report(span, format!("`{key}` expects a string, found {kind}"));
            return None;
        };
        self.hide(span.clone());
        self.expand(raw, span).map(|t| t.value)
    }

    fn expand(&mut self, raw: &str, span: Range<usize>) -> Option<Text> {
        match env::expand(raw, self.env) {
            Ok(value) => Some(Text {
                value,
                raw: raw.to_string(),
                span,
            }),
            Err(problems) => {
                let offset = self.content_offset(raw, &span);
                for problem in problems {
                    let at = match offset {
                        Some(start) => start + problem.range.start..start + problem.range.end,
                        None => span.clone(),
                    };
                    self.report(at, problem.message);
                }
                None
            }
        }
    }

    /// Where `content` starts in the file when the string is written without escapes,
    /// so a problem can point inside it; `None` otherwise.
    pub(crate) fn content_offset(&self, content: &str, span: &Range<usize>) -> Option<usize> {
        let written = self.text.get(span.clone())?;
        ["\"\"\"", "'''", "\"", "'"].iter().find_map(|quote| {
            let inner = written.strip_prefix(quote)?.strip_suffix(quote)?;
            (inner == content).then_some(span.start + quote.len())
        })
    }

    /// A path `key`: a relative path is taken from the directory of the config file; a
    /// leading `~` is refused, as nothing here expands it.
    pub(crate) fn path(&mut self, value: &Value<'_>, key: &str) -> Option<PathBuf> {
        let text = self.text(value, key)?;
        if text.value.starts_with('~') {
            let message = format!(
                "`{key}` = {} starts with `~`, which is not expanded here; write \
                 \"${{HOME}}/…\" instead",
                text.quoted()
            );
            self.report(text.span, message);
            return None;
        }
        Some(
            self.source
                .parent()
                .unwrap_or(Path::new(""))
                .join(&text.value),
        )
    }

    pub(crate) fn boolean(&mut self, value: &Value<'_>, key: &str) -> Option<bool> {
        let flag = value.get_ref().as_bool();
        if flag.is_none() {
            self.wrong_type(value, key, "true or false");
        }
        flag
    }

    /// An integer within `range`, with `example` shown when the type is wrong.
    pub(crate) fn integer(
        &mut self,
        value: &Value<'_>,
        key: &str,
        range: std::ops::RangeInclusive<i64>,
    ) -> Option<i64> {
        let Some(integer) = value.get_ref().as_integer() else {
            let example = range.start().max(&1);
            self.wrong_type(value, key, &format!("an integer like {example}"));
            return None;
        };
        let number = i64::from_str_radix(integer.as_str(), integer.radix()).ok();
        match number.filter(|n| range.contains(n)) {
            Some(n) => Some(n),
            None => {
                let valid = match (range.start(), range.end()) {
                    (low, &i64::MAX) => format!("at least {low}"),
                    (low, high) => format!("from {low} to {high}"),
                };
                self.report(
                    value.span(),
                    format!("`{key}` = {integer} is out of range: use a number {valid}"),
                );
                None
            }
        }
    }

    pub(crate) fn duration(&mut self, value: &Value<'_>, key: &str) -> Option<Duration> {
        if value.get_ref().as_str().is_none() {
            let expected = format!("a duration string {}", units::DURATION_EXAMPLES);
            self.wrong_type(value, key, &expected);
            return None;
        }
        let text = self.text(value, key)?;
        match units::parse_duration(&text.value) {
            Ok(duration) => Some(duration),
            Err(why) => {
                let examples = units::DURATION_EXAMPLES;
                let shown = text.quoted();
                let message =
                    format!("`{key}` = {shown} is not a duration ({why}); write it {examples}");
                self.report(text.span, message);
                None
            }
        }
    }

    /// A byte count: an integer, or a string with a unit.
    pub(crate) fn size(&mut self, value: &Value<'_>, key: &str) -> Option<u64> {
        if value.get_ref().is_integer() {
            let bytes = self.integer(value, key, 0..=i64::MAX)?;
            return u64::try_from(bytes).ok();
        }
        if value.get_ref().as_str().is_none() {
            self.wrong_type(value, key, units::SIZE_EXAMPLES);
            return None;
        }
        let text = self.text(value, key)?;
        match units::parse_size(&text.value) {
            Ok(bytes) => Some(bytes),
            Err(why) => {
                let shown = text.quoted();
                let message = format!(
                    "`{key}` = {shown} is not a size ({why}); write {}",
                    units::SIZE_EXAMPLES
                );
                self.report(text.span, message);
                None
            }
        }
    }
}

/// The type and, for plain values, the value found: "integer 10", "string \"10\"".
pub(crate) fn found(value: &DeValue<'_>) -> String {
    match value {
        DeValue::String(s) => format!("string {s:?}"),
        DeValue::Integer(i) => format!("integer {i}"),
        DeValue::Float(f) => format!("float {f}"),
        DeValue::Boolean(b) => format!("boolean {b}"),
        DeValue::Datetime(d) => format!("datetime {d}"),
        DeValue::Array(_) => "an array".to_string(),
        DeValue::Table(_) => "a table".to_string(),
    }
}
