//! The names `[jobs]` gives its queue: the table and its columns, which reach SQL and so
//! must be plain identifiers, and the words the state column holds.

use crate::config::walk::{Text, Value, Walker};
use crate::config::{JobColumns, JobStates, keys};

/// PostgreSQL's longest name; a longer one would be cut short.
const MAX_IDENTIFIER_BYTES: usize = 63;

const MAX_STATE_CHARS: usize = 64;

const IDENTIFIER_RULE: &str =
    "use letters, digits and `_`, not starting with a digit, at most 63 bytes";

/// Reads `table`: `name` or `schema.name`, each part a plain identifier.
pub(super) fn table(w: &mut Walker<'_>, value: &Value<'_>) -> Option<String> {
    let text = w.text(value, "table")?;
    let why = match text.value.split_once('.') {
        None => identifier_problem(&text.value, "the name"),
        Some((_, name)) if name.contains('.') => Some("it has more than one `.`".to_string()),
        Some((schema, name)) => identifier_problem(schema, "the schema")
            .or_else(|| identifier_problem(name, "the table name")),
    };
    let Some(why) = why else {
        return Some(text.value);
    };
    let message = format!(
        "`table` = {} is not a plain table name ({why}); {IDENTIFIER_RULE}, as `name` or \
         `schema.name`",
        text.quoted()
    );
    w.report(text.span, message);
    None
}

/// Why `name` is not a plain identifier, if it is not; `what` names it in the answer.
fn identifier_problem(name: &str, what: &str) -> Option<String> {
    if name.is_empty() {
        return Some(format!("{what} is empty"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !c.is_ascii_alphanumeric() && *c != '_')
    {
        return Some(format!("{bad:?} is not allowed"));
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        return Some(format!("{what} starts with a digit"));
    }
    if name.len() > MAX_IDENTIFIER_BYTES {
        return Some(format!(
            "{what} is longer than {MAX_IDENTIFIER_BYTES} bytes"
        ));
    }
    None
}

fn column_problem(name: &str) -> Option<String> {
    identifier_problem(name, "the name")
}

fn state_problem(word: &str) -> Option<String> {
    if word.is_empty() {
        Some("it is empty".to_string())
    } else if word.chars().count() > MAX_STATE_CHARS {
        Some(format!("it is longer than {MAX_STATE_CHARS} characters"))
    } else if word.chars().any(char::is_control) {
        Some("it holds a control character".to_string())
    } else {
        None
    }
}

/// `[jobs.columns]` or `[jobs.states]`: a table of names, each checked the same way,
/// that must all differ.
struct Group {
    /// `columns` or `states`.
    key: &'static str,
    /// One of them: `column` or `state`.
    one: &'static str,
    /// What a valid one is, after the word "a": "plain column name".
    kind: &'static str,
    /// What would be valid, for messages.
    rule: &'static str,
    /// Why one is invalid, if it is.
    problem: fn(&str) -> Option<String>,
    /// When two count as the same.
    same: fn(&str, &str) -> bool,
}

const COLUMNS: Group = Group {
    key: "columns",
    one: "column",
    kind: "plain column name",
    rule: IDENTIFIER_RULE,
    problem: column_problem,
    // Names are compared as SQLite does, without case.
    same: str::eq_ignore_ascii_case,
};

const STATES: Group = Group {
    key: "states",
    one: "state",
    kind: "state word",
    rule: "write the word the state column holds, at most 64 characters, without control \
           characters",
    problem: state_problem,
    same: |a, b| a == b,
};

/// Reads `columns` (absent: the defaults).
pub(super) fn columns(w: &mut Walker<'_>, value: Option<&Value<'_>>) -> Option<JobColumns> {
    let d = JobColumns::default();
    let defaults = [
        d.id,
        d.state,
        d.claimed_at,
        d.started_at,
        d.attempts,
        d.last_error,
    ];
    let [id, state, claimed_at, started_at, attempts, last_error] =
        read(w, value, &COLUMNS, keys::JOB_COLUMN_KEYS, defaults)?;
    Some(JobColumns {
        id,
        state,
        claimed_at,
        started_at,
        attempts,
        last_error,
    })
}

/// Reads `states` (absent: the defaults).
pub(super) fn states(w: &mut Walker<'_>, value: Option<&Value<'_>>) -> Option<JobStates> {
    let d = JobStates::default();
    let defaults = [d.pending, d.claimed, d.processing, d.completed, d.failed];
    let [pending, claimed, processing, completed, failed] =
        read(w, value, &STATES, keys::JOB_STATE_KEYS, defaults)?;
    Some(JobStates {
        pending,
        claimed,
        processing,
        completed,
        failed,
    })
}

/// One name of a group: its key, its value, and how it was written (`None`: the default).
struct Named {
    key: &'static str,
    value: String,
    written: Option<Text>,
}

/// Reads the names of `group` in the order of `keys`, each written one or its default.
fn read<const N: usize>(
    w: &mut Walker<'_>,
    value: Option<&Value<'_>>,
    group: &Group,
    keys: [&'static str; N],
    defaults: [String; N],
) -> Option<[String; N]> {
    let table = match value {
        Some(value) => {
            let expected = format!("a table, written [jobs.{}]", group.key);
            Some(w.table(value, group.key, &expected)?)
        }
        None => None,
    };
    if let Some(table) = table {
        let place = format!("in [jobs.{}]", group.key);
        w.unknown_keys(table, &place, &keys, &|key| {
            keys::misplaced_in_jobs(key, &place)
        });
    }
    let mut valid = true;
    let mut names = Vec::with_capacity(N);
    for (key, default) in keys.into_iter().zip(defaults) {
        let Some(value) = table.and_then(|t| t.get(key)) else {
            names.push(Named {
                key,
                value: default,
                written: None,
            });
            continue;
        };
        match written(w, value, group, key) {
            Some(text) => names.push(Named {
                key,
                value: text.value.clone(),
                written: Some(text),
            }),
            None => valid = false,
        }
    }
    if !valid || !distinct(w, &names, group) {
        return None;
    }
    names
        .into_iter()
        .map(|n| n.value)
        .collect::<Vec<_>>()
        .try_into()
        .ok()
}

/// One written name, checked.
fn written(w: &mut Walker<'_>, value: &Value<'_>, group: &Group, key: &str) -> Option<Text> {
    let full = format!("{}.{key}", group.key);
    let text = w.text(value, &full)?;
    let Some(why) = (group.problem)(&text.value) else {
        return Some(text);
    };
    let message = format!(
        "`{full}` = {} is not a {} ({why}); {}",
        text.quoted(),
        group.kind,
        group.rule
    );
    w.report(text.span, message);
    None
}

/// Columns that may be one: many queues keep a single `updated_at` that both the
/// claim and the start set.
const MAY_SHARE: [&str; 2] = ["claimed_at", "started_at"];

/// True when no two of `names` are the same (but for [`MAY_SHARE`]); otherwise reports
/// each repeat where it was written.
fn distinct(w: &mut Walker<'_>, names: &[Named], group: &Group) -> bool {
    let mut all_differ = true;
    for (i, later) in names.iter().enumerate() {
        let shared = |e: &&Named| MAY_SHARE.contains(&e.key) && MAY_SHARE.contains(&later.key);
        let Some(earlier) = names[..i]
            .iter()
            .find(|e| (group.same)(&e.value, &later.value) && !shared(e))
        else {
            continue;
        };
        all_differ = false;
        let (at, other) = match &later.written {
            Some(_) => (later, earlier),
            None => (earlier, later),
        };
        let Some(text) = &at.written else {
            continue;
        };
        let other_place = match &other.written {
            Some(written) => format!("line {}", w.line_of(written.span.start)),
            None => "its default".to_string(),
        };
        let message = format!(
            "`{}.{}` = {} is also the `{}` {} ({other_place}); each {} needs its own name",
            group.key,
            at.key,
            text.quoted(),
            other.key,
            group.one,
            group.one
        );
        w.report(text.span.clone(), message);
    }
    all_differ
}
