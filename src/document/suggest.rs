//! "Did you mean `timeout`?": the closest valid word for a misspelt key or value, by
//! optimal string alignment distance (insertions, deletions, substitutions and swaps of
//! two neighbours, the commonest typos).

/// The valid word closest to `word`, if it is close enough to be what was meant: case
/// and `-` for `_` are forgiven, and about one typo per three letters.
pub(crate) fn closest<'a>(word: &str, valid: &[&'a str]) -> Option<&'a str> {
    let normal = |w: &str| w.to_lowercase().replace('-', "_");
    let word = normal(word);
    let allowed = (word.chars().count() / 3).max(1);
    valid
        .iter()
        .map(|candidate| {
            let distance = strsim::osa_distance(&word, &normal(candidate));
            (distance, *candidate)
        })
        .filter(|(distance, _)| *distance <= allowed)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// "did you mean `x`?" when a word is close, else the whole list of valid words.
pub(crate) fn hint(word: &str, valid: &[&str], what: &str) -> String {
    match closest(word, valid) {
        Some(close) => format!("did you mean `{close}`?"),
        None => format!("valid {what} are {}", list(valid)),
    }
}

/// `a`, `b`, `c`: words as they would be typed.
pub(crate) fn list(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| format!("`{w}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let cases = [
            ("", "", 0),
            ("abc", "", 3),
            ("", "abc", 3),
            ("kitten", "sitting", 3),
            ("timout", "timeout", 1),
            ("sevrity", "severity", 1),
            ("tpc", "tcp", 1),
            ("hgih", "high", 1),
            ("ab", "ba", 1),
            ("abc", "ca", 3),
            ("héllo", "hello", 1),
        ];
        for (a, b, want) in cases {
            assert_eq!(strsim::osa_distance(a, b), want, "{a} {b}");
            assert_eq!(strsim::osa_distance(b, a), want, "{b} {a}");
        }
    }

    #[test]
    fn suggests_only_close_words() {
        let keys = [
            "interval",
            "timeout",
            "degraded_after",
            "severity",
            "tcp",
            "url",
        ];
        let cases = [
            ("timout", Some("timeout")),
            ("Timeout", Some("timeout")),
            ("intervall", Some("interval")),
            ("sevrity", Some("severity")),
            ("degraded-after", Some("degraded_after")),
            ("tpc", Some("tcp")),
            ("cpt", None),
            ("ur", Some("url")),
            ("tcpp", Some("tcp")),
            ("frequency", None),
            ("x", None),
        ];
        for (word, want) in cases {
            assert_eq!(closest(word, &keys), want, "{word}");
        }
    }

    #[test]
    fn hints_name_the_close_word_or_list_them_all() {
        let keys = ["history", "state_dir"];
        assert_eq!(hint("histroy", &keys, "keys"), "did you mean `history`?");
        assert_eq!(
            hint("colour", &keys, "keys"),
            "valid keys are `history`, `state_dir`"
        );
    }
}
