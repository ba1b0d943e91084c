//! What lookout knows of each Alertmanager it reads: the alerts of its latest good read
//! (as pane rows, with ids that stay put while an alert lasts), whether it answers, and
//! since when it does not. The core applies readings here and puts the views in its
//! snapshot.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tracing::{info, warn};

use super::error::AlertmanagerError;
use super::reading::Picture;
use super::remote;
use crate::config::AlertmanagerConfig;
use crate::log::{events, millis};
use crate::view::alert::AlertView;
use crate::view::alertmanager::{AlertmanagerView, ReadProblem};
use crate::view::alertmanager::{AmSilence, SilenceState};

/// Ids of Alertmanager alerts start here, far above any id lookout gives its own alerts
/// (those count up from 1), and below 2^53 so JSON readers keep them exact. They hold
/// for the life of the process, not across restarts.
pub const REMOTE_ID_BASE: u64 = 1 << 52;

/// Every Alertmanager of the config.
#[derive(Debug, Default)]
pub struct Board {
    sources: Vec<Source>,
    next_id: u64,
}

#[derive(Debug)]
struct Source {
    config: AlertmanagerConfig,
    /// Fingerprint → the id its row has.
    ids: HashMap<String, u64>,
    view: Arc<AlertmanagerView>,
}

impl Source {
    fn new(config: &AlertmanagerConfig) -> Self {
        Self {
            view: Arc::new(AlertmanagerView {
                name: config.name.clone(),
                url: config.display_url(),
                alerts: Vec::new(),
                active_silences: 0,
                reached: None,
                problem: None,
            }),
            config: config.clone(),
            ids: HashMap::new(),
        }
    }
}

impl Board {
    pub fn new(configs: &[AlertmanagerConfig]) -> Self {
        Self {
            sources: configs.iter().map(Source::new).collect(),
            next_id: REMOTE_ID_BASE,
        }
    }

    /// Follows a reloaded config: an Alertmanager with the same name and URL keeps what
    /// was read from it (and its rows' ids) until the next read.
    pub fn reload(&mut self, configs: &[AlertmanagerConfig]) {
        let mut old = std::mem::take(&mut self.sources);
        self.sources = configs
            .iter()
            .map(|config| {
                match old
                    .iter()
                    .position(|s| s.config.name == config.name && s.config.url == config.url)
                {
                    Some(at) => {
                        let mut kept = old.swap_remove(at);
                        kept.config = config.clone();
                        kept
                    }
                    None => Source::new(config),
                }
            })
            .collect();
    }

    /// The views, in config order.
    pub fn views(&self) -> Vec<Arc<AlertmanagerView>> {
        self.sources.iter().map(|s| Arc::clone(&s.view)).collect()
    }

    /// Index of the Alertmanager an alert row came from, with the row.
    pub fn find(&self, id: u64) -> Option<(usize, &Arc<AlertView>)> {
        self.sources.iter().enumerate().find_map(|(at, source)| {
            let alert = source.view.alerts.iter().find(|a| a.id == id)?;
            Some((at, alert))
        })
    }

    /// The config of Alertmanager `source`.
    pub fn config(&self, source: usize) -> Option<&AlertmanagerConfig> {
        self.sources.get(source).map(|s| &s.config)
    }

    /// Takes a read of Alertmanager `source` made at `now`, logging a failure (when its
    /// error is new) and a recovery.
    pub fn polled(
        &mut self,
        source: usize,
        result: Result<Picture, AlertmanagerError>,
        took: Duration,
        now: SystemTime,
    ) {
        let Some(entry) = self.sources.get_mut(source) else {
            return;
        };
        let view = Arc::make_mut(&mut entry.view);
        match result {
            Ok(picture) => {
                if let Some(problem) = view.problem.take() {
                    read_recovered(&entry.config, &problem, took);
                }
                view.reached = Some(now);
                let rows = rows(&entry.config.name, picture, &entry.ids, &mut self.next_id);
                view.active_silences = rows.active_silences;
                view.alerts = rows.alerts;
                entry.ids = rows.ids;
            }
            Err(err) => {
                let error = err.to_string();
                let problem = view.problem.get_or_insert(ReadProblem {
                    since: now,
                    failures: 0,
                    error: String::new(),
                });
                problem.failures = problem.failures.saturating_add(1);
                if problem.error != error {
                    read_failed(&entry.config, &err, problem.failures);
                    problem.error = error;
                }
            }
        }
    }
}

/// A read made into pane rows.
struct Rows {
    /// In pane order.
    alerts: Vec<Arc<AlertView>>,
    active_silences: usize,
    /// Fingerprint → id, for the next read.
    ids: HashMap<String, u64>,
}

/// The rows of `picture`: ids kept for alerts seen before (`old`), new ones taken from
/// `next_id`.
fn rows(source: &str, picture: Picture, old: &HashMap<String, u64>, next_id: &mut u64) -> Rows {
    let by_id: HashMap<&str, &AmSilence> = picture
        .silences
        .iter()
        .map(|s| (s.id.as_str(), s))
        .collect();
    let active = picture
        .silences
        .iter()
        .filter(|s| s.state == SilenceState::Active)
        .count();
    let mut ids = HashMap::with_capacity(picture.alerts.len());
    let mut alerts: Vec<Arc<AlertView>> = Vec::with_capacity(picture.alerts.len());
    for alert in picture.alerts {
        let id = match old.get(&alert.fingerprint) {
            Some(id) => *id,
            None => {
                *next_id += 1;
                *next_id - 1
            }
        };
        ids.insert(alert.fingerprint.clone(), id);
        alerts.push(Arc::new(remote::view(source, id, alert, &by_id)));
    }
    alerts.sort_by(|a, b| AlertView::pane_order(a, b));
    Rows {
        alerts,
        active_silences: active,
        ids,
    }
}

fn read_failed(config: &AlertmanagerConfig, error: &AlertmanagerError, failures: u32) {
    let url = config.display_url();
    warn!(
        event = events::ALERTMANAGER_READ_FAILED,
        alertmanager = config.name.as_str(),
        url = url.as_str(),
        error = %error,
        status = error.status(),
        failures,
    );
}

fn read_recovered(config: &AlertmanagerConfig, problem: &ReadProblem, took: Duration) {
    let url = config.display_url();
    info!(
        event = events::ALERTMANAGER_READ_RECOVERED,
        alertmanager = config.name.as_str(),
        url = url.as_str(),
        failures = problem.failures,
        took_ms = millis(took),
    );
}
