//! Alertmanager, through its v2 API: a client (`client.rs`, errors in `error.rs`) that
//! reads alerts and silences, sends alerts and makes and expires silences, speaking the
//! API's JSON (`wire.rs`) in lookout's own types (`model.rs`). Reading (`reading.rs`):
//! each Alertmanager's alerts polled for the pane and silences made there on request;
//! `board.rs` keeps what was read, `remote.rs` turns an alert into a pane row.
//! Forwarding (`forward.rs`): lookout's alerts, labelled as `outgoing.rs` says, pushed
//! to every Alertmanager with `forward = true`, kept open by re-sending and ended when
//! they resolve (`ledger.rs` remembers what each was told), logged by `lines.rs`. Both
//! run one task per Alertmanager (`tasks.rs`).

mod board;
mod client;
mod error;
mod forward;
mod ledger;
mod lines;
mod model;
mod outgoing;
mod reading;
mod remote;
pub mod sample;
mod tasks;
mod wire;

#[cfg(test)]
mod tests_board;
#[cfg(test)]
mod tests_ledger;
#[cfg(test)]
mod tests_wire;

pub use board::{Board, REMOTE_ID_BASE};
pub use client::AlertmanagerClient;
pub use error::AlertmanagerError;
pub use forward::{Forwarding, RESENDS_BEFORE_END};
pub use model::{NewSilence, OutgoingAlert};
pub use reading::{Errand, Picture, Reading, Request, Watching};
pub use remote::{severity_of, silenced_until, view as remote_view};
