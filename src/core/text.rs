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
        // One pass counting both breaks, in blocks small enough for byte-wide counters, which
        // the compiler turns into wide compares (the file may be hundreds of megabytes). A
        // `\r` then needs the slower walk, and most files have none outside `\r\n` pairs.
        let (mut newlines, mut carriage_returns) = (0, 0);
        for block in bytes.chunks(255) {
            let (mut n, mut r) = (0u8, 0u8);
            for &b in block {
                n += u8::from(b == b'\n');
                r += u8::from(b == b'\r');
            }
            newlines += usize::from(n);
            carriage_returns += usize::from(r);
        }
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
    fn long_files_count_the_same_across_blocks() {
        // Byte-wide counters per block must carry over block ends: runs of breaks longer than
        // a block, and pairs split between two blocks.
        let naive = |text: &str| {
            let b = text.as_bytes();
            let breaks = (0..b.len())
                .filter(|&i| b[i] == b'\n' || (b[i] == b'\r' && b.get(i + 1) != Some(&b'\n')))
                .count();
            breaks + usize::from(b.last().is_some_and(|&c| c != b'\n' && c != b'\r'))
        };
        let texts = [
            "\n".repeat(1000),
            "\r\n".repeat(700),
            "a\rb\n".repeat(300) + "tail",
            format!("{}\r\n{}", "x".repeat(254), "y\r".repeat(260)),
        ];
        for text in &texts {
            assert_eq!(lines(text), naive(text), "{} bytes", text.len());
        }
        assert_eq!(lines(&texts[0]), 1000);
    }

    #[test]
    fn counts_bytes_not_characters() {
        assert_eq!(TextStats::of("ñ\n".as_bytes()).bytes, 3);
    }
}
