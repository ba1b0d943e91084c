//! What an HTTP answer's body must hold (`expect_body`, `expect_json`), checked on at
//! most `max_body_bytes` read in chunks: a huge or endless body is never buffered.

use std::future::Future;

use bytes::Bytes;

use crate::kinds::JsonExpectation;
use crate::net::reason;

/// A body that arrives in chunks: reqwest's response, or hyper's incoming body.
pub(crate) trait Chunks: Send {
    type Error;
    /// The next chunk, `None` at the end.
    fn next_chunk(&mut self) -> impl Future<Output = Result<Option<Bytes>, Self::Error>> + Send;
}

impl Chunks for reqwest::Response {
    type Error = reqwest::Error;
    fn next_chunk(&mut self) -> impl Future<Output = Result<Option<Bytes>, Self::Error>> + Send {
        self.chunk()
    }
}

/// Reads at most `check.cap()` bytes, stopping as soon as the verdict is settled.
/// `length` is the announced body length, if any, to size the buffer.
pub(crate) async fn read_capped<C: Chunks>(
    body: &mut C,
    check: &BodyCheck,
    length: Option<u64>,
) -> Result<Capped, C::Error> {
    let cap = check.cap();
    let hint = usize::try_from(length.unwrap_or(8 * 1024))
        .unwrap_or(cap)
        .min(cap);
    let mut bytes = Vec::with_capacity(hint);
    while let Some(chunk) = body.next_chunk().await? {
        let room = cap - bytes.len();
        let new_from = bytes.len();
        bytes.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if chunk.len() > room {
            return Ok(Capped {
                bytes,
                truncated: true,
            });
        }
        if check.settled(&bytes, new_from) {
            return Ok(Capped {
                bytes,
                truncated: false,
            });
        }
        if bytes.len() == cap {
            // Full: the body was cut only if anything follows.
            let more = body
                .next_chunk()
                .await?
                .is_some_and(|chunk| !chunk.is_empty());
            return Ok(Capped {
                bytes,
                truncated: more,
            });
        }
    }
    Ok(Capped {
        bytes,
        truncated: false,
    })
}

/// The body expectations of one service, prepared once.
pub(crate) struct BodyCheck {
    needle: Option<Box<[u8]>>,
    /// `expect_body` as written, for reasons.
    needle_text: Box<str>,
    json: Option<JsonCheck>,
    cap: usize,
}

struct JsonCheck {
    path: Box<str>,
    segments: Box<[Box<str>]>,
    equals: serde_json::Value,
}

/// The body as far as it was read.
pub(crate) struct Capped {
    pub(crate) bytes: Vec<u8>,
    /// True when the body went on past the cap (or past the point reading stopped).
    pub(crate) truncated: bool,
}

impl BodyCheck {
    /// `None` when the service has no body expectation, so the body is never read.
    pub(crate) fn new(
        expect_body: Option<&str>,
        expect_json: Option<&JsonExpectation>,
        cap: usize,
    ) -> Option<Self> {
        if expect_body.is_none() && expect_json.is_none() {
            return None;
        }
        Some(Self {
            needle: expect_body.map(|text| text.as_bytes().into()),
            needle_text: expect_body.unwrap_or_default().into(),
            json: expect_json.map(|json| JsonCheck {
                path: json.path.as_str().into(),
                segments: json.path.split('.').map(Into::into).collect(),
                equals: json.equals.clone(),
            }),
            cap,
        })
    }

    /// The most bytes to read.
    pub(crate) fn cap(&self) -> usize {
        self.cap
    }

    /// True once `bytes` already settles the verdict, so reading may stop early:
    /// only when the substring is all that is asked and it has been found.
    pub(crate) fn settled(&self, bytes: &[u8], new_from: usize) -> bool {
        match (&self.needle, &self.json) {
            (Some(needle), None) => {
                let from = new_from.saturating_sub(needle.len().saturating_sub(1));
                contains(&bytes[from..], needle)
            }
            _ => false,
        }
    }

    /// The verdict on what was read: `None` passes, `Some(reason)` fails.
    pub(crate) fn verdict(&self, body: &Capped) -> Option<String> {
        if let Some(needle) = &self.needle
            && !contains(&body.bytes, needle)
        {
            return Some(if body.truncated {
                format!(
                    "body lacks {:?} in first {}",
                    self.needle_text,
                    reason::size(self.cap)
                )
            } else {
                format!("body lacks {:?}", self.needle_text)
            });
        }
        let json = self.json.as_ref()?;
        if body.truncated {
            return Some(format!(
                "body over {} (JSON not checked)",
                reason::size(self.cap)
            ));
        }
        json.verdict(&body.bytes)
    }
}

impl JsonCheck {
    fn verdict(&self, bytes: &[u8]) -> Option<String> {
        let document: serde_json::Value = match serde_json::from_slice(bytes) {
            Ok(document) => document,
            Err(error) => return Some(format!("body is not JSON: {error}")),
        };
        let mut value = &document;
        for segment in &self.segments {
            let next = match value {
                serde_json::Value::Object(map) => map.get(&**segment),
                serde_json::Value::Array(items) => {
                    segment.parse::<usize>().ok().and_then(|i| items.get(i))
                }
                _ => None,
            };
            match next {
                Some(next) => value = next,
                None => return Some(format!("json path {} missing", self.path)),
            }
        }
        if same(value, &self.equals) {
            None
        } else {
            Some(format!(
                "json path {} = {} (expected {})",
                self.path,
                shortened(value),
                shortened(&self.equals)
            ))
        }
    }
}

/// JSON equality where numbers compare by value (`1` equals `1.0`).
fn same(found: &serde_json::Value, expected: &serde_json::Value) -> bool {
    match (found.as_f64(), expected.as_f64()) {
        (Some(a), Some(b)) if found.is_number() && expected.is_number() => {
            found == expected || a == b
        }
        _ => found == expected,
    }
}

/// A value as JSON text, cut to a length that fits in a reason.
fn shortened(value: &serde_json::Value) -> String {
    const LIMIT: usize = 40;
    let text = value.to_string();
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window == needle)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn capped(text: &str, truncated: bool) -> Capped {
        Capped {
            bytes: text.as_bytes().to_vec(),
            truncated,
        }
    }

    fn json_check(path: &str, equals: serde_json::Value) -> BodyCheck {
        let expectation = JsonExpectation {
            path: path.to_string(),
            equals,
        };
        BodyCheck::new(None, Some(&expectation), 1024).expect("has an expectation")
    }

    #[test]
    fn no_expectation_means_no_body_read() {
        assert!(BodyCheck::new(None, None, 1024).is_none());
    }

    #[test]
    fn substring_found_across_chunks_settles_early() {
        let check = BodyCheck::new(Some("ok"), None, 1024).expect("has an expectation");
        assert!(!check.settled(b"xo", 0));
        assert!(check.settled(b"xok", 2));
        assert_eq!(check.verdict(&capped("all ok", false)), None);
        assert_eq!(
            check.verdict(&capped("fine", false)).as_deref(),
            Some("body lacks \"ok\"")
        );
        assert_eq!(
            check.verdict(&capped("fine", true)).as_deref(),
            Some("body lacks \"ok\" in first 1 KiB")
        );
    }

    #[test]
    fn json_paths_walk_objects_and_arrays() {
        let body = r#"{"a":{"b":[{"c":"UP"}]},"n":1}"#;
        let check = json_check("a.b.0.c", json!("UP"));
        assert_eq!(check.verdict(&capped(body, false)), None);
        let check = json_check("a.b.0.c", json!("DOWN"));
        assert_eq!(
            check.verdict(&capped(body, false)).as_deref(),
            Some("json path a.b.0.c = \"UP\" (expected \"DOWN\")")
        );
        let check = json_check("a.x", json!(1));
        assert_eq!(
            check.verdict(&capped(body, false)).as_deref(),
            Some("json path a.x missing")
        );
        let check = json_check("n", json!(1.0));
        assert_eq!(check.verdict(&capped(body, false)), None);
    }

    #[test]
    fn json_failures_say_why() {
        let check = json_check("a", json!(1));
        let reason = check.verdict(&capped("<html>", false)).expect("fails");
        assert!(reason.starts_with("body is not JSON: "), "{reason}");
        assert_eq!(
            check.verdict(&capped("{", true)).as_deref(),
            Some("body over 1 KiB (JSON not checked)")
        );
        let long = format!("{{\"a\":\"{}\"}}", "x".repeat(100));
        let reason = check.verdict(&capped(&long, false)).expect("fails");
        assert!(reason.ends_with("… (expected 1)"), "{reason}");
    }
}
