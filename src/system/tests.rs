//! The live sampler on this machine: sane values after two readings, and samples sent
//! as events at the configured interval.

use std::time::{Duration, SystemTime};

use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

use super::*;
use crate::config::SystemConfig;
use crate::event::Event;

#[test]
fn the_live_reader_gives_sane_values_after_two_readings() {
    let mut reader = Reader::new(true).expect("the machine can be read here");
    let mut converter = Converter::default();
    let first = converter.sample(reader.read(SystemTime::now()));
    assert!(first.cores > 0, "{first:?}");
    std::thread::sleep(reader::MIN_CPU_GAP + Duration::from_millis(50));
    let sample = converter.sample(reader.read(SystemTime::now()));
    let cpu = sample.cpu.as_ref().expect("CPU use after two readings");
    assert!((0.0..=100.0).contains(&cpu.total), "{cpu:?}");
    assert_eq!(cpu.per_core.len(), sample.cores);
    let memory = sample.memory.expect("memory");
    assert!(
        memory.total > 0 && memory.used <= memory.total,
        "{memory:?}"
    );
    if let Some(swap) = sample.swap {
        assert!(swap.total > 0 && swap.used <= swap.total, "{swap:?}");
    }
    assert!(sample.load.is_some() && sample.uptime.is_some());
    for fs in &sample.filesystems {
        let percent = fs.percent().expect("a listed filesystem has a size");
        assert!((0.0..=100.0).contains(&percent), "{fs:?}");
    }
    assert!(sample.networks.iter().all(|n| n.name != "lo"));
    let processes = sample.processes.expect("processes were asked for");
    assert!(processes.len() <= TOP_PROCESSES && !processes.is_empty());
}

#[tokio::test]
async fn the_sampler_sends_samples_until_cancelled() {
    let settings = SystemConfig {
        interval: Duration::from_millis(500),
        ..SystemConfig::default()
    };
    let (events, mut received) = mpsc::channel(8);
    let cancel = CancellationToken::new();
    let task = spawn(&settings, events, cancel.clone()).expect("enabled");
    for _ in 0..2 {
        let event = tokio::time::timeout(Duration::from_secs(5), received.recv())
            .await
            .expect("a sample in time");
        let Some(Event::System(sample)) = event else {
            panic!("expected a sample, got {event:?}");
        };
        assert!(sample.cpu.is_some() && sample.processes.is_none());
    }
    cancel.cancel();
    task.await.expect("the sampler stops cleanly");

    let off = SystemConfig {
        enabled: false,
        ..SystemConfig::default()
    };
    let (events, _received) = mpsc::channel(1);
    assert!(spawn(&off, events, CancellationToken::new()).is_none());
}
