//! The real checker: every service's target prepared once, HTTP clients shared by
//! the services that agree on client-level options.

use crate::config::ServiceConfig;
use crate::kinds::{CheckTiming, Checked, Outcome, Preparer, Probe, Stage, StageCell};
use crate::net::reason;
use crate::view::check::ServiceId;

use super::Checker;

/// Checks services by id. Built once per config: building makes the HTTP clients
/// (and loads the system's root certificates), which must not happen per check.
pub struct Prober {
    /// The id of the first service (`probes[0]`).
    first: ServiceId,
    probes: Box<[Probe]>,
    /// Each service's in-flight check stage, for timeout reasons.
    stages: Box<[StageCell]>,
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
        let mut preparer = Preparer::default();
        let probes = services
            .iter()
            .map(|service| {
                let timing = CheckTiming {
                    interval: service.interval,
                    timeout: service.timeout,
                };
                preparer.prepare(&service.check, timing)
            })
            .collect();
        let stages = services.iter().map(|_| StageCell::default()).collect();
        Self {
            first,
            probes,
            stages,
        }
    }
}

impl Checker for Prober {
    async fn check(&self, id: ServiceId) -> Outcome {
        self.checked(id).await.outcome
    }

    async fn checked(&self, id: ServiceId) -> Checked {
        let index = id.checked_sub(self.first).unwrap_or(usize::MAX);
        let (Some(probe), Some(stage)) = (self.probes.get(index), self.stages.get(index)) else {
            let reason = format!("no service with id {id}");
            return Checked::from(Outcome::Fail {
                status: None,
                reason,
            });
        };
        stage.set(Stage::Started);
        probe.check(stage).await
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
