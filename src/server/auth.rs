//! The bearer token that writes need: over TCP every request that is not a GET or HEAD
//! must carry `Authorization: Bearer <token>`, loopback included; without `[server]
//! token` the TCP API is read-only.

use axum::http::{HeaderMap, StatusCode, header};

use super::guard::Refusal;

/// Lets a write through only with the configured token.
pub(super) fn writer(token: Option<&str>, headers: &HeaderMap) -> Result<(), Refusal> {
    let Some(expected) = token else {
        return Err(Refusal::new(
            StatusCode::FORBIDDEN,
            "the API is read-only: writes need [server] token set, and sent as \
             `Authorization: Bearer <token>`",
        ));
    };
    match bearer(headers) {
        // An empty configured token never matches: the config rejects it anyway.
        Some(given) if !expected.is_empty() && tokens_match(given, expected.as_bytes()) => Ok(()),
        Some(_) => Err(unauthorized(
            "the bearer token is not the one in [server] token",
        )),
        None => Err(unauthorized(
            "writes need `Authorization: Bearer <token>` ([server] token)",
        )),
    }
}

/// The credentials of an `Authorization: Bearer …` header (scheme matched without case).
fn bearer(headers: &HeaderMap) -> Option<&[u8]> {
    let value = headers.get(header::AUTHORIZATION)?.as_bytes();
    let space = value.iter().position(|&b| b == b' ')?;
    let (scheme, rest) = value.split_at(space);
    scheme
        .eq_ignore_ascii_case(b"bearer")
        .then(|| rest.trim_ascii())
}

/// A 401 that says what is missing and never quotes what was sent.
fn unauthorized(message: &str) -> Refusal {
    Refusal {
        challenge: true,
        ..Refusal::new(StatusCode::UNAUTHORIZED, message)
    }
}

/// True when `given` equals `expected`, taking the same time wherever they differ: every
/// byte is compared and the differences are OR-ed together, with no early exit, so the
/// answer time does not tell an attacker how long a prefix they guessed right. Only the
/// length may leak (a different length returns at once), which says nothing about the
/// token's bytes.
pub(super) fn tokens_match(given: &[u8], expected: &[u8]) -> bool {
    if given.len() != expected.len() {
        return false;
    }
    let difference = given
        .iter()
        .zip(expected)
        .fold(0u8, |acc, (a, b)| acc | (a ^ b));
    // Keeps the optimiser from turning the fold back into an early-exit comparison.
    std::hint::black_box(difference) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn tokens_match_only_when_equal() {
        let cases: &[(&[u8], &[u8], bool)] = &[
            (b"s3cret-token", b"s3cret-token", true),
            (b"s3cret-tokeN", b"s3cret-token", false),
            (b"X3cret-token", b"s3cret-token", false),
            (b"s3cret", b"s3cret-token", false),
            (b"s3cret-token-and-more", b"s3cret-token", false),
            (b"", b"", true),
        ];
        for (given, expected, want) in cases {
            assert_eq!(tokens_match(given, expected), *want, "{given:?}");
        }
    }

    #[test]
    fn bearer_takes_the_credentials_after_the_scheme() {
        let cases: &[(&str, Option<&[u8]>)] = &[
            ("Bearer abc", Some(b"abc")),
            ("bearer  abc ", Some(b"abc")),
            ("BEARER abc", Some(b"abc")),
            ("Basic abc", None),
            ("Bearer", None),
            ("Bearerabc", None),
        ];
        for (value, want) in cases {
            let mut headers = HeaderMap::new();
            headers.insert(
                header::AUTHORIZATION,
                HeaderValue::from_str(value).expect("valid header"),
            );
            assert_eq!(bearer(&headers), *want, "{value}");
        }
        assert_eq!(bearer(&HeaderMap::new()), None);
    }
}
