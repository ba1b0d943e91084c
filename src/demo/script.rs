//! The demo fleet's script: what each kind of server answers at a given moment.
//!
//! Pure functions of elapsed time, so every state the demo shows is table-tested
//! without clocks. Most kinds repeat over [`CYCLE`]; their bad stretches are placed at
//! different offsets so the dashboard never changes everywhere at once.

use std::time::Duration;

/// Every cyclic script repeats after this long, so a newcomer sees each state within it.
pub const CYCLE: Duration = Duration::from_secs(60);

/// Longer than any demo timeout: a hanging server answers only after the check gave up.
pub const HANG: Duration = Duration::from_secs(5);

/// How one demo server misbehaves over time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Always healthy and quick.
    Steady,
    /// Answers slower than `degraded_after` for 15 s of each cycle (DEGRADED).
    Slow,
    /// Up 5 s, 503 for 5 s, over and over.
    Flapping,
    /// 503 for 15 s of each cycle (DOWN, then recovering).
    Outage,
    /// 500 for 10 s of each cycle.
    Errors,
    /// Hangs past the check's timeout for 12 s of each cycle.
    Hang,
    /// Latency that jumps around from second to second, sometimes past `degraded_after`.
    Jittery,
    /// A JSON health document whose `status` reads "DOWN" for 15 s of each cycle.
    JsonHealth,
    /// Now and then serves a maintenance page that lacks the expected text.
    BodyMismatch,
    /// 503 for the first 20 s after start, healthy from then on.
    StartsDown,
}

/// What a demo server answers to one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Behaviour {
    pub status: u16,
    /// How long the server waits before answering.
    pub delay: Duration,
    pub body: String,
    pub content_type: &'static str,
}

/// The text a [`Kind::BodyMismatch`] server's check expects in the body.
pub const EXPECTED_BODY: &str = "edge ok";

const TEXT: &str = "text/plain; charset=utf-8";
const HTML: &str = "text/html; charset=utf-8";
const JSON: &str = "application/json";

impl Behaviour {
    fn text(status: u16, delay_ms: u64, body: &str) -> Self {
        Self {
            status,
            delay: Duration::from_millis(delay_ms),
            body: body.to_string(),
            content_type: TEXT,
        }
    }

    fn ok(delay_ms: u64) -> Self {
        Self::text(200, delay_ms, "ok")
    }

    fn unavailable(delay_ms: u64) -> Self {
        Self::text(503, delay_ms, "service unavailable")
    }
}

/// What a server of `kind` answers `elapsed` after the fleet started.
pub fn behaviour(kind: Kind, elapsed: Duration) -> Behaviour {
    let second = elapsed.as_secs() % CYCLE.as_secs();
    match kind {
        Kind::Steady => Behaviour::ok(15),
        Kind::Slow if (10..25).contains(&second) => Behaviour::ok(650),
        Kind::Slow => Behaviour::ok(60),
        Kind::Flapping if (second / 5) % 2 == 1 => Behaviour::unavailable(10),
        Kind::Flapping => Behaviour::ok(25),
        Kind::Outage if (30..45).contains(&second) => Behaviour::unavailable(20),
        Kind::Outage => Behaviour::ok(80),
        Kind::Errors if (45..55).contains(&second) => {
            Behaviour::text(500, 30, "internal server error")
        }
        Kind::Errors => Behaviour::ok(35),
        Kind::Hang if (20..32).contains(&second) => Behaviour {
            delay: HANG,
            ..Behaviour::ok(0)
        },
        Kind::Hang => Behaviour::ok(30),
        Kind::Jittery => Behaviour::ok(jitter_ms(elapsed.as_secs())),
        Kind::JsonHealth => json_health(!(15..30).contains(&second)),
        Kind::BodyMismatch if (5..15).contains(&second) || (40..44).contains(&second) => {
            Behaviour {
                content_type: HTML,
                ..Behaviour::text(200, 40, "<html><h1>upstream maintenance</h1></html>")
            }
        }
        Kind::BodyMismatch => Behaviour::text(200, 20, EXPECTED_BODY),
        Kind::StartsDown if elapsed < Duration::from_secs(20) => Behaviour::unavailable(15),
        Kind::StartsDown => Behaviour::ok(45),
    }
}

/// Whether the demo's TCP port accepts connections `elapsed` after the fleet started:
/// closed for 10 s of each cycle.
pub fn tcp_listening(elapsed: Duration) -> bool {
    !(35..45).contains(&(elapsed.as_secs() % CYCLE.as_secs()))
}

/// A latency between 20 and 619 ms that changes every second, the same on every run.
fn jitter_ms(second: u64) -> u64 {
    let mixed = second.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(17);
    20 + mixed % 600
}

fn json_health(up: bool) -> Behaviour {
    let status = if up { "UP" } else { "DOWN" };
    Behaviour {
        status: 200,
        delay: Duration::from_millis(25),
        body: format!(r#"{{"status":"{status}","components":{{"db":{{"status":"{status}"}}}}}}"#),
        content_type: JSON,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DEGRADED_AFTER: Duration = Duration::from_millis(400);

    fn at(kind: Kind, secs: u64) -> Behaviour {
        behaviour(kind, Duration::from_secs(secs))
    }

    /// What a checker would make of a behaviour, in the words of the dashboard.
    fn looks(b: &Behaviour) -> &'static str {
        if b.delay >= HANG {
            "hang"
        } else if b.status >= 500 {
            "5xx"
        } else if b.body.contains(r#""status":"DOWN""#) {
            "json down"
        } else if b.content_type == HTML {
            "body mismatch"
        } else if b.delay > DEGRADED_AFTER {
            "slow"
        } else {
            "healthy"
        }
    }

    #[test]
    fn script_table() {
        let cases: &[(Kind, u64, &str)] = &[
            (Kind::Steady, 0, "healthy"),
            (Kind::Steady, 59, "healthy"),
            (Kind::Slow, 9, "healthy"),
            (Kind::Slow, 10, "slow"),
            (Kind::Slow, 24, "slow"),
            (Kind::Slow, 25, "healthy"),
            (Kind::Flapping, 4, "healthy"),
            (Kind::Flapping, 5, "5xx"),
            (Kind::Flapping, 10, "healthy"),
            (Kind::Outage, 29, "healthy"),
            (Kind::Outage, 30, "5xx"),
            (Kind::Outage, 45, "healthy"),
            (Kind::Errors, 45, "5xx"),
            (Kind::Errors, 55, "healthy"),
            (Kind::Hang, 19, "healthy"),
            (Kind::Hang, 20, "hang"),
            (Kind::Hang, 32, "healthy"),
            (Kind::JsonHealth, 14, "healthy"),
            (Kind::JsonHealth, 15, "json down"),
            (Kind::JsonHealth, 30, "healthy"),
            (Kind::BodyMismatch, 0, "healthy"),
            (Kind::BodyMismatch, 5, "body mismatch"),
            (Kind::BodyMismatch, 42, "body mismatch"),
            (Kind::StartsDown, 0, "5xx"),
            (Kind::StartsDown, 19, "5xx"),
            (Kind::StartsDown, 20, "healthy"),
            // Cyclic kinds repeat; the one that starts down stays recovered.
            (Kind::Outage, 90, "5xx"),
            (Kind::Hang, 85, "hang"),
            (Kind::StartsDown, 60, "healthy"),
        ];
        for &(kind, secs, want) in cases {
            assert_eq!(looks(&at(kind, secs)), want, "{kind:?} at {secs}s");
        }
    }

    #[test]
    fn every_state_is_reached_within_the_first_minute() {
        let kinds = [
            Kind::Steady,
            Kind::Slow,
            Kind::Flapping,
            Kind::Outage,
            Kind::Errors,
            Kind::Hang,
            Kind::Jittery,
            Kind::JsonHealth,
            Kind::BodyMismatch,
            Kind::StartsDown,
        ];
        let seen: Vec<&str> = kinds
            .iter()
            .flat_map(|&kind| (0..60).map(move |s| looks(&at(kind, s))))
            .collect();
        for state in [
            "healthy",
            "slow",
            "5xx",
            "hang",
            "json down",
            "body mismatch",
        ] {
            assert!(seen.contains(&state), "{state} never happens");
        }
        let statuses: Vec<u16> = (0..60).map(|s| at(Kind::Errors, s).status).collect();
        assert!(statuses.contains(&500));
        let open: Vec<bool> = (0..60)
            .map(|s| tcp_listening(Duration::from_secs(s)))
            .collect();
        assert!(open.contains(&true) && open.contains(&false));
    }

    #[test]
    fn jitter_sometimes_crosses_degraded_after() {
        let delays: Vec<Duration> = (0..60).map(|s| at(Kind::Jittery, s).delay).collect();
        assert!(delays.iter().any(|d| *d > DEGRADED_AFTER));
        assert!(delays.iter().any(|d| *d < DEGRADED_AFTER));
        assert!(delays.iter().all(|d| *d < Duration::from_secs(1)));
    }

    #[test]
    fn bad_stretches_do_not_all_start_together() {
        let starts_bad = |kind: Kind| {
            (0..60)
                .find(|&s| looks(&at(kind, s)) != "healthy")
                .unwrap_or(60)
        };
        let mut starts: Vec<u64> = [Kind::Slow, Kind::Outage, Kind::Errors, Kind::Hang]
            .into_iter()
            .chain([Kind::JsonHealth, Kind::BodyMismatch])
            .map(starts_bad)
            .collect();
        starts.sort_unstable();
        starts.dedup();
        assert_eq!(starts.len(), 6, "{starts:?}");
    }

    #[test]
    fn json_health_is_valid_json() {
        for secs in [0, 20] {
            let body = at(Kind::JsonHealth, secs).body;
            let value: serde_json::Value = serde_json::from_str(&body).expect("valid JSON");
            let want = if secs == 0 { "UP" } else { "DOWN" };
            assert_eq!(value["status"], want);
        }
    }
}
