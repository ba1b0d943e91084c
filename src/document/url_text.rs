//! A URL quoted from the document: what may hold a secret (user name, password, query
//! string, fragment) masked in every line shown.

use std::ops::Range;

use super::walk::{Text, Walker};

/// Masks the secrets of the URL `text` (as written) in every quoted line.
pub(crate) fn hide_password(w: &mut Walker<'_>, text: &Text) {
    let ranges = secret_ranges(&text.raw);
    if ranges.is_empty() {
        return;
    }
    match w.content_offset(&text.raw, &text.span) {
        Some(start) => {
            for secret in ranges {
                w.hide(start + secret.start..start + secret.end);
            }
        }
        None => w.hide(text.span.clone()),
    }
}

/// The URL quoted for a message, as written and (when it differs) as expanded, with the
/// secrets of each replaced by `***`.
pub(crate) fn masked(text: &Text) -> String {
    let raw = mask_password(&text.raw);
    let value = mask_password(&text.value);
    if raw == value {
        format!("{raw:?}")
    } else {
        format!("{raw:?} (which is {value:?})")
    }
}

/// Replaces the user name, password, query and fragment in
/// `scheme://user:password@host/path?query#fragment` by `***`; works on text that does
/// not parse as a URL, since that is when it is quoted.
fn mask_password(url: &str) -> String {
    let mut masked = url.to_string();
    // From the end, so the earlier ranges stay where they are.
    for range in secret_ranges(url).into_iter().rev() {
        masked.replace_range(range, "***");
    }
    masked
}

/// Where the user name, password, query and fragment are in
/// `scheme://user:password@host/path?query#fragment`, in order; none of an empty part.
pub(crate) fn secret_ranges(url: &str) -> Vec<Range<usize>> {
    let Some(start) = url.find("://").map(|at| at + 3) else {
        return Vec::new();
    };
    let rest = &url[start..];
    let authority_end = start + rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let mut ranges = Vec::new();
    if let Some(at) = url[start..authority_end].rfind('@').map(|at| start + at) {
        match url[start..at].find(':').map(|colon| start + colon) {
            Some(colon) => ranges.extend([start..colon, colon + 1..at]),
            None => ranges.push(start..at),
        }
    }
    let fragment = url[authority_end..].find('#').map(|at| authority_end + at);
    let before_fragment = fragment.unwrap_or(url.len());
    if let Some(query) = url[authority_end..before_fragment].find('?') {
        ranges.push(authority_end + query + 1..before_fragment);
    }
    if let Some(fragment) = fragment {
        ranges.push(fragment + 1..url.len());
    }
    ranges.retain(|range| !range.is_empty());
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        let cases = [
            ("http://u:pw@h/x", "http://***:***@h/x"),
            ("http://u:p@w@h:1/x?a@b", "http://***:***@h:1/x?***"),
            ("http://u@h/", "http://***@h/"),
            ("http://h/a:b@c", "http://h/a:b@c"),
            ("http://h/x?key=s3cret#frag", "http://h/x?***#***"),
            ("http://h/x#a?b", "http://h/x#***"),
            ("http://h?q", "http://h?***"),
            ("not a url", "not a url"),
            ("htp:/u:pw@h", "htp:/u:pw@h"),
        ];
        for (url, want) in cases {
            assert_eq!(mask_password(url), want, "{url}");
        }
    }
}
