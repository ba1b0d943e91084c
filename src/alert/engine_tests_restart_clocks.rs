//! What an alert keeps across a restart besides its state: the reminder clock, the
//! count of its flaps, a machine threshold counting its `for` again.

use std::time::Duration;

use super::engine::AlertEngine;
use super::engine_tests_restart::kept;
use super::engine_tests_support::{DOWN, Fleet, UP, only, run, svc, words};
use super::store::Persisted;
use crate::config::AlertsConfig;
use crate::test_support::at;

/// The trial that found this restarted lookout more often than the reminder period, and
/// no reminder ever went out: the clock started over at each start.
#[test]
fn a_restart_keeps_the_reminder_clock() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let down = || vec![svc("api", DOWN, 0)];
    run(
        &mut engine,
        &[
            (0, down(), &["service_down/api#1 firing!"]),
            (1000, down(), &[]),
        ],
    );
    let firing = (*only(&engine)).clone();
    assert_eq!(firing.next_reminder, Some(at(1800)));
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(kept(firing, Vec::new()), at(1000));
    run(
        &mut engine,
        &[
            (1001, down(), &[]),
            (1799, down(), &[]),
            (1800, down(), &["service_down/api#1 reminder!"]),
        ],
    );
}

#[test]
fn a_reloaded_reminder_period_keeps_the_phase_of_the_last_notice() {
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let down = || vec![svc("api", DOWN, 0)];
    run(
        &mut engine,
        &[
            (0, down(), &["service_down/api#1 firing!"]),
            (40, down(), &[]),
        ],
    );
    let with = |secs| AlertsConfig {
        reminder: Some(Duration::from_secs(secs)),
        ..AlertsConfig::default()
    };
    // 30m to 1m: a minute after the page, not after the reload.
    engine.set_config(&with(60));
    assert_eq!(engine.next_due(), Some(at(60)), "a minute after the page");
    run(
        &mut engine,
        &[
            (59, down(), &[]),
            (60, down(), &["service_down/api#1 reminder!"]),
            (100, down(), &[]),
        ],
    );
    // 1m to 2m: two minutes after the last reminder.
    engine.set_config(&with(120));
    assert_eq!(engine.next_due(), Some(at(180)));
    // A period already past since the last notice: reminded at once.
    engine.set_config(&with(30));
    assert_eq!(engine.next_due(), Some(at(100)));
    run(
        &mut engine,
        &[(100, down(), &["service_down/api#1 reminder!"])],
    );
    let none = AlertsConfig {
        reminder: None,
        ..AlertsConfig::default()
    };
    engine.set_config(&none);
    assert_eq!(engine.next_due(), None, "no reminders");
}

/// Flapping at four transitions, so a test needs few.
fn four_flaps() -> AlertsConfig {
    AlertsConfig {
        flap_transitions: 4,
        ..AlertsConfig::default()
    }
}

/// What the store holds of `engine` at a stop: its open alerts and its history.
fn stopped(engine: &AlertEngine, next_alert_id: u64) -> Persisted {
    Persisted {
        alerts: engine.active().iter().map(|a| (**a).clone()).collect(),
        history: engine.history().iter().map(|a| (**a).clone()).collect(),
        silences: Vec::new(),
        next_alert_id,
        next_silence_id: 1,
        paused: Vec::new(),
    }
}

/// The trial that found this restarted lookout while a service flapped and got a page
/// per flap again, the count of transitions started over at each start.
#[test]
fn a_restart_keeps_counting_the_flaps() {
    let config = four_flaps();
    let mut engine = AlertEngine::new(&config);
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            (10, api(UP, 10), &["service_down/api#1 resolved!"]),
            (20, api(DOWN, 20), &["service_down/api#2 firing!"]),
        ],
    );
    let open = (*only(&engine)).clone();
    assert_eq!(open.flap_marks, [at(0), at(10), at(20)]);
    let kept = stopped(&engine, 3);
    let mut engine = AlertEngine::new(&config);
    engine.restore(kept, at(25));
    // The fourth transition, after the restart: flapping, held open, nobody told.
    let mut fleet = Fleet::default();
    let events = engine.evaluate(&fleet.snapshot(&api(UP, 30)), at(30));
    assert_eq!(
        words(&events),
        ["service_down/api#2 flap_started"],
        "held open, not resolved"
    );
    // It settles a whole window after its last transition, not after the restart.
    let window = config.flap_window.as_secs();
    assert_eq!(engine.next_due(), Some(at(30 + window)));
}

#[test]
fn a_restart_between_two_flaps_keeps_the_count_of_the_closed_one() {
    let config = four_flaps();
    let mut engine = AlertEngine::new(&config);
    let api = |state, since| vec![svc("api", state, since)];
    run(
        &mut engine,
        &[
            (0, api(DOWN, 0), &["service_down/api#1 firing!"]),
            (10, api(UP, 10), &["service_down/api#1 resolved!"]),
        ],
    );
    let kept = stopped(&engine, 2);
    let mut engine = AlertEngine::new(&config);
    engine.restore(kept, at(15));
    run(
        &mut engine,
        &[
            (20, api(DOWN, 20), &["service_down/api#2 firing!"]),
            (30, api(UP, 30), &["service_down/api#2 flap_started"]),
        ],
    );
}

/// The trial that found this saw a restart send "resolved" for a full disk (and a CPU
/// spike) still true, then page it again under a new id once its `for` had passed.
#[test]
fn a_machine_alert_read_back_holds_while_its_threshold_counts_its_for_again() {
    use crate::state::sample_system::sample_system_view;
    use crate::view::machine::Level;
    use crate::view::snapshot::Snapshot;
    let machine = |secs: u64, level: Option<Level>| {
        let mut view = sample_system_view(at(secs));
        for rule in view.rules.iter_mut().filter(|r| r.subject.is_some()) {
            if let Some(level) = level {
                rule.level = level;
            }
        }
        Snapshot {
            system: Some(std::sync::Arc::new(view)),
            ..Snapshot::default()
        }
    };
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    let events = engine.evaluate(&machine(0, None), at(0));
    assert_eq!(
        words(&events),
        ["resource_exhaustion//var/lib/postgresql#1 firing!"]
    );
    let full = (*only(&engine)).clone();
    let mut engine = AlertEngine::new(&AlertsConfig::default());
    engine.restore(kept(full, Vec::new()), at(100));
    // The machine after the restart: over the line again, its `for` not yet over.
    let pending = Level::Pending { since: at(98) };
    let events = engine.evaluate(&machine(100, Some(pending)), at(100));
    assert_eq!(words(&events), [] as [&str; 0], "no resolve at the restart");
    let exceeded = Level::Exceeded { since: at(98) };
    let events = engine.evaluate(&machine(160, Some(exceeded)), at(160));
    assert_eq!(
        words(&events),
        [] as [&str; 0],
        "the same alert, no new page"
    );
    assert_eq!(only(&engine).id, 1);
    let events = engine.evaluate(&machine(200, Some(Level::Clear)), at(200));
    assert_eq!(
        words(&events),
        ["resource_exhaustion//var/lib/postgresql#1 resolved!"]
    );
}
