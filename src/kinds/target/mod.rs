//! A scrape target of a `[[prometheus]]` with `targets = true`, shown as a card: its
//! health as Prometheus last saw it, read from the server's target list (`list.rs`),
//! which the targets of one Prometheus share.

pub mod list;
#[cfg(test)]
mod tests_list;

use std::fmt;
use std::sync::Arc;

use reqwest::Url;
use toml::de::DeTable;

use super::kind::{CheckTiming, Fact, Kind, ValueCard};
use super::outcome::Checked;
use super::query::ValueLimits;
use super::stage::StageCell;
use crate::document::walk::{Value, Walker};

use list::TargetList;

/// A target's value is its scrape duration, judged by Prometheus's health, not limits.
const NO_LIMITS: ValueLimits = ValueLimits {
    warn: None,
    crit: None,
    below: false,
};

/// The scrape target kind; its cards are found at run time, not configured.
pub struct Target;

/// What the targets of one prober share: the Prometheus client, and one list per
/// Prometheus (by name).
#[derive(Default)]
pub struct Lists {
    client: Option<Result<reqwest::Client, String>>,
    lists: Vec<(String, Arc<TargetList>)>,
}

impl Kind for Target {
    const NAME: &'static str = "scrape target";
    const SELECTOR: Option<&'static str> = None;
    const EXAMPLE: Option<&'static str> = None;
    const KEYS: &'static [&'static str] = &[];
    const DEFAULT_KEYS: &'static [&'static str] = &[];

    type Config = TargetCheck;
    type Defaults = ();
    type Shared = Lists;
    type Probe = (Arc<TargetList>, TargetCheck);

    fn read_defaults(_: &mut Walker<'_>, _: &DeTable<'_>, _: &()) {}

    fn read(_: &mut Walker<'_>, _: &Value<'_>, _: &DeTable<'_>, _: &()) -> Option<TargetCheck> {
        None
    }

    fn prepare(
        config: &TargetCheck,
        timing: CheckTiming,
        shared: &mut Lists,
    ) -> Result<Self::Probe, String> {
        if let Some((_, list)) = shared
            .lists
            .iter()
            .find(|(name, _)| *name == config.prometheus)
        {
            return Ok((Arc::clone(list), config.clone()));
        }
        let client = (shared.client)
            .get_or_insert_with(super::prometheus::client)
            .clone()?;
        let list = Arc::new(TargetList::new(
            client,
            config.url.clone(),
            timing.interval,
            timing.timeout,
        ));
        shared
            .lists
            .push((config.prometheus.clone(), Arc::clone(&list)));
        Ok((list, config.clone()))
    }

    async fn check((list, target): &Self::Probe, _stage: &StageCell) -> Checked {
        let (outcome, reading) = list.check(target).await;
        Checked::read(outcome, reading)
    }

    fn target(config: &TargetCheck) -> String {
        config.scrape_url.clone()
    }

    fn mask(config: &mut TargetCheck) {
        config.url = crate::net::masked(&config.url);
    }

    fn facts(target: &TargetCheck) -> Vec<Fact> {
        vec![
            Fact::new("pool", target.scrape_pool.clone()),
            Fact::new("via", format!("Prometheus {:?}", target.prometheus)),
            Fact::new("expect", "health up"),
        ]
    }

    fn value_card(target: &TargetCheck) -> Option<ValueCard<'_>> {
        Some(ValueCard {
            label: "scrape",
            unit: Some("s"),
            limits: NO_LIMITS,
            context: format!("pool {}", target.scrape_pool),
            chart_title: "scrape duration",
        })
    }

    fn judged_by_latency() -> bool {
        false
    }
}

/// A scrape target of a `[[prometheus]]` with `targets = true`, shown as a card: its
/// health as Prometheus last saw it.
#[derive(Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct TargetCheck {
    /// The `[[prometheus]]` asked, by name.
    pub prometheus: String,
    /// That server's base URL; a password in it is basic auth, never shown.
    pub url: Url,
    /// Prometheus's `scrapePool` and `scrapeUrl`: together they name the target.
    pub scrape_pool: String,
    pub scrape_url: String,
}

impl fmt::Debug for TargetCheck {
    /// Shows Prometheus's URL with its password masked.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TargetCheck")
            .field("prometheus", &self.prometheus)
            .field("url", &crate::net::display_url(&self.url))
            .field("scrape_pool", &self.scrape_pool)
            .field("scrape_url", &self.scrape_url)
            .finish()
    }
}
