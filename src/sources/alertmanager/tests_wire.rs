//! The v2 API's JSON both ways, on bodies recorded from Alertmanager 0.25 (Debian's
//! package): alerts and silences decoded to lookout's types, alerts and silences encoded
//! as the API takes them, refusals explained, and what a bad answer is reported as.

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Value, json};

use super::model::{NewSilence, OutgoingAlert};
use super::wire::{
    decode_alerts, decode_silence_id, decode_silences, encode_alerts, encode_silence,
    refusal_reason,
};
use crate::view::alertmanager::{AmAlertState, LabelSet, Matcher, SilenceState};

/// `GET /api/v2/alerts` with one alert a silence suppresses, and one sent with an offset
/// and a back-link.
const ALERTS: &str = r#"[{"annotations":{"summary":"web is DOWN"},"endsAt":"2026-11-23T19:41:30.348Z","fingerprint":"7db9e5bfaf4a363b","receivers":[{"name":"blackhole"}],"startsAt":"2026-11-23T19:36:30.123Z","status":{"inhibitedBy":[],"silencedBy":["669b9b39-5ba6-49c5-adfe-8742c4577a88"],"state":"suppressed"},"updatedAt":"2026-11-23T19:36:30.348Z","labels":{"alertname":"service_down","service":"web"}},{"annotations":{},"endsAt":"2026-11-23T19:41:41.774Z","fingerprint":"d240efc3896bf266","receivers":[{"name":"blackhole"}],"startsAt":"2026-11-23T21:36:30.500+02:00","status":{"inhibitedBy":[],"silencedBy":[],"state":"active"},"updatedAt":"2026-11-23T19:36:41.774Z","generatorURL":"http://h/x","labels":{"alertname":"x"}}]"#;

/// `GET /api/v2/silences` after the silence was expired with `DELETE`.
const SILENCES: &str = r#"[{"id":"669b9b39-5ba6-49c5-adfe-8742c4577a88","status":{"state":"expired"},"updatedAt":"2026-11-23T19:36:35.222Z","comment":"","createdBy":"ana@db1","endsAt":"2026-11-23T19:36:35.222Z","matchers":[{"isEqual":true,"isRegex":false,"name":"service","value":"web"}],"startsAt":"2026-11-23T19:36:30.366Z"}]"#;

/// 2026-11-23T19:36:30Z.
fn at(millis: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_795_462_590) + Duration::from_millis(millis)
}

fn labels(pairs: &[(&str, &str)]) -> LabelSet {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[test]
fn alerts_decode_with_state_silences_and_times() {
    let alerts = decode_alerts(ALERTS.as_bytes()).expect("decodes");
    let [down, other] = alerts.as_slice() else {
        panic!("two alerts: {alerts:?}");
    };
    assert_eq!(down.fingerprint, "7db9e5bfaf4a363b");
    assert_eq!(
        down.labels,
        labels(&[("alertname", "service_down"), ("service", "web")])
    );
    assert_eq!(down.annotations, labels(&[("summary", "web is DOWN")]));
    assert_eq!(down.state, AmAlertState::Suppressed);
    assert_eq!(down.silenced_by, ["669b9b39-5ba6-49c5-adfe-8742c4577a88"]);
    assert!(down.inhibited_by.is_empty());
    assert_eq!(down.starts_at, at(123));
    assert_eq!(down.ends_at, at(300_348));
    assert_eq!(down.updated_at, at(348));
    assert_eq!(down.receivers, ["blackhole"]);
    assert_eq!(down.generator_url, None);

    assert_eq!(other.state, AmAlertState::Active);
    assert_eq!(other.starts_at, at(500), "+02:00 is taken into account");
    assert_eq!(other.generator_url.as_deref(), Some("http://h/x"));
    assert!(other.annotations.is_empty());
    assert_eq!(decode_alerts(b"[]"), Ok(Vec::new()));
}

#[test]
fn silences_decode_with_matchers_and_state() {
    let silences = decode_silences(SILENCES.as_bytes()).expect("decodes");
    let [silence] = silences.as_slice() else {
        panic!("one silence: {silences:?}");
    };
    assert_eq!(silence.id, "669b9b39-5ba6-49c5-adfe-8742c4577a88");
    assert_eq!(silence.state, SilenceState::Expired);
    assert_eq!(silence.matchers, [Matcher::equal("service", "web")]);
    assert_eq!(silence.created_by, "ana@db1");
    assert_eq!(silence.comment, "");
    assert_eq!(silence.starts_at, at(366));
    assert_eq!(silence.ends_at, at(5222));
    assert_eq!(silence.updated_at, at(5222));
    // Before 0.22 matchers had no `isEqual`: they were all positive.
    let old = SILENCES.replace(r#""isEqual":true,"#, "");
    let silences = decode_silences(old.as_bytes()).expect("decodes");
    assert!(silences[0].matchers[0].is_equal);
}

#[test]
fn a_new_silence_id_decodes() {
    let body = br#"{"silenceID":"669b9b39-5ba6-49c5-adfe-8742c4577a88"}"#;
    assert_eq!(
        decode_silence_id(body).as_deref(),
        Ok("669b9b39-5ba6-49c5-adfe-8742c4577a88")
    );
    assert_eq!(
        decode_silence_id(br#"{"silenceID":""}"#),
        Err("silenceID is empty".to_string())
    );
}

#[test]
fn bad_answers_name_what_is_wrong() {
    let cases: [(&str, &str); 5] = [
        (
            "<html>login</html>",
            "expected value at line 1 column 1 (the answer starts \"<html>login</html>\")",
        ),
        (
            r#"{"data":[]}"#,
            "invalid type: map, expected a sequence at line 1 column 0 (the answer starts \
             \"{\\\"data\\\":[]}\")",
        ),
        (
            &ALERTS.replace(r#""state":"suppressed""#, r#""state":"muted""#),
            "alert 1 (fingerprint 7db9e5bfaf4a363b): status.state \"muted\" is none of \
             unprocessed, active, suppressed",
        ),
        (
            &ALERTS.replace("2026-11-23T19:36:30.123Z", "yesterday"),
            "alert 1 (fingerprint 7db9e5bfaf4a363b): startsAt \"yesterday\": expected a date \
             and time like 2025-06-01T02:00:00Z",
        ),
        (
            &ALERTS.replace(r#""fingerprint":"d240efc3896bf266","#, ""),
            "missing field `fingerprint`",
        ),
    ];
    for (body, want) in cases {
        let got = decode_alerts(body.as_bytes()).expect_err(body);
        assert!(got.starts_with(want), "{body}\n got: {got}\nwant: {want}");
    }
    let got = decode_silences(
        SILENCES
            .replace(r#""state":"expired""#, r#""state":"over""#)
            .as_bytes(),
    )
    .expect_err("unknown state");
    assert_eq!(
        got,
        "silence 669b9b39-5ba6-49c5-adfe-8742c4577a88: status.state \"over\" is none of \
         pending, active, expired"
    );
}

#[test]
fn alerts_encode_as_the_api_takes_them() {
    let firing = OutgoingAlert {
        labels: labels(&[("alertname", "service_down"), ("service", "web")]),
        annotations: labels(&[("summary", "web is DOWN: connection refused")]),
        starts_at: at(123),
        ends_at: Some(at(240_000)),
        generator_url: None,
    };
    let bare = OutgoingAlert {
        labels: labels(&[("alertname", "x")]),
        annotations: BTreeMap::new(),
        starts_at: at(0),
        ends_at: None,
        generator_url: Some("http://lookout:9898/api/v1/alerts".to_string()),
    };
    let body: Value = serde_json::from_slice(&encode_alerts(&[firing, bare])).expect("JSON");
    assert_eq!(
        body,
        json!([
            {
                "labels": {"alertname": "service_down", "service": "web"},
                "annotations": {"summary": "web is DOWN: connection refused"},
                "startsAt": "2026-11-23T19:36:30.123Z",
                "endsAt": "2026-11-23T19:40:30.000Z",
            },
            {
                "labels": {"alertname": "x"},
                "annotations": {},
                "startsAt": "2026-11-23T19:36:30.000Z",
                "generatorURL": "http://lookout:9898/api/v1/alerts",
            },
        ])
    );
    assert_eq!(encode_alerts(&[]), b"[]");
}

#[test]
fn a_silence_encodes_with_equality_matchers_on_every_label() {
    let silence = NewSilence::of_labels(
        &labels(&[("alertname", "service_down"), ("service", "web")]),
        at(0),
        at(3_600_000),
        "ana@db1",
        "deploying \"web\"",
    );
    let body: Value = serde_json::from_slice(&encode_silence(&silence)).expect("JSON");
    assert_eq!(
        body,
        json!({
            "matchers": [
                {"name": "alertname", "value": "service_down", "isRegex": false, "isEqual": true},
                {"name": "service", "value": "web", "isRegex": false, "isEqual": true},
            ],
            "startsAt": "2026-11-23T19:36:30.000Z",
            "endsAt": "2026-11-23T20:36:30.000Z",
            "createdBy": "ana@db1",
            "comment": "deploying \"web\"",
        })
    );
}

#[test]
fn refusals_are_explained_in_alertmanagers_words() {
    let cases: [(&[u8], &str); 6] = [
        (b"\"silence not found\"", "silence not found"),
        (
            br#"{"code":601,"message":"silenceID in path must be of type uuid: \"nope\""}"#,
            "silenceID in path must be of type uuid: \"nope\"",
        ),
        (
            b"\"at least one label pair required\"",
            "at least one label pair required",
        ),
        (b"Bad Gateway\r\n<html>more</html>", "Bad Gateway"),
        (b"", ""),
        (b"{\"code\":5}", "{\"code\":5}"),
    ];
    for (body, want) in cases {
        assert_eq!(refusal_reason(body), want, "{body:?}");
    }
    let long = format!("\"{}\"", "x".repeat(500));
    assert_eq!(refusal_reason(long.as_bytes()).len(), 200);
}
