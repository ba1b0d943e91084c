//! The job monitor's metrics: whether it runs and its database answers, rows per state
//! and the oldest claimed and processing ages (from the latest census), and the rows it
//! changed since it started. Nothing without `[jobs]`; no census figures before the
//! first round.

use std::fmt;

use prometheus_client::encoding::DescriptorEncoder;
use prometheus_client::metrics::MetricType;
use prometheus_client::metrics::counter::ConstCounter;
use prometheus_client::metrics::gauge::ConstGauge;
use prometheus_client::registry::Unit;

use super::metrics::{family, gauge};
use crate::view::jobs::{Census, JobsView};
use crate::view::snapshot::Snapshot;

/// Every job family.
pub(super) fn jobs(snapshot: &Snapshot, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let Some(view) = snapshot.jobs.as_deref() else {
        return Ok(());
    };
    let table = || [("table", view.table.clone())];
    gauge(
        encoder,
        "lookout_jobs_monitor_running",
        "1 while the job monitor runs (J toggles it).",
        [(table(), i64::from(view.running))],
    )?;
    let database_up = view.running.then(|| i64::from(view.problem.is_none()));
    gauge(
        encoder,
        "lookout_jobs_database_up",
        "1 when the job queue's database answered the monitor's latest round, 0 while it fails.",
        database_up.map(|up| (table(), up)),
    )?;
    census(view, encoder)?;
    totals(view, encoder)
}

fn census(view: &JobsView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let census = view.census.as_ref();
    let counts = census.into_iter().flat_map(|c: &Census| {
        [
            ("pending", c.pending),
            ("claimed", c.claimed),
            ("processing", c.processing),
            ("completed", c.completed),
            ("failed", c.failed),
            ("other", c.other),
        ]
        .map(|(state, n)| {
            (
                [("table", view.table.clone()), ("state", state.to_string())],
                n,
            )
        })
    });
    gauge(
        encoder,
        "lookout_jobs",
        "Rows of the job queue table per state, at the monitor's latest round.",
        counts,
    )?;
    let ages = census.into_iter().flat_map(|c| {
        [
            ("claimed", c.oldest_claimed),
            ("processing", c.oldest_processing),
        ]
        .into_iter()
        .map(|(state, age)| {
            let labels = [("table", view.table.clone()), ("state", state.to_string())];
            (
                labels,
                ConstGauge::new(age.map_or(0.0, |a| a.as_secs_f64())),
            )
        })
    });
    family(
        encoder,
        "lookout_jobs_oldest_age",
        "How long the oldest claimed or processing row has been so (0 when there is none).",
        Some(&Unit::Seconds),
        MetricType::Gauge,
        ages,
    )
}

fn totals(view: &JobsView, encoder: &mut DescriptorEncoder) -> fmt::Result {
    let t = &view.totals;
    let rescued = [
        ("requeued", t.requeued),
        ("retried", t.retried),
        ("failed", t.failed),
    ]
    .map(|(action, n)| {
        let labels = [
            ("table", view.table.clone()),
            ("action", action.to_string()),
        ];
        (labels, ConstCounter::new(n))
    });
    family(
        encoder,
        "lookout_jobs_rescued",
        "Stuck rows the monitor changed since it started, by what it did.",
        None,
        MetricType::Counter,
        rescued,
    )?;
    family(
        encoder,
        "lookout_jobs_raced",
        "Stuck rows left alone because a worker moved them between the read and the write.",
        None,
        MetricType::Counter,
        [([("table", view.table.clone())], ConstCounter::new(t.raced))],
    )?;
    family(
        encoder,
        "lookout_jobs_passes",
        "Passes the monitor ran since it started.",
        None,
        MetricType::Counter,
        [([("table", view.table.clone())], ConstCounter::new(t.passes))],
    )
}
