//! The layer that writes each event as one JSON object on one line: `ts`, `level`,
//! `event`, then the event's other fields in the order they were recorded.

use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::io::Write as _;
use std::time::SystemTime;

use serde::Serializer as _;
use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::layer::{Context, Layer};

/// The `event` of lines whose event has no `event` field (a dependency's, say).
pub const NO_EVENT: &str = "log";

/// The field whose value becomes the line's `event`.
const EVENT_FIELD: &str = "event";

/// Scratch buffers grown past this by an unusually long line are shrunk back to it.
const KEEP_CAPACITY: usize = 16 * 1024;

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Writes every event it sees as a JSON line to `W`, in a single `write_all`, so lines
/// from different threads never interleave. Spans are ignored.
#[derive(Debug)]
pub struct JsonLayer<W> {
    make_writer: W,
}

impl<W> JsonLayer<W> {
    pub fn new(make_writer: W) -> Self {
        JsonLayer { make_writer }
    }
}

impl<S, W> Layer<S> for JsonLayer<W>
where
    S: Subscriber,
    W: for<'a> MakeWriter<'a> + 'static,
{
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let now = SystemTime::now();
        // The thread's buffers, unless they are in use already (an event emitted while
        // writing one) or gone (thread teardown): then fresh ones, just this once.
        let reused = SCRATCH.try_with(|cell| match cell.try_borrow_mut() {
            Ok(mut scratch) => {
                self.write(&mut scratch, event, now);
                true
            }
            Err(_) => false,
        });
        if reused != Ok(true) {
            self.write(&mut Scratch::default(), event, now);
        }
    }
}

impl<W> JsonLayer<W>
where
    W: for<'a> MakeWriter<'a>,
{
    fn write(&self, scratch: &mut Scratch, event: &Event<'_>, now: SystemTime) {
        scratch.format(event, now);
        let mut writer = self.make_writer.make_writer_for(event.metadata());
        // Nowhere to report a failed write: the log is where it would go.
        let _ = writer.write_all(&scratch.line);
        scratch.trim();
    }
}

/// Per-thread buffers: the line being built, the fields after `event`, and the `event`
/// value (known only once every field has been visited).
#[derive(Debug, Default)]
struct Scratch {
    line: Vec<u8>,
    rest: Vec<u8>,
    event: String,
}

impl Scratch {
    /// Builds `event`'s line, newline included, in `self.line`.
    fn format(&mut self, event: &Event<'_>, now: SystemTime) {
        self.line.clear();
        self.rest.clear();
        self.event.clear();
        let mut visitor = FieldVisitor {
            rest: &mut self.rest,
            event: &mut self.event,
            has_event: false,
        };
        event.record(&mut visitor);
        let name = if visitor.has_event {
            self.event.as_str()
        } else {
            NO_EVENT
        };

        let line = &mut self.line;
        line.extend_from_slice(b"{\"ts\":\"");
        // Writing to a Vec cannot fail.
        let _ = write!(line, "{}", humantime::format_rfc3339_millis(now));
        line.extend_from_slice(b"\",\"level\":\"");
        line.extend_from_slice(level_word(event.metadata().level()).as_bytes());
        line.extend_from_slice(b"\",\"event\":");
        json_str(line, name);
        line.extend_from_slice(&self.rest);
        line.extend_from_slice(b"}\n");
    }

    /// Gives back the memory of an unusually long line.
    fn trim(&mut self) {
        for buf in [&mut self.line, &mut self.rest] {
            if buf.capacity() > KEEP_CAPACITY {
                buf.clear();
                buf.shrink_to(KEEP_CAPACITY);
            }
        }
        if self.event.capacity() > KEEP_CAPACITY {
            self.event = String::new();
        }
    }
}

/// The lowercase word for `level`.
fn level_word(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}

/// Appends `s` as a JSON string, quotes included.
fn json_str(buf: &mut Vec<u8>, s: &str) {
    // Writing to a Vec cannot fail, and a &str always serializes.
    let _ = serde_json::to_writer(&mut *buf, s);
}

/// Takes the `event` field aside and appends every other field as `,"name":value`.
struct FieldVisitor<'a> {
    rest: &'a mut Vec<u8>,
    event: &'a mut String,
    has_event: bool,
}

impl FieldVisitor<'_> {
    /// Whether `field` is the event name; if so the caller stores it in `self.event`.
    fn takes_event(&mut self, field: &Field) -> bool {
        if field.name() != EVENT_FIELD {
            return false;
        }
        self.event.clear();
        self.has_event = true;
        true
    }

    fn key(&mut self, field: &Field) {
        self.rest.push(b',');
        json_str(self.rest, field.name());
        self.rest.push(b':');
    }

    /// A number or bool, written as JSON does (a non-finite float becomes `null`).
    fn scalar<T: serde::Serialize + fmt::Display>(&mut self, field: &Field, value: T) {
        if self.takes_event(field) {
            let _ = write!(self.event, "{value}");
            return;
        }
        self.key(field);
        let _ = serde_json::to_writer(&mut *self.rest, &value);
    }
}

impl Visit for FieldVisitor<'_> {
    fn record_str(&mut self, field: &Field, value: &str) {
        if self.takes_event(field) {
            self.event.push_str(value);
            return;
        }
        self.key(field);
        json_str(self.rest, value);
    }

    fn record_u64(&mut self, field: &Field, value: u64) {
        self.scalar(field, value);
    }

    fn record_i64(&mut self, field: &Field, value: i64) {
        self.scalar(field, value);
    }

    fn record_u128(&mut self, field: &Field, value: u128) {
        self.scalar(field, value);
    }

    fn record_i128(&mut self, field: &Field, value: i128) {
        self.scalar(field, value);
    }

    fn record_f64(&mut self, field: &Field, value: f64) {
        self.scalar(field, value);
    }

    fn record_bool(&mut self, field: &Field, value: bool) {
        self.scalar(field, value);
    }

    /// `%display`, `?debug`, errors and the `message` of `info!("…")` all land here:
    /// formatted straight into the buffer, escaped on the way, as a JSON string.
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if self.takes_event(field) {
            let _ = write!(self.event, "{value:?}");
            return;
        }
        self.key(field);
        let mut serializer = serde_json::Serializer::new(&mut *self.rest);
        let _ = serializer.collect_str(&format_args!("{value:?}"));
    }
}
