//! The JSON layer over a capturing writer: key order, value types, escaping, `ts`, levels.

use std::io;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::{Value, json};
use tracing::{debug, error, info, trace, warn};
use tracing_subscriber::fmt::MakeWriter;

use super::{Filter, events, subscriber};

/// Every `write_all` call the layer made, one entry each.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<Vec<u8>>>>);

struct CaptureWriter(Arc<Mutex<Vec<Vec<u8>>>>);

impl io::Write for CaptureWriter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.write_all(buf)?;
        Ok(buf.len())
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.0.lock().expect("capture lock").push(buf.to_vec());
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> MakeWriter<'a> for Capture {
    type Writer = CaptureWriter;

    fn make_writer(&'a self) -> CaptureWriter {
        CaptureWriter(self.0.clone())
    }
}

impl Capture {
    /// The lines written, each checked to have come in a single write ending in '\n'.
    fn lines(&self) -> Vec<String> {
        let writes = self.0.lock().expect("capture lock");
        writes
            .iter()
            .map(|write| {
                let text = String::from_utf8(write.clone()).expect("utf-8 line");
                assert!(text.ends_with('\n'), "no newline: {text:?}");
                assert_eq!(
                    text.matches('\n').count(),
                    1,
                    "one line per write: {text:?}"
                );
                text.trim_end_matches('\n').to_string()
            })
            .collect()
    }
}

/// Runs `emit` under the JSON layer with `filter` and returns the lines written.
fn capture(filter: &str, emit: impl FnOnce()) -> Vec<String> {
    let capture = Capture::default();
    let filter = Filter::parse(filter).expect("valid filter");
    tracing::subscriber::with_default(subscriber(capture.clone(), filter), emit);
    capture.lines()
}

/// A JSON object's entries in the order they appear in the text.
struct Ordered(Vec<(String, Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OrderedVisitor;
        impl<'de> Visitor<'de> for OrderedVisitor {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry::<String, Value>()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        deserializer.deserialize_map(OrderedVisitor)
    }
}

/// The line's entries after `ts` and `level` (checked to come first, in that order).
fn entries(line: &str) -> Vec<(String, Value)> {
    let Ordered(entries) = serde_json::from_str(line).expect("a JSON object");
    let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys[..3], ["ts", "level", "event"], "{line}");
    entries[2..].to_vec()
}

fn entry(key: &str, value: Value) -> (String, Value) {
    (key.to_string(), value)
}

#[test]
fn every_field_type_keeps_its_order_and_its_json_type() {
    let name = "api \"edge\"";
    let weird = "say \"hi\"\\ \nnext\tline é ✓ \u{1F600} \u{7} </script>";
    let lines = capture("info", || {
        info!(
            event = events::SERVICE_STATE_CHANGED,
            service = %name,
            from = "UP",
            to = "DOWN",
            reason = ?Some(Duration::from_millis(1500)),
            check_id = 42_u64,
            delta = -3_i64,
            ratio = 0.25_f64,
            up = false,
            weird,
        );
    });
    assert_eq!(lines.len(), 1);
    assert_eq!(
        entries(&lines[0]),
        [
            entry("event", json!("service_state_changed")),
            entry("service", json!("api \"edge\"")),
            entry("from", json!("UP")),
            entry("to", json!("DOWN")),
            entry("reason", json!("Some(1.5s)")),
            entry("check_id", json!(42)),
            entry("delta", json!(-3)),
            entry("ratio", json!(0.25)),
            entry("up", json!(false)),
            entry("weird", json!(weird)),
        ]
    );
    // The raw text too: natural types, and control characters escaped.
    let raw = &lines[0];
    assert!(
        raw.contains(r#","check_id":42,"delta":-3,"ratio":0.25,"up":false,"#),
        "{raw}"
    );
    assert!(raw.contains(r#"\n"#) && raw.contains(r#"\u0007"#), "{raw}");
    assert!(raw.starts_with(r#"{"ts":""#) && raw.ends_with('}'), "{raw}");
}

#[test]
fn event_comes_third_wherever_it_was_written() {
    let lines = capture("info", || {
        warn!(
            service = "db",
            attempt = 2_u64,
            event = events::SERVICE_PAUSED
        );
    });
    assert_eq!(
        entries(&lines[0]),
        [
            entry("event", json!("service_paused")),
            entry("service", json!("db")),
            entry("attempt", json!(2)),
        ]
    );
}

#[test]
fn an_event_without_an_event_field_is_a_log_line_and_keeps_its_message() {
    let lines = capture("info", || {
        error!(code = 7_u64, "disk {} full", "/var");
        info!(event = "x", message = "kept as is");
    });
    assert_eq!(
        entries(&lines[0]),
        [
            entry("event", json!("log")),
            // tracing records a format-string message first.
            entry("message", json!("disk /var full")),
            entry("code", json!(7)),
        ]
    );
    assert_eq!(
        entries(&lines[1]),
        [
            entry("event", json!("x")),
            entry("message", json!("kept as is"))
        ]
    );
}

#[test]
fn event_values_of_any_kind_become_strings() {
    let name = String::from("started");
    let lines = capture("info", || {
        info!(event = %name);
        info!(event = ?"quoted");
        info!(event = 5_u64);
    });
    let events: Vec<Value> = lines.iter().map(|l| entries(l)[0].1.clone()).collect();
    assert_eq!(events, [json!("started"), json!("\"quoted\""), json!("5")]);
}

#[test]
fn wide_numbers_non_finite_floats_and_errors() {
    let err = io::Error::other("disk on fire");
    let lines = capture("info", || {
        info!(
            event = "x",
            big = u128::MAX,
            low = i128::MIN,
            nan = f64::NAN,
            err = &err as &dyn std::error::Error,
        );
    });
    let raw = &lines[0];
    assert!(
        raw.contains(&format!(
            r#""big":{},"low":{},"nan":null,"#,
            u128::MAX,
            i128::MIN
        )),
        "{raw}"
    );
    assert_eq!(entries(raw)[4], entry("err", json!("disk on fire")));
}

#[test]
fn levels_are_lowercase_words() {
    let lines = capture("trace", || {
        trace!(event = "a");
        debug!(event = "b");
        info!(event = "c");
        warn!(event = "d");
        error!(event = "e");
    });
    let levels: Vec<Value> = lines
        .iter()
        .map(|l| serde_json::from_str::<Value>(l).expect("json")["level"].clone())
        .collect();
    assert_eq!(
        levels,
        [
            json!("trace"),
            json!("debug"),
            json!("info"),
            json!("warn"),
            json!("error")
        ]
    );
}

#[test]
fn ts_is_rfc3339_utc_with_milliseconds() {
    let before = SystemTime::now();
    let lines = capture("info", || info!(event = "x"));
    let after = SystemTime::now();
    let line: Value = serde_json::from_str(&lines[0]).expect("json");
    let ts = line["ts"].as_str().expect("ts is a string");
    // 2026-11-23T10:00:00.123Z
    assert_eq!(ts.len(), 24, "{ts}");
    assert_eq!(
        (&ts[10..11], &ts[19..20], &ts[23..]),
        ("T", ".", "Z"),
        "{ts}"
    );
    let at = humantime::parse_rfc3339(ts).expect("parses back");
    let slack = Duration::from_millis(1);
    assert!(at + slack >= before && at <= after, "{ts}");
}

#[test]
fn the_filter_drops_lines_before_they_are_built() {
    let lines = capture(super::DEFAULT_FILTER, || {
        debug!(event = events::CHECK_COMPLETED);
        info!(event = events::STARTED);
        info!(target: "hyper::proto", "chatty");
        warn!(target: "hyper::proto", "worth a look");
    });
    let events: Vec<(Value, Value)> = lines
        .iter()
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("json");
            (v["event"].clone(), v["level"].clone())
        })
        .collect();
    assert_eq!(
        events,
        [
            (json!("started"), json!("info")),
            (json!("log"), json!("warn"))
        ]
    );
}

#[test]
fn lines_from_many_threads_never_interleave() {
    let capture = Capture::default();
    let filter = Filter::parse("info").expect("valid filter");
    let dispatch = tracing::Dispatch::new(subscriber(capture.clone(), filter));
    std::thread::scope(|scope| {
        for thread in 0..4_u64 {
            let dispatch = dispatch.clone();
            scope.spawn(move || {
                tracing::dispatcher::with_default(&dispatch, || {
                    for n in 0..200_u64 {
                        info!(event = "x", thread, n, pad = "y".repeat(n as usize * 10));
                    }
                });
            });
        }
    });
    let lines = capture.lines();
    assert_eq!(lines.len(), 800);
    for line in &lines {
        let v: Value = serde_json::from_str(line).expect("every line is one JSON object");
        let n = v["n"].as_u64().expect("n");
        assert_eq!(v["pad"].as_str().map(str::len), Some(n as usize * 10));
    }
}
