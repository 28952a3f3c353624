//! The code scan over small services written for these tests: every read of the production
//! id found at its line, and no look-alike (comments, strings, other `userId`s, the claim
//! read correctly) taken for one; and `check-code` / `prepare --code` from a terminal.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::path::Path;
use std::process::Command;

use clerk_dev2prod::core::checks::code_scan::{scan, skipped_dir, CodeScan, ReadKind, SourceFile};
use clerk_dev2prod::core::lang::Lang;
use ReadKind::*;

fn services() -> std::path::PathBuf {
    common::fixture("services")
}

/// The fixtures as the page would hand them over: every file, skipped folders left out.
fn read_service(dir: &Path, service: &str, files: &mut Vec<SourceFile>) {
    fn walk(root: &Path, dir: &Path, service: &str, files: &mut Vec<SourceFile>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                if !skipped_dir(&name) {
                    walk(root, &path, service, files);
                }
            } else {
                files.push(SourceFile {
                    service: service.into(),
                    path: path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    text: std::fs::read_to_string(&path).unwrap(),
                });
            }
        }
    }
    walk(dir, dir, service, files);
}

fn scan_all() -> CodeScan {
    let mut files = Vec::new();
    for service in ["billing", "chat-ws", "gateway", "notes-api", "web"] {
        read_service(&services().join(service), service, &mut files);
    }
    scan(&files, "userId")
}

fn found(report: &CodeScan, service: &str) -> Vec<(String, usize, ReadKind)> {
    let s = report
        .services
        .iter()
        .find(|s| s.service == service)
        .unwrap();
    let mut all: Vec<_> = s
        .reads
        .iter()
        .chain(&s.claim_reads)
        .map(|f| (f.path.clone(), f.line, f.kind))
        .collect();
    all.sort();
    all
}

fn expect(list: &[(&str, usize, ReadKind)]) -> Vec<(String, usize, ReadKind)> {
    let mut all: Vec<_> = list
        .iter()
        .map(|(p, l, k)| (p.to_string(), *l, *k))
        .collect();
    all.sort();
    all
}

#[test]
fn the_nextjs_app_router_route_middleware_and_client_component() {
    assert_eq!(
        found(&scan_all(), "web"),
        expect(&[
            ("middleware.ts", 10, AuthUserId),
            ("app/api/notes/route.ts", 6, Claim),
            ("app/api/notes/route.ts", 12, AuthUserId),
            ("app/api/notes/route.ts", 17, ClerkUserId),
            ("app/api/notes/profile.tsx", 6, AuthUserId),
            ("app/api/notes/profile.tsx", 8, ClerkUserId),
        ])
    );
}

#[test]
fn the_express_gateway() {
    assert_eq!(
        found(&scan_all(), "gateway"),
        expect(&[
            ("src/server.js", 9, AuthUserId),
            ("src/server.js", 14, AuthUserId),
            ("src/server.js", 21, Claim),
            ("src/server.js", 22, TokenSubject)
        ])
    );
}

#[test]
fn the_fastapi_router_and_the_websocket_server() {
    let report = scan_all();
    assert_eq!(
        found(&report, "notes-api"),
        expect(&[
            ("app/routers/notes.py", 18, TokenSubject),
            ("app/routers/notes.py", 23, Claim),
            ("app/routers/auth.py", 13, TokenSubject)
        ])
    );
    assert_eq!(
        found(&report, "chat-ws"),
        expect(&[("server.py", 16, TokenSubject)])
    );
}

#[test]
fn the_go_handler() {
    assert_eq!(
        found(&scan_all(), "billing"),
        expect(&[
            ("internal/handlers/invoices.go", 17, TokenSubject),
            ("internal/handlers/invoices.go", 28, Claim)
        ])
    );
}

#[test]
fn each_finding_says_why_and_what_to_write_in_its_language() {
    let report = scan_all();
    let read = |service: &str, line: usize| {
        report
            .services
            .iter()
            .find(|s| s.service == service)
            .unwrap()
            .reads
            .iter()
            .find(|f| f.line == line)
            .unwrap()
            .clone()
    };
    let middleware = read("web", 10);
    assert_eq!(middleware.expression, "{ userId } = await auth()");
    assert!(middleware
        .why(Lang::En, "userId")
        .contains("new production id"));
    assert!(middleware
        .why(Lang::Es, "userId")
        .contains("id nuevo de producción"));
    assert!(
        middleware
            .replacement("userId")
            .contains("sessionClaims?.userId")
            && middleware.replacement("userId").contains("?? clerkId")
    );
    let fastapi = read("notes-api", 18);
    assert_eq!(fastapi.expression, "payload[\"sub\"]");
    assert_eq!(
        fastapi.replacement("devUserId"),
        "payload.get(\"devUserId\") or payload[\"sub\"]"
    );
    let go = read("billing", 17);
    assert!(
        go.replacement("userId").contains("`json:\"userId\"`")
            && go
                .replacement("userId")
                .contains("userID := claims.Subject")
    );
    assert_eq!(
        read("web", 17).replacement("userId"),
        "user.externalId ?? user.id"
    );
}

#[test]
fn skipped_folders_are_not_read_and_files_are_counted_per_language() {
    let report = scan_all();
    let web = report.services.iter().find(|s| s.service == "web").unwrap();
    assert!(web.reads.iter().all(|f| !f.path.contains("node_modules")));
    assert_eq!(
        report.counts(Lang::En),
        "4 TypeScript/JavaScript files, 3 Python files, 1 Go file"
    );
    assert_eq!(
        report.counts(Lang::Es),
        "4 archivos TypeScript/JavaScript, 3 archivos Python, 1 archivo Go"
    );
    for name in [
        "node_modules",
        ".git",
        ".next",
        "dist",
        "build",
        ".venv",
        "venv",
        "__pycache__",
        "target",
    ] {
        assert!(skipped_dir(name), "{name}");
    }
    assert!(!skipped_dir("src"));
}

fn cli(args: &[&str]) -> (Option<i32>, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_clerk-dev2prod"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr),
    )
}

#[test]
fn check_code_exits_1_with_findings_0_when_clean_2_when_unreadable() {
    let dirs: Vec<String> = ["web", "gateway", "notes-api", "chat-ws", "billing"]
        .iter()
        .map(|s| services().join(s).to_string_lossy().into_owned())
        .collect();
    let mut args = vec!["check-code"];
    args.extend(dirs.iter().map(String::as_str));
    let (code, text) = cli(&args);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("Read: 4 TypeScript/JavaScript files, 3 Python files, 1 Go file"),
        "{text}"
    );
    assert!(
        text.contains("web: 5 reads of the production id, 1 read of userId"),
        "{text}"
    );
    assert!(
        text.contains("[fix] middleware.ts:10  { userId } = await auth()"),
        "{text}"
    );
    assert!(text.contains("can be missed"), "{text}");
    assert!(
        !text.contains("node_modules") && !text.contains("jwt_helpers"),
        "{text}"
    );

    let clean = common::scratch("code-clean");
    std::fs::create_dir_all(clean.join("api")).unwrap();
    std::fs::write(
        clean.join("api/route.ts"),
        "const { sessionClaims } = await auth();\nconst id = sessionClaims?.userId;\n",
    )
    .unwrap();
    let (code, text) = cli(&[
        "check-code",
        clean.join("api").to_str().unwrap(),
        "--lang",
        "es",
    ]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("api: 0 lecturas del id de producción, 1 lectura de userId"),
        "{text}"
    );

    let (code, text) = cli(&["check-code", clean.join("missing").to_str().unwrap()]);
    assert_eq!(code, Some(2), "{text}");
    std::fs::create_dir_all(clean.join("empty")).unwrap();
    let (code, text) = cli(&["check-code", clean.join("empty").to_str().unwrap()]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("No TypeScript, JavaScript, Python or Go file"),
        "{text}"
    );
    let _ = std::fs::remove_dir_all(clean);
}

#[test]
fn prepare_code_adds_a_table_per_service_to_the_runbook() {
    let out = common::scratch("code-prepare");
    let (code, text) = cli(&[
        "prepare",
        common::fixture("exports/dashboard.csv").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--code",
        services().join("web").to_str().unwrap(),
        services().join("billing").to_str().unwrap(),
    ]);
    assert_eq!(code, Some(0), "{text}");
    let runbook = std::fs::read_to_string(out.join("MIGRATION.md")).unwrap();
    assert!(
        runbook.contains("| | Service | Files | Reads of the production id | Reads of `userId` |"),
        "{runbook}"
    );
    assert!(runbook.contains("| [ ] | web | 3 | 5 | 1 |"), "{runbook}");
    assert!(
        runbook.contains("| [ ] | billing | 1 | 1 | 1 |"),
        "{runbook}"
    );
    assert!(runbook.contains("`middleware.ts`:10"), "{runbook}");
    assert!(runbook.contains("can be missed"), "{runbook}");
    let _ = std::fs::remove_dir_all(out);
}
