//! `tcp = "host:port"`, checked.

use std::net::Ipv6Addr;

use super::TcpCheck;
use crate::document::walk::{Value, Walker};

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

pub(crate) fn split_host_port(text: &str) -> Result<(String, u16), String> {
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
}
