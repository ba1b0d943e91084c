//! What a service checks: a `url` (HTTP or HTTPS) or a `tcp` address ("host:port").

use std::net::Ipv6Addr;
use std::ops::Range;

use reqwest::Url;

use super::TcpCheck;
use super::walk::{Text, Value, Walker};

/// Reads `url`: it must parse and be http or https. Messages quote it with any password
/// masked.
pub(crate) fn url(w: &mut Walker<'_>, value: &Value<'_>) -> Option<Url> {
    let text = w.text(value, "url")?;
    hide_password(w, &text);
    let shown = masked(&text);
    let example = "write it like \"http://127.0.0.1:8080/health\"";
    let problem = match Url::parse(&text.value) {
        _ if !text.value.contains("://") => {
            format!("`url` = {shown} has no `http://` or `https://` in front; {example}")
        }
        Err(why) => format!("`url` = {shown} is not a valid URL ({why}); {example}"),
        Ok(url) if matches!(url.scheme(), "http" | "https") => return Some(url),
        Ok(url) => format!(
            "`url` = {shown} has scheme `{}`, which lookout cannot check: use http:// or \
             https://, or `tcp = \"host:port\"` for a plain TCP connect",
            url.scheme()
        ),
    };
    w.report(text.span, problem);
    None
}

/// Masks the password of the URL `text` (as written) in every quoted line.
pub(crate) fn hide_password(w: &mut Walker<'_>, text: &Text) {
    if let Some(password) = password_range(&text.raw) {
        let hidden = match w.content_offset(&text.raw, &text.span) {
            Some(start) => start + password.start..start + password.end,
            None => text.span.clone(),
        };
        w.hide(hidden);
    }
}

/// Reads `tcp`: "host:port", with an IPv6 host in brackets ("[::1]:80").
pub(crate) fn tcp(w: &mut Walker<'_>, value: &Value<'_>) -> Option<TcpCheck> {
    let text = w.text(value, "tcp")?;
    match split_host_port(&text.value) {
        Ok((host, port)) => Some(TcpCheck { host, port }),
        Err(why) => {
            let message = format!(
                "`tcp` = {} is not host:port ({why}); write it like \"localhost:5432\" or \
                 \"[::1]:5432\"",
                text.quoted()
            );
            w.report(text.span, message);
            None
        }
    }
}

fn split_host_port(text: &str) -> Result<(String, u16), String> {
    if text.contains("://") {
        return Err("it takes no scheme".to_string());
    }
    let (host, port) = if let Some(bracketed) = text.strip_prefix('[') {
        let (host, rest) = bracketed
            .split_once(']')
            .ok_or("the `[` is not closed by `]`")?;
        if host.parse::<Ipv6Addr>().is_err() {
            return Err(format!("{host:?} is not an IPv6 address"));
        }
        let port = rest.strip_prefix(':').ok_or("the port is missing")?;
        (host, port)
    } else {
        let (host, port) = text.rsplit_once(':').ok_or("the port is missing")?;
        if host.contains(':') {
            return Err("an IPv6 address needs brackets".to_string());
        }
        if host.is_empty() {
            return Err("the host is missing".to_string());
        }
        if host.contains(|c: char| c.is_whitespace() || "/?#@[]".contains(c)) {
            return Err(format!("{host:?} is not a host name"));
        }
        (host, port)
    };
    match port.parse::<u16>() {
        Ok(port) if port > 0 => Ok((host.to_string(), port)),
        _ => Err(format!("port {port:?} is not a number from 1 to 65535")),
    }
}

/// The URL quoted for a message, as written and (when it differs) as expanded, with the
/// password of each replaced by `***`.
pub(crate) fn masked(text: &Text) -> String {
    let raw = mask_password(&text.raw);
    let value = mask_password(&text.value);
    if raw == value {
        format!("{raw:?}")
    } else {
        format!("{raw:?} (which is {value:?})")
    }
}

/// Replaces the password in `scheme://user:password@host…` by `***`; works on text
/// that does not parse as a URL, since that is when it is quoted.
fn mask_password(url: &str) -> String {
    match password_range(url) {
        Some(range) => format!("{}***{}", &url[..range.start], &url[range.end..]),
        None => url.to_string(),
    }
}

/// Where the password is in `scheme://user:password@host…`, if there is one.
pub(crate) fn password_range(url: &str) -> Option<Range<usize>> {
    let start = url.find("://")? + 3;
    let rest = &url[start..];
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    let at = authority.rfind('@')?;
    let colon = authority[..at].find(':')?;
    Some(start + colon + 1..start + at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_and_port() {
        let ok = [
            ("localhost:5432", ("localhost", 5432)),
            ("127.0.0.1:80", ("127.0.0.1", 80)),
            ("[::1]:8080", ("::1", 8080)),
            ("db.internal:65535", ("db.internal", 65535)),
        ];
        for (text, (host, port)) in ok {
            assert_eq!(
                split_host_port(text),
                Ok((host.to_string(), port)),
                "{text}"
            );
        }
        let bad = [
            ("localhost", "the port is missing"),
            (":80", "the host is missing"),
            ("::1:80", "an IPv6 address needs brackets"),
            ("[::1]", "the port is missing"),
            ("[::1:80", "the `[` is not closed by `]`"),
            ("[db]:80", "\"db\" is not an IPv6 address"),
            ("db:0", "port \"0\" is not a number from 1 to 65535"),
            ("db:http", "port \"http\" is not a number from 1 to 65535"),
            ("db:70000", "port \"70000\" is not a number from 1 to 65535"),
            ("tcp://db:5432", "it takes no scheme"),
            ("my host:1", "\"my host\" is not a host name"),
        ];
        for (text, why) in bad {
            assert_eq!(split_host_port(text), Err(why.to_string()), "{text}");
        }
    }

    #[test]
    fn passwords_are_masked() {
        let cases = [
            ("http://u:pw@h/x", "http://u:***@h/x"),
            ("http://u:p@w@h:1/x?a@b", "http://u:***@h:1/x?a@b"),
            ("http://u@h/", "http://u@h/"),
            ("http://h/a:b@c", "http://h/a:b@c"),
            ("not a url", "not a url"),
            ("htp:/u:pw@h", "htp:/u:pw@h"),
        ];
        for (url, want) in cases {
            assert_eq!(mask_password(url), want, "{url}");
        }
    }
}
