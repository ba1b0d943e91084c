//! Following an engine's view stream: events applied to a [`Mirror`] and each change
//! shown. A stream that ends, fails or goes quiet is opened again with the last event's
//! id, so an engine still running resumes it and one that restarted sends a fresh
//! snapshot; meanwhile the screen keeps the last picture and says it is reconnecting.

use std::time::{Duration, SystemTime};

use http_body_util::BodyExt;
use hyper::Method;
use hyper::body::Incoming;
use tokio_util::sync::CancellationToken;

use super::shown::Shown;
use super::sse::SseReader;
use super::target::{Failure, Target};
use crate::view_form::Mirror;

/// The stream's path: the view form.
pub const STREAM: &str = "/api/v1/stream?form=view";
/// Nothing for this long (the engine sends a keep-alive each 5 s) means it is gone, or
/// stopped: a frozen engine's last picture must not pass for a live one for long.
const QUIET: Duration = Duration::from_secs(12);
/// The first wait before trying again, doubled up to [`RETRY_MOST`].
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MOST: Duration = Duration::from_secs(4);

/// One viewer's stream and what it has rebuilt.
pub struct Follower {
    target: Target,
    shown: Shown,
    mirror: Mirror,
    reader: SseReader,
    last_id: Option<u64>,
}

impl Follower {
    pub fn new(target: Target, shown: Shown) -> Self {
        Self {
            target,
            shown,
            mirror: Mirror::default(),
            reader: SseReader::default(),
            last_id: None,
        }
    }

    /// Opens the stream and reads until the engine's first snapshot is shown: how a
    /// viewer knows, before it takes the terminal, that it can attach. Returns the open
    /// stream to go on with.
    pub async fn first_contact(&mut self, wait: Duration) -> Result<Incoming, Failure> {
        let (to, secs) = (self.target.describe(), wait.as_secs());
        let first = async {
            let mut body = self.open().await?;
            while self.mirror.engine().is_none() {
                match body.frame().await {
                    Some(Ok(frame)) => {
                        if let Some(bytes) = frame.data_ref() {
                            self.take(bytes)?;
                        }
                    }
                    Some(Err(err)) => return Err(Failure::from(err.to_string())),
                    None => return Err(Failure::from("the stream ended".to_string())),
                }
            }
            Ok(body)
        };
        let late = || Failure::from(format!("{to} sent no snapshot within {secs} s"));
        tokio::time::timeout(wait, first)
            .await
            .map_err(|_| late())?
    }

    /// Follows the stream until `cancel`, opening it again whenever it stops.
    pub async fn run(mut self, mut body: Incoming, cancel: CancellationToken) {
        loop {
            let Some(why) = self.read(body, &cancel).await else {
                return;
            };
            self.shown.lost(SystemTime::now(), why);
            let mut tries = 0;
            body = loop {
                tries += 1;
                let wait = crate::net::backoff(RETRY_FIRST, tries, RETRY_MOST);
                tokio::select! {
                    () = cancel.cancelled() => return,
                    () = tokio::time::sleep(wait) => {}
                }
                match self.open().await {
                    Ok(body) => break body,
                    Err(failure) => {
                        self.shown.lost(SystemTime::now(), failure.message);
                    }
                }
            };
        }
    }

    async fn open(&mut self) -> Result<Incoming, Failure> {
        self.reader = SseReader::default();
        let asked = self.target.request(Method::GET, STREAM, None, self.last_id);
        Ok(asked.await?.into_body())
    }

    /// Reads `body` until it ends, fails or goes quiet, and says why; `None` when
    /// cancelled.
    async fn read(&mut self, mut body: Incoming, cancel: &CancellationToken) -> Option<String> {
        loop {
            let frame = tokio::select! {
                () = cancel.cancelled() => return None,
                frame = tokio::time::timeout(QUIET, body.frame()) => frame,
            };
            match frame {
                Err(_) => return Some(format!("nothing heard for {} s", QUIET.as_secs())),
                Ok(None) => return Some("the engine closed the stream".to_string()),
                Ok(Some(Err(err))) => return Some(err.to_string()),
                Ok(Some(Ok(frame))) => {
                    if let Some(bytes) = frame.data_ref()
                        && let Err(failure) = self.take(bytes)
                    {
                        return Some(failure.message);
                    }
                }
            }
        }
    }

    /// Applies the events `bytes` complete and shows the result.
    fn take(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        let events = self.reader.feed(bytes);
        if events.is_empty() {
            return Ok(());
        }
        for event in events {
            if let Err(err) = self.mirror.apply(&event.name, &event.data) {
                // Resuming would send the same event again: start from a snapshot.
                self.last_id = None;
                return Err(Failure::from(err.to_string()));
            }
            if event.id.is_some() {
                self.last_id = event.id;
            }
        }
        if let Some(snapshot) = self.mirror.snapshot(SystemTime::now()) {
            self.shown.flowing(self.mirror.engine().cloned());
            self.shown.show(snapshot);
        }
        Ok(())
    }
}
