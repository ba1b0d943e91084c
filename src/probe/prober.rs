//! The real checker: every service's target prepared once, HTTP clients shared by
//! the services that agree on client-level options.

use reqwest::Client;

use crate::config::{CheckConfig, ServiceConfig};
use crate::event::{Outcome, ServiceId};

use super::http::{ClientKey, HttpTarget};
use super::stage::{Stage, StageCell};
use super::tcp::TcpTarget;
use super::{Checker, reason};

/// Checks services by id. Built once per config: building makes the HTTP clients
/// (and loads the system's root certificates), which must not happen per check.
pub struct Prober {
    targets: Box<[Target]>,
    /// Each service's in-flight check stage, for timeout reasons.
    stages: Box<[StageCell]>,
}

enum Target {
    Http(Box<HttpTarget>),
    Tcp(TcpTarget),
    /// A target that cannot be checked at all (its client or a header could not be
    /// built); every check fails with this reason, so the problem shows on screen.
    Broken(Box<str>),
}

impl Prober {
    /// Prepares every service's check. Never fails: a service that cannot be checked
    /// reports why on each check, and the others run normally.
    pub fn new(services: &[ServiceConfig]) -> Self {
        super::install_crypto_provider();
        let mut clients: Vec<(ClientKey, Result<Client, String>)> = Vec::new();
        let targets = services
            .iter()
            .map(|service| match &service.check {
                CheckConfig::Tcp(tcp) => Target::Tcp(TcpTarget::new(tcp)),
                CheckConfig::Http(http) => {
                    let key = ClientKey::of(http);
                    let client = match clients.iter().find(|(k, _)| *k == key) {
                        Some((_, client)) => client.clone(),
                        None => {
                            let client = key.build().map_err(|error| {
                                format!("HTTP client setup failed: {}", reason::innermost(&error))
                            });
                            clients.push((key, client.clone()));
                            client
                        }
                    };
                    match client.and_then(|client| HttpTarget::new(http, client)) {
                        Ok(target) => Target::Http(Box::new(target)),
                        Err(reason) => Target::Broken(reason.into()),
                    }
                }
            })
            .collect();
        let stages = services.iter().map(|_| StageCell::default()).collect();
        Self { targets, stages }
    }
}

impl Checker for Prober {
    async fn check(&self, id: ServiceId) -> Outcome {
        let (Some(target), Some(stage)) = (self.targets.get(id), self.stages.get(id)) else {
            return Outcome::Fail {
                status: None,
                reason: format!("no service with id {id}"),
            };
        };
        stage.set(Stage::Started);
        match target {
            Target::Http(target) => target.check(stage).await,
            Target::Tcp(target) => {
                // A TCP check is all connecting.
                stage.set(Stage::Connecting);
                target.check().await
            }
            Target::Broken(reason) => Outcome::Fail {
                status: None,
                reason: reason.to_string(),
            },
        }
    }

    fn timeout_reason(&self, id: ServiceId, timeout: std::time::Duration) -> String {
        let limit = reason::timeout(timeout);
        match self.stages.get(id).and_then(|stage| stage.get().describe()) {
            Some(stage) => format!("{limit} ({stage})"),
            None => limit,
        }
    }
}
