//! TCP checks: the port accepts a connection (`tcp = "host:port"`).

mod connect;
mod read;

use toml::de::DeTable;

use super::kind::{CheckTiming, Fact, Kind};
use super::outcome::Checked;
use super::stage::{Stage, StageCell};
use crate::document::walk::{Value, Walker};

pub(crate) use connect::TcpTarget;
pub(crate) use read::split_host_port;

/// The TCP kind.
pub struct Tcp;

impl Kind for Tcp {
    const NAME: &'static str = "TCP";
    const SELECTOR: Option<&'static str> = Some("tcp");
    const EXAMPLE: Option<&'static str> = Some("`tcp = \"host:port\"` for a TCP connect");
    const KEYS: &'static [&'static str] = &[];
    const DEFAULT_KEYS: &'static [&'static str] = &[];

    type Config = TcpCheck;
    type Defaults = ();
    type Shared = ();
    type Probe = TcpTarget;

    fn read_defaults(_: &mut Walker<'_>, _: &DeTable<'_>, _: &()) {}

    fn read(
        w: &mut Walker<'_>,
        selector: &Value<'_>,
        _table: &DeTable<'_>,
        _defaults: &(),
    ) -> Option<TcpCheck> {
        read::tcp(w, selector)
    }

    fn prepare(config: &TcpCheck, _timing: CheckTiming, _: &mut ()) -> Result<TcpTarget, String> {
        Ok(TcpTarget::new(config))
    }

    async fn check(probe: &TcpTarget, stage: &StageCell) -> Checked {
        // A TCP check is all connecting.
        stage.set(Stage::Connecting);
        Checked::from(probe.check().await)
    }

    fn target(tcp: &TcpCheck) -> String {
        if tcp.host.contains(':') {
            format!("tcp://[{}]:{}", tcp.host, tcp.port)
        } else {
            format!("tcp://{}:{}", tcp.host, tcp.port)
        }
    }

    fn mask(_config: &mut TcpCheck) {}

    fn facts(_config: &TcpCheck) -> Vec<Fact> {
        vec![Fact::new("expect", "TCP connect")]
    }
}

/// A plain TCP connect check.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TcpCheck {
    /// A name or an address; an IPv6 address is kept without its brackets, so
    /// `(host, port)` can be handed to a resolver as is.
    pub host: String,
    pub port: u16,
}
