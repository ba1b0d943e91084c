//! The screen's side of alerts, pure: which alerts pass the severity filter, which one is
//! selected, the silence prompt's steps, when to ring the bell, and who `$USER@host` is.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use crate::config::Severity;
use crate::keymap::{Action, KeyMap};
use crate::view::alert::{AlertKey, AlertState, AlertView, SilenceTarget};
use crate::view::snapshot::Snapshot;

/// Where the movement keys go on the dashboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Focus {
    #[default]
    Cards,
    Alerts,
    /// The job monitor's panel (only while the config has `[jobs]`): `r` runs a pass.
    Jobs,
}

/// True when `alert` is at least `min` severe (no minimum: every alert).
pub fn passes(alert: &AlertView, min: Option<Severity>) -> bool {
    min.is_none_or(|min| alert.severity >= min)
}

/// `f` cycles: all → ≥medium → ≥high → critical → all.
pub fn next_filter(min: Option<Severity>) -> Option<Severity> {
    match min {
        None | Some(Severity::Low) => Some(Severity::Medium),
        Some(Severity::Medium) => Some(Severity::High),
        Some(Severity::High) => Some(Severity::Critical),
        Some(Severity::Critical) => None,
    }
}

/// The alerts of `list` that pass the filter, in list order. Lazy, so a caller that
/// draws ten rows of ten thousand alerts touches the rest only to skip them.
pub fn shown(
    list: &[Arc<AlertView>],
    min: Option<Severity>,
) -> impl Iterator<Item = &Arc<AlertView>> + Clone {
    list.iter().filter(move |alert| passes(alert, min))
}

/// Where the selection is among the shown alerts: (its row, how many are shown). The
/// row is `None` when nothing is selected or the selected alert is not shown (gone, or
/// filtered out): never another alert's row.
pub fn position(
    list: &[Arc<AlertView>],
    min: Option<Severity>,
    id: Option<u64>,
) -> (Option<usize>, usize) {
    let mut found = None;
    let mut count = 0;
    for alert in shown(list, min) {
        if found.is_none() && id == Some(alert.id) {
            found = Some(count);
        }
        count += 1;
    }
    (found, count)
}

/// The shown alert at `index`, if any.
pub fn nth(
    list: &[Arc<AlertView>],
    min: Option<Severity>,
    index: usize,
) -> Option<&Arc<AlertView>> {
    shown(list, min).nth(index)
}

/// An alert by id, active first, then in the history.
pub fn find(snapshot: &Snapshot, id: u64) -> Option<&Arc<AlertView>> {
    snapshot
        .alerts
        .iter()
        .chain(&snapshot.alert_history)
        .find(|alert| alert.id == id)
}

/// lookout's own active alert about `key`, if one is open (a new one after the alert a
/// person was looking at resolved).
pub fn open_about<'a>(snapshot: &'a Snapshot, key: &AlertKey) -> Option<&'a Arc<AlertView>> {
    snapshot
        .alerts
        .iter()
        .find(|alert| alert.is_own() && alert.key == *key)
}

/// The most severe of lookout's active alerts about a service (the list is most
/// severe first); an Alertmanager's alert naming the same service is not its.
pub fn worst_for<'a>(snapshot: &'a Snapshot, service: &str) -> Option<&'a Arc<AlertView>> {
    snapshot
        .alerts
        .iter()
        .find(|alert| alert.key.subject == service && alert.is_own())
}

/// "j/k selects another": what moves the selection on from an alert that is gone.
pub fn select_another(keys: &KeyMap) -> String {
    keys.hint(&[(&[Action::Down, Action::Up], "selects another")])
}

/// True when the bell should ring for this snapshot: one of lookout's own critical alerts
/// is firing (not pending, acked or silenced) that has not rung before. Never louder than the notices: an Alertmanager's alert
/// is paged by Alertmanager, not by lookout, so it does not ring here. `rung` remembers
/// ids while they stay active, so it never grows past the active list, and an incident
/// (one id however it changes kind) rings once however often it leaves and re-enters
/// firing.
pub fn bell_due(rung: &mut HashSet<u64>, alerts: &[Arc<AlertView>]) -> bool {
    let active: HashSet<u64> = alerts.iter().map(|alert| alert.id).collect();
    rung.retain(|id| active.contains(id));
    let mut due = false;
    for alert in alerts {
        let loud = alert.is_own()
            && alert.severity == Severity::Critical
            && alert.state == AlertState::Firing;
        if loud && rung.insert(alert.id) {
            due = true;
        }
    }
    due
}

/// `user@host` for acknowledgements; each part is "unknown" when it cannot be found.
pub fn operator_name(user: Option<String>, host: Option<String>) -> String {
    let clean = |part: Option<String>| {
        part.map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| "unknown".to_string())
    };
    format!("{}@{}", clean(user), clean(host))
}

/// The name of account `uid` in `passwd` (the text of `/etc/passwd`).
pub fn account_name(passwd: &str, uid: u32) -> Option<String> {
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        let id: u32 = fields.nth(1)?.parse().ok()?;
        (id == uid && !name.is_empty()).then(|| name.to_string())
    })
}

/// This machine's name, from the kernel or `/etc/hostname`.
pub fn read_hostname() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|path| std::fs::read_to_string(path).ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// The durations `s` offers, with their keys' labels.
pub const DURATIONS: [(Duration, &str); 3] = [
    (Duration::from_secs(15 * 60), "15 minutes"),
    (Duration::from_secs(3600), "1 hour"),
    (Duration::from_secs(4 * 3600), "4 hours"),
];

/// The longest silence the prompt accepts; longer is a config change, not a silence.
pub const LONGEST_SILENCE: Duration = Duration::from_secs(30 * 86_400);

/// The silence prompt over the dashboard: how long, then what.
#[derive(Debug, Clone, PartialEq)]
pub struct SilencePrompt {
    /// The alert `s` was pressed on.
    pub alert: Arc<AlertView>,
    pub step: PromptStep,
}

#[derive(Debug, Clone, PartialEq)]
pub enum PromptStep {
    /// Picking one of `DURATIONS`, or (index `DURATIONS.len()`) a custom one.
    Duration { choice: usize },
    /// Typing a custom duration ("90m"); the error of the last Enter, if any.
    Custom { text: String, error: Option<String> },
    /// Picking what to silence for `duration`; an index into `targets`.
    Target { duration: Duration, choice: usize },
}

/// What a silence covers, in words: "this alert (service_down/api)", "every alert about
/// api", "every alert in group edge".
pub fn silence_target(target: &SilenceTarget) -> String {
    match target {
        SilenceTarget::Alert(key) => format!("this alert ({key})"),
        SilenceTarget::Subject(subject) => format!("every alert about {subject}"),
        SilenceTarget::Group(group) => format!("every alert in group {group}"),
    }
}

/// What a silence of this alert may cover: the alert, its subject, and its group if it
/// has one; each with the line the prompt shows.
pub fn targets(alert: &AlertView) -> Vec<(SilenceTarget, String)> {
    let mut out = vec![
        SilenceTarget::Alert(alert.key.clone()),
        SilenceTarget::Subject(alert.key.subject.clone()),
    ];
    out.extend(alert.group.clone().map(SilenceTarget::Group));
    out.into_iter()
        .map(|target| {
            let words = silence_target(&target);
            (target, words)
        })
        .collect()
}

/// A typed duration: "90m", "2h30m", "1d". Zero and more than 30 days are refused.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("type a duration such as 90m or 2h30m".to_string());
    }
    match humantime::parse_duration(text) {
        Ok(d) if d.is_zero() => Err("a silence must last longer than 0s".to_string()),
        Ok(d) if d > LONGEST_SILENCE => Err(format!("\"{text}\" is longer than 30 days")),
        Ok(d) => Ok(d),
        Err(_) => Err(format!("\"{text}\" is not a duration: try 90m or 2h30m")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::sample_alerts::sample_alerts;
    use crate::test_support::at;

    fn with(id: u64, severity: Severity, state: AlertState, flapping: bool) -> Arc<AlertView> {
        let (active, _) = sample_alerts(at(0));
        let mut alert = (*active[0]).clone();
        alert.id = id;
        alert.severity = severity;
        alert.state = state;
        alert.flapping = flapping;
        Arc::new(alert)
    }

    /// An alert in a bell step: (id, severity, state, flapping).
    type Seen = (u64, Severity, AlertState, bool);

    #[test]
    fn bell_rings_once_per_new_firing_critical() {
        use AlertState::*;
        use Severity::*;
        // (alerts in this snapshot, bell expected)
        let steps: &[(&[Seen], bool)] = &[
            (&[], false),
            (&[(1, Critical, Pending, false)], false),
            (&[(1, Critical, Firing, false)], true),
            (&[(1, Critical, Firing, false)], false),
            (&[(1, Critical, Acked, false)], false),
            (&[(1, Critical, Firing, false)], false), // un-acked: rung already
            (
                &[(1, Critical, Firing, false), (2, High, Firing, false)],
                false,
            ),
            (
                &[(1, Critical, Firing, false), (2, Critical, Firing, false)],
                true,
            ),
            (&[(3, Critical, Silenced, false)], false),
            (&[(3, Critical, Firing, true)], true), // flapping: one incident, rung once
            (&[(3, Critical, Firing, false)], false), // settled: rung already
            (&[(4, High, Firing, false)], false),
            (&[(4, Critical, Firing, false)], true), // worsened while firing
            (&[], false),
            (&[(4, Critical, Firing, false)], true), // same id back: rung was forgotten
        ];
        let mut rung = HashSet::new();
        for (i, (alerts, want)) in steps.iter().enumerate() {
            let list: Vec<_> = alerts
                .iter()
                .map(|(id, sev, state, flap)| with(*id, *sev, *state, *flap))
                .collect();
            assert_eq!(bell_due(&mut rung, &list), *want, "step {i}: {alerts:?}");
            assert!(rung.len() <= list.len(), "step {i}: rung stays bounded");
        }
    }

    #[test]
    fn operator_is_user_at_host() {
        let s = |v: &str| Some(v.to_string());
        assert_eq!(operator_name(s("ana"), s("db1\n")), "ana@db1");
        assert_eq!(operator_name(None, s("db1")), "unknown@db1");
        assert_eq!(operator_name(s("ana"), s(" ")), "ana@unknown");
        assert_eq!(operator_name(None, None), "unknown@unknown");
        let passwd = "root:x:0:0:root:/root:/bin/bash\nana:x:1000:1000::/home/ana:/bin/sh\n";
        assert_eq!(account_name(passwd, 1000).as_deref(), Some("ana"));
        assert_eq!(account_name(passwd, 0).as_deref(), Some("root"));
        assert_eq!(account_name(passwd, 7), None);
    }

    #[test]
    fn filter_cycles_and_selection_follows_ids() {
        let (active, _) = sample_alerts(at(0));
        assert_eq!(next_filter(None), Some(Severity::Medium));
        assert_eq!(next_filter(Some(Severity::Critical)), None);
        let (_, all) = position(&active, None, None);
        assert_eq!(all, active.len());
        let (_, crit) = position(&active, Some(Severity::Critical), None);
        assert_eq!(crit, 2);
        let last = active[active.len() - 1].id;
        assert_eq!(
            position(&active, None, Some(last)).0,
            Some(active.len() - 1)
        );
        // Filtered out or nothing selected: no row, never another alert's.
        assert_eq!(position(&active, Some(Severity::High), Some(last)).0, None);
        assert_eq!(position(&active, None, None).0, None);
        assert_eq!(
            nth(&active, Some(Severity::High), 0).map(|a| a.id),
            Some(active[0].id)
        );
    }

    #[test]
    fn durations_parse_or_say_what_would_do() {
        assert_eq!(parse_duration("90m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_duration(" 2h30m "), Ok(Duration::from_secs(9000)));
        assert_eq!(parse_duration("1d"), Ok(Duration::from_secs(86_400)));
        assert!(parse_duration("").is_err());
        assert_eq!(
            parse_duration("soon"),
            Err("\"soon\" is not a duration: try 90m or 2h30m".to_string())
        );
        assert!(parse_duration("0s").is_err());
        assert!(parse_duration("31d").is_err());
    }

    #[test]
    fn targets_offer_the_group_only_when_there_is_one() {
        let (active, _) = sample_alerts(at(0));
        let billing = active.iter().find(|a| a.key.subject == "billing");
        let cpu = active.iter().find(|a| a.key.subject == "cpu");
        let (Some(billing), Some(cpu)) = (billing, cpu) else {
            panic!("sample alerts changed");
        };
        assert_eq!(targets(billing).len(), 3);
        assert_eq!(targets(billing)[2].1, "every alert in group edge");
        assert_eq!(targets(cpu).len(), 2);
        assert_eq!(targets(cpu)[0].1, "this alert (cpu_spike/cpu)");
    }
}
