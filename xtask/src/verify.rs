//! `cargo xtask verify FILE`: rebuilds the single file from this checkout and says whether
//! FILE is, byte for byte, what this source builds. For a page that handles password digests
//! that is the point: a downloaded file proves nothing until it is rebuilt and compared.

use std::fs;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::dist;

pub fn run(args: &[String]) -> Result<(), String> {
    let [file] = args else {
        return Err("usage: cargo xtask verify FILE (a downloaded clerk-dev2prod.html)".into());
    };
    let given = fs::read(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let built = dist::run()?;
    let ours = fs::read(&built.single_file)
        .map_err(|e| format!("cannot read {:?}: {e}", built.single_file))?;
    println!(
        "{}",
        compare(Path::new(file), &given, &built.single_file, &ours)?
    );
    Ok(())
}

/// "identical" with the digest, or an error naming the first byte that differs.
pub fn compare(a_name: &Path, a: &[u8], b_name: &Path, b: &[u8]) -> Result<String, String> {
    match first_difference(a, b) {
        None => Ok(format!(
            "identical: {} and {} are the same {} bytes, sha256 {}",
            a_name.display(),
            b_name.display(),
            a.len(),
            dist::hex(&Sha256::digest(a))
        )),
        Some(at) => {
            let line = 1 + a[..at.min(a.len())].iter().filter(|&&c| c == b'\n').count();
            let around = |bytes: &[u8]| {
                let start = at.saturating_sub(40).min(bytes.len());
                let end = (at + 40).min(bytes.len());
                String::from_utf8_lossy(&bytes[start..end]).into_owned()
            };
            Err(format!(
                "different: {} ({} bytes) and {} ({} bytes) first differ at byte {at} (line {line})\n  {}: …{}…\n  {}: …{}…",
                a_name.display(),
                a.len(),
                b_name.display(),
                b.len(),
                a_name.display(),
                around(a),
                b_name.display(),
                around(b)
            ))
        }
    }
}

/// The offset of the first byte that differs, or the shorter length when one is a prefix of
/// the other; None when they are equal.
pub fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let common = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    (common < a.len().max(b.len())).then_some(common)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_difference_is_found() {
        assert_eq!(first_difference(b"abc", b"abc"), None);
        assert_eq!(first_difference(b"abc", b"abd"), Some(2));
        assert_eq!(first_difference(b"ab", b"abc"), Some(2));
        assert_eq!(first_difference(b"", b""), None);
    }

    #[test]
    fn a_difference_names_its_line() {
        let err = compare(Path::new("a"), b"x\ny\nz", Path::new("b"), b"x\ny\nq").unwrap_err();
        assert!(err.contains("byte 4 (line 3)"), "{err}");
        assert!(compare(Path::new("a"), b"same", Path::new("b"), b"same")
            .unwrap()
            .starts_with("identical"));
    }
}
