//! The real checker: every service's target prepared once, HTTP clients shared by
//! the services that agree on client-level options.

use std::sync::Arc;

use reqwest::Client;

use crate::config::{CheckConfig, ServiceConfig, TargetCheck};
use crate::sources::prometheus::targets::TargetList;
use crate::sources::prometheus::{self, QueryTarget};
use crate::view::check::ServiceId;
use crate::kinds::{Outcome, Reading};

use super::Checker;
use super::http::{ClientKey, HttpTarget};
use super::stage::{Stage, StageCell};
use super::tcp::TcpTarget;
use crate::net::reason;

/// Checks services by id. Built once per config: building makes the HTTP clients
/// (and loads the system's root certificates), which must not happen per check.
pub struct Prober {
    /// The id of the first service (`targets[0]`).
    first: ServiceId,
    targets: Box<[Target]>,
    /// Each service's in-flight check stage, for timeout reasons.
    stages: Box<[StageCell]>,
}

enum Target {
    Http(Box<HttpTarget>),
    Tcp(TcpTarget),
    Query(Box<QueryTarget>),
    /// A scrape target, read from its Prometheus's list (shared by its targets).
    Scrape(Arc<TargetList>, Box<TargetCheck>),
    /// A target that cannot be checked at all (its client or a header could not be
    /// built); every check fails with this reason, so the problem shows on screen.
    Broken(Box<str>),
}

impl Prober {
    /// Prepares every service's check, numbered from 0. Never fails: a service that
    /// cannot be checked reports why on each check, and the others run normally.
    pub fn new(services: &[ServiceConfig]) -> Self {
        Self::numbered_from(0, services)
    }

    /// [`Prober::new`] for services numbered from `first`.
    pub fn numbered_from(first: ServiceId, services: &[ServiceConfig]) -> Self {
        crate::net::install_crypto_provider();
        let mut clients: Vec<(ClientKey, Result<Client, String>)> = Vec::new();
        let mut query_client: Option<Result<Client, String>> = None;
        let mut lists: Vec<(String, Arc<TargetList>)> = Vec::new();
        let targets = services
            .iter()
            .map(|service| match &service.check {
                CheckConfig::Tcp(tcp) => Target::Tcp(TcpTarget::new(tcp)),
                CheckConfig::Target(target) => {
                    let client = query_client.get_or_insert_with(prometheus_client).clone();
                    let list = match lists.iter().find(|(name, _)| *name == target.prometheus) {
                        Some((_, list)) => Ok(Arc::clone(list)),
                        None => client.map(|client| {
                            let list = Arc::new(TargetList::new(
                                client,
                                target.url.clone(),
                                service.interval,
                                service.timeout,
                            ));
                            lists.push((target.prometheus.clone(), Arc::clone(&list)));
                            list
                        }),
                    };
                    match list {
                        Ok(list) => Target::Scrape(list, Box::new(target.clone())),
                        Err(reason) => Target::Broken(reason.into()),
                    }
                }
                CheckConfig::Query(query) => {
                    let client = query_client.get_or_insert_with(prometheus_client).clone();
                    match client.and_then(|c| QueryTarget::new(query, service.timeout, c)) {
                        Ok(target) => Target::Query(Box::new(target)),
                        Err(reason) => Target::Broken(reason.into()),
                    }
                }
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
        Self {
            first,
            targets,
            stages,
        }
    }
}

impl Checker for Prober {
    async fn check(&self, id: ServiceId) -> Outcome {
        self.check_reading(id).await.0
    }

    async fn check_reading(&self, id: ServiceId) -> (Outcome, Option<Reading>) {
        let index = id.checked_sub(self.first).unwrap_or(usize::MAX);
        let (Some(target), Some(stage)) = (self.targets.get(index), self.stages.get(index)) else {
            let reason = format!("no service with id {id}");
            return (
                Outcome::Fail {
                    status: None,
                    reason,
                },
                None,
            );
        };
        stage.set(Stage::Started);
        let outcome = match target {
            Target::Query(target) => return target.check().await,
            Target::Scrape(list, target) => return list.check(target).await,
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
        };
        (outcome, None)
    }

    fn timeout_reason(&self, id: ServiceId, timeout: std::time::Duration) -> String {
        let limit = reason::timeout(timeout);
        let index = id.checked_sub(self.first).unwrap_or(usize::MAX);
        match self
            .stages
            .get(index)
            .and_then(|stage| stage.get().describe())
        {
            Some(stage) => format!("{limit} ({stage})"),
            None => limit,
        }
    }
}

/// The client every Prometheus check shares, or why it cannot be built.
fn prometheus_client() -> Result<Client, String> {
    prometheus::client()
        .map_err(|error| format!("HTTP client setup failed: {}", reason::innermost(&error)))
}
