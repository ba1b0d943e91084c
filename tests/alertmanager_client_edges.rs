//! The Alertmanager client's edges, against loopback servers that misbehave on purpose:
//! a route prefix and basic auth from the URL, no answer, a slow answer, an answer that
//! is not the v2 API; a URL's password is in no error.

mod notify_support;
mod support;

use std::time::Duration;

use lookout::config::AlertmanagerConfig;
use lookout::sources::alertmanager::{AlertmanagerClient, AlertmanagerError};
use notify_support::{Receiver, Reply};
use support::{ToggleServer, closed_port};

fn client(url: &str, timeout: Duration) -> AlertmanagerClient {
    let url = reqwest::Url::parse(url).expect("url");
    let config = AlertmanagerConfig {
        timeout,
        ..AlertmanagerConfig::new("test", url)
    };
    AlertmanagerClient::new(&config).expect("client")
}

#[tokio::test]
async fn the_url_gives_the_route_prefix_and_basic_auth() {
    let receiver = Receiver::start(
        Vec::new(),
        Reply {
            body: "[]",
            ..Reply::status(200)
        },
    )
    .await;
    let url = format!("http://ops:p%40ss@{}/alertmanager", receiver.addr);
    let client = client(&url, Duration::from_secs(5));
    assert_eq!(client.alerts().await, Ok(Vec::new()));
    client.post_alerts(&[]).await.expect("POST");

    let requests = receiver.requests();
    let paths: Vec<&str> = requests.iter().map(|r| r.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/alertmanager/api/v2/alerts", "/alertmanager/api/v2/alerts"]
    );
    for request in &requests {
        // "ops:p@ss", the password as written before its percent-encoding.
        assert_eq!(request.headers["authorization"], "Basic b3BzOnBAc3M=");
    }
    assert_eq!(requests[1].headers["content-type"], "application/json");
    assert_eq!(&requests[1].body[..], b"[]");
}

#[tokio::test]
async fn nothing_listening_is_unreachable_without_the_password() {
    let url = format!("http://ops:s3cret@127.0.0.1:{}", closed_port());
    let err = client(&url, Duration::from_secs(5))
        .alerts()
        .await
        .expect_err("refused");
    let AlertmanagerError::Unreachable { request, cause } = &err else {
        panic!("unreachable: {err:?}");
    };
    assert_eq!(request, "GET /api/v2/alerts");
    assert!(
        cause.starts_with("connect: ") && cause.contains("refused"),
        "{cause}"
    );
    assert!(!format!("{err} {err:?}").contains("s3cret"), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_answer_times_out_at_the_configured_limit() {
    let slow = ToggleServer::start_new();
    slow.set_delay(Duration::from_secs(3));
    let err = client(&slow.url(""), Duration::from_millis(200))
        .silences()
        .await
        .expect_err("too slow");
    assert_eq!(
        err,
        AlertmanagerError::TimedOut {
            request: "GET /api/v2/silences".to_string(),
            limit: "200ms".to_string(),
        }
    );
    assert_eq!(
        err.to_string(),
        "GET /api/v2/silences: no answer within 200ms"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_that_is_not_the_api_says_so() {
    // A health endpoint's JSON where the alert list should be.
    let other = ToggleServer::start_new();
    let err = client(&other.url(""), Duration::from_secs(5))
        .alerts()
        .await
        .expect_err("not a list");
    assert_eq!(
        err.to_string(),
        "GET /api/v2/alerts: the answer is not Alertmanager's v2 API: invalid type: map, \
         expected a sequence at line 1 column 0 (the answer starts \"{\\\"status\\\":\\\"ok\\\"}\")"
    );

    other.set_status(503);
    let err = client(&other.url(""), Duration::from_secs(5))
        .create_silence(&lookout::sources::alertmanager::NewSilence {
            matchers: Vec::new(),
            starts_at: std::time::SystemTime::now(),
            ends_at: std::time::SystemTime::now(),
            created_by: String::new(),
            comment: String::new(),
        })
        .await
        .expect_err("503");
    assert_eq!(
        err.to_string(),
        "POST /api/v2/silences: HTTP 503: {\"status\":\"down\"}"
    );
}
