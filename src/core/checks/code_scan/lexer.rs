//! Just enough of each language's lexical rules to tell code from comments and strings: a
//! pattern inside a comment or a string literal is never a finding.

use super::Language;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    Ident,
    /// A string literal's contents (Go raw strings included: struct tags live there).
    Str,
    Punct,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub kind: Kind,
    pub text: String,
    pub line: usize,
}

impl Token {
    pub fn is(&self, text: &str) -> bool {
        self.kind != Kind::Str && self.text == text
    }

    pub fn ident(&self) -> Option<&str> {
        (self.kind == Kind::Ident).then_some(self.text.as_str())
    }
}

/// Splits source text into tokens, dropping comments. `?.` reads as `.` and TypeScript's
/// non-null `!.` as `.`, so `auth()?.userId` and `auth()!.userId` match like `auth().userId`.
pub fn tokens(text: &str, language: Language) -> Vec<Token> {
    let chars: Vec<char> = text.chars().collect();
    let mut out: Vec<Token> = Vec::new();
    let mut i = 0;
    let mut line = 1;
    // Brace depth at which each open JS template literal's `${` began.
    let mut templates: Vec<usize> = Vec::new();
    let mut depth = 0usize;
    let push =
        |out: &mut Vec<Token>, kind, text: String, line| out.push(Token { kind, text, line });
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '\n' {
            line += 1;
            i += 1;
            continue;
        }
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let line_comment = match language {
            Language::Python => c == '#',
            _ => c == '/' && next == Some('/'),
        };
        if line_comment {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
            continue;
        }
        if language != Language::Python && c == '/' && next == Some('*') {
            i += 2;
            while i < chars.len() && !(chars[i] == '*' && chars.get(i + 1) == Some(&'/')) {
                if chars[i] == '\n' {
                    line += 1;
                }
                i += 1;
            }
            i += 2;
            continue;
        }
        if c.is_alphabetic() || c == '_' || c == '$' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '_' || chars[i] == '$')
            {
                i += 1;
            }
            let word: String = chars[start..i].iter().collect();
            // Python string prefixes: r"…", b'…', f"…", rb"…".
            let prefix = language == Language::Python
                && word.len() <= 2
                && word.chars().all(|c| "rbfuRBFU".contains(c))
                && matches!(chars.get(i), Some('"' | '\''));
            if !prefix {
                push(&mut out, Kind::Ident, word, line);
            }
            continue;
        }
        if c.is_ascii_digit() {
            while i < chars.len()
                && (chars[i].is_alphanumeric() || chars[i] == '.' || chars[i] == '_')
            {
                i += 1;
            }
            push(&mut out, Kind::Other, String::new(), line);
            continue;
        }
        // JS template literal: its text is a string, each `${…}` is code.
        if language == Language::JavaScript
            && (c == '`' || (c == '}' && templates.last() == Some(&depth)))
        {
            if c == '}' {
                templates.pop();
                depth = depth.saturating_sub(1);
            }
            let start_line = line;
            i += 1;
            let mut text = String::new();
            while i < chars.len() && chars[i] != '`' {
                if chars[i] == '\\' {
                    i += 2;
                    continue;
                }
                if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
                    break;
                }
                if chars[i] == '\n' {
                    line += 1;
                }
                text.push(chars[i]);
                i += 1;
            }
            push(&mut out, Kind::Str, text, start_line);
            if chars.get(i) == Some(&'$') {
                depth += 1;
                templates.push(depth);
                i += 2;
            } else {
                i += 1;
            }
            continue;
        }
        let quote = match language {
            Language::Go => matches!(c, '"' | '`' | '\''),
            _ => matches!(c, '"' | '\''),
        };
        if quote || (language == Language::JavaScript && c == '/' && regex_may_start(&out)) {
            let start_line = line;
            let triple =
                language == Language::Python && next == Some(c) && chars.get(i + 2) == Some(&c);
            let raw = language == Language::Go && c == '`';
            i += if triple { 3 } else { 1 };
            let mut text = String::new();
            let mut in_class = false;
            while let Some(&d) = chars.get(i) {
                if d == '\\' && !raw {
                    text.push(d);
                    if let Some(&e) = chars.get(i + 1) {
                        text.push(e);
                    }
                    i += 2;
                    continue;
                }
                if c == '/' {
                    // A regex's `[/]` does not end it.
                    if d == '[' {
                        in_class = true;
                    } else if d == ']' {
                        in_class = false;
                    }
                }
                if d == c
                    && !in_class
                    && (!triple || (chars.get(i + 1) == Some(&c) && chars.get(i + 2) == Some(&c)))
                {
                    i += if triple { 3 } else { 1 };
                    break;
                }
                if d == '\n' {
                    line += 1;
                    if !triple && !raw {
                        break; // an unclosed quote ends at its line
                    }
                }
                text.push(d);
                i += 1;
            }
            if c == '/' {
                while i < chars.len() && chars[i].is_ascii_alphabetic() {
                    i += 1; // flags
                }
            }
            push(&mut out, Kind::Str, text, start_line);
            continue;
        }
        if c == '?' && next == Some('.') && !chars.get(i + 2).is_some_and(char::is_ascii_digit) {
            push(&mut out, Kind::Punct, ".".into(), line);
            i += 2;
            continue;
        }
        if c == '!' && next == Some('.') && language == Language::JavaScript {
            i += 1;
            continue;
        }
        if c == '{' {
            depth += 1;
        } else if c == '}' {
            depth = depth.saturating_sub(1);
        }
        push(&mut out, Kind::Punct, c.to_string(), line);
        i += 1;
    }
    out
}

/// Whether a `/` here starts a regular expression rather than dividing.
fn regex_may_start(before: &[Token]) -> bool {
    match before.last() {
        None => true,
        Some(t) if t.kind == Kind::Punct => !matches!(t.text.as_str(), ")" | "]" | "}"),
        Some(t) if t.kind == Kind::Ident => {
            matches!(
                t.text.as_str(),
                "return" | "typeof" | "case" | "in" | "of" | "new" | "delete" | "void" | "throw"
            )
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idents(text: &str, language: Language) -> Vec<String> {
        tokens(text, language)
            .into_iter()
            .filter(|t| t.kind == Kind::Ident)
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn comments_and_strings_are_not_code() {
        let js = "// auth().userId\n/* getAuth(req).userId */ const s = 'auth().userId'; const t = `x ${a.b} y`; const r = /auth\\(\\)/g;";
        assert_eq!(
            idents(js, Language::JavaScript),
            ["const", "s", "const", "t", "a", "b", "const", "r"]
        );
        let py = "# payload['sub']\ns = \"\"\"payload['sub']\n\"\"\"\nx = f'{a}'";
        assert_eq!(idents(py, Language::Python), ["s", "x"]);
        let go = "// claims.Subject\ns := `json:\"userId\"`";
        let toks = tokens(go, Language::Go);
        assert_eq!(toks.last().unwrap().kind, Kind::Str);
        assert_eq!(toks.last().unwrap().text, "json:\"userId\"");
        assert_eq!(toks.last().unwrap().line, 2);
    }

    #[test]
    fn lines_are_counted_across_comments_and_strings() {
        let toks = tokens("/*\n\n*/ a\n`\n${b}`", Language::JavaScript);
        let b = toks.iter().find(|t| t.text == "b").unwrap();
        assert_eq!(b.line, 5);
        assert_eq!(toks.iter().find(|t| t.text == "a").unwrap().line, 3);
    }
}
