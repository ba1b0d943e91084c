//! `[[alerts.rule]]`: a metric of the selected services (or of the machine), a
//! comparison, a threshold, how long it must hold, and the severity it raises.

use std::time::Duration;

use toml::de::{DeTable, DeValue};

use super::alert_section::{self, list};
use super::alerts::{AlertRule, Metric, Op, RuleThreshold};
use super::selector::selector;
use super::units::{self, show_duration};
use super::walk::{Text, Value, Walker};
use super::{ServiceConfig, Severity, keys, settings, suggest};
use crate::contract::ServiceState;

/// Reads `alerts.rule` (absent: no rules).
pub(crate) fn rules(
    w: &mut Walker<'_>,
    value: Option<&Value<'_>>,
    services: Option<&[ServiceConfig]>,
) -> Option<Vec<AlertRule>> {
    let Some(value) = value else {
        return Some(Vec::new());
    };
    let items = list(w, value, "alerts.rule")?;
    let mut seen: Vec<(Text, Metric)> = Vec::new();
    let rules: Vec<_> = items
        .iter()
        .map(|item| rule(w, item, services, &mut seen))
        .collect();
    rules.into_iter().collect()
}

fn rule(
    w: &mut Walker<'_>,
    item: &Value<'_>,
    services: Option<&[ServiceConfig]>,
    seen: &mut Vec<(Text, Metric)>,
) -> Option<AlertRule> {
    let expected = "a table with `name`, `metric`, `op` and `threshold`";
    let table = w.table(item, "alerts.rule", expected)?;
    let name = super::names::name(w, table, item, "[[alerts.rule]]", "slow-checkout");
    let place = match &name {
        Some(name) => format!("in [[alerts.rule]] {:?}", name.value),
        None => "in [[alerts.rule]]".to_string(),
    };
    w.unknown_keys(table, &place, &keys::RULE_KEYS, &|_| None);
    let metric = required(w, table, item, "metric", "metric = \"latency_p95\"")
        .and_then(|v| word(w, v, "metric", &Metric::ALL.map(Metric::as_str), "metrics"))
        .and_then(|i| Metric::ALL.get(i).copied());
    let op = required(w, table, item, "op", "op = \">\"")
        .and_then(|v| word(w, v, "op", &Op::ALL.map(Op::as_str), "comparisons"))
        .and_then(|i| Op::ALL.get(i).copied());
    if let (Some(name), Some(metric)) = (&name, metric) {
        tiers(w, name, metric, seen);
    }
    let threshold = match (
        required(w, table, item, "threshold", "threshold = 500"),
        metric,
    ) {
        (Some(value), Some(metric)) => threshold(w, value, metric),
        _ => None,
    };
    if let (Some(Metric::State), Some(op @ (Op::Gt | Op::Lt | Op::Ge | Op::Le))) = (metric, op)
        && let Some(value) = table.get("op")
    {
        let message = format!(
            "`op` = \"{}\" cannot order service states; `state` compares with \"==\" or \"!=\"",
            op.as_str()
        );
        w.report(value.span(), message);
    }
    let selector = selector(w, table, services);
    if let Some(metric) = metric.filter(|m| m.is_system()) {
        for key in ["services", "group"] {
            if let Some((key, _)) = table.get_key_value(key) {
                let message = format!(
                    "`{}` selects services, but `{}` is a figure of the machine itself; \
                     remove it",
                    key.get_ref(),
                    metric.as_str()
                );
                w.report(key.span(), message);
            }
        }
    }
    let hold = match table.get("for") {
        Some(value) => alert_section::duration(w, value, "for", Duration::ZERO),
        None => Some(Duration::ZERO),
    };
    let severity = settings::severity(w, table, Severity::Medium);
    let summary = match table.get("summary") {
        Some(value) => w.text(value, "summary").map(|t| Some(t.value)),
        None => Some(None),
    };
    let state_op_ok = metric != Some(Metric::State) || matches!(op, Some(Op::Eq | Op::Ne));
    let system_ok = !metric.is_some_and(Metric::is_system)
        || !(table.contains_key("services") || table.contains_key("group"));
    if !state_op_ok || !system_ok {
        return None;
    }
    Some(AlertRule {
        name: name?.value,
        selector: selector?,
        metric: metric?,
        op: op?,
        threshold: threshold?,
        hold: hold?,
        severity,
        summary: summary?,
    })
}

/// Rules may share a name (tiers of one alert) only when they watch the same metric.
fn tiers(w: &mut Walker<'_>, name: &Text, metric: Metric, seen: &mut Vec<(Text, Metric)>) {
    let first = seen.iter().find(|(first, _)| first.value == name.value);
    match first {
        Some((first, other)) if *other != metric => {
            let line = w.line_of(first.span.start);
            let message = format!(
                "rule name {} is already used by the rule at line {line}, which watches \
                 `{}`; rules sharing a name are tiers of one alert and must watch the same \
                 metric (this one watches `{}`): rename one",
                name.quoted(),
                other.as_str(),
                metric.as_str()
            );
            w.report(name.span.clone(), message);
        }
        Some(_) => {}
        None => seen.push((name.clone(), metric)),
    }
}

fn required<'v, 'i>(
    w: &mut Walker<'_>,
    table: &'v DeTable<'i>,
    item: &Value<'_>,
    key: &str,
    example: &str,
) -> Option<&'v Value<'i>> {
    let value = table.get(key);
    if value.is_none() {
        let message = format!("this [[alerts.rule]] has no `{key}`; add one, like {example}");
        w.report(item.span(), message);
    }
    value
}

/// The index of the word written at `value` among `words`.
fn word(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    key: &str,
    words: &[&str],
    what: &str,
) -> Option<usize> {
    let text = w.text(value, key)?;
    let found = words.iter().position(|word| *word == text.value);
    if found.is_none() {
        let valid = format!("valid {what} are {}", suggest::list(words));
        let close = match key {
            "op" => op_alias(&text.value),
            _ => suggest::closest(&text.value, words),
        };
        let hint = match close {
            Some(close) => format!("did you mean `{close}`? ({valid})"),
            None => valid,
        };
        let message = format!("unknown {key} {}; {hint}", text.quoted());
        w.report(text.span, message);
    }
    found
}

/// The comparison meant by a common way of writing one (`=`, `=>`, `gt`…).
fn op_alias(written: &str) -> Option<&'static str> {
    let op = match written.trim().to_ascii_lowercase().as_str() {
        "=" | "eq" | "===" => Op::Eq,
        "<>" | "ne" | "=!" => Op::Ne,
        "=>" | "ge" | "gte" => Op::Ge,
        "=<" | "le" | "lte" => Op::Le,
        "gt" | ">>" => Op::Gt,
        "lt" | "<<" => Op::Lt,
        _ => return None,
    };
    Some(op.as_str())
}

/// The threshold in the metric's unit: a state word, milliseconds (or a duration), a
/// share of checks, or a percentage.
fn threshold(w: &mut Walker<'_>, value: &Value<'_>, metric: Metric) -> Option<RuleThreshold> {
    let key = "threshold";
    match metric {
        Metric::State => {
            let words = ServiceState::ALL.map(ServiceState::as_str);
            let text = w.text(value, key)?;
            let upper = text.value.to_ascii_uppercase();
            let state = ServiceState::ALL.into_iter().find(|s| s.as_str() == upper);
            if state.is_none() {
                let hint = suggest::hint(&upper, &words, "states");
                let message = format!(
                    "`threshold` = {} is not a service state; {hint}",
                    text.quoted()
                );
                w.report(text.span, message);
            }
            state.map(RuleThreshold::State)
        }
        Metric::LatencyP95 => latency(w, value).map(RuleThreshold::Number),
        Metric::ErrorRate => alert_section::share(w, value, key).map(RuleThreshold::Number),
        Metric::Cpu | Metric::Memory | Metric::Disk => percent(w, value).map(RuleThreshold::Number),
    }
}

/// Milliseconds: a number (500), or a duration string ("500ms", "1.5s").
fn latency(w: &mut Walker<'_>, value: &Value<'_>) -> Option<f64> {
    let expected = "milliseconds like 500, or a duration like \"500ms\"";
    let ms = match value.get_ref() {
        DeValue::Integer(i) => i.as_str().parse::<f64>().ok(),
        DeValue::Float(f) => f.as_str().replace('_', "").parse::<f64>().ok(),
        DeValue::String(_) => {
            let text = w.text(value, "threshold")?;
            match units::parse_duration(&text.value) {
                Ok(d) => Some(d.as_secs_f64() * 1000.0),
                Err(why) => {
                    let message = format!(
                        "`threshold` = {} is not a duration ({why}); write {expected}",
                        text.quoted()
                    );
                    w.report(text.span, message);
                    return None;
                }
            }
        }
        _ => None,
    };
    let Some(ms) = ms.filter(|ms| ms.is_finite()) else {
        w.wrong_type(value, "threshold", expected);
        return None;
    };
    if ms <= 0.0 {
        let shown = show_duration(Duration::from_secs_f64(ms.max(0.0) / 1000.0));
        let message = format!("`threshold` {shown} is not a latency: use more than 0ms");
        w.report(value.span(), message);
        return None;
    }
    Some(ms)
}

/// A percentage from 0 to 100: 90, 92.5 or "90%".
fn percent(w: &mut Walker<'_>, value: &Value<'_>) -> Option<f64> {
    let (number, written) = match value.get_ref() {
        DeValue::Integer(i) => (i.as_str().parse::<f64>().ok(), i.to_string()),
        DeValue::Float(f) => (
            f.as_str().replace('_', "").parse::<f64>().ok(),
            f.to_string(),
        ),
        DeValue::String(s) => (
            s.trim()
                .strip_suffix('%')
                .and_then(|n| n.trim().parse().ok()),
            format!("{s:?}"),
        ),
        _ => (None, String::new()),
    };
    let Some(number) = number.filter(|n: &f64| n.is_finite()) else {
        w.wrong_type(value, "threshold", "a percentage like 90 or \"90%\"");
        return None;
    };
    if !(0.0..=100.0).contains(&number) {
        let message =
            format!("`threshold` = {written} is out of range: use a percentage from 0 to 100");
        w.report(value.span(), message);
        return None;
    }
    Some(number)
}
