//! Scrape targets: Prometheus's `/api/v1/targets` answer read, each health judged as a
//! check, and the cards a set of targets adds to a config (names made unique).

use std::path::Path;

use super::discovery::{FoundTarget, TargetSets, group_of, with_targets};
use super::targets::{judge, parse};
use crate::config::{CheckConfig, Config, TargetCheck};
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

fn config() -> Config {
    let text = r#"
[[service]]
name = "node/10.0.0.5:9100"
url = "http://127.0.0.1:8080"

[[prometheus]]
name = "ops"
url = "http://127.0.0.1:9090"
interval = "30s"
targets = true

[[prometheus]]
name = "quiet"
url = "http://127.0.0.1:9091"
"#;
    let env = |name: &str| (name == "HOME").then(|| "/home/x".to_string());
    crate::config::parse(text, Path::new("t.toml"), &env).expect("valid")
}

fn found(name: &str) -> FoundTarget {
    FoundTarget {
        scrape_pool: "node".to_string(),
        scrape_url: format!("http://{name}/metrics"),
        name: format!("node/{name}"),
    }
}

#[test]
fn targets_become_cards_in_their_own_group_with_unique_names() {
    let config = config();
    let mut sets = TargetSets::new();
    sets.insert(
        "ops".to_string(),
        vec![found("10.0.0.5:9100"), found("10.0.0.6:9100")],
    );
    sets.insert("quiet".to_string(), vec![found("10.0.0.7:9100")]);
    let expanded = with_targets(config.clone(), &sets);
    let names: Vec<&str> = expanded.services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "node/10.0.0.5:9100",
            "node/10.0.0.5:9100 @ops",
            "node/10.0.0.6:9100"
        ],
        "the service keeps its name; `quiet` has no `targets = true`"
    );
    let card = &expanded.services[2];
    assert_eq!(card.group.as_deref(), Some("ops targets"));
    assert_eq!(card.group, Some(group_of(&config.prometheus[0])));
    assert_eq!(card.interval, std::time::Duration::from_secs(30));
    let CheckConfig::Target(target) = &card.check else {
        panic!("a target card: {card:?}");
    };
    assert_eq!(target.scrape_url, "http://10.0.0.6:9100/metrics");
    assert_eq!(with_targets(config.clone(), &TargetSets::new()), config);
}
