//! `[jobs]`: the message each mistake in the section gives, naming its place, quoting
//! the value and saying what is valid.

use super::problems;

#[test]
fn each_bad_value_names_its_place_quotes_it_and_says_what_is_valid() {
    let identifier = "use letters, digits and `_`, not starting with a digit, at most 63 bytes";
    let long = "x".repeat(64);
    let cases = [
        (
            "table = \"my-jobs\"".to_string(),
            format!(
                "3:9: `table` = \"my-jobs\" is not a plain table name ('-' is not allowed); \
                 {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "table = \"jobs; DROP TABLE jobs\"".to_string(),
            format!(
                "3:9: `table` = \"jobs; DROP TABLE jobs\" is not a plain table name (';' is \
                 not allowed); {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "table = \"a.b.c\"".to_string(),
            format!(
                "3:9: `table` = \"a.b.c\" is not a plain table name (it has more than one \
                 `.`); {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "table = \".jobs\"".to_string(),
            format!(
                "3:9: `table` = \".jobs\" is not a plain table name (the schema is empty); \
                 {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "table = \"queue.1jobs\"".to_string(),
            format!(
                "3:9: `table` = \"queue.1jobs\" is not a plain table name (the table name \
                 starts with a digit); {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            format!("table = \"{long}\""),
            format!(
                "3:9: `table` = \"{long}\" is not a plain table name (the name is longer \
                 than 63 bytes); {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "table = \"jöbs\"".to_string(),
            format!(
                "3:9: `table` = \"jöbs\" is not a plain table name ('ö' is not allowed); \
                 {identifier}, as `name` or `schema.name`"
            ),
        ),
        (
            "columns = { state = \"job state\" }".to_string(),
            format!(
                "3:21: `columns.state` = \"job state\" is not a plain column name (' ' is not \
                 allowed); {identifier}"
            ),
        ),
        (
            "columns = { id = \"\\\"id\\\"\" }".to_string(),
            format!(
                "3:18: `columns.id` = \"\\\"id\\\"\" is not a plain column name ('\"' is not \
                 allowed); {identifier}"
            ),
        ),
        (
            "columns = { attempts = \"\" }".to_string(),
            format!(
                "3:24: `columns.attempts` = \"\" is not a plain column name (the name is \
                 empty); {identifier}"
            ),
        ),
        (
            "states = { pending = \"\" }".to_string(),
            "3:22: `states.pending` = \"\" is not a state word (it is empty); write the word \
             the state column holds, at most 64 characters, without control characters"
                .to_string(),
        ),
        (
            "states = { failed = \"dead\\n\" }".to_string(),
            "3:21: `states.failed` = \"dead\\n\" is not a state word (it holds a control \
             character); write the word the state column holds, at most 64 characters, \
             without control characters"
                .to_string(),
        ),
        (
            format!("states = {{ completed = \"{}\" }}", "é".repeat(65)),
            format!(
                "3:24: `states.completed` = \"{}\" is not a state word (it is longer than 64 \
                 characters); write the word the state column holds, at most 64 \
                 characters, without control characters",
                "é".repeat(65)
            ),
        ),
        (
            "timestamps = \"unix\"".to_string(),
            "3:14: `timestamps` = \"unix\" is not a format; valid formats are `auto`, \
             `iso8601`, `epoch`"
                .to_string(),
        ),
        (
            "timestamps = \"iso-8601\"".to_string(),
            "3:14: `timestamps` = \"iso-8601\" is not a format; did you mean `iso8601`? \
             (valid formats are `auto`, `iso8601`, `epoch`)"
                .to_string(),
        ),
        (
            "claimed_timeout = \"500ms\"".to_string(),
            "3:19: `claimed_timeout` 500ms is too short: use at least 1s".to_string(),
        ),
        (
            "processing_timeout = \"10\"".to_string(),
            "3:22: `processing_timeout` = \"10\" is not a duration (the unit is missing); \
             write it like \"500ms\", \"10s\", \"5m\" or \"1h\""
                .to_string(),
        ),
        (
            "interval = \"0s\"".to_string(),
            "3:12: `interval` 0s is too short: use at least 1s".to_string(),
        ),
        (
            "query_timeout = \"50ms\"".to_string(),
            "3:17: `query_timeout` 50ms is too short: use at least 100ms".to_string(),
        ),
        (
            "query_timeout = \"2m\"".to_string(),
            "3:17: `query_timeout` 2m is longer than `interval` 1m (the default): a query \
             must end before the next pass is due; make `query_timeout` at most 1m"
                .to_string(),
        ),
        (
            "interval = \"5s\"".to_string(),
            "3:12: `interval` 5s is shorter than `query_timeout` 10s (the default): a query \
             must end before the next pass is due; make `interval` at least 10s, or set a \
             shorter `query_timeout`"
                .to_string(),
        ),
        (
            "batch = 0".to_string(),
            "3:9: `batch` = 0 is out of range: use a number from 1 to 10000".to_string(),
        ),
        (
            "batch = 20_000".to_string(),
            "3:9: `batch` = 20000 is out of range: use a number from 1 to 10000".to_string(),
        ),
        (
            "max_attempts = 0".to_string(),
            "3:16: `max_attempts` = 0 is out of range: use a number from 1 to 1000".to_string(),
        ),
        (
            "max_attempts = \"3\"".to_string(),
            "3:16: `max_attempts` expects an integer like 1, found string \"3\"".to_string(),
        ),
        (
            "enabled = \"yes\"".to_string(),
            "3:11: `enabled` expects true or false, found string \"yes\"".to_string(),
        ),
        (
            "dry_run = 1".to_string(),
            "3:11: `dry_run` expects true or false, found integer 1".to_string(),
        ),
        (
            "severity = \"urgent\"".to_string(),
            "3:12: `severity` = \"urgent\" is not a severity; valid severities are `low`, \
             `medium`, `high`, `critical`"
                .to_string(),
        ),
        (
            "columns = \"id\"".to_string(),
            "3:11: `columns` expects a table, written [jobs.columns], found string \"id\""
                .to_string(),
        ),
    ];
    for (line, want) in cases {
        let text = format!("[jobs]\ndatabase = \"sqlite://q.db\"\n{line}\n");
        assert_eq!(problems(&text), [want], "{line}");
    }
}

#[test]
fn columns_and_states_must_all_differ() {
    let text = r#"[jobs]
database = "sqlite://q.db"
[jobs.columns]
id = "job"
claimed_at = "Job"
started_at = "state"
[jobs.states]
completed = "done"
failed = "done"
"#;
    assert_eq!(
        problems(text),
        [
            "5:14: `columns.claimed_at` = \"Job\" is also the `id` column (line 4); each \
             column needs its own name",
            "6:14: `columns.started_at` = \"state\" is also the `state` column (its \
             default); each column needs its own name",
            "9:10: `states.failed` = \"done\" is also the `completed` state (line 8); each \
             state needs its own name",
        ]
    );
    assert_eq!(
        problems("[jobs]\ndatabase = \"sqlite://q.db\"\nstates = { pending = \"failed\" }\n"),
        [
            "3:22: `states.pending` = \"failed\" is also the `failed` state (its default); \
          each state needs its own name"
        ]
    );
}

#[test]
fn a_missing_database_or_a_timestamp_format_postgres_ignores_is_reported() {
    assert_eq!(
        problems("[jobs]\nenabled = true\n"),
        ["2:1: [jobs] has no `database`; add one, like database = \
          \"sqlite:///var/lib/app/queue.db\""]
    );
    assert_eq!(
        problems("[jobs]\n"),
        ["0:0: [jobs] has no `database`; add one, like database = \
          \"sqlite:///var/lib/app/queue.db\""]
    );
    assert_eq!(
        problems("[jobs]\ndatabase = \"postgres://db/app\"\ntimestamps = \"epoch\"\n"),
        [
            "3:14: `timestamps` = \"epoch\" applies to SQLite only: PostgreSQL's column types \
          say how its timestamps are kept; remove it"
        ]
    );
}

#[test]
fn unknown_keys_get_a_suggestion_or_their_home() {
    let text = r#"[jobs]
database = "sqlite://q.db"
bach = 10
claimed_at = "locked_at"
timeout = "5s"
[jobs.columns]
atempts = "tries"
pending = "queued"
[jobs.states]
faild = "dead"
batch = 10
"#;
    assert_eq!(
        problems(text),
        [
            "3:1: unknown key `bach` in [jobs]; did you mean `batch`?",
            "4:1: `claimed_at` belongs in [jobs.columns], not in [jobs]",
            "5:1: `timeout` belongs in [defaults] (or a [[service]]), not in [jobs]",
            "7:1: unknown key `atempts` in [jobs.columns]; did you mean `attempts`?",
            "8:1: `pending` belongs in [jobs.states], not in [jobs.columns]",
            "10:1: unknown key `faild` in [jobs.states]; did you mean `failed`?",
            "11:1: `batch` belongs in [jobs], not in [jobs.states]",
        ]
    );
    assert_eq!(
        problems("claimed_timeout = \"5m\"\n[general]\ndatabase = \"sqlite://q.db\"\n"),
        [
            "1:1: `claimed_timeout` belongs in [jobs], not at the top level",
            "3:1: `database` belongs in [jobs], not in [general]",
        ]
    );
}
