//! TCP checks: the port accepts a connection (which is closed again at once).

use std::io;
use std::net::{IpAddr, SocketAddr};

use tokio::net::TcpStream;

use crate::kinds::Outcome;
use crate::kinds::TcpCheck;
use crate::net::reason;

/// One service's target, with an IP literal resolved once so no check pays for a
/// lookup it does not need.
pub(crate) struct TcpTarget {
    host: Box<str>,
    port: u16,
    literal: Option<SocketAddr>,
}

impl TcpTarget {
    pub(crate) fn new(check: &TcpCheck) -> Self {
        let bare = check.host.trim_start_matches('[').trim_end_matches(']');
        Self {
            host: check.host.as_str().into(),
            port: check.port,
            literal: bare
                .parse::<IpAddr>()
                .ok()
                .map(|ip| SocketAddr::new(ip, check.port)),
        }
    }

    /// Connects; unbounded in time: the caller applies the service's timeout.
    pub(crate) async fn check(&self) -> Outcome {
        match self.connect().await {
            Ok(_stream) => Outcome::Pass { status: None },
            Err(reason) => Outcome::Fail {
                status: None,
                reason,
            },
        }
    }

    /// The connection, or why there is none; unbounded in time.
    pub(crate) async fn connect(&self) -> Result<TcpStream, String> {
        match self.literal {
            Some(addr) => TcpStream::connect(addr)
                .await
                .map_err(|e| self.io_reason(&e)),
            None => self.connect_by_name().await,
        }
    }

    /// Tries every address the name resolves to, like a browser would, and reports
    /// the last failure.
    async fn connect_by_name(&self) -> Result<TcpStream, String> {
        let addrs = tokio::net::lookup_host((&*self.host, self.port))
            .await
            .map_err(|error| reason::dns(&self.host, &error))?;
        let mut last = format!("DNS: no address for {}", self.host);
        for addr in addrs {
            match TcpStream::connect(addr).await {
                Ok(stream) => return Ok(stream),
                Err(error) => last = self.io_reason(&error),
            }
        }
        Err(last)
    }

    fn io_reason(&self, error: &io::Error) -> String {
        reason::from_error(error, &self.host)
    }
}
