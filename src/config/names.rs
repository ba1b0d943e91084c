//! Names of list entries (`[[service]]`, `[[notify]]`, `[[alerts.maintenance]]`…):
//! required, not empty, and unique within their list.

use toml::de::DeTable;

use super::walk::{Text, Value, Walker};

/// A required, non-empty `name` of an entry of `list` ("[[alerts.rule]]").
pub(crate) fn name(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    item: &Value<'_>,
    list: &str,
    example: &str,
) -> Option<Text> {
    let Some(value) = table.get("name") else {
        let message = format!("this {list} has no `name`; add one, like name = {example:?}");
        w.report(item.span(), message);
        return None;
    };
    let text = w.text(value, "name")?;
    if text.value.trim().is_empty() {
        w.report(
            text.span,
            "`name` is empty; give it a name to show on screen",
        );
        return None;
    }
    Some(text)
}

/// True when no earlier entry of the list (`seen`) has `name`; otherwise reports where
/// the first one is. A unique name joins `seen`.
pub(crate) fn unique(w: &mut Walker<'_>, name: &Text, seen: &mut Vec<Text>, what: &str) -> bool {
    if let Some(first) = seen.iter().find(|first| first.value == name.value) {
        let line = w.line_of(first.span.start);
        let message = format!(
            "{what} name {} is already used by the {what} at line {line}; names must be unique",
            name.quoted()
        );
        w.report(name.span.clone(), message);
        return false;
    }
    seen.push(name.clone());
    true
}
