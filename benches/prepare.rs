//! `cargo xtask bench` (or `cargo bench --bench prepare`): prepare on generated exports of 10k,
//! 100k and 1M users, beside the bare floor of reading the same CSV with the `csv` crate and
//! writing one JSON object per row with `serde_json`. Reports the best of several runs and
//! the peak heap, measured by a counting allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use clerk_dev2prod::core::existing::ProductionUsers;
use clerk_dev2prod::core::keys::{check_keys, KeyFile};
use clerk_dev2prod::core::lang::Lang;
use clerk_dev2prod::core::prepare::{prepare, prepare_into, Outputs, PrepareOptions};
use clerk_dev2prod::core::reconcile::{reconcile, ReconcileInput};
use clerk_dev2prod::core::synth::dashboard_csv;

struct Counting;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// Counting costs an atomic operation per allocation; it is on only for the memory run, so
/// the timed runs measure the code, not the counter.
static COUNTING: AtomicBool = AtomicBool::new(false);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.load(Ordering::Relaxed) {
            let now = CURRENT.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if COUNTING.load(Ordering::Relaxed) {
            CURRENT.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if !COUNTING.load(Ordering::Relaxed) {
        } else if new_size > layout.size() {
            let now = CURRENT.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            CURRENT.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The best time of `runs` runs, then the peak heap of one more run, counted from zero at
/// its start and with the input (allocated before) added: what a run needs in all.
fn measure(runs: usize, input_bytes: usize, mut work: impl FnMut() -> usize) -> (Duration, usize) {
    let mut best = Duration::MAX;
    for _ in 0..runs {
        let start = Instant::now();
        std::hint::black_box(work());
        best = best.min(start.elapsed());
    }
    CURRENT.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    COUNTING.store(true, Ordering::Relaxed);
    std::hint::black_box(work());
    COUNTING.store(false, Ordering::Relaxed);
    (best, PEAK.load(Ordering::Relaxed) + input_bytes)
}

/// The floor: parse the CSV and write one JSON object per row (the 13 columns, borrowed),
/// nothing else.
fn floor(input: &[u8]) -> usize {
    #[derive(serde::Serialize)]
    struct Row<'a> {
        id: &'a str,
        first_name: &'a str,
        last_name: &'a str,
        username: &'a str,
        primary_email_address: &'a str,
        primary_phone_number: &'a str,
        verified_email_addresses: &'a str,
        unverified_email_addresses: &'a str,
        verified_phone_numbers: &'a str,
        unverified_phone_numbers: &'a str,
        totp_secret: &'a str,
        password_digest: &'a str,
        password_hasher: &'a str,
    }
    let mut reader = csv::ReaderBuilder::new().from_reader(input);
    let mut out = Vec::with_capacity(input.len() * 2);
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).expect("valid CSV") {
        let f = |i: usize| record.get(i).unwrap_or("");
        let row = Row {
            id: f(0),
            first_name: f(1),
            last_name: f(2),
            username: f(3),
            primary_email_address: f(4),
            primary_phone_number: f(5),
            verified_email_addresses: f(6),
            unverified_email_addresses: f(7),
            verified_phone_numbers: f(8),
            unverified_phone_numbers: f(9),
            totp_secret: f(10),
            password_digest: f(11),
            password_hasher: f(12),
        };
        serde_json::to_writer(&mut out, &row).expect("in memory");
        out.push(b'\n');
    }
    out.len()
}

/// Streams every file into the void: what the command line holds in memory, less its file
/// buffers.
struct Discard;

impl Outputs for Discard {
    type Writer = std::io::Sink;

    fn open(&mut self, _: &'static str) -> std::io::Result<std::io::Sink> {
        Ok(std::io::sink())
    }

    fn close(&mut self, _: &'static str, _: std::io::Sink) -> std::io::Result<()> {
        Ok(())
    }
}

/// A production export for a dev export: every user imported under a new id, with the dev id
/// as external_id (the dev row, its id column renamed, behind two new columns).
fn production_csv(dev: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(dev).expect("generated exports are UTF-8");
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut lines = text.lines();
    let header = lines.next().expect("a header");
    out.push_str(&format!("id,external_id,dev_{header}\n"));
    for line in lines {
        let dev_id = line.split(',').next().unwrap_or("");
        out.push_str(&format!("p_{dev_id},{dev_id},{line}\n"));
    }
    out.into_bytes()
}

/// A production export taken before the import, in the Dashboard's 13 columns as Clerk
/// writes them (names, usernames, a phone for one in five, password digests): `users`
/// people, one in a hundred of whom already signed up with the email of a dev user; nobody
/// else shares an email, a phone or a username with the dev export.
fn existing_production_csv(users: usize) -> Vec<u8> {
    const BCRYPT: &str = "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy";
    let mut out = String::with_capacity(users * 200 + 256);
    out.push_str("id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher\n");
    for i in 0..users {
        let email = if i % 100 == 0 {
            format!("user{i}@example.com")
        } else {
            format!("someone{i}@example.net")
        };
        let phone = if i % 5 == 0 {
            format!("\t+4479{i:08}")
        } else {
            String::new()
        };
        let (digest, hasher) = if i % 7 == 0 {
            ("", "")
        } else {
            (BCRYPT, "bcrypt")
        };
        out.push_str(&format!(
            "user_prod{i:08x},P{i},Person,p{i},{email},{phone},{email},,{phone},,,{digest},{hasher}\n"
        ));
    }
    out.into_bytes()
}

/// An ordinary export of about `bytes` bytes.
fn ordinary_of_size(bytes: usize) -> Vec<u8> {
    let per_user = dashboard_csv(1_000, 42).len() / 1_000;
    dashboard_csv((bytes / per_user).max(1), 42)
}

/// Hostile shapes beside an ordinary export of the same size: each must take at most twice
/// its time (and, for the 50 MB name, its peak).
fn hostile_shapes() {
    println!(
        "\nhostile shapes, each against an ordinary export of the same size (target: at most 2x)"
    );
    let header = "id,first_name,last_name,username,primary_email_address,primary_phone_number,verified_email_addresses,unverified_email_addresses,verified_phone_numbers,unverified_phone_numbers,totp_secret,password_digest,password_hasher";
    let emails: Vec<String> = (0..300_000).map(|i| format!("u{i}@example.com")).collect();
    let many_emails = format!(
        "{header}\nuser_1,Ada,L,ada_l,u0@example.com,,{},,,,,,\n",
        emails.join("|")
    )
    .into_bytes();
    let mut user = serde_json::Map::new();
    user.insert("id".into(), "user_1".into());
    user.insert("username".into(), "ada_l".into());
    for i in 0..250_000 {
        user.insert(format!("k{i}"), 1.into());
    }
    let many_json_keys = serde_json::Value::Array(vec![user.into()])
        .to_string()
        .into_bytes();
    let users: Vec<serde_json::Value> = (0..50_000)
        .map(|i| {
            let mut user = serde_json::Map::new();
            user.insert("id".into(), format!("user_{i}").into());
            user.insert("username".into(), format!("user_name_{i}").into());
            for k in 0..5 {
                user.insert(format!("x{i}_{k}"), 1.into());
            }
            user.into()
        })
        .collect();
    let distinct_json_keys = serde_json::Value::Array(users).to_string().into_bytes();
    let mut env = String::new();
    for i in 0..240_000 {
        env += &format!("CLERK_SECRET_KEY_{i}=sk_test_{i:030}abcdefghij\n");
    }
    let pairs: Vec<String> = (0..60_000)
        .map(|i| format!("\"sk_live_{i:030}abcdefghij\": \"sk_test_{i:030}klmnopqrst\""))
        .collect();
    let rotation = format!("{{\"CLERK_KEYS\": {{{}}}}}\n", pairs.join(", "));
    let big_name = format!(
        "id,first_name,username\nuser_1,{},ada_l\n",
        "A".repeat(50_000_000)
    )
    .into_bytes();

    let options = PrepareOptions::default();
    let small = b"id,username\nuser_1,ada_lovelace\n";
    let prepare_keys = |bytes: &[u8], service: &str| {
        let files = [KeyFile {
            service: service.into(),
            bytes: bytes.to_vec(),
        }];
        let options = PrepareOptions {
            key_checklist: check_keys(&files).checklist(),
            ..PrepareOptions::default()
        };
        let (prepared, _) = prepare_into(small, &options, Discard).expect("usable");
        prepared.counts.rows
    };
    type Work<'a> = Box<dyn Fn() -> usize + 'a>;
    let shapes: Vec<(&str, usize, Work)> = vec![
        (
            "one row, 300,000 verified emails",
            many_emails.len(),
            Box::new(|| {
                prepare_into(&many_emails, &options, Discard)
                    .expect("usable")
                    .0
                    .counts
                    .rows
            }),
        ),
        (
            "one JSON user, 250,000 unknown keys",
            many_json_keys.len(),
            Box::new(|| {
                prepare_into(&many_json_keys, &options, Discard)
                    .expect("usable")
                    .0
                    .counts
                    .rows
            }),
        ),
        (
            "50,000 JSON users, 250,000 distinct unknown keys",
            distinct_json_keys.len(),
            Box::new(|| {
                prepare_into(&distinct_json_keys, &options, Discard)
                    .expect("usable")
                    .0
                    .counts
                    .rows
            }),
        ),
        (
            "prepare --keys, 240,000 keys",
            env.len(),
            Box::new(|| prepare_keys(env.as_bytes(), "many.env")),
        ),
        (
            "prepare --keys, 60,000 key pairs on one line",
            rotation.len(),
            Box::new(|| prepare_keys(rotation.as_bytes(), "rot.json")),
        ),
        (
            "a 50 MB first name",
            big_name.len(),
            Box::new(|| {
                prepare_into(&big_name, &options, Discard)
                    .expect("usable")
                    .0
                    .counts
                    .rows
            }),
        ),
    ];
    println!(
        "{:<50} {:>9} {:>10} {:>12} {:>7} {:>10} {:>12} {:>7}",
        "shape", "input MB", "ms", "ordinary ms", "ratio", "peak MB", "ordinary MB", "ratio"
    );
    for (name, bytes, work) in shapes {
        let ordinary = ordinary_of_size(bytes);
        let (time, peak) = measure(3, bytes, &*work);
        let (ordinary_time, ordinary_peak) = measure(3, ordinary.len(), || {
            prepare_into(&ordinary, &options, Discard)
                .expect("usable")
                .0
                .counts
                .rows
        });
        let mb = |b: usize| b as f64 / 1_048_576.0;
        println!(
            "{:<50} {:>9.1} {:>10.1} {:>12.1} {:>7.2} {:>10.0} {:>12.0} {:>7.2}",
            name,
            mb(bytes),
            time.as_secs_f64() * 1e3,
            ordinary_time.as_secs_f64() * 1e3,
            time.as_secs_f64() / ordinary_time.as_secs_f64(),
            mb(peak),
            mb(ordinary_peak),
            peak as f64 / ordinary_peak as f64,
        );
    }
}

fn main() {
    // `cargo test` runs benches in test mode with --bench absent; only run when asked.
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    // BENCH_ONLY_EXISTING=1 runs the section on users already in production alone.
    let only_existing = std::env::var("BENCH_ONLY_EXISTING").is_ok();
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| vec![10_000, 100_000, 1_000_000]);
    let sizes = if only_existing { Vec::new() } else { sizes };
    // "in memory" is what the page does (every file kept for download); "streaming" is what
    // the command line does (files written as rows pass). Peaks include the input itself.
    println!(
        "{:>9} {:>9} {:>10} {:>10} {:>9} {:>13} {:>17} {:>17}",
        "users",
        "input MB",
        "memory ms",
        "stream ms",
        "floor ms",
        "stream/floor",
        "peak in memory",
        "peak streaming"
    );
    for users in sizes {
        let input = dashboard_csv(users, 42);
        let runs = if users >= 1_000_000 { 3 } else { 7 };
        let options = PrepareOptions::default();
        let (prepare_time, prepare_peak) = measure(runs, input.len(), || {
            let prepared = prepare(&input, &options).expect("generated exports are usable");
            assert_eq!(prepared.counts.accepted, users);
            prepared.files.iter().map(|f| f.bytes.len()).sum()
        });
        let (stream_time, stream_peak) = measure(runs, input.len(), || {
            let (prepared, _) = prepare_into(&input, &options, Discard).expect("usable");
            prepared.counts.accepted
        });
        let (floor_time, _) = measure(runs, input.len(), || floor(&input));
        let mb = |b: usize| b as f64 / 1_048_576.0;
        let ratio = |peak: usize| peak as f64 / input.len() as f64;
        println!(
            "{:>9} {:>9.1} {:>10.1} {:>10.1} {:>9.1} {:>13.2} {:>17} {:>17}",
            users,
            mb(input.len()),
            prepare_time.as_secs_f64() * 1e3,
            stream_time.as_secs_f64() * 1e3,
            floor_time.as_secs_f64() * 1e3,
            stream_time.as_secs_f64() / floor_time.as_secs_f64(),
            format!("{:.0} MB {:.2}x", mb(prepare_peak), ratio(prepare_peak)),
            format!("{:.0} MB {:.2}x", mb(stream_peak), ratio(stream_peak)),
        );
    }
    if !only_existing {
        hostile_shapes();
    }
    if std::env::var("BENCH_ONLY_HOSTILE").is_ok() {
        return;
    }
    println!("\nusers already in production: a dev export against a production export taken before the import (13 Dashboard columns, one user in a hundred shares a dev user's email)");
    let users = 100_000;
    let dev = dashboard_csv(users, 42);
    let before = existing_production_csv(users);
    let production = Arc::new(ProductionUsers::read(&before).expect("usable"));
    let alone = PrepareOptions::default();
    let checked = PrepareOptions {
        production: Some(production),
        ..PrepareOptions::default()
    };
    let prepare_alone = || {
        let (prepared, _) = prepare_into(&dev, &alone, Discard).expect("usable");
        prepared.counts.accepted
    };
    // What a user waits for: the production export read, then prepare with the check.
    let whole_check = || {
        let production = Arc::new(ProductionUsers::read(&before).expect("usable"));
        let options = PrepareOptions {
            production: Some(production),
            ..PrepareOptions::default()
        };
        let (prepared, _) = prepare_into(&dev, &options, Discard).expect("usable");
        assert_eq!(prepared.counts.already_in_production, users / 100);
        prepared.counts.accepted
    };
    // The two are timed in turn, round after round, so a machine busy for a while slows
    // both alike instead of whichever ran then; each keeps its best round.
    let rounds = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(9);
    let (mut alone_time, mut whole_time) = (Duration::MAX, Duration::MAX);
    for _ in 0..rounds {
        let start = Instant::now();
        std::hint::black_box(prepare_alone());
        alone_time = alone_time.min(start.elapsed());
        let start = Instant::now();
        std::hint::black_box(whole_check());
        whole_time = whole_time.min(start.elapsed());
    }
    let (checked_time, checked_peak) = measure(rounds, dev.len() + before.len(), || {
        let (prepared, _) = prepare_into(&dev, &checked, Discard).expect("usable");
        prepared.counts.accepted
    });
    let (read_time, _) = measure(rounds, before.len(), || {
        ProductionUsers::read(&before).expect("usable").len()
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let added = (whole_time.as_secs_f64() / alone_time.as_secs_f64() - 1.0) * 100.0;
    println!(
        "{users:>9} against {users}: prepare {:.1} ms; reading the production export ({:.1} MB) {:.1} ms, then prepare with the check {:.1} ms, peak {:.0} MB; both {:.1} ms ({:+.0} % on prepare alone: goal at most +30 %, {})",
        ms(alone_time),
        before.len() as f64 / 1_048_576.0,
        ms(read_time),
        ms(checked_time),
        checked_peak as f64 / 1_048_576.0,
        ms(whole_time),
        added,
        if added <= 30.0 { "met" } else { "MISSED" },
    );

    println!("\nreconcile: a dev export against its production export (every user arrived)");
    let users = 100_000;
    let dev = dashboard_csv(users, 42);
    let prod = production_csv(&dev);
    let (time, peak) = measure(5, dev.len() + prod.len(), || {
        let input = ReconcileInput {
            dev: &dev,
            prod: &prod,
            logs: vec![],
            db_ids: None,
        };
        let reconciled = reconcile(&input, Lang::En).expect("usable");
        assert_eq!(reconciled.counts.matched, users);
        reconciled.counts.matched
    });
    println!(
        "{users:>9} users: {:.1} ms, peak {:.0} MB (target under 1 s)",
        time.as_secs_f64() * 1e3,
        peak as f64 / 1_048_576.0
    );
}
