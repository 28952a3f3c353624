//! What a user sees of a file before anything is parsed: its size and its line count.

/// The size of an input as a text editor would report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextStats {
    pub bytes: usize,
    pub lines: usize,
}

impl TextStats {
    /// Counts lines the way an editor numbers them: `\n`, `\r\n` and a lone `\r` each end a
    /// line, and a last line without a line break still counts.
    pub fn of(bytes: &[u8]) -> TextStats {
        // Counting `\n` alone vectorises well; a `\r` needs the slower walk, and most files
        // have none outside their `\r\n` pairs.
        let newlines = bytes.iter().filter(|&&b| b == b'\n').count();
        let carriage_returns = bytes.iter().filter(|&&b| b == b'\r').count();
        let lone_carriage_returns = if carriage_returns == 0 {
            0
        } else {
            bytes
                .iter()
                .enumerate()
                .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
                .count()
        };
        let mut lines = newlines + lone_carriage_returns;
        if matches!(bytes.last(), Some(b) if *b != b'\n' && *b != b'\r') {
            lines += 1;
        }
        TextStats {
            bytes: bytes.len(),
            lines,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::TextStats;

    fn lines(s: &str) -> usize {
        TextStats::of(s.as_bytes()).lines
    }

    #[test]
    fn empty_input_has_no_lines() {
        assert_eq!(TextStats::of(b""), TextStats { bytes: 0, lines: 0 });
    }

    #[test]
    fn a_last_line_without_break_counts() {
        assert_eq!(lines("id\nuser_1"), 2);
        assert_eq!(lines("id\nuser_1\n"), 2);
    }

    #[test]
    fn crlf_and_lone_cr_are_one_break_each() {
        assert_eq!(lines("a\r\nb\r\nc"), 3);
        assert_eq!(lines("a\rb\r"), 2);
        assert_eq!(lines("\n\n"), 2);
    }

    #[test]
    fn counts_bytes_not_characters() {
        assert_eq!(TextStats::of("ñ\n".as_bytes()).bytes, 3);
    }
}
