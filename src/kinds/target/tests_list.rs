//! Scrape targets: Prometheus's `/api/v1/targets` answer read, each health judged as a
//! check.

use super::list::{judge, parse};
use crate::kinds::TargetCheck;
use crate::kinds::{Level, Outcome};

const ANSWER: &str = r#"{"status":"success","data":{"activeTargets":[
 {"discoveredLabels":{},"labels":{"instance":"127.0.0.1:9898","job":"lookout"},
  "scrapePool":"lookout","scrapeUrl":"http://127.0.0.1:9898/metrics","globalUrl":"x",
  "lastError":"","lastScrape":"2026-12-02T16:00:00Z","lastScrapeDuration":0.0021,
  "health":"up","scrapeInterval":"1s","scrapeTimeout":"1s"},
 {"labels":{"instance":"127.0.0.1:1","job":"node"},
  "scrapePool":"node","scrapeUrl":"http://127.0.0.1:1/metrics",
  "lastError":"Get \"http://127.0.0.1:1/metrics\": dial tcp 127.0.0.1:1: connect: connection refused",
  "lastScrapeDuration":0.0004,"health":"down"},
 {"labels":{"job":"new"},"scrapePool":"new","scrapeUrl":"http://10.0.0.9/metrics",
  "lastError":"","lastScrapeDuration":0,"health":"unknown"}],"droppedTargets":[]}}"#;

fn check(pool: &str, url: &str) -> TargetCheck {
    TargetCheck {
        prometheus: "p".to_string(),
        url: reqwest::Url::parse("http://127.0.0.1:9090").expect("url"),
        scrape_pool: pool.to_string(),
        scrape_url: url.to_string(),
    }
}

#[test]
fn each_health_is_a_check_with_the_scrape_duration() {
    let list = parse(ANSWER.as_bytes()).expect("a valid answer");
    assert_eq!(list.len(), 3);
    assert_eq!(
        (list[0].job(), list[0].instance()),
        ("lookout", "127.0.0.1:9898")
    );
    assert_eq!(
        list[2].instance(),
        "http://10.0.0.9/metrics",
        "no instance label"
    );

    let (outcome, reading) = judge(&list, &check("lookout", "http://127.0.0.1:9898/metrics"));
    assert!(outcome.is_pass());
    let reading = reading.expect("a reading");
    assert_eq!(
        (reading.value, reading.level),
        (Some(0.0021), Level::Normal)
    );

    let (outcome, reading) = judge(&list, &check("node", "http://127.0.0.1:1/metrics"));
    let Outcome::Fail { reason, .. } = outcome else {
        panic!("down fails: {outcome:?}");
    };
    assert!(
        reason.starts_with("scrape failed: Get ") && reason.ends_with("connection refused"),
        "Prometheus's last error, quoted: {reason}"
    );
    assert_eq!(reading.map(|r| r.level), Some(Level::Critical));

    let cases = [
        (check("new", "http://10.0.0.9/metrics"), "not scraped yet"),
        (
            check("gone", "http://10.0.0.1/metrics"),
            "no longer among Prometheus's active targets",
        ),
    ];
    for (target, want) in cases {
        let (outcome, reading) = judge(&list, &target);
        assert_eq!(
            outcome,
            Outcome::Fail {
                status: None,
                reason: want.to_string()
            }
        );
        assert_eq!(reading.map(|r| r.level), Some(Level::Unknown));
    }
}

#[test]
fn errors_in_the_answer_are_quoted() {
    let error = r#"{"status":"error","errorType":"unavailable","error":"not ready"}"#;
    assert_eq!(
        parse(error.as_bytes()),
        Err("Prometheus unavailable: not ready".to_string())
    );
    assert!(parse(b"<html>").is_err());
}
