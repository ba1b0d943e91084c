//! The targets watcher against a loopback stand-in whose target list the test changes:
//! a new set is published and a reload asked; the same set again, an empty list after
//! none, or a Prometheus that stops answering ask nothing and keep what was found.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use lookout::config;
use lookout::event::Command;
use lookout::sources::prometheus::discovery::watch_targets;
use tokio::sync::mpsc;
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

async fn next_reload(commands: &mut mpsc::Receiver<Command>, within: Duration) -> Option<Command> {
    tokio::time::timeout(within, commands.recv())
        .await
        .ok()
        .flatten()
}

#[tokio::test]
async fn a_changed_set_asks_a_reload_and_a_silent_prometheus_keeps_its_targets() {
    let answer: Answer = Arc::new(Mutex::new(targets(&[])));
    let port = serve(Arc::clone(&answer));
    let text = format!(
        "[[prometheus]]\nname = \"p\"\nurl = \"http://127.0.0.1:{port}\"\ninterval = \"1s\"\n\
         timeout = \"500ms\"\ntargets = true\n"
    );
    let env = |name: &str| (name == "HOME").then(|| "/tmp".to_string());
    let config = config::parse(&text, Path::new("watch.toml"), &env).expect("valid config");
    let (commands_tx, mut commands) = mpsc::channel(8);
    let cancel = CancellationToken::new();
    let _stop = cancel.clone().drop_guard();
    let sets = watch_targets(&config, commands_tx, &cancel);
    let names = || -> Vec<String> {
        let sets = sets.borrow();
        sets.get("p")
            .map(|found| found.iter().map(|t| t.name.clone()).collect())
            .unwrap_or_default()
    };

    let quiet = Duration::from_millis(2500);
    assert_eq!(
        next_reload(&mut commands, quiet).await,
        None,
        "no targets is no change"
    );

    *answer.lock().expect("answer") = targets(&["10.0.0.5:9100"]);
    let asked = next_reload(&mut commands, Duration::from_secs(5)).await;
    assert_eq!(asked, Some(Command::Reload("prometheus targets changed")));
    assert_eq!(names(), ["node/10.0.0.5:9100"]);

    assert_eq!(
        next_reload(&mut commands, quiet).await,
        None,
        "the same set again"
    );

    *answer.lock().expect("answer") = targets(&["10.0.0.6:9100", "10.0.0.5:9100"]);
    let asked = next_reload(&mut commands, Duration::from_secs(5)).await;
    assert_eq!(asked, Some(Command::Reload("prometheus targets changed")));
    assert_eq!(names(), ["node/10.0.0.5:9100", "node/10.0.0.6:9100"]);

    *answer.lock().expect("answer") = (503, "not ready".to_string());
    assert_eq!(
        next_reload(&mut commands, quiet).await,
        None,
        "a blip changes nothing"
    );
    assert_eq!(names(), ["node/10.0.0.5:9100", "node/10.0.0.6:9100"]);
}
