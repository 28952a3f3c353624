//! The code scan: in each service's source, every place that reads the Clerk user id in a
//! way that yields the new production id (`sub`) where the dev id is expected, and every
//! place already reading the custom claim. Tokens are read, not lines, so a pattern in a
//! comment or a string is no finding. Indirect reads (the id passed through a helper of
//! the service's own, a wrapper SDK, a renamed import) can be missed: the report says so.

mod lexer;

use std::collections::HashSet;

use crate::core::lang::{plural, Lang};
use lexer::{tokens, Kind, Token};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Language {
    /// TypeScript and JavaScript (one lexer: types read as code that matches nothing).
    JavaScript,
    Python,
    Go,
}

impl Language {
    pub fn of(path: &str) -> Option<Language> {
        let ext = path.rsplit_once('.')?.1;
        match ext {
            "ts" | "tsx" | "js" | "jsx" | "mjs" | "cjs" | "mts" | "cts" => {
                Some(Language::JavaScript)
            }
            "py" => Some(Language::Python),
            "go" => Some(Language::Go),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Language::JavaScript => "TypeScript/JavaScript",
            Language::Python => "Python",
            Language::Go => "Go",
        }
    }

    const ALL: [Language; 3] = [Language::JavaScript, Language::Python, Language::Go];
}

/// Folders never read: dependencies, version control, build output, virtual environments.
pub const SKIPPED_DIRS: [&str; 20] = [
    "node_modules",
    ".git",
    ".hg",
    ".svn",
    ".next",
    ".nuxt",
    ".svelte-kit",
    ".turbo",
    ".vercel",
    "dist",
    "build",
    "out",
    "target",
    "coverage",
    "vendor",
    ".venv",
    "venv",
    "env",
    "__pycache__",
    "site-packages",
];

/// Files larger than this are generated or minified: not a service's own code.
pub const MAX_FILE_BYTES: usize = 1 << 20;

pub fn skipped_dir(name: &str) -> bool {
    SKIPPED_DIRS.contains(&name) || name.ends_with(".egg-info")
}

/// One source file of a service; `path` is relative to the service's folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub service: String,
    pub path: String,
    pub text: String,
}

/// How a place reads the id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ReadKind {
    /// `auth().userId`, `getAuth(req).userId`, `req.auth.userId`, `useAuth().userId`,
    /// `{ userId } = await auth()`.
    AuthUserId,
    /// `useUser().user.id`, `(await currentUser()).id`.
    ClerkUserId,
    /// A verified token's `sub` (`payload.sub`, `payload["sub"]`, `claims.Subject`).
    TokenSubject,
    /// The custom claim: already the dev id.
    Claim,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub path: String,
    pub line: usize,
    pub language: Language,
    pub expression: String,
    pub kind: ReadKind,
}

impl Finding {
    /// Why this read gives the production id.
    pub fn why(&self, lang: Lang, claim: &str) -> String {
        match self.kind {
            ReadKind::AuthUserId => lang.pick(
                "userId from Clerk's auth helpers is always the token's sub: the new production id, not the dev id your rows are keyed by.".to_string(),
                "userId de los helpers de auth de Clerk es siempre el sub del token: el id nuevo de producción, no el id de desarrollo de tus filas.".to_string(),
            ),
            ReadKind::ClerkUserId => lang.pick(
                "A Clerk user object's id is the production id; the dev id is its externalId.".to_string(),
                "El id de un objeto de usuario de Clerk es el id de producción; el id de desarrollo es su externalId.".to_string(),
            ),
            ReadKind::TokenSubject => lang.pick(
                format!("A session token's sub is the new production id; the dev id is in its {claim} claim."),
                format!("El sub de un token de sesión es el id nuevo de producción; el id de desarrollo está en su claim {claim}."),
            ),
            ReadKind::Claim => lang.pick(
                format!("Reads the {claim} claim: the dev id for migrated users."),
                format!("Lee el claim {claim}: el id de desarrollo para los usuarios migrados."),
            ),
        }
    }

    /// The same read in the finding's language, taking the claim with `sub` as the fallback
    /// for users created in production.
    pub fn replacement(&self, claim: &str) -> String {
        match (self.language, self.kind) {
            (_, ReadKind::Claim) => String::new(),
            (Language::JavaScript, ReadKind::AuthUserId) if self.expression.contains("useAuth") => {
                "const { user } = useUser(); const userId = user?.externalId ?? user?.id;".into()
            }
            (Language::JavaScript, ReadKind::AuthUserId)
                if self.expression.contains("req.auth.") =>
            {
                format!(
                    "(req.auth.sessionClaims?.{claim} as string | undefined) ?? req.auth.userId"
                )
            }
            (Language::JavaScript, ReadKind::AuthUserId) => {
                let call = if self.expression.contains("getAuth") {
                    "getAuth(req)"
                } else {
                    "await auth()"
                };
                format!("const {{ userId: clerkId, sessionClaims }} = {call}; const userId = (sessionClaims?.{claim} as string | undefined) ?? clerkId;")
            }
            (Language::JavaScript, ReadKind::ClerkUserId) => "user.externalId ?? user.id".into(),
            (Language::JavaScript, _) => {
                let target = self
                    .expression
                    .split(['.', '['])
                    .next()
                    .unwrap_or("payload");
                format!("{target}.{claim} ?? {target}.sub")
            }
            (Language::Python, _) => {
                let target = self.expression.split_once(['[']).map_or_else(
                    || {
                        self.expression
                            .rsplit_once(".get")
                            .map_or("payload", |(t, _)| t)
                    },
                    |(t, _)| t,
                );
                format!("{target}.get(\"{claim}\") or {target}[\"sub\"]")
            }
            (Language::Go, _) => {
                let target = self.expression.split('.').next().unwrap_or("claims");
                let field = go_field(claim);
                format!("userID := {target}.Subject; if custom, ok := {target}.Custom.(*CustomClaims); ok && custom.{field} != \"\" {{ userID = custom.{field} }} // type CustomClaims struct {{ {field} string `json:\"{claim}\"` }}, registered with clerkhttp.CustomClaimsConstructor(func(context.Context) any {{ return &CustomClaims{{}} }})")
            }
        }
    }
}

/// `userId` → `UserID`: the Go field a claim decodes into.
fn go_field(claim: &str) -> String {
    let mut field: String = claim
        .chars()
        .enumerate()
        .map(|(i, c)| if i == 0 { c.to_ascii_uppercase() } else { c })
        .collect();
    if field.ends_with("Id") {
        field.truncate(field.len() - 2);
        field.push_str("ID");
    }
    field
}

/// One service's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceScan {
    pub service: String,
    /// Files read, per language in [`Language::ALL`] order.
    pub files: [usize; 3],
    /// Reads that give the production id.
    pub reads: Vec<Finding>,
    /// Reads of the custom claim.
    pub claim_reads: Vec<Finding>,
}

impl ServiceScan {
    pub fn files_of(&self, language: Language) -> usize {
        self.files[language as usize]
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct CodeScan {
    pub claim_name: String,
    pub services: Vec<ServiceScan>,
}

impl CodeScan {
    pub fn clean(&self) -> bool {
        self.services.iter().all(|s| s.reads.is_empty())
    }

    pub fn files_read(&self) -> usize {
        self.services.iter().flat_map(|s| s.files).sum()
    }

    /// "12 TypeScript/JavaScript files, 3 Python files".
    pub fn counts(&self, lang: Lang) -> String {
        let mut parts = Vec::new();
        for language in Language::ALL {
            let n: usize = self.services.iter().map(|s| s.files_of(language)).sum();
            if n > 0 {
                parts.push(lang.pick(
                    format!("{n} {} {}", language.label(), plural(n, "file", "files")),
                    format!(
                        "{n} {} {}",
                        plural(n, "archivo", "archivos"),
                        language.label()
                    ),
                ));
            }
        }
        if parts.is_empty() {
            return lang
                .pick(
                    "no TypeScript, JavaScript, Python or Go file",
                    "ningún archivo TypeScript, JavaScript, Python ni Go",
                )
                .into();
        }
        parts.join(", ")
    }

    /// What a scan cannot see, said every time.
    pub fn limits(lang: Lang) -> &'static str {
        lang.pick(
            "A scan reads the code as written: a read through a helper of your own, a wrapper, a renamed import or a value passed between services can be missed. Check a real session token too.",
            "Un escaneo lee el código tal como está escrito: una lectura a través de un helper propio, un envoltorio, una importación renombrada o un valor pasado entre servicios puede escaparse. Comprueba también un token de sesión real.",
        )
    }
}

/// The runbook's part: one row per service, then each read to change with its replacement.
/// Every value from the services' code goes through the Markdown escapers.
pub fn runbook_lines(scan: &CodeScan, lang: Lang) -> Vec<String> {
    use crate::core::escape::{md_cell_code, md_code, md_text};
    let claim = &scan.claim_name;
    let mut lines = vec![
        lang.pick(
            format!("The services' code, as scanned ({}):", scan.counts(lang)),
            format!(
                "El código de los servicios, según el escaneo ({}):",
                scan.counts(lang)
            ),
        ),
        String::new(),
        lang.pick(
            format!("| | Service | Files | Reads of the production id | Reads of `{claim}` |"),
            format!(
                "| | Servicio | Archivos | Lecturas del id de producción | Lecturas de `{claim}` |"
            ),
        ),
        "|---|---|---|---|---|".into(),
    ];
    for service in &scan.services {
        let mark = if service.reads.is_empty() {
            "[x]"
        } else {
            "[ ]"
        };
        let files: usize = service.files.iter().sum();
        lines.push(format!(
            "| {mark} | {} | {files} | {} | {} |",
            md_text(&service.service),
            service.reads.len(),
            service.claim_reads.len()
        ));
    }
    lines.push(String::new());
    for service in scan.services.iter().filter(|s| !s.reads.is_empty()) {
        for read in &service.reads {
            lines.push(format!(
                "- [ ] {} {}:{} {} — {} {} {}",
                md_text(&service.service),
                md_code(&read.path),
                read.line,
                md_code(&read.expression),
                read.why(lang, claim),
                lang.pick("Use:", "Usa:"),
                md_cell_code(&read.replacement(claim)),
            ));
        }
    }
    if scan.services.iter().any(|s| !s.reads.is_empty()) {
        lines.push(String::new());
    }
    lines.push(CodeScan::limits(lang).to_string());
    lines.push(String::new());
    lines
}

/// Scans every file, grouped by service in the order services first appear.
pub fn scan(files: &[SourceFile], claim_name: &str) -> CodeScan {
    let mut report = CodeScan {
        claim_name: claim_name.to_string(),
        services: Vec::new(),
    };
    for file in files {
        let Some(language) = Language::of(&file.path) else {
            continue;
        };
        if file.text.len() > MAX_FILE_BYTES {
            continue;
        }
        let index = match report
            .services
            .iter()
            .position(|s| s.service == file.service)
        {
            Some(i) => i,
            None => {
                report.services.push(ServiceScan {
                    service: file.service.clone(),
                    files: [0; 3],
                    reads: Vec::new(),
                    claim_reads: Vec::new(),
                });
                report.services.len() - 1
            }
        };
        let service = &mut report.services[index];
        service.files[language as usize] += 1;
        for finding in scan_file(&file.path, &file.text, language, claim_name) {
            if finding.kind == ReadKind::Claim {
                service.claim_reads.push(finding);
            } else {
                service.reads.push(finding);
            }
        }
    }
    report
}

/// Names a decoded token usually goes by, for reads whose origin is out of sight.
const TOKEN_NAMES: [&str; 9] = [
    "payload",
    "claims",
    "decoded",
    "sessionClaims",
    "session_claims",
    "jwtPayload",
    "jwt_payload",
    "token_claims",
    "tokenClaims",
];

struct Scanner<'a> {
    t: Vec<Token>,
    path: &'a str,
    language: Language,
    claim: &'a str,
    out: Vec<Finding>,
    /// Variables holding a verified token's claims.
    token_vars: HashSet<String>,
    /// Variables holding a Clerk user object.
    user_vars: HashSet<String>,
}

fn scan_file(path: &str, text: &str, language: Language, claim: &str) -> Vec<Finding> {
    let mut s = Scanner {
        t: tokens(text, language),
        path,
        language,
        claim,
        out: Vec::new(),
        token_vars: TOKEN_NAMES.iter().map(|n| n.to_string()).collect(),
        user_vars: HashSet::new(),
    };
    match language {
        Language::JavaScript => s.javascript(),
        Language::Python => s.python(),
        Language::Go => s.go(),
    }
    s.out.sort_by_key(|f| f.line);
    s.out.dedup();
    s.out
}

impl Scanner<'_> {
    fn at(&self, i: usize) -> Option<&Token> {
        self.t.get(i)
    }

    fn is(&self, i: usize, text: &str) -> bool {
        self.at(i).is_some_and(|t| t.is(text))
    }

    fn ident(&self, i: usize) -> Option<&str> {
        self.at(i).and_then(Token::ident)
    }

    fn is_str(&self, i: usize, text: &str) -> bool {
        self.at(i)
            .is_some_and(|t| t.kind == Kind::Str && t.text == text)
    }

    /// The index of the bracket closing the one at `open`.
    fn close(&self, open: usize) -> Option<usize> {
        let (o, c) = match self.at(open)?.text.as_str() {
            "(" => ("(", ")"),
            "[" => ("[", "]"),
            "{" => ("{", "}"),
            _ => return None,
        };
        let mut depth = 0;
        for j in open..self.t.len() {
            if self.is(j, o) {
                depth += 1;
            } else if self.is(j, c) {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    }

    /// The index of the bracket opening the one at `close`.
    fn open(&self, close: usize) -> Option<usize> {
        let (o, c) = match self.at(close)?.text.as_str() {
            ")" => ("(", ")"),
            "]" => ("[", "]"),
            "}" => ("{", "}"),
            _ => return None,
        };
        let mut depth = 0;
        for j in (0..=close).rev() {
            if self.is(j, c) {
                depth += 1;
            } else if self.is(j, o) {
                depth -= 1;
                if depth == 0 {
                    return Some(j);
                }
            }
        }
        None
    }

    /// The source of tokens `from..=to`, spaced as people write it.
    fn text(&self, from: usize, to: usize) -> String {
        let mut out = String::new();
        let mut long = false;
        for j in from..=to.min(self.t.len().saturating_sub(1)) {
            let token = &self.t[j];
            let piece = match token.kind {
                Kind::Str if token.text.contains('"') => format!("`{}`", token.text),
                Kind::Str => format!("\"{}\"", token.text),
                Kind::Other => "…".into(),
                _ => token.text.clone(),
            };
            let prev = j.checked_sub(1).filter(|&p| p >= from).map(|p| &self.t[p]);
            let tight = prev.is_none_or(|p| p.is(".") || p.is("(") || p.is("[") || p.is("!"))
                || matches!(
                    piece.as_str(),
                    "." | "(" | ")" | "[" | "]" | "," | ";" | ":" | "!"
                );
            if !tight {
                out.push(' ');
            }
            out.push_str(&piece);
            if out.chars().count() > 80 {
                long = true;
                break;
            }
        }
        if long {
            out.push('…');
        }
        out
    }

    fn push(&mut self, at: usize, from: usize, to: usize, kind: ReadKind) {
        let line = self.t[at].line;
        let expression = self.text(from, to);
        self.out.push(Finding {
            path: self.path.to_string(),
            line,
            language: self.language,
            expression,
            kind,
        });
    }

    /// The start of the member chain ending at `end` (`req.auth`, `state.payload`, `a()`).
    fn chain_start(&self, end: usize) -> usize {
        let mut i = end;
        loop {
            if self.is(i, ")") || self.is(i, "]") {
                match self.open(i) {
                    Some(o) if o > 0 => i = o - 1,
                    _ => return i,
                }
                continue;
            }
            if self.ident(i).is_some() && i >= 2 && self.is(i - 1, ".") {
                i -= 2;
                continue;
            }
            return i;
        }
    }

    /// The read at `at` is the fallback of a claim read just before it
    /// (`claims.userId ?? claims.sub`, `payload.get("userId") or payload["sub"]`).
    fn is_fallback(&self, at: usize) -> bool {
        // Right after `??`, `||` or `or` (past a cast's `(`), with the claim or externalId
        // read in the few tokens before the operator.
        let mut j = at;
        while j > 0 && self.is(j - 1, "(") {
            j -= 1;
        }
        let operator = if j >= 2
            && ((self.is(j - 1, "?") && self.is(j - 2, "?"))
                || (self.is(j - 1, "|") && self.is(j - 2, "|")))
        {
            j - 2
        } else if j >= 1 && self.is(j - 1, "or") {
            j - 1
        } else {
            return false;
        };
        (operator.saturating_sub(10)..operator).any(|k| {
            self.at(k).is_some_and(|t| {
                t.text == self.claim || t.text == "externalId" || t.text == "external_id"
            })
        })
    }

    fn javascript(&mut self) {
        const AUTH_FNS: [&str; 3] = ["auth", "getAuth", "useAuth"];
        const VERIFIERS: [&str; 5] = [
            "verifyToken",
            "jwtVerify",
            "verifyJwt",
            "decodeJwt",
            "verify",
        ];
        for i in 0..self.t.len() {
            let Some(word) = self.ident(i).map(str::to_string) else {
                if self.is(i, "=") {
                    self.js_binding(i, &VERIFIERS);
                }
                continue;
            };
            // auth().userId, getAuth(req).userId, useAuth().userId, req.auth().userId,
            // (await auth()).userId
            if AUTH_FNS.contains(&word.as_str()) && self.is(i + 1, "(") {
                if let Some(close) = self.close(i + 1) {
                    let start = if i >= 2 && self.is(i - 1, ".") {
                        self.chain_start(i)
                    } else {
                        i
                    };
                    if self.is(close + 1, ".") && self.ident(close + 2) == Some("userId") {
                        self.push(close + 2, start, close + 2, ReadKind::AuthUserId);
                    } else if i >= 2
                        && self.is(i - 1, "await")
                        && self.is(i - 2, "(")
                        && self.is(close + 1, ")")
                        && self.is(close + 2, ".")
                        && self.ident(close + 3) == Some("userId")
                    {
                        self.push(close + 3, i - 2, close + 3, ReadKind::AuthUserId);
                    }
                }
            }
            // req.auth.userId (the Express middleware's property)
            if word == "auth"
                && i >= 1
                && self.is(i - 1, ".")
                && self.is(i + 1, ".")
                && self.ident(i + 2) == Some("userId")
            {
                let start = self.chain_start(i);
                self.push(i + 2, start, i + 2, ReadKind::AuthUserId);
            }
            // useUser().user.id, (await currentUser()).id
            if word == "useUser"
                && self.is(i + 1, "(")
                && self.is(i + 2, ")")
                && self.is(i + 3, ".")
                && self.ident(i + 4) == Some("user")
                && self.is(i + 5, ".")
                && self.ident(i + 6) == Some("id")
            {
                self.push(i + 6, i, i + 6, ReadKind::ClerkUserId);
            }
            if word == "currentUser"
                && i >= 2
                && self.is(i - 1, "await")
                && self.is(i - 2, "(")
                && self.is(i + 1, "(")
            {
                if let Some(close) = self.close(i + 1) {
                    if self.is(close + 1, ")")
                        && self.is(close + 2, ".")
                        && self.ident(close + 3) == Some("id")
                    {
                        self.push(close + 3, i - 2, close + 3, ReadKind::ClerkUserId);
                    }
                }
            }
            // user.id for a user bound from useUser() or currentUser()
            let member = i == 0 || !self.is(i - 1, ".");
            if member
                && self.user_vars.contains(&word)
                && self.is(i + 1, ".")
                && self.ident(i + 2) == Some("id")
                && !self.is_fallback(i)
            {
                self.push(i + 2, i, i + 2, ReadKind::ClerkUserId);
            }
            // A token's claims: payload.sub, payload["sub"], sessionClaims.userId
            if member && self.token_vars.contains(&word) {
                let (field, end) = if self.is(i + 1, ".") {
                    (self.ident(i + 2).map(str::to_string), i + 2)
                } else if self.is(i + 1, "[") && self.is(i + 3, "]") {
                    (
                        self.at(i + 2)
                            .filter(|t| t.kind == Kind::Str)
                            .map(|t| t.text.clone()),
                        i + 3,
                    )
                } else {
                    (None, i)
                };
                match field.as_deref() {
                    Some("sub") if !self.is_fallback(i) => {
                        self.push(end, i, end, ReadKind::TokenSubject)
                    }
                    Some(f) if f == self.claim => self.push(end, i, end, ReadKind::Claim),
                    _ => {}
                }
            }
        }
    }

    /// `… = [await] call(…)`: destructured userId from an auth helper, and variables bound
    /// to a Clerk user or to a verified token's claims.
    fn js_binding(&mut self, eq: usize, verifiers: &[&str]) {
        let mut call = eq + 1;
        if self.is(call, "await") {
            call += 1;
        }
        // The callee's last name: auth, clerk.verifyToken, jwt.verify.
        let mut callee = call;
        while self.ident(callee).is_some() && self.is(callee + 1, ".") {
            callee += 2;
        }
        let Some(name) = self.ident(callee).map(str::to_string) else {
            return;
        };
        if !self.is(callee + 1, "(") {
            return;
        }
        let qualified = callee >= call + 2 && self.ident(callee - 2) == Some("jwt");
        let verifier = verifiers.contains(&name.as_str()) && (name != "verify" || qualified)
            || name == "decode" && qualified;
        let auth = matches!(name.as_str(), "auth" | "getAuth" | "useAuth");
        let user = matches!(name.as_str(), "useUser" | "currentUser");
        if eq == 0 {
            return;
        }
        if self.is(eq - 1, "}") {
            let Some(open) = self.open(eq - 1) else {
                return;
            };
            // (index, key, the name it is bound to: `{ user: u }` binds u)
            let keys: Vec<(usize, String, String)> = (open + 1..eq - 1)
                .filter(|&j| {
                    (self.is(j - 1, "{") || self.is(j - 1, ",")) && self.ident(j).is_some()
                })
                .map(|j| {
                    let key = self.t[j].text.clone();
                    let bound = if self.is(j + 1, ":") {
                        self.ident(j + 2).map(str::to_string)
                    } else {
                        None
                    };
                    (j, key.clone(), bound.unwrap_or(key))
                })
                .collect();
            for (j, key, bound) in &keys {
                let bound = bound.clone();
                if auth && key == "userId" && !keys.iter().any(|(_, k, _)| k == "sessionClaims") {
                    self.push(
                        *j,
                        open,
                        callee + 1 + self.close(callee + 1).map_or(0, |c| c - callee - 1),
                        ReadKind::AuthUserId,
                    );
                }
                if user && key == "user" {
                    self.user_vars.insert(bound.clone());
                }
                if auth && key == "sessionClaims" || verifier && key == "payload" {
                    self.token_vars.insert(bound);
                }
            }
        } else if let Some(var) = self.ident(eq - 1).map(str::to_string) {
            if name == "currentUser" {
                self.user_vars.insert(var);
            } else if verifier {
                self.token_vars.insert(var);
            }
        }
    }

    fn python(&mut self) {
        const DECODERS: [&str; 5] = [
            "verify_token",
            "authenticate_request",
            "decode_token",
            "verify_jwt",
            "decode",
        ];
        for i in 0..self.t.len() {
            // name = [await] x.y.decoder(…)
            if self.is(i, "=") && i >= 1 && !self.is(i + 1, "=") && !self.is(i - 1, "=") {
                let mut call = i + 1;
                if self.is(call, "await") {
                    call += 1;
                }
                let mut callee = call;
                while self.ident(callee).is_some() && self.is(callee + 1, ".") {
                    callee += 2;
                }
                if let (Some(var), Some(name)) = (self.ident(i - 1), self.ident(callee)) {
                    let qualified = callee >= call + 2 && self.ident(callee - 2) == Some("jwt");
                    if self.is(callee + 1, "(")
                        && DECODERS.contains(&name)
                        && (name != "decode" || qualified)
                    {
                        let var = var.to_string();
                        self.token_vars.insert(var);
                    }
                }
            }
            // target["sub"] / target.get("sub")
            let (key_at, target_end, end) = if self.is(i, "[")
                && self.at(i + 1).is_some_and(|t| t.kind == Kind::Str)
                && self.is(i + 2, "]")
            {
                (i + 1, i.checked_sub(1), i + 2)
            } else if self.is(i, ".")
                && self.ident(i + 1) == Some("get")
                && self.is(i + 2, "(")
                && self.at(i + 3).is_some_and(|t| t.kind == Kind::Str)
            {
                (i + 3, i.checked_sub(1), self.close(i + 2).unwrap_or(i + 3))
            } else {
                continue;
            };
            let Some(target_end) = target_end else {
                continue;
            };
            let start = self.chain_start(target_end);
            let tokenish = (start..=target_end).any(|j| {
                self.ident(j)
                    .is_some_and(|n| self.token_vars.contains(n) || n == "payload")
                    || self.ident(j) == Some("decode") && j >= 2 && self.ident(j - 2) == Some("jwt")
            });
            if !tokenish || (start > 0 && self.is(start - 1, ".")) {
                continue;
            }
            if self.is_str(key_at, "sub") && !self.is_fallback(start) {
                self.push(key_at, start, end, ReadKind::TokenSubject);
            } else if self.is_str(key_at, self.claim) {
                self.push(key_at, start, end, ReadKind::Claim);
            }
        }
    }

    fn go(&mut self) {
        for i in 0..self.t.len() {
            // claims, ok := clerk.SessionClaimsFromContext(ctx); claims, err := jwt.Verify(…)
            if self.is(i, ":") && self.is(i + 1, "=")
                || self.is(i, "=")
                    && !self.is(i + 1, "=")
                    && i >= 1
                    && !self.is(i - 1, ":")
                    && !self.is(i - 1, "!")
                    && !self.is(i - 1, "=")
            {
                let var_at = (0..i)
                    .rev()
                    .take_while(|&j| self.ident(j).is_some() || self.is(j, ","))
                    .last();
                let rhs = if self.is(i, ":") { i + 2 } else { i + 1 };
                let calls = (rhs..(rhs + 8).min(self.t.len()))
                    .take_while(|&j| !self.is(j, "("))
                    .filter_map(|j| self.ident(j))
                    .any(|n| {
                        matches!(n, "SessionClaimsFromContext" | "Verify" | "ParseWithClaims")
                    });
                if let (Some(var_at), true) = (var_at, calls) {
                    if let Some(var) = self.ident(var_at) {
                        let var = var.to_string();
                        self.token_vars.insert(var);
                    }
                }
            }
            if self.ident(i) == Some("Subject")
                && i >= 2
                && self.is(i - 1, ".")
                && !self.is(i + 1, "=")
            {
                let start = self.chain_start(i - 2);
                let tokenish = (start..i).any(|j| {
                    self.ident(j).is_some_and(|n| {
                        self.token_vars.contains(n) || n.to_ascii_lowercase().contains("claims")
                    })
                });
                // The replacement's own fallback reads Subject, then Custom.
                let then_custom =
                    (i..(i + 16).min(self.t.len())).any(|j| self.ident(j) == Some("Custom"));
                if tokenish && !then_custom && (start == 0 || !self.is(start - 1, ".")) {
                    self.push(i, start, i, ReadKind::TokenSubject);
                }
            }
            // A struct tag decoding the claim: `json:"userId"`.
            if self.at(i).is_some_and(|t| {
                t.kind == Kind::Str && t.text.contains(&format!("json:\"{}\"", self.claim))
            }) {
                self.push(i, i, i, ReadKind::Claim);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reads(text: &str, path: &str) -> Vec<(usize, ReadKind, String)> {
        scan_file(path, text, Language::of(path).unwrap(), "userId")
            .into_iter()
            .map(|f| (f.line, f.kind, f.expression))
            .collect()
    }

    #[test]
    fn typescript_reads() {
        let found = reads(
            "const a = auth().userId;\nconst { userId } = await auth();\nconst b = (await auth()).userId;\nconst c = getAuth(req).userId;\nconst d = req.auth.userId;\nconst e = useUser().user.id;\n",
            "a.ts",
        );
        let lines: Vec<usize> = found.iter().map(|f| f.0).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5, 6], "{found:?}");
        assert_eq!(found[0].2, "auth().userId");
        assert_eq!(found[2].2, "(await auth()).userId");
        assert_eq!(found[4].2, "req.auth.userId");
    }

    #[test]
    fn the_replacements_own_fallbacks_are_not_findings() {
        let found = reads(
            "const { userId: clerkId, sessionClaims } = await auth();\nconst userId = sessionClaims?.userId ?? clerkId;\nconst u = user.externalId ?? user.id;\n",
            "a.ts",
        );
        assert_eq!(
            found,
            [(2, ReadKind::Claim, "sessionClaims.userId".to_string())]
        );
        assert!(reads(
            "uid = payload.get(\"userId\") or payload[\"sub\"]\n",
            "a.py"
        )
        .iter()
        .all(|f| f.1 == ReadKind::Claim));
    }

    #[test]
    fn go_field_names() {
        assert_eq!(go_field("userId"), "UserID");
        assert_eq!(go_field("dev_user"), "Dev_user");
    }
}
