//! `${VAR}` in config strings, taken from the environment so secrets stay out of the file.

use std::ops::Range;

/// A mistake in one string, placed by byte range within that string.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvProblem {
    pub(crate) range: Range<usize>,
    pub(crate) message: String,
}

/// Replaces every `${VAR}` with the variable's value and `$$` with `$`; any other `$` is
/// kept. Reports every unset or malformed variable, never a value.
pub(crate) fn expand(
    text: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<String, Vec<EnvProblem>> {
    let mut out = String::with_capacity(text.len());
    let mut problems = Vec::new();
    let mut rest = 0;
    while let Some(found) = text[rest..].find('$') {
        let at = rest + found;
        out.push_str(&text[rest..at]);
        let after = &text[at + 1..];
        if after.starts_with('$') {
            out.push('$');
            rest = at + 2;
        } else if after.starts_with('{') {
            let Some(close) = after.find('}') else {
                problems.push(EnvProblem {
                    range: at..text.len(),
                    message: "`${` is not closed by `}`; write `$$` for a literal `$`".to_string(),
                });
                return Err(problems);
            };
            let name = &after[1..close];
            let range = at..at + close + 2;
            rest = range.end;
            if !is_variable_name(name) {
                problems.push(EnvProblem {
                    range,
                    message: format!(
                        "`${{{name}}}` is not a variable name: use letters, digits and `_`, \
                         not starting with a digit (write `$$` for a literal `$`)"
                    ),
                });
            } else if let Some(value) = env(name) {
                out.push_str(&value);
            } else {
                problems.push(EnvProblem {
                    range,
                    message: format!(
                        "environment variable `{name}` is not set; set it, or write `$$` \
                         for a literal `$`"
                    ),
                });
            }
        } else {
            out.push('$');
            rest = at + 1;
        }
    }
    out.push_str(&text[rest..]);
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(name: &str) -> Option<String> {
        match name {
            "TOKEN" => Some("s3cret".to_string()),
            "EMPTY" => Some(String::new()),
            "_X1" => Some("x".to_string()),
            _ => None,
        }
    }

    #[test]
    fn expands_references_and_escapes() {
        let cases = [
            ("plain", "plain"),
            ("Bearer ${TOKEN}", "Bearer s3cret"),
            ("${TOKEN}${TOKEN}", "s3crets3cret"),
            ("a${EMPTY}b", "ab"),
            ("${_X1}", "x"),
            ("$${TOKEN}", "${TOKEN}"),
            ("costs $5 or $$6", "costs $5 or $6"),
            ("trailing $", "trailing $"),
            ("é${TOKEN}é", "és3creté"),
        ];
        for (text, want) in cases {
            assert_eq!(expand(text, &env), Ok(want.to_string()), "{text}");
        }
    }

    #[test]
    fn reports_every_unset_variable_with_its_range() {
        let problems = expand("${A} and ${TOKEN} and ${B}", &env).unwrap_err();
        let ranges: Vec<_> = problems.iter().map(|p| p.range.clone()).collect();
        assert_eq!(ranges, vec![0..4, 22..26]);
        assert_eq!(
            problems[0].message,
            "environment variable `A` is not set; set it, or write `$$` for a literal `$`"
        );
        assert!(problems.iter().all(|p| !p.message.contains("s3cret")));
    }

    #[test]
    fn rejects_malformed_references() {
        let problems = expand("x ${1A} ${}", &env).unwrap_err();
        assert_eq!(problems.len(), 2);
        assert_eq!(problems[0].range, 2..7);
        assert!(
            problems[0]
                .message
                .starts_with("`${1A}` is not a variable name")
        );
        assert!(
            problems[1]
                .message
                .starts_with("`${}` is not a variable name")
        );
        let unclosed = expand("a ${TOKEN", &env).unwrap_err();
        assert_eq!(unclosed[0].range, 2..9);
        assert!(unclosed[0].message.contains("not closed"));
    }
}
