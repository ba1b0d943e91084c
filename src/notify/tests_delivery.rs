//! Table tests of delivery: retry policy, what a status means, header and URL
//! hygiene, the stderr tail, the queue's drop-oldest rule.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};

use super::http::{Outcome, Retry, classify, header_map, retry_after, scrub};
use super::queue::Queue;
use super::tests::{alert, at, notice};
use super::{MAX_BACKOFF, NoticeKind, retry_delay};

#[test]
fn backoff_doubles_honours_retry_after_and_is_capped() {
    let s = Duration::from_secs;
    let ms = Duration::from_millis;
    let cases = [
        (ms(500), 1, None, ms(500)),
        (ms(500), 2, None, s(1)),
        (ms(500), 3, None, s(2)),
        (ms(500), 4, Some(s(30)), s(30)),
        (s(10), 3, Some(s(1)), s(40)),
        (s(60), 10, None, MAX_BACKOFF),
        (s(1), u32::MAX, None, MAX_BACKOFF),
        (s(1), 1, Some(s(86_400)), MAX_BACKOFF),
        (Duration::ZERO, 1, None, Duration::ZERO),
    ];
    for (backoff, attempt, asked, want) in cases {
        assert_eq!(
            retry_delay(backoff, attempt, asked),
            want,
            "{backoff:?} #{attempt} {asked:?}"
        );
    }
}

#[test]
fn statuses_say_whether_to_retry() {
    let mut later = HeaderMap::new();
    later.insert(RETRY_AFTER, HeaderValue::from_static("7"));
    let none = HeaderMap::new();
    let retry = |code: u16, headers: &HeaderMap| match classify(
        StatusCode::from_u16(code).expect("status"),
        headers,
    ) {
        Outcome::Delivered { .. } => None,
        Outcome::Failed { retry, .. } => Some(retry),
    };
    assert_eq!(retry(200, &none), None);
    assert_eq!(retry(204, &none), None);
    assert_eq!(retry(500, &none), Some(Retry::Later(None)));
    assert_eq!(
        retry(503, &later),
        Some(Retry::Later(Some(Duration::from_secs(7))))
    );
    assert_eq!(
        retry(429, &later),
        Some(Retry::Later(Some(Duration::from_secs(7))))
    );
    assert_eq!(retry(400, &none), Some(Retry::Never));
    assert_eq!(retry(404, &later), Some(Retry::Never));
    assert_eq!(retry(302, &none), Some(Retry::Never));

    let mut date = HeaderMap::new();
    date.insert(
        RETRY_AFTER,
        HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT"),
    );
    assert_eq!(retry_after(&date), None);
}

#[test]
fn header_errors_never_show_the_value() {
    let bad = vec![("X-Token".to_string(), "sec\nret".to_string())];
    let err = header_map(&bad).expect_err("newline in a value");
    assert!(!err.contains("sec"), "{err}");
    let good = vec![("X-Token".to_string(), "s3cret".to_string())];
    let map = header_map(&good).expect("valid");
    assert!(map["x-token"].is_sensitive());
}

#[test]
fn scrub_takes_the_url_out() {
    let url =
        reqwest::Url::parse("https://hooks.example.com/T000/B000/XXXX?token=abc").expect("url");
    let text = format!("failed for {url} and /T000/B000/XXXX and token=abc");
    let clean = scrub(&text, &url);
    assert!(!clean.contains("XXXX") && !clean.contains("abc"), "{clean}");
}

#[test]
fn stderr_tail_is_one_short_line() {
    let tail = super::command::one_line_tail(b"first\nsecond\r\n\tthird\x07 ", 100);
    assert_eq!(tail, "first second third");
    let long = "x".repeat(500) + "END";
    let tail = super::command::one_line_tail(long.as_bytes(), 10);
    assert_eq!(tail, "…xxxxxxxEND");
}

#[tokio::test]
async fn a_full_queue_drops_its_oldest() {
    let queue = Queue::new(2);
    let push = |id| queue.push(notice(NoticeKind::Firing, alert(id), at(0)));
    assert!(push(1).is_none());
    assert!(push(2).is_none());
    assert_eq!(push(3).map(|n| n.alert.id), Some(1));
    queue.close();
    assert_eq!(queue.pop().await.map(|n| n.alert.id), Some(2));
    assert_eq!(queue.pop().await.map(|n| n.alert.id), Some(3));
    assert!(queue.pop().await.is_none(), "closed and empty");
}
