//! The keys of an HTTP check: its `url`, request, expectations and client options.

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::{Method, Url};
use toml::de::{DeTable, DeValue};

use super::{HttpCheck, IpFamily, JsonExpectation};
use crate::document::suggest;
use crate::document::url_text::{hide_password, masked};
use crate::document::walk::{Value, Walker};
use crate::kinds::CertificateLimits;

const METHODS: [(&str, Method); 7] = [
    ("GET", Method::GET),
    ("HEAD", Method::HEAD),
    ("POST", Method::POST),
    ("PUT", Method::PUT),
    ("PATCH", Method::PATCH),
    ("DELETE", Method::DELETE),
    ("OPTIONS", Method::OPTIONS),
];

const MAX_BODY_LIMIT: u64 = 1 << 30;

/// The HTTP client options, before or after a service's own overrides.
#[derive(Debug, Clone)]
pub struct Options {
    max_body: usize,
    max_redirects: usize,
    reuse_connections: bool,
    use_env_proxy: bool,
    certificate: CertificateLimits,
}

impl Default for Options {
    /// The documented defaults.
    fn default() -> Self {
        Options {
            max_body: super::DEFAULT_MAX_BODY_BYTES,
            max_redirects: super::DEFAULT_MAX_REDIRECTS,
            reuse_connections: false,
            use_env_proxy: false,
            certificate: CertificateLimits::default(),
        }
    }
}

impl Options {
    /// Reads the option keys written in `table` over `self`.
    pub(crate) fn read(&self, w: &mut Walker<'_>, table: &DeTable<'_>) -> Options {
        let max_body = table.get("max_body").and_then(|value| {
            let bytes = w.size(value, "max_body")?;
            if (1..=MAX_BODY_LIMIT).contains(&bytes) {
                return usize::try_from(bytes).ok();
            }
            let message = format!(
                "`max_body` {bytes} bytes is out of range: use 1 byte to 1GiB (the body is \
                 held in memory while it is checked)"
            );
            w.report(value.span(), message);
            None
        });
        let max_redirects = table
            .get("max_redirects")
            .and_then(|v| w.integer(v, "max_redirects", 0..=20))
            .and_then(|n| usize::try_from(n).ok());
        let flag = |w: &mut Walker<'_>, key, base| {
            table
                .get(key)
                .and_then(|v| w.boolean(v, key))
                .unwrap_or(base)
        };
        Options {
            max_body: max_body.unwrap_or(self.max_body),
            max_redirects: max_redirects.unwrap_or(self.max_redirects),
            reuse_connections: flag(w, "reuse_connections", self.reuse_connections),
            use_env_proxy: flag(w, "use_env_proxy", self.use_env_proxy),
            certificate: CertificateLimits::read(w, table, self.certificate),
        }
    }
}

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

/// Reads an HTTP service's keys; `url` is `None` when it was invalid (already
/// reported), and the other keys are still checked.
pub(crate) fn check(
    w: &mut Walker<'_>,
    table: &DeTable<'_>,
    url: Option<Url>,
    defaults: &Options,
) -> Option<HttpCheck> {
    let method = table
        .get("method")
        .map_or(Some(Method::GET), |v| method(w, v));
    let headers = table
        .get("headers")
        .map_or(Some(Vec::new()), |v| headers(w, v));
    let expect_status = table
        .get("expect_status")
        .map_or(Some(Vec::new()), |v| expect_status(w, v));
    let expect_body = match table.get("expect_body") {
        Some(value) => w.text(value, "expect_body").map(|text| Some(text.value)),
        None => Some(None),
    };
    let expect_json = match table.get("expect_json") {
        Some(value) => expect_json(w, value).map(Some),
        None => Some(None),
    };
    let insecure = table
        .get("insecure")
        .and_then(|v| w.boolean(v, "insecure"))
        .unwrap_or(false);
    let body = body(w, table);
    let ip = match table.get("ip") {
        Some(value) => ip(w, value).map(Some),
        None => Some(None),
    };
    let options = defaults.read(w, table);
    Some(HttpCheck {
        url: url?,
        method: method?,
        headers: headers?,
        expect_status: expect_status?,
        expect_body: expect_body?,
        expect_json: expect_json?,
        max_body_bytes: options.max_body,
        max_redirects: options.max_redirects,
        reuse_connections: options.reuse_connections,
        use_env_proxy: options.use_env_proxy,
        insecure,
        certificate: options.certificate,
        body: body?,
        ip: ip?,
    })
}

/// The most a `body_file` may hold: a check's request, not an upload.
const BODY_FILE_LIMIT: u64 = 1 << 20;

/// `body` (text, a secret: never quoted), or `body_file` (read now, so a missing file
/// is an error at its line); not both.
fn body(w: &mut Walker<'_>, table: &DeTable<'_>) -> Option<Option<String>> {
    match (table.get("body"), table.get("body_file")) {
        (Some(_), Some(file)) => {
            let message = "a service sends either `body` or `body_file`, not both; keep one";
            w.report(file.span(), message);
            None
        }
        (Some(value), None) => w.secret(value, "body").map(Some),
        (None, Some(value)) => {
            let path = w.path(value, "body_file")?;
            let shown = path.display();
            let read = std::fs::metadata(&path)
                .map_err(|err| {
                    format!("`body_file` {shown}: {err}; give a file of UTF-8 text, at most 1 MiB")
                })
                .and_then(|meta| {
                    if meta.len() > BODY_FILE_LIMIT {
                        return Err(format!(
                            "`body_file` {shown} holds {} bytes; a request body may hold at \
                             most 1 MiB",
                            meta.len()
                        ));
                    }
                    std::fs::read_to_string(&path).map_err(|err| {
                        format!("`body_file` {shown}: {err} (it must be UTF-8 text)")
                    })
                });
            match read {
                Ok(text) => Some(Some(text)),
                Err(message) => {
                    w.report(value.span(), message);
                    None
                }
            }
        }
        (None, None) => Some(None),
    }
}

/// `ip = "v4"` or `"v6"`.
fn ip(w: &mut Walker<'_>, value: &Value<'_>) -> Option<IpFamily> {
    let text = w.text(value, "ip")?;
    match text.value.as_str() {
        "v4" => Some(IpFamily::V4),
        "v6" => Some(IpFamily::V6),
        _ => {
            let message = format!(
                "`ip` = {} is not an address family; use \"v4\" or \"v6\" (absent: either)",
                text.quoted()
            );
            w.report(text.span, message);
            None
        }
    }
}

fn method(w: &mut Walker<'_>, value: &Value<'_>) -> Option<Method> {
    let text = w.text(value, "method")?;
    let upper = text.value.to_ascii_uppercase();
    let found = METHODS.iter().find(|(name, _)| *name == upper);
    if found.is_none() {
        let names: Vec<&str> = METHODS.iter().map(|(name, _)| *name).collect();
        let hint = suggest::hint(&upper, &names, "methods");
        w.report(
            text.span.clone(),
            format!("unknown HTTP method {}; {hint}", text.quoted()),
        );
    }
    found.map(|(_, method)| method.clone())
}

/// Header names are checked and quoted; header values are secrets and never are.
pub(crate) fn headers(w: &mut Walker<'_>, value: &Value<'_>) -> Option<Vec<(String, String)>> {
    let Some(table) = value.get_ref().as_table() else {
        let kind = value.get_ref().type_str();
        let message = format!(
            "`headers` expects a table like {{ Authorization = \"Bearer ${{TOKEN}}\" }}, \
             found {kind}"
        );
        w.report(value.span(), message);
        return None;
    };
    let mut headers = Vec::new();
    let mut ok = true;
    for (key, value) in table.iter() {
        let name = key.get_ref().as_ref();
        let secret = w.secret(value, &format!("headers.{name}"));
        if HeaderName::from_bytes(name.as_bytes()).is_err() {
            let message = format!(
                "`{name}` is not a valid header name: use letters, digits and `-`, like \
                 `X-Api-Key`"
            );
            w.report(key.span(), message);
            ok = false;
        }
        match secret {
            Some(v) if HeaderValue::from_str(&v).is_ok() => headers.push((name.to_string(), v)),
            Some(_) => {
                let message = format!(
                    "the value of header `{name}` holds a character a header cannot carry \
                     (only visible ASCII, spaces and tabs are allowed)"
                );
                w.report(value.span(), message);
                ok = false;
            }
            None => ok = false,
        }
    }
    ok.then_some(headers)
}

fn expect_status(w: &mut Walker<'_>, value: &Value<'_>) -> Option<Vec<u16>> {
    let Some(items) = value.get_ref().as_array() else {
        w.wrong_type(
            value,
            "expect_status",
            "a list of status codes like [200, 204]",
        );
        return None;
    };
    let codes: Vec<Option<u16>> = items
        .iter()
        .map(|item| {
            let code = w.integer(item, "expect_status", 100..=599)?;
            u16::try_from(code).ok()
        })
        .collect();
    codes.into_iter().collect()
}

fn expect_json(w: &mut Walker<'_>, value: &Value<'_>) -> Option<JsonExpectation> {
    let expected = "a table like { path = \"status\", equals = \"ok\" }";
    let table = w.table(value, "expect_json", expected)?;
    w.unknown_keys(table, "in `expect_json`", &["path", "equals"], &|_| None);
    let missing = |w: &mut Walker<'_>, key: &str| {
        let message = format!(
            "`expect_json` needs `{key}`; write it like {{ path = \"status\", equals = \"ok\" }}"
        );
        w.report(value.span(), message);
    };
    let path = match table.get("path") {
        Some(v) => w.text(v, "expect_json.path").and_then(|text| {
            if text.value.is_empty() || text.value.split('.').any(str::is_empty) {
                let message = format!(
                    "`expect_json.path` = {} has an empty segment; write keys joined by \
                     dots, like \"checks.0.status\"",
                    text.quoted()
                );
                w.report(text.span, message);
                return None;
            }
            Some(text.value)
        }),
        None => {
            missing(w, "path");
            None
        }
    };
    let equals = match table.get("equals") {
        Some(v) => to_json(w, v),
        None => {
            missing(w, "equals");
            None
        }
    };
    Some(JsonExpectation {
        path: path?,
        equals: equals?,
    })
}

/// Converts a TOML value to the JSON value it is compared with; strings are expanded.
fn to_json(w: &mut Walker<'_>, value: &Value<'_>) -> Option<serde_json::Value> {
    use serde_json::Value as Json;
    let key = "expect_json.equals";
    match value.get_ref() {
        DeValue::String(_) => w.text(value, key).map(|text| Json::String(text.value)),
        DeValue::Integer(_) => w.integer(value, key, i64::MIN..=i64::MAX).map(Json::from),
        DeValue::Float(float) => {
            let number = float.as_str().parse::<f64>().ok();
            let json = number
                .and_then(serde_json::Number::from_f64)
                .map(Json::Number);
            if json.is_none() {
                let message =
                    format!("`{key}` = {float} cannot be compared: JSON numbers are finite");
                w.report(value.span(), message);
            }
            json
        }
        DeValue::Boolean(flag) => Some(Json::Bool(*flag)),
        DeValue::Datetime(datetime) => Some(Json::String(datetime.to_string())),
        DeValue::Array(items) => {
            let items: Vec<_> = items.iter().map(|item| to_json(w, item)).collect();
            items
                .into_iter()
                .collect::<Option<Vec<_>>>()
                .map(Json::Array)
        }
        DeValue::Table(table) => {
            let entries: Vec<_> = table
                .iter()
                .map(|(k, v)| Some((k.get_ref().to_string(), to_json(w, v)?)))
                .collect();
            entries
                .into_iter()
                .collect::<Option<serde_json::Map<_, _>>>()
                .map(Json::Object)
        }
    }
}
