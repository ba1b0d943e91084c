//! `[server] socket_group`: the group that may open the engine's local socket (and so
//! attach and act), besides the engine's user. Named as in /etc/group, or by number.

use toml::de::DeTable;

use super::suggest;
use super::walk::{Value, Walker};

/// The group the local socket is shared with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SocketGroup {
    /// As written.
    pub name: String,
    pub gid: u32,
}

/// Reads `socket_group`: `Some(None)` when absent, `None` when wrong (reported).
pub(crate) fn socket_group(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<Option<SocketGroup>> {
    let Some(value) = table.get("socket_group") else {
        return Some(None);
    };
    group(w, value, &read_groups()).map(Some)
}

fn group(w: &mut Walker<'_>, value: &Value<'_>, groups: &[(String, u32)]) -> Option<SocketGroup> {
    if value.get_ref().as_str().is_none() {
        w.wrong_type(value, "socket_group", "a group name like \"oncall\"");
        return None;
    }
    let text = w.text(value, "socket_group")?;
    let found = (groups.iter())
        .find(|(name, _)| *name == text.value)
        .map(|(_, gid)| *gid)
        .or_else(|| text.value.parse::<u32>().ok());
    if let Some(gid) = found {
        return Some(SocketGroup {
            name: text.value,
            gid,
        });
    }
    let names: Vec<&str> = groups.iter().map(|(name, _)| name.as_str()).collect();
    let hint = match suggest::closest(&text.value, &names) {
        Some(close) => format!("did you mean `{close}`?"),
        None => "give a group from /etc/group (`getent group`), or its number".to_string(),
    };
    let message = format!("no group {} on this machine; {hint}", text.quoted());
    w.report(text.span, message);
    None
}

/// The groups of /etc/group: (name, gid). Groups only a directory service knows are
/// given by number.
fn read_groups() -> Vec<(String, u32)> {
    let text = std::fs::read_to_string("/etc/group").unwrap_or_default();
    (text.lines())
        .filter_map(|line| {
            let mut fields = line.split(':');
            let name = fields.next()?;
            let gid = fields.nth(1)?.parse().ok()?;
            Some((name.to_string(), gid))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, ConfigErrors, parse};

    fn parsed(text: &str) -> Result<Config, ConfigErrors> {
        parse(text, std::path::Path::new("lookout.toml"), &|_| None)
    }

    fn problems(text: &str) -> String {
        parsed(text).map_or_else(|err| err.to_string(), |_| String::new())
    }

    #[test]
    fn a_group_is_found_by_name_or_number_and_a_wrong_one_is_quoted_with_a_hint() {
        let groups = read_groups();
        let (name, gid) = groups.first().cloned().expect("/etc/group has a group");
        let base = "[general]\nstate_dir = \"/tmp/s\"\n[[service]]\nname = \"a\"\nurl = \"http://127.0.0.1:9/\"\n";
        let ok = format!("[server]\nsocket_group = \"{name}\"\n{base}");
        let config = parsed(&ok).expect(&ok);
        assert_eq!(config.socket_group.map(|g| g.gid), Some(gid));
        let by_number = format!("[server]\nsocket_group = \"4321\"\n{base}");
        let config = parsed(&by_number).expect("number");
        assert_eq!(config.socket_group.map(|g| g.gid), Some(4321));
        let typo = format!("{name}x");
        let said = problems(&format!("[server]\nsocket_group = \"{typo}\"\n{base}"));
        assert!(said.contains(&format!("no group \"{typo}\"")), "{said}");
        assert!(said.contains("lookout.toml:2:16"), "{said}");
        assert!(said.contains("did you mean"), "{said}");
    }
}
