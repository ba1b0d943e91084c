//! Problems found in a config file, and how they are shown to the person who wrote it.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

/// One mistake while the file is being walked: a byte span in the text and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    /// `None` when the mistake has no place in the file (a missing environment variable
    /// needed for a default, say).
    pub(crate) span: Option<Range<usize>>,
    pub(crate) message: String,
}

/// What a walk that failed found: the problems, and the byte ranges of the file that hold
/// secrets (header values, URL passwords), shown as `*` in every quoted line.
#[derive(Debug, Default)]
pub(crate) struct Found {
    pub(crate) problems: Vec<Problem>,
    pub(crate) secrets: Vec<Range<usize>>,
}

impl Problem {
    pub(crate) fn at(span: Range<usize>, message: impl Into<String>) -> Self {
        Problem {
            span: Some(span),
            message: message.into(),
        }
    }

    pub(crate) fn nowhere(message: impl Into<String>) -> Self {
        Problem {
            span: None,
            message: message.into(),
        }
    }
}

/// One mistake in a config file, placed so that a person (or an editor) can jump to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigProblem {
    /// 1-based; 0 when the problem has no place in the file.
    pub line: usize,
    /// 1-based, counted in characters; 0 when `line` is 0.
    pub column: usize,
    /// Quotes the bad value (never a secret) and says what would be valid.
    pub message: String,
    /// The file's line the problem is on, secrets masked; empty when `line` is 0.
    pub snippet: String,
    /// How many characters of `snippet` the caret underline covers, from `column`.
    pub width: usize,
}

/// Why a config file could not become a [`Config`](super::Config): a file that cannot be
/// read, or every problem found in it at once so they can all be fixed in one go.
#[derive(Debug)]
pub enum ConfigErrors {
    /// The file could not be read: the OS reason is kept as the error's source.
    Unreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The file was read and is wrong, at one or more places.
    Invalid {
        path: PathBuf,
        problems: Vec<ConfigProblem>,
    },
}

impl ConfigErrors {
    /// The problems in file order; empty when the file could not be read.
    pub fn problems(&self) -> &[ConfigProblem] {
        match self {
            ConfigErrors::Unreadable { .. } => &[],
            ConfigErrors::Invalid { problems, .. } => problems,
        }
    }

    /// Places the problems found (byte spans into `text`) on lines and columns, in file
    /// order.
    pub(crate) fn invalid(text: &str, path: &Path, mut found: Found) -> Self {
        found
            .problems
            .sort_by_key(|p| p.span.as_ref().map_or(0, |s| s.start));
        let problems = found.problems.iter();
        ConfigErrors::Invalid {
            path: path.to_path_buf(),
            problems: problems.map(|p| place(text, p, &found.secrets)).collect(),
        }
    }
}

fn place(text: &str, problem: &Problem, secrets: &[Range<usize>]) -> ConfigProblem {
    let Some(span) = &problem.span else {
        return ConfigProblem {
            line: 0,
            column: 0,
            message: problem.message.clone(),
            snippet: String::new(),
            width: 0,
        };
    };
    let start = text.floor_char_boundary(span.start);
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    let end = text.floor_char_boundary(span.end.clamp(start, line_end));
    let snippet = text[line_start..line_end]
        .trim_end_matches('\r')
        .char_indices()
        .map(|(i, c)| match c {
            _ if secrets.iter().any(|s| s.contains(&(line_start + i))) => '*',
            '\t' => ' ',
            c => c,
        })
        .collect();
    ConfigProblem {
        line: text[..start].matches('\n').count() + 1,
        column: text[line_start..start].chars().count() + 1,
        message: problem.message.clone(),
        snippet,
        width: text[start..end].chars().count().max(1),
    }
}

impl fmt::Display for ConfigProblem {
    /// `path:line:column: message`, then the line and a caret under the bad span; the
    /// path is written by [`ConfigErrors`], so this starts at `line:column`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            return write!(f, " {}", self.message);
        }
        let number = self.line.to_string();
        let pad = " ".repeat(number.len());
        writeln!(f, "{}:{}: {}", self.line, self.column, self.message)?;
        writeln!(f, "{pad} |")?;
        writeln!(f, "{number} | {}", self.snippet)?;
        write!(
            f,
            "{pad} | {}{}",
            " ".repeat(self.column - 1),
            "^".repeat(self.width)
        )
    }
}

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigErrors::Unreadable { path, source } => {
                write!(f, "cannot read config file {}: {source}", path.display())
            }
            ConfigErrors::Invalid { path, problems } => {
                for problem in problems {
                    writeln!(f, "{}:{problem}\n", path.display())?;
                }
                let plural = if problems.len() == 1 { "" } else { "s" };
                write!(
                    f,
                    "{} problem{plural} in {}",
                    problems.len(),
                    path.display()
                )
            }
        }
    }
}

impl std::error::Error for ConfigErrors {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConfigErrors::Unreadable { source, .. } => Some(source),
            ConfigErrors::Invalid { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn invalid(text: &str, problems: Vec<Problem>, secrets: Vec<Range<usize>>) -> ConfigErrors {
        ConfigErrors::invalid(text, Path::new("x.toml"), Found { problems, secrets })
    }

    fn render(text: &str, problems: Vec<Problem>) -> String {
        invalid(text, problems, Vec::new()).to_string()
    }

    #[test]
    fn places_problems_in_file_order_with_carets() {
        let text = "a = 1\n\tbé = \"xy\"\n";
        let shown = render(
            text,
            vec![Problem::at(13..17, "second"), Problem::at(0..1, "first")],
        );
        assert_eq!(
            shown,
            "x.toml:1:1: first\n  |\n1 | a = 1\n  | ^\n\n\
             x.toml:2:7: second\n  |\n2 |  bé = \"xy\"\n  |       ^^^^\n\n\
             2 problems in x.toml"
        );
    }

    #[test]
    fn masks_secrets_and_clips_carets_to_the_line() {
        let text = "k = \"hunter2\"\nz = 1";
        let errors = invalid(
            text,
            vec![Problem::at(4..20, "bad")],
            std::iter::once(5..12).collect(),
        );
        let placed = &errors.problems()[0];
        assert_eq!(placed.snippet, "k = \"*******\"");
        assert_eq!((placed.line, placed.column, placed.width), (1, 5, 9));
        assert!(!errors.to_string().contains("hunter2"));
    }

    #[test]
    fn a_problem_without_a_place_has_no_snippet() {
        let shown = render("", vec![Problem::nowhere("no HOME")]);
        assert_eq!(shown, "x.toml: no HOME\n\n1 problem in x.toml");
    }

    #[test]
    fn a_span_at_the_end_of_the_file_still_gets_a_caret() {
        let errors = invalid("a = ", vec![Problem::at(4..4, "m")], Vec::new());
        let placed = &errors.problems()[0];
        assert_eq!((placed.line, placed.column, placed.width), (1, 5, 1));
    }
}
