//! Every state the tests bring the page to, at a desktop's size (1280×800) and a phone's
//! (390×844), light and dark, in English and Spanish: axe-core reports no violation, the
//! document never scrolls sideways, no word is broken across lines and no box hides part of
//! what it holds. A screenshot of each step in each combination is saved under
//! target/screenshots/ for people to look at.
//!
//! axe-core is handed to the page through the DevTools protocol, which runs it outside the
//! page's Content-Security-Policy: the page ships and is audited under the same strict policy.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::cdp::{Chromium, Page};
use crate::common::{fixture, root};

pub const SIZES: [(&str, u32, u32); 2] = [("desktop", 1280, 800), ("phone", 390, 844)];
const THEMES: [&str; 2] = ["light", "dark"];
const LANGS: [&str; 2] = ["en", "es"];

fn single_file_url() -> String {
    let single = PathBuf::from(std::env::var("E2E_SINGLE_FILE").expect("run `cargo xtask test`"));
    format!("file://{}", single.canonicalize().unwrap().display())
}

fn axe_source() -> String {
    let path = std::env::var("E2E_AXE_CORE")
        .expect("E2E_AXE_CORE names axe.min.js: run `cargo xtask test`, which installs it");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"))
}

/// Waits two frames, so a change of theme, size or language is laid out and painted.
fn settle(page: &mut Page) {
    page.eval(
        "new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))",
    )
    .unwrap();
}

/// axe-core's violations on the page as it is now, one line each with the first elements.
pub fn axe_violations(page: &mut Page) -> Vec<String> {
    if page.eval("typeof window.axe === 'object'").unwrap() != Value::Bool(true) {
        page.eval(&axe_source()).expect("axe-core loads");
    }
    let found = page
        .eval(
            "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => \
             `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 4).map((n) => \
             n.target.join(' ') + ' [' + (n.failureSummary || '').replace(/\\s+/g, ' ') + ']').join('; ')))",
        )
        .expect("axe-core runs");
    serde_json::from_value(found).expect("a list of violations")
}

/// What the layout gets wrong at the current size: the document wider than the viewport, a
/// word (of up to 40 characters: an id, a field name, a label) broken across lines, and a box
/// whose content is cut off or scrolled away sideways.
pub fn layout_problems(page: &mut Page) -> Vec<String> {
    let found = page
        .eval(
            r#"(() => {
            const problems = [];
            const doc = document.documentElement;
            const describe = (e) => {
                let name = e.tagName.toLowerCase();
                if (e.id) name += '#' + e.id;
                else if (e.className && typeof e.className === 'string') name += '.' + e.className.trim().split(/\s+/).join('.');
                const owner = e.closest('[id]');
                return owner && owner !== e ? `${name} in #${owner.id}` : name;
            };
            if (doc.scrollWidth > doc.clientWidth + 1) {
                // Name the outermost elements that stick out, so the message says what to fix.
                const clipped = (e) => {
                    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
                        if (getComputedStyle(a).overflowX !== 'visible') return true;
                    }
                    return false;
                };
                const out = Array.from(document.body.querySelectorAll('*'))
                    .filter((e) => e.getBoundingClientRect().right > doc.clientWidth + 1
                        && !(e.parentElement && e.parentElement.getBoundingClientRect().right > doc.clientWidth + 1)
                        && !clipped(e))
                    .slice(0, 4).map(describe);
                problems.push(`the document is ${doc.scrollWidth}px wide in a ${doc.clientWidth}px viewport (sticking out: ${out.join(', ')})`);
            }
            for (const e of document.body.querySelectorAll('*')) {
                if (['TEXTAREA', 'INPUT', 'SELECT', 'OPTION', 'PROGRESS', 'SCRIPT', 'STYLE'].includes(e.tagName)) continue;
                const style = getComputedStyle(e);
                if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)
                    && e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) {
                    problems.push(`${describe(e)} hides ${e.scrollWidth - e.clientWidth}px of its content sideways`);
                }
            }
            // Whether a word that spans lines breaks anywhere but right after a hyphen, where
            // a line may end ("pre-/import"): a break between two letters is the failure.
            const breaksMidWord = (node, start, word) => {
                const one = document.createRange();
                let before = null;
                for (let i = 0; i < word.length; i++) {
                    one.setStart(node, start + i);
                    one.setEnd(node, start + i + 1);
                    const rect = Array.from(one.getClientRects()).find((r) => r.width > 0);
                    if (!rect) continue;
                    // A new line starts below the middle of the character before it.
                    if (before && rect.top > before.rect.top + before.rect.height / 2
                        && !['-', '\u2010'].includes(word[before.at])) return true;
                    before = { rect, at: i };
                }
                return false;
            };
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            const range = document.createRange();
            let broken = 0;
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.nodeValue;
                // Code wraps where it must; words of prose, ids and labels must not break.
                if (node.parentElement.closest('pre')) continue;
                for (const m of text.matchAll(/\S+/g)) {
                    // A longer word (a 70-character id) cannot fit a phone's line: it may wrap.
                    if (m[0].length < 2 || m[0].length > 40) continue;
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set();
                    for (const r of range.getClientRects()) if (r.width > 0) tops.add(Math.round(r.top));
                    if (tops.size > 1 && breaksMidWord(node, m.index, m[0]) && broken++ < 8) {
                        problems.push(`"${m[0]}" is broken across ${tops.size} lines in ${describe(node.parentElement)}`);
                    }
                }
            }
            if (broken > 8) problems.push(`and ${broken - 8} more broken words`);
            return problems;
        })()"#,
        )
        .expect("the layout check runs");
    serde_json::from_value(found).expect("a list of problems")
}

/// Words that are English and never Spanish: one of them in the Spanish page's prose is an
/// untranslated message. (Words both languages share, like "error" or "total", are not here.)
const ENGLISH_ONLY: &[&str] = &[
    "the",
    "and",
    "of",
    "with",
    "is",
    "are",
    "was",
    "were",
    "be",
    "been",
    "this",
    "that",
    "these",
    "those",
    "from",
    "for",
    "to",
    "on",
    "at",
    "by",
    "it",
    "its",
    "has",
    "have",
    "will",
    "would",
    "can",
    "cannot",
    "not",
    "or",
    "an",
    "which",
    "what",
    "when",
    "there",
    "their",
    "row",
    "rows",
    "user",
    "users",
    "email",
    "emails",
    "file",
    "files",
    "line",
    "lines",
    "more",
    "cell",
    "cells",
    "character",
    "characters",
    "key",
    "keys",
    "found",
    "missing",
    "already",
    "production",
    "password",
    "passwords",
    "settings",
    "show",
    "hide",
    "read",
    "accepted",
    "rejected",
    "problem",
    "problems",
    "field",
    "name",
    "names",
    "address",
    "addresses",
    "phone",
    "imported",
    "every",
    "each",
    "all",
    "none",
    "only",
    "also",
    "step",
    "steps",
    "check",
    "checked",
    "copy",
    "copied",
    "download",
    "value",
    "values",
    "column",
    "columns",
    "warning",
    "warnings",
    "notes",
    "hasher",
    "digest",
    "secret",
    "live",
    "test",
    "here",
];

/// In the Spanish page, prose in English, and numbers of five digits or more written without
/// grouping ("27492" beside "100.000"). Code, ids, fields and text marked as another language
/// (the language switch's "English") are not prose, nor quotations (`<q>`, quoted values),
/// nor tokens holding `@ _ . / : = $ #` or digits (addresses, file names, ids, column names).
fn untranslated(page: &mut Page) -> Vec<String> {
    let found = page
        .eval(&format!(
            r#"(() => {{
            const english = new Set({});
            const out = [];
            // A value the message quotes is the user's (or another tool's) words, and a path
            // through Clerk's Dashboard, which is in English only, names its menus as they are.
            const prose = (text) => text.replace(/"[^"]*"|«[^»]*»|“[^”]*”|\([^()]*→[^()]*\)/g, ' ');
            const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {{
                const e = node.parentElement;
                if (!e || e.closest('code, pre, kbd, samp, q, textarea, script, style, .id')) continue;
                const marked = e.closest('[lang]');
                if (marked && marked.lang !== 'es') continue;
                for (const token of prose(node.nodeValue).split(/\s+/)) {{
                    if (/^\d{{5,}}$/.test(token.replace(/[.,;:()%]+$/g, ''))) out.push(`"${{token}}" (a number without grouping) in: ${{node.nodeValue.trim().slice(0, 120)}}`);
                    if (/[@_./:=$#\d\\]/.test(token.replace(/[.,;:!?)»”"']+$/, ''))) continue;
                    const word = token.replace(/^[(«“"'¿¡]+|[.,;:!?)»”"']+$/g, '').toLowerCase();
                    if (english.has(word)) out.push(`"${{word}}" in: ${{node.nodeValue.trim().slice(0, 120)}}`);
                }}
            }}
            for (const e of document.body.querySelectorAll('[aria-label], [title], input[placeholder]')) {{
                const marked = e.closest('[lang]');
                if (marked && marked.lang !== 'es') continue;
                for (const a of ['aria-label', 'title', 'placeholder']) {{
                    const v = e.getAttribute(a);
                    if (!v) continue;
                    for (const token of prose(v).split(/\s+/)) {{
                        if (/[@_./:=$#\d\\]/.test(token.replace(/[.,;:!?)»”"']+$/, ''))) continue;
                        const word = token.replace(/^[(«“"'¿¡]+|[.,;:!?)»”"']+$/g, '').toLowerCase();
                        if (english.has(word)) out.push(`"${{word}}" in @${{a}}: ${{v.slice(0, 120)}}`);
                    }}
                }}
            }}
            return [...new Set(out)];
        }})()"#,
            serde_json::json!(ENGLISH_ONLY)
        ))
        .expect("the language check runs");
    serde_json::from_value(found).expect("a list of words")
}

/// One step of the walk: its name (in the screenshots' names), the element to photograph,
/// and what brings the page to it from the step before.
struct Step {
    name: &'static str,
    shows: &'static str,
    reach: fn(&mut Page),
}

fn wait(page: &mut Page, selector: &str) {
    page.wait_for(&format!(
        "!!document.querySelector({})",
        serde_json::json!(selector)
    ));
}

fn give(page: &mut Page, input: &str, files: &[&str], then: &str) {
    let paths: Vec<PathBuf> = files.iter().map(|f| fixture(f)).collect();
    let paths: Vec<&Path> = paths.iter().map(PathBuf::as_path).collect();
    page.set_input_files(input, &paths);
    wait(page, then);
}

/// The migration as a first-time user walks it with the sample export that has every problem.
const PREPARE_WALK: &[Step] = &[
    Step {
        name: "1-start",
        shows: "body",
        reach: |_| {},
    },
    Step {
        name: "2-prepare",
        shows: "body",
        reach: |page| {
            give(
                page,
                "#file-input",
                &["exports/every-problem.csv"],
                "#verdict",
            )
        },
    },
    Step {
        name: "3-row-detail",
        shows: "#row-detail",
        reach: |page| {
            page.eval("document.querySelector('#issues tbody tr button').click()")
                .unwrap();
            wait(page, "#row-detail");
        },
    },
    Step {
        name: "4-keys",
        shows: "section[aria-labelledby=keys-heading]",
        reach: |page| {
            give(
                page,
                "#keys-input",
                &[
                    "keys/one-on-test/frontend.env",
                    "keys/one-on-test/chat.env",
                    "keys/mixed/gateway.env",
                ],
                "#keys-verdict",
            )
        },
    },
    Step {
        name: "5-settings",
        shows: "section[aria-labelledby=instance-heading]",
        reach: |page| {
            give(
                page,
                "#instance-input",
                &["instance/strict.json"],
                "#instance-findings li",
            )
        },
    },
    Step {
        name: "6-existing-users",
        shows: "section[aria-labelledby=existing-heading]",
        reach: |page| {
            give(
                page,
                "#existing-input",
                &["production/before-import.json"],
                "#existing-found, #existing-none, #existing-error",
            )
        },
    },
];

/// After the import: the export of the reconcile fixtures, then what production holds.
const VERIFY_WALK: &[Step] = &[
    Step {
        name: "7-verify-before",
        shows: "section[aria-labelledby=verify-heading]",
        reach: |page| give(page, "#file-input", &["reconcile/dev.csv"], "#verdict"),
    },
    Step {
        name: "8-verify",
        shows: "section[aria-labelledby=verify-heading]",
        reach: |page| {
            give(
                page,
                "#verify-prod-input",
                &["reconcile/prod.json"],
                "#verify-verdict",
            );
            give(
                page,
                "#verify-logs-input",
                &["reconcile/migration-2026-11-23.log"],
                "#verify-verdict",
            );
            give(
                page,
                "#verify-db-input",
                &["reconcile/db-ids.csv"],
                "#verify-orphaned",
            );
        },
    },
];

/// Walks the steps; at each, in every size, theme and language, runs axe-core and the layout
/// check and saves a screenshot of the step. Fails with everything found, not only the first.
fn walk(steps: &[Step]) {
    let out = root().join("target/screenshots");
    let mut page = Chromium::launch().new_page();
    page.open(&single_file_url());
    let mut failures = Vec::new();
    for step in steps {
        (step.reach)(&mut page);
        for (size, width, height) in SIZES {
            page.set_viewport(width, height);
            for theme in THEMES {
                page.prefer_color_scheme(theme);
                for lang in LANGS {
                    page.eval(&format!("document.querySelector('#lang-{lang}').click()"))
                        .unwrap();
                    page.wait_for(&format!("document.documentElement.lang === '{lang}'"));
                    settle(&mut page);
                    let at = format!("{} at {width}×{height}, {theme}, {lang}", step.name);
                    for problem in layout_problems(&mut page) {
                        failures.push(format!("{at}: {problem}"));
                    }
                    if lang == "es" && theme == "light" && size == "desktop" {
                        for word in untranslated(&mut page) {
                            failures.push(format!("{at}: English on the Spanish page: {word}"));
                        }
                    }
                    for violation in axe_violations(&mut page) {
                        failures.push(format!("{at}: axe: {violation}"));
                    }
                    let path = out.join(format!("{}-{size}-{theme}-{lang}.png", step.name));
                    if step.shows == "body" {
                        page.screenshot(&path);
                    } else {
                        page.screenshot_of(step.shows, &path);
                    }
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} problems:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

// The acceptance checks of issue #12 ("Done means"), run by `cargo xtask test`: every
// state, both sizes, both themes, both languages; they save the screenshots as they go.

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn audit_every_step_before_the_import_passes_axe_and_fits_a_phone() {
    walk(PREPARE_WALK);
}

#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn audit_the_verify_step_passes_axe_and_fits_a_phone() {
    walk(VERIFY_WALK);
}

/// The relative luminance of an `#rrggbb` colour (WCAG 2).
fn luminance(hex: &str) -> f64 {
    let hex = hex.trim().trim_start_matches('#');
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("a hex colour")) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

/// The keyboard focus ring stands out at least 3:1 from the page and from the cards it is
/// drawn on, in the light theme and the dark one.
#[test]
#[ignore = "needs the built page and Chromium: run `cargo xtask test`"]
fn the_focus_ring_contrasts_three_to_one_in_both_themes() {
    let mut page = Chromium::launch().new_page();
    page.open(&single_file_url());
    for theme in THEMES {
        page.prefer_color_scheme(theme);
        settle(&mut page);
        let colours: Vec<String> = serde_json::from_value(
            page.eval(
                "['--focus', '--bg', '--card'].map((v) => \
                 getComputedStyle(document.documentElement).getPropertyValue(v).trim())",
            )
            .unwrap(),
        )
        .unwrap();
        for behind in &colours[1..] {
            let ratio = contrast(&colours[0], behind);
            assert!(
                ratio >= 3.0,
                "{theme}: the focus ring {} on {behind} is {ratio:.2}:1",
                colours[0]
            );
        }
    }
}
