//! How far a check has got, so a check cut off by its timeout can say where it
//! stalled: "timeout after 5s (connecting)", "(no response)", "(reading body)".

use std::sync::atomic::{AtomicU8, Ordering};

/// A check's progress, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Stage {
    /// Nothing known yet: a timeout says nothing more.
    Started = 0,
    /// Resolving the name and opening the connection.
    Connecting = 1,
    /// Connected (or, through the full client, connecting) and waiting for the answer's
    /// status line and headers.
    AwaitingResponse = 2,
    /// Headers accepted; reading the body an expectation needs.
    ReadingBody = 3,
    /// Connected; the TLS handshake is under way.
    Handshake = 4,
    /// Handshake done; waiting for the server to close after a close_notify.
    Closing = 5,
}

impl Stage {
    /// What a timeout reason adds for this stage.
    pub fn describe(self) -> Option<&'static str> {
        match self {
            Stage::Started => None,
            Stage::Connecting => Some("connecting"),
            Stage::AwaitingResponse => Some("no response"),
            Stage::ReadingBody => Some("reading body"),
            Stage::Handshake => Some("TLS handshake"),
            Stage::Closing => Some("closing TLS"),
        }
    }
}

/// One service's in-flight check stage: written by the check as it goes, read when its
/// timeout fires (the scheduler runs one check of a service at a time).
#[derive(Debug, Default)]
pub struct StageCell(AtomicU8);

impl StageCell {
    pub fn set(&self, stage: Stage) {
        self.0.store(stage as u8, Ordering::Relaxed);
    }

    pub fn get(&self) -> Stage {
        match self.0.load(Ordering::Relaxed) {
            1 => Stage::Connecting,
            2 => Stage::AwaitingResponse,
            3 => Stage::ReadingBody,
            4 => Stage::Handshake,
            5 => Stage::Closing,
            _ => Stage::Started,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cell_gives_back_the_stage_set_last() {
        let cell = StageCell::default();
        assert_eq!(cell.get(), Stage::Started);
        for stage in [
            Stage::Connecting,
            Stage::AwaitingResponse,
            Stage::ReadingBody,
            Stage::Started,
        ] {
            cell.set(stage);
            assert_eq!(cell.get(), stage);
        }
    }
}
