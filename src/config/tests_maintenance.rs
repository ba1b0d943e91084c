//! `[[alerts.maintenance]]`: one-off and weekly windows, when they are open, and the
//! message each mistake gives.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::Schedule;
use super::tests_alerts::{parsed, problems, secs};

fn instant(secs: u64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(secs)
}

#[test]
fn maintenance_windows_one_off_and_weekly() {
    let alerts = parsed(
        r#"
[[alerts.maintenance]]
name = "migration"
services = ["db"]
start = "2023-11-14T22:00:00Z"
end = 2023-11-15T00:00:00+01:00

[[alerts.maintenance]]
name = "weekly"
group = "web"
days = ["sat", "Sunday"]
start = "02:00"
duration = "2h"
"#,
    )
    .alerts;
    let [once, weekly] = alerts.maintenance.as_slice() else {
        panic!("two windows: {:?}", alerts.maintenance);
    };
    assert_eq!(once.name, "migration");
    assert_eq!(once.selector.services, ["db"]);
    assert_eq!(
        once.schedule,
        Schedule::Once {
            start: instant(1_699_999_200),
            end: instant(1_700_002_800)
        }
    );
    assert_eq!(
        weekly.schedule,
        Schedule::Weekly {
            days: [false, false, false, false, false, true, true],
            start: secs(7200),
            length: secs(7200),
        }
    );
    assert_eq!(weekly.selector.group.as_deref(), Some("web"));
}

#[test]
fn weekly_windows_open_on_their_days_only() {
    let weekly = Schedule::Weekly {
        days: [false, false, false, false, false, true, false],
        start: secs(2 * 3600),
        length: secs(2 * 3600),
    };
    // 2023-11-18 was a Saturday.
    let saturday = instant(1_700_265_600);
    let at = |h: u64, m: u64| saturday + secs(h * 3600 + m * 60);
    assert_eq!(weekly.open_at(at(1, 59)), None);
    assert_eq!(weekly.open_at(at(2, 0)), Some((at(2, 0), at(4, 0))));
    assert_eq!(weekly.open_at(at(3, 59)), Some((at(2, 0), at(4, 0))));
    assert_eq!(weekly.open_at(at(4, 0)), None);
    assert_eq!(weekly.open_at(at(26, 30)), None, "Sunday");
    assert_eq!(weekly.next_edge(at(1, 0)), Some(at(2, 0)));
    assert_eq!(weekly.next_edge(at(3, 0)), Some(at(4, 0)));
    assert_eq!(weekly.next_edge(at(5, 0)), Some(at(7 * 24 + 2, 0)));
    // A window across midnight is open on the next day too.
    let late = Schedule::Weekly {
        days: [false, false, false, false, false, true, false],
        start: secs(23 * 3600),
        length: secs(3 * 3600),
    };
    assert_eq!(late.open_at(at(25, 0)), Some((at(23, 0), at(26, 0))));
}

#[test]
fn mistakes_in_maintenance_windows_say_what_is_valid() {
    let found = problems(
        r#"
[[alerts.maintenance]]
name = "once"
start = "02:00"
end = "2025-06-01T02:00:00"

[[alerts.maintenance]]
name = "backwards"
start = "2025-06-01T04:00:00Z"
end = "2025-06-01T02:00:00Z"

[[alerts.maintenance]]
name = "weekly"
days = ["sat", "funday"]
start = "2am"
duration = "8days"
end = "2025-06-01T02:00:00Z"

[[alerts.maintenance]]
name = "once"
days = []
start = "02:00"
duration = "1h"
"#,
    );
    assert_eq!(
        found,
        [
            "4:9: `start` = \"02:00\" is not an RFC 3339 date and time (expected a date and \
             time like 2025-06-01T02:00:00Z); a time of day needs `days` (a weekly window); \
             write it like \"2025-06-01T02:00:00Z\"",
            "5:7: `end` = \"2025-06-01T02:00:00\" is not an RFC 3339 date and time (the UTC \
             offset is missing: end it with Z or like +02:00); write it like \
             \"2025-06-01T02:00:00Z\"",
            "10:7: `end` is not after `start`: a window must last more than 0s",
            "14:16: \"funday\" is not a weekday; valid days are `mon`, `tue`, `wed`, `thu`, \
             `fri`, `sat`, `sun`",
            "15:9: `start` = \"2am\" is not a time of day; a weekly window starts at \"HH:MM\" \
             (24-hour clock, UTC), like \"02:00\"",
            "16:12: `duration` 8days is longer than the week it repeats in: use at most 7days",
            "17:1: `end` belongs to a one-off window; a weekly window (with `days`) lasts \
             `duration`",
            "20:8: maintenance window name \"once\" is already used by the maintenance window at line 3; \
             names must be unique",
            "21:8: `days` is empty; list at least one weekday, like [\"sat\", \"sun\"]",
        ]
    );
}
