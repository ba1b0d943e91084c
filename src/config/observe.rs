//! `[log]` and `[server]`: where headless mode writes its lines, and the local HTTP API
//! that others read lookout through.

use std::fmt;
use std::net::{IpAddr, SocketAddr};
use std::path::{Path, PathBuf};

use toml::de::DeTable;

use super::suggest;
use super::walk::{Text, Value, Walker};

/// `[log]`: where headless mode writes its JSON lines.
#[derive(Debug, Clone, PartialEq)]
pub struct LogConfig {
    /// Rolling files go here; default `<state_dir>/logs`.
    pub dir: PathBuf,
    pub rotation: Rotation,
    /// Rotated files kept; older ones are deleted.
    pub keep: usize,
    /// Also write every line to stdout.
    pub stdout: bool,
}

/// When a new log file is started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rotation {
    Daily,
    Hourly,
}

impl Rotation {
    /// The word written in the config.
    pub fn as_str(self) -> &'static str {
        match self {
            Rotation::Daily => "daily",
            Rotation::Hourly => "hourly",
        }
    }
}

/// Rotated log files kept unless `[log] keep` says otherwise.
pub const DEFAULT_LOG_KEEP: usize = 7;

impl LogConfig {
    /// The documented defaults for a state directory.
    pub fn defaults(state_dir: &Path) -> Self {
        Self {
            dir: state_dir.join("logs"),
            rotation: Rotation::Daily,
            keep: DEFAULT_LOG_KEEP,
            stdout: false,
        }
    }
}

/// `[server]`: the local API and `/metrics`.
#[derive(Clone, PartialEq)]
pub struct ServerConfig {
    pub listen: SocketAddr,
    /// Needed for writes (`Authorization: Bearer …`) and for any non-loopback `listen`.
    /// A secret: never logged or shown.
    pub token: Option<String>,
}

impl fmt::Debug for ServerConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerConfig")
            .field("listen", &self.listen)
            .field("token", &self.token.as_ref().map(|_| "***"))
            .finish()
    }
}

const ROTATIONS: [(&str, Rotation); 2] = [("daily", Rotation::Daily), ("hourly", Rotation::Hourly)];

/// The shortest `token` accepted.
const MIN_TOKEN_CHARS: usize = 16;

const LISTEN_EXAMPLES: &str = "\"127.0.0.1:9898\" or \"[::1]:9898\"";

/// Reads `[log]` (absent: all defaults); `state_dir` is the final one, `None` when it
/// was invalid (already reported), which leaves nothing to put the default `dir` under.
pub(crate) fn log(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    state_dir: Option<&Path>,
) -> Option<LogConfig> {
    let dir = match table.get("dir") {
        Some(value) => w.path(value, "dir"),
        None => state_dir.map(|dir| LogConfig::defaults(dir).dir),
    };
    let rotation = table
        .get("rotation")
        .map_or(Some(Rotation::Daily), |v| rotation(w, v));
    let keep = table.get("keep").map_or(Some(DEFAULT_LOG_KEEP), |v| {
        w.integer(v, "keep", 1..=1000)
            .and_then(|n| usize::try_from(n).ok())
    });
    let stdout = table
        .get("stdout")
        .map_or(Some(false), |v| w.boolean(v, "stdout"));
    Some(LogConfig {
        dir: dir?,
        rotation: rotation?,
        keep: keep?,
        stdout: stdout?,
    })
}

fn rotation(w: &mut Walker<'_>, value: &Value<'_>) -> Option<Rotation> {
    let text = w.text(value, "rotation")?;
    let found = ROTATIONS.iter().find(|(word, _)| *word == text.value);
    if found.is_none() {
        let words = ROTATIONS.map(|(word, _)| word);
        let valid = format!("valid rotations are {}", suggest::list(&words));
        let hint = match suggest::closest(&text.value, &words) {
            Some(close) => format!("did you mean `{close}`? ({valid})"),
            None => valid,
        };
        let message = format!("unknown rotation {}; {hint}", text.quoted());
        w.report(text.span, message);
    }
    found.map(|(_, rotation)| *rotation)
}

/// Reads `[server]`: `Some(None)` when the API is off (no `listen`), `None` when
/// something was wrong (already reported).
pub(crate) fn server(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<Option<ServerConfig>> {
    let token = match table.get("token") {
        Some(value) => token(w, value).map(Some),
        None => Some(None),
    };
    let Some(listen_value) = table.get("listen") else {
        if let Some((key, _)) = table.get_key_value("token") {
            let message = format!(
                "`token` has no effect without `listen`; set `listen` (like {LISTEN_EXAMPLES}) \
                 to turn the API on, or remove `token`"
            );
            w.report(key.span(), message);
            return None;
        }
        return token.map(|_| None);
    };
    let listen = listen(w, listen_value);
    if let Some((addr, text)) = &listen
        && !addr.ip().is_loopback()
        && !table.contains_key("token")
    {
        let message = format!(
            "`listen` = {} is not a loopback address, so others can reach the API: set \
             `token` so API writes are authenticated, or listen on 127.0.0.1",
            text.quoted()
        );
        w.report(text.span.clone(), message);
        return None;
    }
    Some(Some(ServerConfig {
        listen: listen?.0,
        token: token?,
    }))
}

/// Reads `listen`: an IP address and a port (0 lets the system pick one).
fn listen(w: &mut Walker<'_>, value: &Value<'_>) -> Option<(SocketAddr, Text)> {
    if value.get_ref().as_str().is_none() {
        let expected = format!("an address and port like {LISTEN_EXAMPLES}");
        w.wrong_type(value, "listen", &expected);
        return None;
    }
    let text = w.text(value, "listen")?;
    if let Ok(addr) = text.value.parse::<SocketAddr>() {
        return Some((addr, text));
    }
    let shown = text.quoted();
    let message = match listen_mistake(&text.value) {
        Mistake::HostName(host) => format!(
            "`listen` = {shown} names the host {host:?}, which is not looked up here; write \
             an IP address, like {LISTEN_EXAMPLES}"
        ),
        Mistake::Other(why) => format!(
            "`listen` = {shown} is not an IP address and port ({why}); write it like \
             {LISTEN_EXAMPLES}"
        ),
    };
    w.report(text.span, message);
    None
}

enum Mistake {
    /// A name where an IP address belongs.
    HostName(String),
    Other(String),
}

/// Why `text` (which is not a socket address) was refused.
fn listen_mistake(text: &str) -> Mistake {
    let other = |why: &str| Mistake::Other(why.to_string());
    if text.contains("://") {
        return other("it takes no scheme");
    }
    match text.parse::<IpAddr>() {
        Ok(IpAddr::V4(_)) => return other("the port is missing"),
        Ok(IpAddr::V6(_)) => return other("an IPv6 address needs brackets, then the port"),
        Err(_) => {}
    }
    let bracketed = text.strip_prefix('[').and_then(|t| t.strip_suffix(']'));
    if bracketed.is_some_and(|t| t.parse::<IpAddr>().is_ok()) {
        return other("the port is missing");
    }
    let Some((host, port)) = text.rsplit_once(':') else {
        return match text.parse::<u16>() {
            Ok(_) => other("the address is missing"),
            Err(_) => other("the port is missing"),
        };
    };
    if host.is_empty() {
        return other("the address is missing");
    }
    let bare = host.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    if host.contains(':') && bare.is_none() {
        return other("an IPv6 address needs brackets");
    }
    let host = bare.unwrap_or(host);
    if host.parse::<IpAddr>().is_ok() {
        return Mistake::Other(format!("port {port:?} is not a number from 0 to 65535"));
    }
    let name_like = host.contains(|c: char| c.is_ascii_alphabetic())
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    match name_like && port.parse::<u16>().is_ok() {
        true => Mistake::HostName(host.to_string()),
        false => Mistake::Other(format!("{host:?} is not an IP address")),
    }
}

/// Reads `token`, a secret: never quoted, masked in every shown line.
fn token(w: &mut Walker<'_>, value: &Value<'_>) -> Option<String> {
    let token = w.secret(value, "token")?;
    let problem = if token.chars().any(char::is_whitespace) {
        "`token` holds whitespace; it is sent as one word in `Authorization: Bearer …`, so \
         leave spaces and line breaks out"
            .to_string()
    } else if !token.chars().all(|c| c.is_ascii_graphic()) {
        "`token` holds a character other than visible ASCII; it is sent in an \
         `Authorization: Bearer …` header, so use letters, digits and punctuation"
            .to_string()
    } else if token.chars().count() < MIN_TOKEN_CHARS {
        format!(
            "`token` is shorter than {MIN_TOKEN_CHARS} characters, and a short token is easy \
             to guess; use a long random one, like the output of `openssl rand -hex 32`"
        )
    } else {
        return Some(token);
    };
    w.report(value.span(), problem);
    None
}
