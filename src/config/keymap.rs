//! `[keys]`: the keyboard remapped. Each entry gives an action its own keys in place of
//! its defaults (`check_now = "c"`, `quit = ["q", "ctrl-q"]`, `pause = []` for none); a
//! key given here is taken from the action that had it by default.

use toml::de::{DeTable, DeValue};

use super::walk::{Value, Walker, found};
use crate::keymap::{ACTION_NAMES, Action, CTRL_C, KEY_FORMS, Key, KeyMap};

/// Reads `[keys]` (absent: the defaults). Every mistake is reported; `None` when any was.
pub(crate) fn keys(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<KeyMap> {
    w.unknown_keys(table, "in [keys]", &ACTION_NAMES, &|_| None);
    let mut chosen: Vec<(Action, Vec<Key>)> = Vec::new();
    // Each key given so far, with the action it was given to.
    let mut given: Vec<(Key, &str)> = Vec::new();
    let mut ok = true;
    // In the order of the file, so a key given twice is reported where it is repeated.
    let mut entries: Vec<_> = table.iter().collect();
    entries.sort_by_key(|(name, _)| name.span().start);
    for (name, value) in entries {
        let name = name.get_ref().as_ref();
        let Some(action) = Action::named(name) else {
            continue;
        };
        let Some(items) = items(w, name, value) else {
            ok = false;
            continue;
        };
        let mut keys = Vec::new();
        for item in items {
            match one_key(w, name, item, &given) {
                Some(key) => {
                    given.push((key, action.name()));
                    keys.push(key);
                }
                None => ok = false,
            }
        }
        chosen.push((action, keys));
    }
    ok.then(|| KeyMap::with(&chosen))
}

/// The entry's keys: one string, or a list of them.
fn items<'v, 'i>(
    w: &mut Walker<'_>,
    name: &str,
    value: &'v Value<'i>,
) -> Option<Vec<&'v Value<'i>>> {
    match value.get_ref() {
        DeValue::String(_) => Some(vec![value]),
        DeValue::Array(items) => Some(items.iter().collect()),
        other => {
            let message = format!(
                "`{name}` in [keys] expects a key like \"c\" or a list like [\"c\", \"f5\"], \
                 found {}",
                found(other)
            );
            w.report(value.span(), message);
            None
        }
    }
}

/// One key of an entry, checked against the keys given before it.
fn one_key(w: &mut Walker<'_>, name: &str, item: &Value<'_>, given: &[(Key, &str)]) -> Option<Key> {
    let Some(text) = item.get_ref().as_str() else {
        let message = format!(
            "`{name}` in [keys] expects keys written as strings, found {}",
            found(item.get_ref())
        );
        w.report(item.span(), message);
        return None;
    };
    let Some(key) = Key::parse(text) else {
        let message = format!("\"{text}\" in `{name}` is not a key: write {KEY_FORMS}");
        w.report(item.span(), message);
        return None;
    };
    if key == CTRL_C && name != Action::Quit.name() {
        let message = format!(
            "\"{text}\" in `{name}`: Ctrl-C always quits, so a remapped screen can still be \
             left; pick another key"
        );
        w.report(item.span(), message);
        return None;
    }
    if let Some((_, other)) = given.iter().find(|(k, _)| *k == key) {
        let message = if *other == name {
            format!("\"{text}\" is given to `{name}` twice")
        } else {
            format!(
                "\"{text}\" is given to both `{other}` and `{name}`: a key does one thing; \
                 take it out of one of them"
            )
        };
        w.report(item.span(), message);
        return None;
    }
    Some(key)
}
