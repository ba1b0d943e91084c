//! Server-Sent Events read from a byte stream, as the HTML standard's event stream
//! format has them: `id`, `event` and `data` fields, comments, events ended by a blank
//! line, lines ended by LF, CR or CRLF.

/// One event as received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    /// The event's id, when it had a numeric one.
    pub id: Option<u64>,
    /// `message` when the stream named none.
    pub name: String,
    pub data: String,
}

/// Bytes in, events out; a partial line waits for the rest.
#[derive(Debug, Default)]
pub struct SseReader {
    line: Vec<u8>,
    /// The last byte was a CR: an LF right after it ends nothing more.
    after_cr: bool,
    id: Option<u64>,
    name: Option<String>,
    data: Option<String>,
}

impl SseReader {
    /// The events that `bytes` completes.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<SseEvent> {
        let mut events = Vec::new();
        for &byte in bytes {
            let was_cr = std::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if was_cr => {}
                b'\n' | b'\r' => {
                    let line = std::mem::take(&mut self.line);
                    if let Some(event) = self.take_line(&String::from_utf8_lossy(&line)) {
                        events.push(event);
                    }
                }
                _ => self.line.push(byte),
            }
        }
        events
    }

    fn take_line(&mut self, line: &str) -> Option<SseEvent> {
        if line.is_empty() {
            // The name goes with the event, dispatched or not (no data: not dispatched).
            let name = self.name.take();
            let data = self.data.take()?;
            return Some(SseEvent {
                id: self.id,
                name: name.unwrap_or_else(|| "message".to_string()),
                data,
            });
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = line.split_once(':').unwrap_or((line, ""));
        let value = value.strip_prefix(' ').unwrap_or(value);
        match field {
            "id" => self.id = value.parse().ok(),
            "event" => self.name = Some(value.to_string()),
            "data" => match &mut self.data {
                Some(data) => {
                    data.push('\n');
                    data.push_str(value);
                }
                None => self.data = Some(value.to_string()),
            },
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_split_anywhere_come_out_whole() {
        let stream = b": keep-alive\n\nid: 7\nevent: checks\ndata: [1,\ndata: 2]\n\nid: 8\r\nevent: alerts\r\ndata:[]\r\n\r\n";
        for cut in 0..stream.len() {
            let mut reader = SseReader::default();
            let mut events = reader.feed(&stream[..cut]);
            events.extend(reader.feed(&stream[cut..]));
            assert_eq!(
                events,
                [
                    SseEvent {
                        id: Some(7),
                        name: "checks".into(),
                        data: "[1,\n2]".into()
                    },
                    SseEvent {
                        id: Some(8),
                        name: "alerts".into(),
                        data: "[]".into()
                    },
                ],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn an_event_without_data_is_not_dispatched_and_its_name_does_not_leak_to_the_next() {
        let mut reader = SseReader::default();
        let events = reader.feed(b"event: lonely\n\ndata: x\n\n");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].name, "message");
        assert_eq!(events[0].data, "x");
    }
}
