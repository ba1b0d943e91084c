//! The machine's part of `State`: samples in, threshold changes out, and following a
//! reloaded `[system]`.

use super::State;
use crate::config::Config;
use crate::state::system::{Applied, SystemState, ThresholdChange};
use crate::view::machine_sample::SystemSample;

/// The machine's state for `config`, `None` when `[system] enabled` is off.
pub(super) fn state_for(config: &Config) -> Option<SystemState> {
    let settings = &config.system;
    settings
        .enabled
        .then(|| SystemState::new(settings, config.general.history))
}

impl State {
    /// Records a sample of the machine; ignored when `[system]` is off.
    pub fn apply_system(&mut self, sample: SystemSample) -> Applied {
        let Some(system) = &mut self.system else {
            return Applied::default();
        };
        self.system_changed = true;
        system.apply(sample)
    }

    /// Follows a reloaded config's `[system]`: history is kept, thresholds start again
    /// (those that were exceeded are reported cleared), sampling may be turned on or off.
    pub fn reload_system(&mut self, config: &Config) -> Vec<ThresholdChange> {
        self.system_changed = true;
        let (settings, window) = (&config.system, config.general.history);
        match (&mut self.system, settings.enabled) {
            (Some(system), true) => system.reconfigure(settings, window),
            (None, true) => {
                self.system = state_for(config);
                Vec::new()
            }
            (Some(system), false) => {
                let cleared = system.reconfigure(settings, window);
                self.system = None;
                cleared
            }
            (None, false) => Vec::new(),
        }
    }

    /// The machine's state, when `[system]` is on.
    pub fn system(&self) -> Option<&SystemState> {
        self.system.as_ref()
    }
}
