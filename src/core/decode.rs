//! Turning the bytes of an export into text, surviving what spreadsheet programs do to files.

use std::borrow::Cow;

use encoding_rs::{UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How the bytes were encoded, as far as the reader could tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// UTF-8 with a byte-order mark (Excel's "CSV UTF-8"); the mark is removed.
    Utf8Bom,
    /// Excel's "Unicode text".
    Utf16Le,
    Utf16Be,
    /// Not valid UTF-8: read as Windows-1252, what Excel writes on Western Windows systems.
    Windows1252,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16Be => "UTF-16BE",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

/// The text of an input and how it was decoded.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    pub encoding: Encoding,
}

/// Why bytes cannot be read as text at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotText {
    Empty,
    /// NUL bytes outside UTF-16: an image, an archive, a spreadsheet in binary format.
    Binary {
        kind: Option<&'static str>,
    },
    /// Text in two encodings: a byte-order mark or UTF-8 lines, and `line` that is not in
    /// that encoding (rows added in another program). Reading it either way would change
    /// names without a word.
    MixedEncoding {
        encoding: &'static str,
        line: usize,
    },
}

pub fn decode(bytes: &[u8]) -> Result<Decoded<'_>, NotText> {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(NotText::Empty);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        // The mark says UTF-8; the bytes decide. Spreadsheets write the mark and then, now
        // and again, their own code page.
        return match std::str::from_utf8(rest) {
            Ok(text) => Ok(Decoded {
                text: Cow::Borrowed(text),
                encoding: Encoding::Utf8Bom,
            }),
            Err(_) => not_utf8(rest, 3),
        };
    }
    for (bom, encoding, codec) in [
        (&b"\xFF\xFE"[..], Encoding::Utf16Le, UTF_16LE),
        (&b"\xFE\xFF"[..], Encoding::Utf16Be, UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, malformed) = codec.decode_without_bom_handling(rest);
            if malformed {
                let at = text.find('\u{FFFD}').unwrap_or(0);
                return Err(NotText::MixedEncoding {
                    encoding: encoding.label(),
                    line: 1 + text[..at].matches('\n').count(),
                });
            }
            return Ok(Decoded {
                text: Cow::Owned(text.into_owned()),
                encoding,
            });
        }
    }
    if bytes.contains(&0) {
        return Err(NotText::Binary {
            kind: sniff_binary(bytes),
        });
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text: Cow::Borrowed(text),
            encoding: Encoding::Utf8,
        }),
        Err(_) => {
            if let Some(kind) = sniff_binary(bytes) {
                return Err(NotText::Binary { kind: Some(kind) });
            }
            not_utf8(bytes, 0)
        }
    }
}

/// Bytes that are not UTF-8 (`skipped` bytes after the start of the file): Windows-1252 when
/// no part of them is UTF-8, refused when some lines are UTF-8 and others not.
fn not_utf8(bytes: &[u8], skipped: usize) -> Result<Decoded<'_>, NotText> {
    let mut has_utf8 = false;
    let mut first_invalid = None;
    let mut at = 0;
    for chunk in bytes.utf8_chunks() {
        has_utf8 |= !chunk.valid().is_ascii();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() && first_invalid.is_none() {
            first_invalid = Some(at);
        }
        at += chunk.invalid().len();
    }
    if let (true, Some(at)) = (has_utf8, first_invalid) {
        return Err(NotText::MixedEncoding {
            encoding: if skipped > 0 {
                Encoding::Utf8Bom.label()
            } else {
                Encoding::Utf8.label()
            },
            line: 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count(),
        });
    }
    let (text, _) = WINDOWS_1252.decode_without_bom_handling(bytes);
    Ok(Decoded {
        text: Cow::Owned(text.into_owned()),
        encoding: Encoding::Windows1252,
    })
}

/// Names common binary files by their first bytes, for a clearer refusal.
fn sniff_binary(bytes: &[u8]) -> Option<&'static str> {
    const SIGNATURES: [(&[u8], &str); 7] = [
        (b"\x89PNG", "PNG image"),
        (b"\xFF\xD8\xFF", "JPEG image"),
        (b"GIF8", "GIF image"),
        (b"%PDF", "PDF document"),
        (b"PK\x03\x04", "ZIP archive (an .xlsx workbook is one)"),
        (b"\xD0\xCF\x11\xE0", "legacy Office document (.xls)"),
        (b"\x1F\x8B", "gzip archive"),
    ];
    SIGNATURES
        .iter()
        .find(|(magic, _)| bytes.starts_with(magic))
        .map(|(_, kind)| *kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_utf8_is_borrowed() {
        let d = decode("id,first_name\nuser_1,José\n".as_bytes()).unwrap();
        assert_eq!(d.encoding, Encoding::Utf8);
        assert!(matches!(d.text, Cow::Borrowed(_)));
    }

    #[test]
    fn a_utf8_bom_is_removed() {
        let d = decode(b"\xEF\xBB\xBFid\n").unwrap();
        assert_eq!((d.text.as_ref(), d.encoding), ("id\n", Encoding::Utf8Bom));
    }

    #[test]
    fn utf16_both_byte_orders() {
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id\té".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("id\té".encode_utf16().flat_map(|u| u.to_be_bytes()))
            .collect();
        assert_eq!(decode(&le).unwrap().text, "id\té");
        assert_eq!(decode(&le).unwrap().encoding, Encoding::Utf16Le);
        assert_eq!(decode(&be).unwrap().text, "id\té");
    }

    #[test]
    fn invalid_utf8_is_read_as_windows_1252() {
        let d = decode(b"id,first_name\nuser_1,Jos\xE9 \x80\n").unwrap();
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(d.text, "id,first_name\nuser_1,José €\n");
    }

    #[test]
    fn the_bytes_decide_the_encoding_not_the_mark() {
        let d = decode(b"\xEF\xBB\xBFid,first_name\nuser_1,Jos\xE9\n").unwrap();
        assert_eq!(d.encoding, Encoding::Windows1252);
        assert_eq!(d.text, "id,first_name\nuser_1,José\n");
        assert_eq!(
            decode("\u{feff}id\nuser_1,José\nuser_2,Jos\u{e9}".as_bytes())
                .unwrap()
                .text,
            "id\nuser_1,José\nuser_2,José"
        );
        let mixed = [
            &b"\xEF\xBB\xBFid\nuser_1,Jos\xC3\xA9\nuser_2,Jos\xE9\n"[..],
            &b"id\nuser_1,Jos\xC3\xA9\nuser_2,Jos\xE9\n"[..],
        ];
        for (bytes, encoding) in mixed.into_iter().zip(["UTF-8 with BOM", "UTF-8"]) {
            assert_eq!(
                decode(bytes).unwrap_err(),
                NotText::MixedEncoding { encoding, line: 3 }
            );
        }
        let mut odd: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("id\nuser_1".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        odd.extend([0x00, 0xD8, b'a', 0]);
        assert_eq!(
            decode(&odd).unwrap_err(),
            NotText::MixedEncoding {
                encoding: "UTF-16LE",
                line: 2
            }
        );
    }

    #[test]
    fn refuses_empty_and_binary_input() {
        assert_eq!(decode(b"").unwrap_err(), NotText::Empty);
        assert_eq!(decode(b" \r\n").unwrap_err(), NotText::Empty);
        assert_eq!(
            decode(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap_err(),
            NotText::Binary {
                kind: Some("PNG image")
            }
        );
        assert_eq!(
            decode(b"abc\0def").unwrap_err(),
            NotText::Binary { kind: None }
        );
    }
}
