//! Query checks against a tiny loopback stand-in for Prometheus, for the answers a
//! healthy Prometheus will not give on demand: +Inf as a vector sample, errors in JSON
//! with a 5xx status, a proxy's HTML page, garbage, a slow answer; and what the request
//! carries (route prefix, basic auth from the URL, Prometheus's own `timeout`); and a
//! target card whose Prometheus hangs.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::time::Duration;

use lookout::config;
use lookout::kinds::{CheckConfig, TargetCheck};
use lookout::kinds::{Level, Outcome};
use lookout::probe::{Checker, Prober, check_all_once};
use lookout::view::check::CheckResult;

/// Serves every connection on its own thread; the route prefix picks the answer.
fn serve() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || answer(stream));
        }
    });
    port
}

fn answer(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut head = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            break;
        }
        head.push(line.trim_end().to_string());
    }
    let target = head
        .first()
        .and_then(|line| line.split(' ').nth(1))
        .unwrap_or("/")
        .to_string();
    let vector = |value: &str| {
        format!(
            r#"{{"status":"success","data":{{"resultType":"vector","result":[{{"metric":{{}},"value":[1700000000,"{value}"]}}]}}}}"#
        )
    };
    let prefix = target.split('/').nth(1).unwrap_or_default();
    let (status, body) = match prefix {
        "inf" => (200, vector("+Inf")),
        "warn" => (200, vector("85")),
        "unavailable" => (
            503,
            r#"{"status":"error","errorType":"unavailable","error":"TSDB not ready"}"#.to_string(),
        ),
        "gateway" => (502, "<html><body>502 Bad Gateway</body></html>".to_string()),
        "garbage" => (200, "ok".to_string()),
        "slow" => {
            std::thread::sleep(Duration::from_secs(2));
            (200, vector("1"))
        }
        "auth" => {
            // "ops:s3cret", as the URL's user and password become basic auth.
            let authorized = head
                .iter()
                .any(|line| line.eq_ignore_ascii_case("authorization: Basic b3BzOnMzY3JldA=="));
            let asked = target.starts_with("/auth/api/v1/query?query=up&timeout=");
            match (authorized, asked) {
                (true, true) => (200, vector("42")),
                _ => (
                    401,
                    format!(r#"{{"status":"error","errorType":"auth","error":"{target}"}}"#),
                ),
            }
        }
        _ => (404, "not found".to_string()),
    };
    let reply = format!(
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\
         connection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = stream.write_all(reply.as_bytes());
}

fn query(name: &str, port: u16, prefix: &str) -> String {
    format!(
        "[[prometheus]]\nname = \"{name}-server\"\nurl = \"http://{prefix}127.0.0.1:{port}/{name}\"\n\
         interval = \"1s\"\ntimeout = \"300ms\"\n\n[[prometheus.query]]\nname = \"{name}\"\n\
         query = \"up\"\nwarn = 80\ncrit = 95\nunit = \"%\"\n\n"
    )
}

async fn results(names: &[(&str, &str)]) -> Vec<CheckResult> {
    let port = serve();
    let text: String = names
        .iter()
        .map(|(name, prefix)| query(name, port, prefix))
        .collect();
    let env = |name: &str| match name {
        "HOME" => Some("/tmp".to_string()),
        _ => None,
    };
    let config = config::parse(&text, Path::new("edges.toml"), &env).expect("valid config");
    check_all_once(&config.services, 8).await
}

fn reason(result: &CheckResult) -> (&str, Option<u16>) {
    match &result.outcome {
        Outcome::Fail { reason, status } => (reason, *status),
        pass => panic!("should fail: {pass:?}"),
    }
}

#[tokio::test]
async fn each_answer_gives_its_state_and_reason() {
    let checked = results(&[
        ("inf", ""),
        ("warn", ""),
        ("unavailable", ""),
        ("gateway", ""),
        ("garbage", ""),
        ("slow", ""),
        ("auth", "ops:s3cret@"),
    ])
    .await;
    let [inf, warn, unavailable, gateway, garbage, slow, auth] = checked.as_slice() else {
        panic!("seven results: {checked:?}");
    };

    assert_eq!(reason(inf), ("value is +Inf", Some(200)));
    let reading = inf.reading.expect("a reading");
    assert_eq!(reading.level, Level::Unknown);
    assert_eq!(reading.value, Some(f64::INFINITY));

    assert!(warn.outcome.is_pass());
    assert_eq!(
        warn.reading.map(|r| (r.value, r.level)),
        Some((Some(85.0), Level::Warning))
    );

    assert_eq!(
        reason(unavailable),
        ("Prometheus unavailable: TSDB not ready", Some(503))
    );
    assert_eq!(unavailable.reading, None, "no answer, no reading");
    assert_eq!(reason(gateway), ("status 502", Some(502)));
    let (said, _) = reason(garbage);
    assert!(
        said.starts_with("answer is not Prometheus API JSON"),
        "{said}"
    );
    assert_eq!(reason(slow), ("timeout after 300ms", None));

    assert_eq!(
        auth.reading.map(|r| r.value),
        Some(Some(42.0)),
        "basic auth and the query reached the route prefix: {auth:?}"
    );
}

#[tokio::test]
async fn a_target_card_of_a_prometheus_that_hangs_is_unknown_not_down() {
    let port = serve();
    let text = query("slow", port, "");
    let env = |name: &str| (name == "HOME").then(|| "/tmp".to_string());
    let config = config::parse(&text, Path::new("edges.toml"), &env).expect("valid config");
    let mut card = config.services[0].clone();
    card.check = CheckConfig::Target(TargetCheck {
        prometheus: "slow-server".to_string(),
        url: format!("http://127.0.0.1:{port}/slow")
            .parse()
            .expect("url"),
        scrape_pool: "node".to_string(),
        scrape_url: "http://10.0.0.5:9100/metrics".to_string(),
    });
    let checked = Prober::new(&[card]).checked(0).await;
    let (outcome, reading) = (checked.outcome, checked.reading);
    assert_eq!(
        outcome,
        Outcome::Fail {
            status: None,
            reason: "Prometheus: timeout after 270ms".to_string()
        }
    );
    assert_eq!(reading.map(|r| r.level), Some(Level::Unknown));
}
