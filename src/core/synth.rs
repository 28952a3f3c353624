//! Deterministic, obviously fake Dashboard exports of any size, for benchmarks and load
//! tests: the same `users` and `seed` always give the same bytes.

use std::fmt::Write;

use crate::core::record::DASHBOARD_COLUMNS;

/// The page's "try it with sample data" export: obviously fake users, one row for every kind
/// of problem the engine finds. The tests pin what it yields, so the sample cannot drift.
pub const SAMPLE_EXPORT: &[u8] = include_bytes!("../../tests/fixtures/exports/every-problem.csv");
pub const SAMPLE_NAME: &str = "sample-export.csv";

const FIRST: [&str; 8] = [
    "Ada",
    "Grace",
    "Alan",
    "José",
    "Zoë",
    "Katherine \"Kate\"",
    "Mary, Jr.",
    "Hedy",
];
const LAST: [&str; 6] = ["Lovelace", "Hopper", "Turing", "Núñez", "Johnson", "Lamarr"];
const BCRYPT: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";

/// A small xorshift generator: fast, seedable, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// A Dashboard CSV of `users` rows: about 85% with bcrypt passwords, 20% with a phone number
/// (with Clerk's formula guard), 5% with an unverified address, 3% with TOTP, names with
/// quotes, commas and accents. Every row is valid, so every user is accepted.
pub fn dashboard_csv(users: usize, seed: u64) -> Vec<u8> {
    let mut rng = Rng(seed.max(1));
    let mut out = String::with_capacity(users * 190 + 256);
    out.push_str(&DASHBOARD_COLUMNS.join(","));
    out.push('\n');
    for i in 0..users {
        let first = FIRST[rng.below(FIRST.len() as u64) as usize];
        let last = LAST[rng.below(LAST.len() as u64) as usize];
        let quote = |s: &str| {
            if s.contains([',', '"']) {
                format!("\"{}\"", s.replace('"', "\"\""))
            } else {
                s.to_string()
            }
        };
        let email = format!("user{i}@example.com");
        let phone = if rng.below(5) == 0 {
            format!("\t+1415{:07}", i % 10_000_000)
        } else {
            String::new()
        };
        let unverified = if rng.below(20) == 0 {
            format!("old{i}@example.org")
        } else {
            String::new()
        };
        let totp = if rng.below(33) == 0 {
            "JBSWY3DPEHPK3PXP"
        } else {
            ""
        };
        let (digest, hasher) = if rng.below(100) < 85 {
            (BCRYPT, "bcrypt")
        } else {
            ("", "")
        };
        let _ = writeln!(
            out,
            "user_{i:08x}{seed:x},{},{},u{i},{email},{phone},{email},{unverified},{phone},,{totp},{digest},{hasher}",
            quote(first),
            quote(last),
        );
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::prepare::{prepare, PrepareOptions};

    #[test]
    fn generated_exports_are_deterministic_and_clean() {
        let a = dashboard_csv(500, 7);
        assert_eq!(a, dashboard_csv(500, 7));
        assert_ne!(a, dashboard_csv(500, 8));
        let prepared = prepare(&a, &PrepareOptions::default()).unwrap();
        assert_eq!(prepared.counts.rows, 500);
        assert_eq!(
            prepared.counts.rejected, 0,
            "{:?}",
            prepared.counts.rejected_by_first_reason
        );
    }
}
