//! The job monitor's latest picture, kept as it arrives (the monitor builds it whole).

use std::sync::Arc;

use super::State;
use crate::view::jobs::{JobsView, PassReport};

impl State {
    /// The job monitor's latest picture, if it reported.
    pub fn jobs(&self) -> Option<Arc<JobsView>> {
        self.snapshot.jobs.clone()
    }

    /// Forgets the monitor's picture (its `[jobs]` changed or went away).
    pub fn clear_jobs(&mut self) {
        self.snapshot.jobs = None;
        self.jobs_changed = true;
    }

    /// Keeps `view` for the next snapshot; returns its latest pass when it is one not
    /// seen before (to be logged once).
    pub fn apply_jobs(&mut self, view: JobsView) -> Option<Arc<PassReport>> {
        let seen = self
            .snapshot
            .jobs
            .as_ref()
            .and_then(|old| old.last_pass.as_ref());
        let new = match (&view.last_pass, seen) {
            (Some(pass), Some(old)) if Arc::ptr_eq(pass, old) => None,
            (Some(pass), _) => Some(Arc::clone(pass)),
            (None, _) => None,
        };
        self.snapshot.jobs = Some(Arc::new(view));
        self.jobs_changed = true;
        new
    }
}
