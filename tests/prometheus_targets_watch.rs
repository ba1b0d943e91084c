//! The targets watcher against a loopback stand-in whose target list the test changes:
//! a new set is published (the core's cards follow it); the same set again, an empty list
//! (a Prometheus just started lists none), or a Prometheus that stops answering publish
//! nothing and keep what was found.

mod support;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lookout::config;
use lookout::sources::prometheus::discovery::{TargetSets, watch_targets};
use support::ToggleServer;
use support::headless::Headless;
use tokio::sync::watch;
use tokio_util::sync::CancellationToken;

/// What the stand-in answers: a status and a body, changed by the test.
type Answer = Arc<Mutex<(u16, String)>>;

fn serve(answer: Answer) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("addr").port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut line = String::new();
            while reader.read_line(&mut line).unwrap_or(0) > 0 && line != "\r\n" {
                line.clear();
            }
            let (status, body) = answer.lock().expect("answer").clone();
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
        }
    });
    port
}

fn targets(instances: &[&str]) -> (u16, String) {
    let listed: Vec<String> = instances
        .iter()
        .map(|i| {
            format!(
                r#"{{"labels":{{"job":"node","instance":"{i}"}},"scrapePool":"node","scrapeUrl":"http://{i}/metrics","health":"up","lastError":"","lastScrapeDuration":0.001}}"#
            )
        })
        .collect();
    let body = format!(
        r#"{{"status":"success","data":{{"activeTargets":[{}],"droppedTargets":[]}}}}"#,
        listed.join(",")
    );
    (200, body)
}

/// True when a new set was published within `within`.
async fn published(sets: &mut watch::Receiver<Arc<TargetSets>>, within: Duration) -> bool {
    matches!(
        tokio::time::timeout(within, sets.changed()).await,
        Ok(Ok(()))
    )
}

#[tokio::test]
async fn a_changed_set_is_published_and_a_silent_prometheus_keeps_its_targets() {
    let answer: Answer = Arc::new(Mutex::new(targets(&[])));
    let port = serve(Arc::clone(&answer));
    let text = format!(
        "[[prometheus]]\nname = \"p\"\nurl = \"http://127.0.0.1:{port}\"\ninterval = \"1s\"\n\
         timeout = \"500ms\"\ntargets = true\n"
    );
    let env = |name: &str| (name == "HOME").then(|| "/tmp".to_string());
    let config = config::parse(&text, Path::new("watch.toml"), &env).expect("valid config");
    let cancel = CancellationToken::new();
    let _stop = cancel.clone().drop_guard();
    let mut sets = watch_targets(&config, &cancel);
    let names = |sets: &watch::Receiver<Arc<TargetSets>>| -> Vec<String> {
        let sets = sets.borrow();
        sets.get("p")
            .map(|found| found.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default()
    };

    let quiet = Duration::from_millis(2500);
    assert!(
        !published(&mut sets, quiet).await,
        "no targets is no change"
    );

    *answer.lock().expect("answer") = targets(&["10.0.0.5:9100"]);
    assert!(published(&mut sets, Duration::from_secs(5)).await);
    assert_eq!(names(&sets), ["node/10.0.0.5:9100"]);

    assert!(!published(&mut sets, quiet).await, "the same set again");

    *answer.lock().expect("answer") = targets(&["10.0.0.6:9100", "10.0.0.5:9100"]);
    assert!(published(&mut sets, Duration::from_secs(5)).await);
    assert_eq!(names(&sets), ["node/10.0.0.5:9100", "node/10.0.0.6:9100"]);

    *answer.lock().expect("answer") = (503, "not ready".to_string());
    assert!(!published(&mut sets, quiet).await, "a blip changes nothing");
    assert_eq!(names(&sets), ["node/10.0.0.5:9100", "node/10.0.0.6:9100"]);

    // A Prometheus just restarted lists nothing until its discovery runs.
    *answer.lock().expect("answer") = targets(&[]);
    assert!(
        !published(&mut sets, quiet).await,
        "an empty list changes nothing"
    );
    assert_eq!(names(&sets), ["node/10.0.0.5:9100", "node/10.0.0.6:9100"]);
}

/// Targets that change at nearly every look never stop the config's own checks: a
/// service whose answer takes longer than the targets stay the same still gets its
/// verdict (were every change a reload, its check would be cut off each time), and the
/// target cards follow the changes.
#[test]
fn churning_targets_leave_the_other_checks_running() {
    let answer: Answer = Arc::new(Mutex::new(targets(&["10.0.0.5:9100"])));
    let port = serve(Arc::clone(&answer));
    let done = Arc::new(AtomicBool::new(false));
    let flipper = {
        let (answer, done) = (Arc::clone(&answer), Arc::clone(&done));
        std::thread::spawn(move || {
            for round in 0.. {
                if done.load(Ordering::SeqCst) {
                    return;
                }
                let instance = if round % 2 == 0 {
                    "10.0.0.6:9100"
                } else {
                    "10.0.0.7:9100"
                };
                *answer.lock().expect("answer") = targets(&["10.0.0.5:9100", instance]);
                std::thread::sleep(Duration::from_millis(400));
            }
        })
    };
    let slow = ToggleServer::start_new();
    slow.set_delay(Duration::from_millis(3500));
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "[general]\nstate_dir = \"{state}\"\n\n[log]\nstdout = true\n\n\
         [[service]]\nname = \"slow\"\nurl = \"{url}\"\ninterval = \"5s\"\ntimeout = \"4500ms\"\n\
         degraded_after = \"4s\"\n\n\
         [[prometheus]]\nname = \"p\"\nurl = \"http://127.0.0.1:{port}\"\ninterval = \"1s\"\n\
         timeout = \"500ms\"\ntargets = true\n",
        state = dir.path().join("state").display(),
        url = slow.url("/health"),
    );
    let path = support::write_config(dir.path(), &text);
    let mut lookout = Headless::start(&path, &[]);

    for what in [
        "the targets found",
        "the targets changed",
        "and changed again",
    ] {
        let changed = lookout.wait_for(what, Duration::from_secs(20), |line| {
            line["event"] == "targets_changed"
        });
        assert!(changed["added"].as_str().is_some(), "{changed}");
    }
    let verdict =
        lookout.seen_or_wait_for("slow's first verdict", Duration::from_secs(20), |line| {
            line["event"] == "service_state_changed" && line["service"] == "slow"
        });
    // UP, or DEGRADED on a machine so busy that the answer took over 4 s: a verdict.
    assert!(
        verdict["to"] == "UP" || verdict["to"] == "DEGRADED",
        "{verdict}"
    );
    done.store(true, Ordering::SeqCst);
    flipper.join().expect("the flipping thread");
}
