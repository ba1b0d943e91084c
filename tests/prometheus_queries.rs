//! The real binary, headless, asks a real Prometheus (Debian's package) that scrapes
//! lookout's own `/metrics`: a query's value follows a loopback service going down, and
//! Prometheus's own answers for NaN, +Inf, no series, several series and a query it
//! rejects reach the log and `/api/v1/status` as the states the docs promise.

mod support;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::time::Duration;

use serde_json::Value;
use support::headless::Headless;
use support::prometheus::{FIRST_SCRAPE, Prometheus, free_port};
use support::{ToggleServer, write_config};

const LIMIT: Duration = Duration::from_secs(20);

fn query(name: &str, promql: &str, limits: &str) -> String {
    format!("[[prometheus.query]]\nname = \"{name}\"\nquery = '{promql}'\n{limits}\n\n")
}

/// `web` checked every 200ms; the API on `listen`; queries asked of `prometheus` every
/// second.
fn config(dir: &Path, web: &ToggleServer, listen: u16, prometheus: u16) -> String {
    let queries = [
        query(
            "web-up",
            "lookout_service_up{service=\"web\"}",
            "crit = 0\nbelow = true",
        ),
        query("nan", "0/0", "crit = 1"),
        query("inf", "1/0", "crit = 1"),
        query("nothing", "absent_metric_lookout_test", "crit = 1"),
        query("several", "lookout_checks_total", "crit = 1"),
        query("rejected", "rate(up)", "crit = 1"),
    ];
    format!(
        "[general]\nstate_dir = \"{state}\"\n\n[defaults]\ninterval = \"200ms\"\n\
         timeout = \"150ms\"\ndegraded_after = \"100ms\"\nfailure_threshold = 1\n\n\
         [log]\nstdout = true\n\n[server]\nlisten = \"127.0.0.1:{listen}\"\n\n\
         [[service]]\nname = \"web\"\nurl = \"{web}\"\n\n\
         [[prometheus]]\nname = \"local\"\nurl = \"http://127.0.0.1:{prometheus}\"\n\
         interval = \"1s\"\ntimeout = \"900ms\"\n\n{queries}",
        state = dir.join("state").display(),
        web = web.url("/health"),
        queries = queries.concat(),
    )
}

/// `GET /api/v1/status` over a plain HTTP/1.0 exchange (the answer ends with the
/// connection).
fn status(listen: u16) -> Value {
    let mut stream = TcpStream::connect(("127.0.0.1", listen)).expect("connect to the API");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream
        .write_all(b"GET /api/v1/status HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
        .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read the answer");
    let (_, body) = answer.split_once("\r\n\r\n").expect("a head and a body");
    serde_json::from_str(body).expect("status JSON")
}

fn service<'a>(status: &'a Value, name: &str) -> &'a Value {
    status["services"]
        .as_array()
        .and_then(|all| all.iter().find(|s| s["name"] == name))
        .unwrap_or_else(|| panic!("no service {name} in {status}"))
}

#[test]
fn a_query_of_lookouts_own_metrics_follows_a_service_down_and_back() {
    if !support::require("prometheus", "lookout queries a real Prometheus") {
        return;
    }
    let mut web = ToggleServer::start_new();
    let dir = tempfile::tempdir().expect("tempdir");
    let listen = free_port();
    let prometheus = Prometheus::start(dir.path(), "lookout", ([127, 0, 0, 1], listen).into());
    let path = write_config(
        dir.path(),
        &config(dir.path(), &web, listen, prometheus.port()),
    );
    let mut lookout = Headless::start(&path, &[]);

    // Prometheus scrapes lookout (once it listens), then the query reads web's state.
    let up = lookout.wait_event("service_state_changed", Some("web-up"), FIRST_SCRAPE);
    assert_eq!(
        (up["from"].as_str(), up["to"].as_str()),
        (Some("UNKNOWN"), Some("UP"))
    );
    assert_eq!(up["value"], 1.0, "{up}");

    web.stop();
    let down = lookout.wait_event("service_state_changed", Some("web"), LIMIT);
    assert_eq!(down["to"], "DOWN");
    let seen = lookout.wait_event("service_state_changed", Some("web-up"), LIMIT);
    assert_eq!(seen["to"], "DOWN", "{seen}");
    assert_eq!(seen["value"], 0.0, "{seen}");
    assert_eq!(seen["reason"], "0 at or below crit 0", "{seen}");

    web.start();
    let back = lookout.wait_event("service_state_changed", Some("web-up"), LIMIT);
    assert_eq!(
        (back["from"].as_str(), back["to"].as_str()),
        (Some("DOWN"), Some("UP"))
    );

    // The API serves the newest published snapshot, which may trail the log a little.
    let deadline = std::time::Instant::now() + LIMIT;
    let status = loop {
        let status = status(listen);
        if service(&status, "web-up")["state"] == "UP" {
            break status;
        }
        assert!(std::time::Instant::now() < deadline, "never UP: {status}");
        std::thread::sleep(Duration::from_millis(100));
    };
    let web_up = service(&status, "web-up");
    assert_eq!(web_up["group"], "local");
    assert_eq!(web_up["last_check"]["value"], 1.0, "{web_up}");
    assert!(
        web_up["target"].as_str().is_some_and(
            |t| t.ends_with("/api/v1/query?query=lookout_service_up%7Bservice%3D%22web%22%7D")
        ),
        "{web_up}"
    );
    let unknown = [
        ("nan", "value is NaN"),
        ("inf", "value is +Inf"),
        ("nothing", "query returned no series"),
        (
            "several",
            "series, not one; aggregate them, like sum(…) or max(…)",
        ),
    ];
    for (name, reason) in unknown {
        let view = service(&status, name);
        assert_eq!(view["state"], "UNKNOWN", "{view}");
        let said = view["last_check"]["reason"].as_str().unwrap_or_default();
        assert!(said.ends_with(reason), "{name}: {said}");
        assert!(view["last_check"].get("value").is_none(), "{view}");
    }
    let rejected = service(&status, "rejected");
    assert_eq!(rejected["state"], "DOWN", "{rejected}");
    let said = rejected["last_check"]["reason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        said.starts_with("Prometheus bad_data: ") && said.contains("range vector"),
        "Prometheus's own reason, quoted: {said}"
    );
    assert_eq!(rejected["last_check"]["status"], 400);
}
