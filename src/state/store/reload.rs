//! Taking a new config without losing what is known: services whose check did not change
//! keep their state, history and totals; the rest start fresh.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::SystemTime;

use super::{ServiceEntry, State, thresholds};
use crate::config::{Config, ServiceConfig};
use crate::view::check::ServiceId;
use crate::view::snapshot::ReloadNotice;

/// What a reload did to the services, by name, in config order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReloadSummary {
    pub added: Vec<String>,
    pub removed: Vec<String>,
    /// Same name, different check: history starts again.
    pub changed: Vec<String>,
    /// Services that kept their history.
    pub kept: usize,
}

impl ReloadSummary {
    /// "2 added, 1 removed, 1 changed, 9 kept".
    pub fn counts(&self) -> String {
        format!(
            "{} added, {} removed, {} changed, {} kept",
            self.added.len(),
            self.removed.len(),
            self.changed.len(),
            self.kept
        )
    }
}

/// True when a service checks the same thing on the same schedule, so its history
/// still describes it. Names, groups, severities and thresholds may differ.
fn same_check(old: &ServiceConfig, new: &ServiceConfig) -> bool {
    old.check == new.check && old.interval == new.interval && old.timeout == new.timeout
}

impl State {
    /// Replaces the services with `config`'s. Service ids follow the new config's order;
    /// every view is rebuilt as of `now`.
    pub fn reload(&mut self, config: &Config, now: SystemTime) -> ReloadSummary {
        let window = config.general.history;
        self.snapshot.history = window;
        let mut old: Vec<Option<ServiceEntry>> = self.entries.drain(..).map(Some).collect();
        let by_name: HashMap<&str, usize> = config
            .services
            .iter()
            .enumerate()
            .map(|(index, service)| (service.name.as_str(), index))
            .collect();
        let old_index: HashMap<String, usize> = old
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (e.config.name.clone(), i)))
            .collect();
        let mut summary = ReloadSummary::default();
        for (id, service) in config.services.iter().enumerate() {
            let previous = old_index
                .get(&service.name)
                .and_then(|&i| old.get_mut(i))
                .and_then(Option::take);
            let entry = match previous {
                Some(entry) if same_check(&entry.config, service) => {
                    summary.kept += 1;
                    entry.keep_as(service, id, window)
                }
                Some(_) => {
                    summary.changed.push(service.name.clone());
                    ServiceEntry::new(service, window)
                }
                None => {
                    summary.added.push(service.name.clone());
                    ServiceEntry::new(service, window)
                }
            };
            self.entries.push(entry);
        }
        summary.removed = old
            .into_iter()
            .flatten()
            .map(|entry| entry.config.name.clone())
            .filter(|name| !by_name.contains_key(name.as_str()))
            .collect();
        self.changed.clear();
        self.snapshot.config_source = config.source.clone();
        self.snapshot.services.clear();
        for id in 0..self.entries.len() {
            self.entries[id].dirty = false;
            let view = self.build_view(id, now);
            self.snapshot.services.push(view);
        }
        summary
    }

    /// Services paused by the operator (a reload keeps them paused).
    pub fn paused(&self) -> impl Iterator<Item = ServiceId> + '_ {
        self.entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.paused)
            .map(|(id, _)| id)
    }

    /// The sequence number of the latest reload notice (0 before the first reload).
    pub fn reload_sequence(&self) -> u64 {
        self.snapshot
            .reload
            .as_ref()
            .map_or(0, |notice| notice.sequence)
    }

    /// Shows the outcome of a reload in the next snapshot.
    pub fn set_reload_notice(&mut self, notice: ReloadNotice) {
        self.snapshot.reload = Some(Arc::new(notice));
    }
}

impl ServiceEntry {
    /// This entry carried into a new config as service `id`.
    fn keep_as(
        mut self,
        service: &ServiceConfig,
        id: ServiceId,
        window: std::time::Duration,
    ) -> Self {
        self.machine.set_thresholds(thresholds(service));
        if self.history.window() != window {
            self.history = self.history.resized(window, service.interval);
        }
        for result in &mut self.recent {
            result.service = id;
        }
        self.config = Arc::new(service.clone());
        self
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::contract::ServiceState;
    use crate::event::Event;
    use crate::test_support::{at, check, config, fail, http_service, tcp_service};

    fn names(state: &mut State) -> Vec<(String, ServiceState, usize)> {
        state
            .snapshot(at(100))
            .services
            .iter()
            .map(|s| (s.config.name.clone(), s.state, s.samples.len()))
            .collect()
    }

    #[test]
    fn unchanged_checks_keep_history_and_the_rest_start_fresh() {
        let old = config(vec![
            http_service("a"),
            http_service("b"),
            tcp_service("c", 80),
            http_service("gone"),
        ]);
        let mut state = State::new(&old);
        for id in 0..4 {
            state.apply(Event::Checked(check(id, 10, 20, fail("refused"))), 0);
            state.apply(Event::Checked(check(id, 20, 20, fail("refused"))), 0);
        }
        assert_eq!(state.toggle_pause(0), Some(true));

        let mut renamed_group = http_service("a");
        renamed_group.group = Some("edge".into());
        renamed_group.failure_threshold = 5;
        let mut b_elsewhere = http_service("b");
        b_elsewhere.interval = Duration::from_secs(30);
        let new = config(vec![
            http_service("new"),
            tcp_service("c", 80),
            b_elsewhere,
            renamed_group,
        ]);
        let summary = state.reload(&new, at(100));
        assert_eq!(
            summary,
            ReloadSummary {
                added: vec!["new".into()],
                removed: vec!["gone".into()],
                changed: vec!["b".into()],
                kept: 2,
            }
        );
        assert_eq!(summary.counts(), "1 added, 1 removed, 1 changed, 2 kept");
        assert_eq!(
            names(&mut state),
            [
                ("new".to_string(), ServiceState::Unknown, 0),
                ("c".to_string(), ServiceState::Down, 2),
                ("b".to_string(), ServiceState::Unknown, 0),
                ("a".to_string(), ServiceState::Paused, 2),
            ]
        );
        let snap = state.snapshot(at(100));
        assert_eq!(snap.services[3].config.group.as_deref(), Some("edge"));
        assert!(snap.services[3].recent.iter().all(|r| r.service == 3));
        assert_eq!(state.paused().collect::<Vec<_>>(), [3]);
        // Resumed, `a` starts over, and the new thresholds apply: five failures in a row.
        assert_eq!(state.toggle_pause(3), Some(false));
        assert_eq!(names(&mut state)[3].1, ServiceState::Unknown);
        for secs in 101..106 {
            state.apply(Event::Checked(check(3, secs, 20, fail("refused"))), 0);
            let want = if secs < 105 {
                ServiceState::Unknown
            } else {
                ServiceState::Down
            };
            assert_eq!(names(&mut state)[3].1, want, "after the check at {secs}s");
        }
    }

    #[test]
    fn a_new_window_keeps_the_newest_samples() {
        let mut state = State::new(&config(vec![http_service("a")]));
        for secs in 0..50 {
            state.apply(
                Event::Checked(check(0, 60 + secs, 20, crate::test_support::pass())),
                0,
            );
        }
        let mut shorter = config(vec![http_service("a")]);
        shorter.general.history = Duration::from_secs(20);
        assert_eq!(state.reload(&shorter, at(110)).kept, 1);
        let snap = state.snapshot(at(110));
        let samples = &snap.services[0].samples;
        assert!(
            !samples.is_empty() && samples.len() <= 30,
            "{}",
            samples.len()
        );
        assert_eq!(samples.last().map(|s| s.at()), Some(at(109)));
    }
}
