//! The real binary headless against every hostile target at once, plus one healthy
//! service: each hostile one goes DOWN with a precise reason within its timeout, the
//! healthy one keeps its interval, memory stays flat through a 1 GiB body, and SIGTERM
//! still stops it at once while checks hang.

#[path = "support/hostile.rs"]
mod hostile;
#[path = "support/probe_tls.rs"]
mod probe_tls;
mod support;

use std::time::{Duration, SystemTime};

use hostile::{Hostile, HostileServer, resident_bytes};
use probe_tls::Cert;
use serde_json::Value;
use support::headless::Headless;
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);
/// Hostile checks' timeout; the config says "1s".
const TIMEOUT_MS: f64 = 1000.0;
/// What a verdict may take beyond its timeout on a loaded 2-core machine.
const MARGIN_MS: f64 = 300.0;
/// The healthy service's interval; the config says "200ms".
const HEALTHY_INTERVAL: Duration = Duration::from_millis(200);
/// The most the healthy service may start late or stretch its interval by.
const SLACK: Duration = Duration::from_millis(100);
/// How long the healthy service is watched after every service has a state.
const WATCH: Duration = Duration::from_secs(4);

/// A hostile target as configured: name, TOML keys, and the reason it must go DOWN
/// with (`None`: it must be UP).
struct Target {
    name: &'static str,
    keys: String,
    reason: Option<String>,
}

fn target(name: &'static str, keys: String, reason: Option<&str>) -> Target {
    Target {
        name,
        keys,
        reason: reason.map(str::to_string),
    }
}

fn url(url: String) -> String {
    format!("url = \"{url}\"")
}

/// Starts every hostile server (they live until the test process ends) and returns
/// the targets, the huge body's server last.
fn targets() -> (Vec<Target>, HostileServer) {
    let server = |kind| HostileServer::start(kind).url();
    let https = |ip: &str, cert| url(format!("https://{ip}:{}/", probe_tls::start_on(ip, cert)));
    let json = "expect_json = { path = \"status\", equals = \"UP\" }";
    let column = hostile::INVALID_JSON.len();
    let huge = HostileServer::start(Hostile::HugeBody);
    let targets = vec![
        target(
            "silent",
            url(server(Hostile::Silent)),
            Some("timeout after 1s (no response)"),
        ),
        target(
            "full-backlog",
            url(HostileServer::start_full_backlog().url()),
            Some("timeout after 1s (connecting)"),
        ),
        target(
            "slow-headers",
            url(server(Hostile::SlowHeaders)),
            Some("timeout after 1s (no response)"),
        ),
        target(
            "endless-headers",
            url(server(Hostile::EndlessHeaders)),
            Some("response headers too large"),
        ),
        target(
            "slow-body",
            format!("{}\nexpect_body = \"ok\"", url(server(Hostile::SlowBody))),
            Some("timeout after 1s (reading body)"),
        ),
        target(
            "huge-body",
            format!(
                "{}\nexpect_body = \"ok\"\ninterval = \"1s\"",
                url(huge.url())
            ),
            Some("body lacks \"ok\" in first 64 KiB"),
        ),
        target(
            "invalid-utf8",
            format!(
                "{}\nexpect_body = \"healthy\"",
                url(server(Hostile::InvalidUtf8))
            ),
            Some("body lacks \"healthy\""),
        ),
        target(
            "invalid-json",
            format!("{}\n{json}", url(server(Hostile::InvalidJson))),
            Some(&format!(
                "body is not JSON: EOF while parsing an object at line 1 column {column}"
            )),
        ),
        target(
            "redirect-loop",
            url(server(Hostile::RedirectLoop)),
            Some("too many redirects (>5)"),
        ),
        target(
            "wrong-name",
            https("127.0.0.2", Cert::SelfSigned),
            Some("TLS: invalid certificate: wrong host name"),
        ),
        target(
            "self-signed",
            https("127.0.0.1", Cert::Untrusted),
            Some("TLS: invalid certificate: unknown issuer"),
        ),
        target(
            "expired",
            https("127.0.0.1", Cert::Expired),
            Some("TLS: certificate expired"),
        ),
        target(
            "self-signed-insecure",
            format!("{}\ninsecure = true", https("127.0.0.1", Cert::Untrusted)),
            None,
        ),
        target(
            "no-such-host",
            url("http://lookout-hostile.invalid/".to_string()),
            Some("DNS: no such host lookout-hostile.invalid"),
        ),
        target(
            "reset",
            url(server(Hostile::Reset)),
            Some("connection reset"),
        ),
        target(
            "accept-close",
            url(server(Hostile::AcceptClose)),
            Some("connection closed before response"),
        ),
        target(
            "tcp-accept-close",
            format!(
                "tcp = \"127.0.0.1:{}\"",
                HostileServer::start(Hostile::AcceptClose).port
            ),
            None,
        ),
    ];
    (targets, huge)
}

fn config(dir: &std::path::Path, healthy: &str, targets: &[Target]) -> String {
    let mut text = format!(
        "[general]\nstate_dir = \"{}\"\n\n[defaults]\ninterval = \"2s\"\ntimeout = \"1s\"\n\
         degraded_after = \"100ms\"\nfailure_threshold = 1\n\n[log]\nstdout = true\n\n[[service]]\nname = \"healthy\"\n\
         url = \"{healthy}\"\ninterval = \"200ms\"\ntimeout = \"200ms\"\n\n",
        dir.join("state").display()
    );
    for target in targets {
        text.push_str(&format!(
            "[[service]]\nname = \"{}\"\n{}\n\n",
            target.name, target.keys
        ));
    }
    text
}

fn ts(line: &Value) -> SystemTime {
    humantime::parse_rfc3339(line["ts"].as_str().expect("ts")).expect("RFC 3339 ts")
}

#[test]
fn every_hostile_target_goes_down_with_its_reason_while_the_rest_keeps_time() {
    let healthy = ToggleServer::start_new();
    let (targets, huge) = targets();
    let dir = tempfile::tempdir().unwrap();
    let path = write_config(dir.path(), &config(dir.path(), &healthy.url("/"), &targets));
    let roots = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/support/probe_tls/valid.cert.pem"
    );
    let env = [("SSL_CERT_FILE", roots), ("LOOKOUT_LOG", "lookout=debug")];
    let mut lookout = Headless::start(&path, &env);
    let started = ts(&lookout.wait_event("started", None, LIMIT));

    let mut first_rss = None;
    for target in &targets {
        let line = lookout.seen_or_wait("service_state_changed", Some(target.name), LIMIT);
        eprintln!("{}: {line}", target.name);
        let (to, reason) = (line["to"].as_str(), line["reason"].as_str());
        match &target.reason {
            Some(expected) => {
                assert_eq!(
                    (to, reason),
                    (Some("DOWN"), Some(expected.as_str())),
                    "{line}"
                )
            }
            None => assert_eq!((to, reason), (Some("UP"), None), "{line}"),
        }
        let latency = line["latency_ms"].as_f64().expect("latency_ms");
        assert!(latency <= TIMEOUT_MS + MARGIN_MS, "{line}");
        // The first check starts within a second (the spread), then takes its time.
        let after = ts(&line).duration_since(started).unwrap_or_default();
        assert!(after <= Duration::from_millis(2300), "{after:?}: {line}");
        if target.name == "huge-body" {
            first_rss = Some(resident_bytes(&lookout.pid().to_string()));
        }
    }

    // Watch the healthy service's checks while the hostile ones keep hanging.
    let watch_from = ts(lookout.seen.last().expect("lines seen"));
    lookout.wait_for("the end of the watch", LIMIT, |line| {
        line["event"] == "check_completed"
            && line["service"] == "healthy"
            && ts(line).duration_since(watch_from).unwrap_or_default() >= WATCH
    });
    let healthy_checks: Vec<&Value> = lookout
        .seen
        .iter()
        .filter(|l| l["event"] == "check_completed" && l["service"] == "healthy")
        .filter(|l| ts(l) >= watch_from)
        .collect();
    let expected = (WATCH.as_millis() / HEALTHY_INTERVAL.as_millis()) as usize;
    assert!(healthy_checks.len() + 2 >= expected, "{healthy_checks:?}");
    let worst_lag = healthy_checks
        .iter()
        .map(|l| l["lag_ms"].as_f64().expect("lag_ms"))
        .fold(0.0, f64::max);
    assert!(worst_lag <= SLACK.as_millis() as f64, "lag {worst_lag} ms");
    let widest = healthy_checks
        .windows(2)
        .map(|pair| ts(pair[1]).duration_since(ts(pair[0])).unwrap_or_default())
        .max()
        .expect("several checks");
    assert!(widest <= HEALTHY_INTERVAL + SLACK, "a gap of {widest:?}");
    assert!(healthy_checks.iter().all(|l| l["passed"] == true));

    // Several 1 GiB bodies later, memory has not moved by anything like one of them.
    let huge_checks = lookout
        .seen
        .iter()
        .filter(|l| l["event"] == "check_completed" && l["service"] == "huge-body")
        .count();
    assert!(huge_checks >= 4, "{huge_checks} checks of huge-body");
    let rss = resident_bytes(&lookout.pid().to_string());
    let first = first_rss.expect("RSS read after the huge body's first check");
    assert!(rss < first + (32 << 20), "RSS {first} -> {rss}");
    let sent = huge.body_bytes_sent();
    assert!(sent < huge_checks as u64 * (32 << 20), "{sent} bytes sent");
    eprintln!(
        "healthy: {} checks, worst lag {worst_lag} ms, widest gap {widest:?}; \
         RSS {first} -> {rss} over {huge_checks} huge bodies ({sent} bytes sent)",
        healthy_checks.len()
    );

    lookout.signal("TERM");
    let status = lookout.wait_exit(Duration::from_secs(2));
    assert_eq!(status.and_then(|s| s.code()), Some(0), "exits at once");
}
