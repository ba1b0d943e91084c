//! The sampler task: a poller like the probes. It reads the machine at `[system]
//! interval` and sends each sample to the core as an owned `Event::System`; it knows no
//! screen and no state.

use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tokio::time::{Instant, MissedTickBehavior};
use tokio_util::sync::CancellationToken;

use super::convert::Converter;
use super::reader::Reader;
use crate::config::SystemConfig;
use crate::event::Event;

/// The first sample waits this long, so CPU use has two readings far enough apart
/// (`MIN_CPU_GAP`, 200 ms) and the panel fills at once.
const FIRST_SAMPLE_AFTER: Duration = Duration::from_millis(250);

/// Starts sampling per `settings` until `cancel` fires or the core hangs up; `None` when
/// `[system] enabled` is off. Must be called inside a tokio runtime.
pub fn spawn(
    settings: &SystemConfig,
    events: mpsc::Sender<Event>,
    cancel: CancellationToken,
) -> Option<JoinHandle<()>> {
    if !settings.enabled {
        return None;
    }
    let (interval, processes) = (settings.interval, settings.processes);
    Some(tokio::spawn(async move {
        let mut reader = match Reader::new(processes) {
            Ok(reader) => reader,
            Err(err) => {
                tracing::warn!(
                    event = "system_unavailable",
                    error = %err,
                    message = "the machine cannot be sampled; the system panel stays empty",
                );
                return;
            }
        };
        let mut converter = Converter::default();
        let mut ticker = tokio::time::interval_at(Instant::now() + FIRST_SAMPLE_AFTER, interval);
        ticker.set_missed_tick_behavior(MissedTickBehavior::Skip);
        loop {
            tokio::select! {
                () = cancel.cancelled() => break,
                _ = ticker.tick() => {}
            }
            let sample = converter.sample(reader.read(SystemTime::now()));
            if events.send(Event::System(Box::new(sample))).await.is_err() {
                break;
            }
        }
    }))
}
