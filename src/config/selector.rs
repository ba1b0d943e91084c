//! Which services a rule or a maintenance window covers: `services = ["a", "b"]` and/or
//! `group = "web"`, checked against the services in the file.

use toml::de::DeTable;

use super::alerts::Selector;
use super::walk::{Value, Walker};
use super::{ServiceConfig, suggest};

/// `services = ["a", "b"]` and/or `group = "web"`, checked against the services read
/// (when they could be read).
pub(crate) fn selector(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    services: Option<&[ServiceConfig]>,
) -> Option<Selector> {
    let names: Vec<&str> = services
        .unwrap_or_default()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    let mut groups: Vec<&str> = Vec::new();
    for group in services
        .unwrap_or_default()
        .iter()
        .filter_map(|s| s.group.as_deref())
    {
        if !groups.contains(&group) {
            groups.push(group);
        }
    }
    let listed = match table.get("services") {
        Some(value) => service_names(w, value, services.map(|_| names.as_slice())),
        None => Some(Vec::new()),
    };
    let group = match table.get("group") {
        Some(value) => w.text(value, "group").and_then(|text| {
            if services.is_none() || groups.contains(&text.value.as_str()) {
                return Some(Some(text.value));
            }
            let hint = match suggest::closest(&text.value, &groups) {
                Some(close) => format!("did you mean `{close}`?"),
                None if groups.is_empty() => "no service has a `group`".to_string(),
                None => format!("groups are {}", suggest::list(&groups)),
            };
            let message = format!("no [[service]] has group {}; {hint}", text.quoted());
            w.report(text.span, message);
            None
        }),
        None => Some(None),
    };
    Some(Selector {
        services: listed?,
        group: group?,
    })
}

fn service_names(
    w: &mut Walker<'_>,
    value: &Value<'_>,
    known: Option<&[&str]>,
) -> Option<Vec<String>> {
    let Some(items) = value.get_ref().as_array() else {
        w.wrong_type(
            value,
            "services",
            "a list of service names like [\"api\", \"db\"]",
        );
        return None;
    };
    if items.is_empty() {
        let message = "`services` is empty; name at least one service, or leave `services` out \
                       to select every service";
        w.report(value.span(), message);
        return None;
    }
    let names: Vec<Option<String>> = items
        .iter()
        .map(|item| {
            let text = w.text(item, "services")?;
            match known {
                Some(known) if !known.contains(&text.value.as_str()) => {
                    let hint = match known.is_empty() {
                        true => "there is no [[service]] in this file".to_string(),
                        false => suggest::hint(&text.value, known, "service names"),
                    };
                    let message = format!("no [[service]] is named {}; {hint}", text.quoted());
                    w.report(text.span, message);
                    None
                }
                _ => Some(text.value),
            }
        })
        .collect();
    names.into_iter().collect()
}
