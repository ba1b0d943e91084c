//! Config texts for fuzzing the loader, from a seeded generator (no two runs differ for
//! one seed): documents built from lookout's own sections and keys with hostile values,
//! and the corpus files with their bytes flipped, cut, repeated and spliced.

/// A small, fast, seeded generator (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number below `n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn pick<'a, T: ?Sized>(&mut self, items: &'a [&'a T]) -> &'a T {
        items[self.below(items.len())]
    }

    pub fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Table headers lookout reads, some misplaced or misspelt on purpose.
const TABLES: [&str; 24] = [
    "[general]",
    "[defaults]",
    "[system]",
    "[system.cpu]",
    "[system.memory]",
    "[system.disk]",
    "[alerts]",
    "[[alerts.rule]]",
    "[[alerts.maintenance]]",
    "[server]",
    "[log]",
    "[jobs]",
    "[jobs.columns]",
    "[jobs.states]",
    "[[service]]",
    "[[service]]",
    "[[service]]",
    "[[notify]]",
    "[[alertmanager]]",
    "[service.headers]",
    "[[service.headers]]",
    "[genral]",
    "[[jobs]]",
    "[alerts.rule]",
];

/// Keys from every section (each may land in the wrong one).
const KEYS: [&str; 61] = [
    "name",
    "url",
    "tcp",
    "group",
    "interval",
    "timeout",
    "severity",
    "degraded_after",
    "failure_threshold",
    "success_threshold",
    "method",
    "headers",
    "expect_status",
    "expect_body",
    "expect_json",
    "max_body",
    "max_redirects",
    "reuse_connections",
    "use_env_proxy",
    "insecure",
    "state_dir",
    "history",
    "max_concurrent_checks",
    "watch",
    "dir",
    "rotation",
    "keep",
    "stdout",
    "listen",
    "token",
    "enabled",
    "cpu",
    "memory",
    "swap",
    "disk",
    "load",
    "above",
    "clear_below",
    "for",
    "reminder",
    "degraded_for",
    "error_rate",
    "keep_firing_for",
    "metric",
    "op",
    "threshold",
    "start",
    "end",
    "days",
    "type",
    "command",
    "min_severity",
    "database",
    "table",
    "claimed_timeout",
    "dry_run",
    "batch",
    "forward",
    "resend",
    "poll",
    "silence_by",
];

/// Values that have broken parsers before: edges of every type, odd text, env refs.
const VALUES: [&str; 58] = [
    "\"\"",
    "\" \"",
    "\"1s\"",
    "\"0s\"",
    "\"-1s\"",
    "\"1.5s\"",
    "\"999999999999999d\"",
    "\"18446744073709551616ms\"",
    "\"1 s\"",
    "\"1h30m\"",
    "\"http://127.0.0.1:1/\"",
    "\"https://user:hunter2@example.com/x?y=1#z\"",
    "\"http://[::1]:99999/\"",
    "\"http://\"",
    "\"ftp://x\"",
    "\"127.0.0.1:80\"",
    "\"[::1]:0\"",
    "\"host:\"",
    "\":80\"",
    "\"${HOME}\"",
    "\"${MISSING}\"",
    "\"${\"",
    "\"$${X}\"",
    "\"${A}${B}\"",
    "\"sqlite://\"",
    "\"sqlite:///tmp/q.db\"",
    "\"postgres://u:p@h/db?sslmode=x\"",
    "\"é😀\u{200b}\"",
    "\"\\u0000\"",
    "\"\\t\\n\\r\"",
    "\"critical\"",
    "\"CRITICAL\"",
    "\"daily\"",
    "\"weekly\"",
    "\">\"",
    "\"<=\"",
    "\"p95\"",
    "\"23:59\"",
    "\"24:00\"",
    "\"mon\"",
    "0",
    "-1",
    "1",
    "65536",
    "9223372036854775807",
    "-9223372036854775808",
    "0.0",
    "-0.0",
    "1e308",
    "nan",
    "inf",
    "-inf",
    "true",
    "false",
    "[]",
    "[\"a\", 1, true]",
    "{}",
    "1979-05-27T07:32:00Z",
];

/// One generated document: a few tables of keys with values, sometimes nested.
pub fn document(rng: &mut Rng) -> String {
    let mut out = String::new();
    if rng.chance(3) {
        keys(rng, &mut out);
    }
    for _ in 0..rng.below(7) {
        out.push_str(rng.pick(&TABLES));
        out.push('\n');
        keys(rng, &mut out);
    }
    out
}

fn keys(rng: &mut Rng, out: &mut String) {
    for _ in 0..rng.below(6) {
        let key = rng.pick(&KEYS);
        let value = value(rng, 0);
        out.push_str(&format!("{key} = {value}\n"));
    }
}

fn value(rng: &mut Rng, depth: usize) -> String {
    match rng.below(if depth < 2 { 10 } else { 8 }) {
        0..=7 => rng.pick(&VALUES).to_string(),
        8 => {
            let items: Vec<String> = (0..rng.below(4)).map(|_| value(rng, depth + 1)).collect();
            format!("[{}]", items.join(", "))
        }
        _ => {
            let items: Vec<String> = (0..rng.below(4))
                .map(|_| format!("{} = {}", rng.pick(&KEYS), value(rng, depth + 1)))
                .collect();
            format!("{{ {} }}", items.join(", "))
        }
    }
}

/// `base` changed in one to four places: bytes flipped, inserted (multi-byte
/// characters too), cut, repeated, or lines taken from `other`. Always valid UTF-8.
pub fn mutate(rng: &mut Rng, base: &str, other: &str) -> String {
    let mut bytes = base.as_bytes().to_vec();
    for _ in 0..=rng.below(4) {
        let at = if bytes.is_empty() {
            0
        } else {
            rng.below(bytes.len())
        };
        match rng.below(6) {
            0 if !bytes.is_empty() => bytes[at] ^= 1 << rng.below(8),
            1 => {
                let insert = rng.pick(&[
                    "\"", "'", "[", "]", "=", "\n", "\\", "é", "😀", "#", "{", ",",
                ]);
                bytes.splice(at..at, insert.bytes());
            }
            2 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            3 => {
                let end = (at + rng.below(128)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                bytes.splice(at..at, copy);
            }
            _ => {
                let lines: Vec<&str> = other.lines().collect();
                if !lines.is_empty() {
                    let line = format!("{}\n", lines[rng.below(lines.len())]);
                    bytes.splice(at..at, line.bytes());
                }
            }
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}
