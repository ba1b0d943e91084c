//! Deterministic sample alerts for tests, benches and screenshots: every state and
//! severity, an ack with a note, silences by subject and by group, a flapping alert,
//! service, machine, job and rule alerts, and one with a long subject and summary. The
//! subjects match the first twelve services of `sample_snapshot`.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use crate::config::Severity;
use crate::view::alert::{
    Ack, AlertKey, AlertKind, AlertState, AlertView, Gravity, Silence, SilenceTarget, TimelineEntry,
};

/// Active alerts in pane order (most severe first, then oldest) and resolved ones,
/// newest first, as seen at `now`; the same on every call.
pub fn sample_alerts(now: SystemTime) -> (Vec<Arc<AlertView>>, Vec<Arc<AlertView>>) {
    use AlertKind::*;
    use AlertState::*;
    use Severity::*;
    let t = |secs: i64| offset(now, secs);
    let a = |head, level, summary, steps: &[(i64, &str)]| alert(now, head, level, summary, steps);
    let mut active = vec![
        AlertView {
            group: some("edge"),
            ..a(
                (41, ServiceDown, "billing"),
                (Critical, Firing),
                "billing is DOWN: timeout after 5s",
                &[(-250, "pending"), (-230, "firing")],
            )
        },
        AlertView {
            group: some("data"),
            ack: ack("ana@db1", t(-120), Some("on it, restarting the consumer")),
            ..a(
                (42, ServiceDown, "notify"),
                (High, Acked),
                "notify is DOWN: status 503",
                &[
                    (-540, "pending"),
                    (-510, "firing"),
                    (-120, "acked by ana@db1: on it, restarting the consumer"),
                ],
            )
        },
        AlertView {
            flapping: true,
            page_owed: false,
            next_reminder: None,
            flap_marks: Vec::new(),
            ..a(
                (43, CpuSpike, "cpu"),
                (High, Firing),
                "cpu 96% > 90% for 2m",
                &[
                    (-1500, "pending"),
                    (-1380, "firing"),
                    (-900, "clearing: below 90% (keep firing 1m)"),
                    (-840, "firing again"),
                    (-300, "clearing: below 90% (keep firing 1m)"),
                    (-250, "firing again: flapping, notices held"),
                ],
            )
        },
        AlertView {
            silence: Some(Silence {
                id: 7,
                target: SilenceTarget::Subject("/var/lib/postgresql".into()),
                created: t(-600),
                until: t(2700),
                by: "bo@ops-laptop".into(),
                comment: some("migration running, cleanup at 23:00"),
            }),
            ..a(
                (44, ResourceExhaustion, "/var/lib/postgresql"),
                (Critical, Silenced),
                "disk /var/lib/postgresql 93% > 90%",
                &[
                    (-5400, "pending"),
                    (-5100, "firing"),
                    (-600, "silenced by bo@ops-laptop for 55m"),
                ],
            )
        },
        AlertView {
            group: some("edge"),
            ..a(
                (45, PerformanceDegradation, "auth"),
                (Medium, Pending),
                "auth is DEGRADED for 40s (p95 1.5s > 1s), fires after 5m",
                &[(-40, "pending")],
            )
        },
        AlertView {
            key: rule_key("p95-over-budget", "media"),
            ..a(
                (46, Rule, "media"),
                (Medium, Firing),
                "media p95 1.8s > 1.5s for 5m",
                &[(-780, "pending"), (-480, "firing")],
            )
        },
        a(
            (47, StuckJobs, "jobs"),
            (Medium, Firing),
            "12 jobs claimed more than 5m ago (oldest 17m)",
            &[(-1020, "pending"), (-960, "firing")],
        ),
        AlertView {
            group: some("core"),
            silence: Some(Silence {
                id: 8,
                target: SilenceTarget::Group("core".into()),
                created: t(-1800),
                until: t(11_520),
                by: "cy@pager".into(),
                comment: None,
            }),
            ..a(
                (48, HighErrorRate, "inventory"),
                (Low, Silenced),
                "inventory error rate 4.2% > 2% over 1h",
                &[(-3000, "pending"), (-2700, "firing"), (-1800, "silenced")],
            )
        },
        AlertView {
            group: some("batch-processing-eu"),
            key: rule_key("error-budget-burn-rate-fast-window", LONG_SUBJECT),
            ..a(
                (49, Rule, LONG_SUBJECT),
                (Low, Firing),
                LONG_SUMMARY,
                &[(-7380, "pending"), (-7080, "firing")],
            )
        },
        a(
            (50, DatabaseIssue, "jobs"),
            (High, Firing),
            "jobs database unreachable: connection refused (3 tries)",
            &[(-95, "pending"), (-65, "firing")],
        ),
    ];
    active.sort_by(AlertView::pane_order);
    let history = vec![
        AlertView {
            group: some("data"),
            ack: ack("cy@pager", t(-1500), None),
            ..a(
                (40, ServiceDown, "payments"),
                (Critical, Resolved),
                "payments is DOWN: connection refused",
                &[
                    (-1800, "pending"),
                    (-1770, "firing"),
                    (-1500, "acked by cy@pager"),
                    (-720, "resolved"),
                ],
            )
        },
        AlertView {
            group: some("edge"),
            ..a(
                (39, PerformanceDegradation, "gateway"),
                (Medium, Resolved),
                "gateway is DEGRADED for 5m (p95 1.2s > 1s)",
                &[(-3960, "pending"), (-3930, "firing"), (-3600, "resolved")],
            )
        },
        a(
            (38, CpuSpike, "cpu"),
            (Medium, Resolved),
            "cpu 94% > 90%",
            &[(-7800, "pending"), (-7770, "firing"), (-7200, "resolved")],
        ),
        AlertView {
            key: rule_key("p95-over-budget", "media"),
            ..a(
                (37, Rule, "media"),
                (Low, Resolved),
                "media p95 1.6s > 1.5s: cleared while pending",
                &[(-18_100, "pending"), (-18_000, "resolved")],
            )
        },
        AlertView {
            resolved: Some(t(-93_600)),
            ended: some("the job monitor was stopped"),
            ..a(
                (36, StuckJobs, "jobs"),
                (Medium, Ended),
                "3 jobs processing more than 10m",
                &[
                    (-95_000, "pending"),
                    (-94_970, "firing"),
                    (-93_600, "ended: the job monitor was stopped"),
                ],
            )
        },
    ];
    (
        active.into_iter().map(Arc::new).collect(),
        history.into_iter().map(Arc::new).collect(),
    )
}

/// `count` active alerts in pane order, for scale tests and benches: every severity and
/// state, subjects `svc-0`… and ids from 1000.
pub fn many_alerts(count: usize, now: SystemTime) -> Vec<Arc<AlertView>> {
    let severities = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];
    let states = [
        AlertState::Firing,
        AlertState::Acked,
        AlertState::Pending,
        AlertState::Firing,
        AlertState::Silenced,
    ];
    let mut alerts: Vec<AlertView> = (0..count)
        .map(|i| {
            let secs = i64::try_from(i % 86_400).unwrap_or(0) + 30;
            let subject = format!("svc-{i}");
            let summary = format!("{subject} is DOWN: status 503");
            let id = 1000 + u64::try_from(i).unwrap_or(0);
            let state = states[i % states.len()];
            let steps = [(-secs, "pending"), (10 - secs, "firing")];
            let head = (id, AlertKind::ServiceDown, subject.as_str());
            AlertView {
                ack: ack("ana@db1", now, None).filter(|_| state == AlertState::Acked),
                ..alert(now, head, (severities[i % 4], state), &summary, &steps)
            }
        })
        .collect();
    alerts.sort_by(AlertView::pane_order);
    alerts.into_iter().map(Arc::new).collect()
}

const LONG_SUBJECT: &str = "reporting-export-worker-eu-west-1-canary";
const LONG_SUMMARY: &str = "error budget burning 14.4x faster than allowed over the 5m and 1h \
     windows; at this rate the monthly budget is gone in 2 days";

fn offset(now: SystemTime, secs: i64) -> SystemTime {
    let d = Duration::from_secs(secs.unsigned_abs());
    let moved = if secs < 0 {
        now.checked_sub(d)
    } else {
        now.checked_add(d)
    };
    moved.unwrap_or(now)
}

fn some(text: &str) -> Option<String> {
    Some(text.to_string())
}

fn ack(by: &str, at: SystemTime, note: Option<&str>) -> Option<Ack> {
    Some(Ack {
        by: by.to_string(),
        at,
        note: note.map(str::to_string),
    })
}

fn rule_key(rule: &str, subject: &str) -> AlertKey {
    AlertKey {
        kind: AlertKind::Rule,
        rule: some(rule),
        subject: subject.to_string(),
    }
}

/// An alert whose times come from its timeline: `steps` are (seconds from `now`, what),
/// oldest first; the first is its start, the first "firing…" when it fired, "resolved"
/// when it ended.
fn alert(
    now: SystemTime,
    (id, kind, subject): (u64, AlertKind, &str),
    (severity, state): (Severity, AlertState),
    summary: &str,
    steps: &[(i64, &str)],
) -> AlertView {
    let at = |word: &str| {
        let step = steps.iter().find(|(_, what)| what.starts_with(word));
        step.map(|(secs, _)| offset(now, *secs))
    };
    AlertView {
        id,
        key: AlertKey {
            kind,
            rule: None,
            subject: subject.to_string(),
        },
        group: None,
        severity,
        state,
        summary: summary.to_string(),
        started: steps.first().map_or(now, |(secs, _)| offset(now, *secs)),
        fired: at("firing"),
        resolved: at("resolved"),
        ended: None,
        peak: Gravity::of(severity, kind),
        ack: None,
        silence: None,
        flapping: false,
        page_owed: false,
        next_reminder: None,
        flap_marks: Vec::new(),
        timeline: steps
            .iter()
            .map(|(secs, what)| TimelineEntry {
                at: offset(now, *secs),
                what: (*what).to_string(),
            })
            .collect(),
        origin: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;
    use std::time::UNIX_EPOCH;

    #[test]
    fn every_state_and_severity_in_pane_order() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let (active, history) = sample_alerts(now);
        let states: HashSet<AlertState> = active.iter().chain(&history).map(|a| a.state).collect();
        assert_eq!(states.len(), AlertState::ALL.len());
        let severities: HashSet<Severity> = active.iter().map(|a| a.severity).collect();
        assert_eq!(severities.len(), 4);
        assert!(
            active
                .windows(2)
                .all(|w| AlertView::pane_order(&w[0], &w[1]).is_le())
        );
        assert!(history.windows(2).all(|w| w[0].resolved >= w[1].resolved));
        assert!(history.iter().all(|a| a.state.is_closed()));
        assert!(active.iter().any(|a| a.flapping));
        assert!(
            active
                .iter()
                .any(|a| a.ack.as_ref().is_some_and(|k| k.note.is_some()))
        );
        for a in active.iter().chain(&history) {
            assert_eq!(
                a.timeline.first().map(|e| e.at),
                Some(a.started),
                "{}",
                a.key
            );
            assert_eq!(
                a.silence.is_some(),
                a.state == AlertState::Silenced,
                "{}",
                a.key
            );
        }
        let ids: HashSet<u64> = active.iter().chain(&history).map(|a| a.id).collect();
        assert_eq!(ids.len(), active.len() + history.len());
        assert_eq!(sample_alerts(now).0, active, "deterministic");
        let many = many_alerts(10_000, now);
        assert_eq!(many.len(), 10_000);
        assert!(
            many.windows(2)
                .all(|w| AlertView::pane_order(&w[0], &w[1]).is_le())
        );
    }
}
