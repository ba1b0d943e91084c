//! A URL quoted from the document: its password, if any, masked in every line shown.

use std::ops::Range;

use super::walk::{Text, Walker};

/// Masks the password of the URL `text` (as written) in every quoted line.
pub(crate) fn hide_password(w: &mut Walker<'_>, text: &Text) {
    if let Some(password) = password_range(&text.raw) {
        let hidden = match w.content_offset(&text.raw, &text.span) {
            Some(start) => start + password.start..start + password.end,
            None => text.span.clone(),
        };
        w.hide(hidden);
    }
}

/// The URL quoted for a message, as written and (when it differs) as expanded, with the
/// password of each replaced by `***`.
pub(crate) fn masked(text: &Text) -> String {
    let raw = mask_password(&text.raw);
    let value = mask_password(&text.value);
    if raw == value {
        format!("{raw:?}")
    } else {
        format!("{raw:?} (which is {value:?})")
    }
}

/// Replaces the password in `scheme://user:password@host…` by `***`; works on text
/// that does not parse as a URL, since that is when it is quoted.
fn mask_password(url: &str) -> String {
    match password_range(url) {
        Some(range) => format!("{}***{}", &url[..range.start], &url[range.end..]),
        None => url.to_string(),
    }
}

/// Where the password is in `scheme://user:password@host…`, if there is one.
pub(crate) fn password_range(url: &str) -> Option<Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    Some(start + colon + 1..start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_masked() {
        let cases = [
            ("http://u:pw@h/x", "http://u:***@h/x"),
            ("http://u:p@w@h:1/x?a@b", "http://u:***@h:1/x?a@b"),
            ("http://u@h/", "http://u@h/"),
            ("http://h/a:b@c", "http://h/a:b@c"),
            ("not a url", "not a url"),
            ("htp:/u:pw@h", "htp:/u:pw@h"),
        ];
        for (url, want) in cases {
            assert_eq!(mask_password(url), want, "{url}");
        }
    }
}
