//! All output files in one `.zip`, deterministic: fixed timestamps (1980-01-01, the earliest a
//! zip can say) and owner-only permissions, since the files hold password digests.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, DateTime, ZipWriter};

use crate::core::prepare::OutputFile;

pub const ZIP_NAME: &str = "clerk-migration.zip";

pub fn zip_files(files: &[OutputFile]) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o600);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for file in files {
        zip.start_file(file.name, options)
            .expect("a zip in memory accepts any file");
        zip.write_all(&file.bytes)
            .expect("a zip in memory accepts any bytes");
    }
    zip.finish()
        .expect("a zip in memory always finishes")
        .into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn unzips_to_the_same_files_and_is_deterministic() {
        let files = vec![
            OutputFile {
                name: "users.json",
                bytes: b"[\n{\"userId\":\"user_1\"}\n]\n".repeat(50),
            },
            OutputFile {
                name: "MIGRATION.md",
                bytes: "# Guía\n".as_bytes().to_vec(),
            },
        ];
        let zipped = zip_files(&files);
        assert_eq!(zipped, zip_files(&files));
        let mut archive = zip::ZipArchive::new(Cursor::new(&zipped)).unwrap();
        assert_eq!(archive.len(), 2);
        for file in &files {
            let mut entry = archive.by_name(file.name).unwrap();
            assert_eq!(entry.compression(), CompressionMethod::Deflated);
            assert_eq!(entry.unix_mode().map(|m| m & 0o777), Some(0o600));
            let mut bytes = Vec::new();
            entry.read_to_end(&mut bytes).unwrap();
            assert_eq!(bytes, file.bytes);
        }
    }
}
