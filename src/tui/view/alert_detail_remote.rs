//! The parts of the alert detail that only an Alertmanager's alert has: where it comes
//! from and what Alertmanager says of its state, the silences and alerts that hold it
//! back, and its labels and annotations.

use std::time::SystemTime;

use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use crate::keymap::{Action, KeyMap};
use crate::tui::view::alert_text::{left, short_id};
use crate::tui::view::format;
use crate::tui::view::theme::Theme;
use crate::view::alertmanager::{AmAlertState, Remote};

/// The keys on an Alertmanager's alert: "a/s silence it in Alertmanager  u/S end that
/// silence  j/k next alert" with the default keys.
pub fn hint(keys: &KeyMap) -> String {
    keys.hint(&[
        (
            &[Action::Ack, Action::Silence],
            "silence it in Alertmanager",
        ),
        (&[Action::Unack, Action::Unsilence], "end that silence"),
        (&[Action::Down, Action::Up], "next alert"),
    ])
}

/// One line each: the source and state, each silence, what inhibits it, its link.
pub fn facts(remote: &Remote, theme: &Theme, now: SystemTime) -> Vec<String> {
    let sep = theme.separator();
    let alert = &remote.alert;
    let mut head = format!(
        "from Alertmanager {}{sep}state {}",
        remote.source,
        alert.state.as_str()
    );
    if !alert.receivers.is_empty() {
        head.push_str(&format!("{sep}receivers {}", alert.receivers.join(", ")));
    }
    let mut out = vec![head];
    for silence in &remote.silences {
        let comment = if silence.comment.is_empty() {
            String::new()
        } else {
            format!("{sep}{}", silence.comment)
        };
        out.push(format!(
            "silence {} by {} until {} ({}){comment}",
            silence.id,
            silence.created_by,
            format::clock(silence.ends_at),
            left(silence.ends_at, now),
        ));
    }
    let unread = alert
        .silenced_by
        .len()
        .saturating_sub(remote.silences.len());
    if unread > 0 {
        out.push(format!("silenced by {unread} silence(s) not read yet"));
    }
    if !alert.inhibited_by.is_empty() {
        let by: Vec<&str> = alert.inhibited_by.iter().map(|f| short_id(f)).collect();
        out.push(format!("inhibited by alert {}", by.join(", ")));
    }
    if alert.state == AmAlertState::Unprocessed {
        out.push("not yet through Alertmanager's routing".to_string());
    }
    if let Some(url) = &alert.generator_url {
        out.push(format!("source {url}"));
    }
    out
}

/// Labels, then annotations, as `name  value`, names aligned.
pub fn labels(remote: &Remote, theme: &Theme) -> Vec<Line<'static>> {
    let alert = &remote.alert;
    let width = alert
        .labels
        .keys()
        .chain(alert.annotations.keys())
        .map(|name| format::width(name))
        .max()
        .unwrap_or(0);
    let bold = Style::new().add_modifier(Modifier::BOLD);
    let row = |name: &str, value: &str| {
        Line::from(vec![
            Span::styled(format!("{name:<width$}  "), theme.dim()),
            Span::styled(value.to_string(), bold),
        ])
    };
    let mut out: Vec<Line<'static>> = alert.labels.iter().map(|(n, v)| row(n, v)).collect();
    if !alert.annotations.is_empty() {
        out.push(Line::styled("annotations", theme.dim()));
        out.extend(alert.annotations.iter().map(|(n, v)| row(n, v)));
    }
    out
}
