//! Found scrape targets become cards in their own group, with unique names.

use std::path::Path;

use super::discovery::{FoundTarget, TargetSets, group_of, with_targets};
use crate::config::Config;
use crate::kinds::CheckConfig;

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
