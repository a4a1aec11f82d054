//! Zip pre-checks for .xlsx, .xlsb and .ods packages, before calamine opens them.
//!
//! The central directory declares each entry's inflated size, and the zip reader refuses data
//! longer than that, so the declared sizes bound what a package can inflate to. A package is
//! refused when it holds absurdly many entries, when one entry or all of them together would
//! inflate past the limits in [`Limits`], or when an entry is compressed far better than any
//! real spreadsheet part (a zip bomb). Parts that calamine parses whole into memory before any
//! sheet is read (shared strings, styles, the workbook) have a smaller cap than worksheets,
//! which are streamed.

use std::io::Cursor;
use std::path::Path;

use super::limits::{human_bytes, Limits};
use super::IngestError;

/// More entries than any spreadsheet package holds (a real workbook has a few dozen).
const MAX_ENTRIES: u64 = 20_000;

const BOMB_HINT: &str = "this looks like a zip bomb rather than a spreadsheet; if it is a genuine ledger, open it in a spreadsheet program and save it as .csv";

/// Checks the package's central directory against `limits`.
///
/// # Errors
/// An error naming the file and the offending entry.
pub(crate) fn check_package(path: &Path, bytes: &[u8], limits: &Limits) -> Result<(), IngestError> {
    if let Some(n) = declared_entries(bytes) {
        if n > MAX_ENTRIES {
            return Err(IngestError::limit(
                path,
                format!("the zip package declares {n} entries, far more than a spreadsheet holds (at most {MAX_ENTRIES} are read)"),
                BOMB_HINT,
            ));
        }
    }
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        IngestError::unreadable(
            path,
            format!("the file is a damaged or truncated zip archive ({e}); save it again from the spreadsheet program"),
        )
    })?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let Ok(entry) = archive.by_index_data(i) else {
            continue;
        };
        let name = String::from_utf8_lossy(entry.name_raw()).into_owned();
        let size = entry.size();
        let packed = entry.compressed_size();
        let eager = is_eager_part(&name);
        let cap = if eager {
            limits.max_eager_entry_bytes
        } else {
            limits.max_entry_bytes
        };
        if size > cap {
            return Err(IngestError::limit(
                path,
                format!(
                    "the package entry {name:?} would inflate to {}, more than the {} allowed for {}",
                    human_bytes(size),
                    human_bytes(cap),
                    if eager {
                        "a part that is read whole into memory"
                    } else {
                        "one part"
                    }
                ),
                BOMB_HINT,
            ));
        }
        if size > limits.ratio_floor_bytes && size / packed.max(1) > limits.max_ratio {
            return Err(IngestError::limit(
                path,
                format!(
                    "the package entry {name:?} is compressed {}:1 ({} inflating to {}), far more than real spreadsheet data (at most {}:1 is read)",
                    size / packed.max(1),
                    human_bytes(packed),
                    human_bytes(size),
                    limits.max_ratio
                ),
                BOMB_HINT,
            ));
        }
        total = total.saturating_add(size);
        if total > limits.max_total_bytes {
            return Err(IngestError::limit(
                path,
                format!(
                    "the package would inflate to more than {} in all (passed at entry {name:?})",
                    human_bytes(limits.max_total_bytes)
                ),
                BOMB_HINT,
            ));
        }
    }
    Ok(())
}

/// Parts calamine reads whole when the workbook is opened.
fn is_eager_part(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    let file = lower.rsplit('/').next().unwrap_or(&lower);
    lower.ends_with(".rels")
        || matches!(
            file,
            "[content_types].xml"
                | "sharedstrings.xml"
                | "sharedstrings.bin"
                | "styles.xml"
                | "styles.bin"
                | "workbook.xml"
                | "workbook.bin"
                | "manifest.xml"
                | "meta.xml"
                | "settings.xml"
        )
}

/// The entry count in the end-of-central-directory record (or its zip64 form), read before the
/// zip reader builds its index of entries.
fn declared_entries(bytes: &[u8]) -> Option<u64> {
    const EOCD: &[u8] = b"PK\x05\x06";
    const LOCATOR: &[u8] = b"PK\x06\x07";
    const EOCD64: &[u8] = b"PK\x06\x06";
    // The record is 22 bytes plus a comment of at most 65,535 bytes.
    let from = bytes.len().saturating_sub(22 + 65_535);
    let tail = bytes.get(from..)?;
    let at = from + tail.windows(4).rposition(|w| w == EOCD)?;
    let count = u64::from(u16::from_le_bytes(
        bytes.get(at + 10..at + 12)?.try_into().ok()?,
    ));
    if count != 0xFFFF {
        return Some(count);
    }
    let locator = at.checked_sub(20)?;
    if bytes.get(locator..locator + 4)? != LOCATOR {
        return Some(count);
    }
    let offset = u64::from_le_bytes(bytes.get(locator + 8..locator + 16)?.try_into().ok()?);
    let record = usize::try_from(offset).ok()?;
    if bytes.get(record..record.checked_add(4)?)? != EOCD64 {
        return Some(count);
    }
    Some(u64::from_le_bytes(
        bytes.get(record + 32..record + 40)?.try_into().ok()?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn package(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn eager_parts_have_the_smaller_cap() {
        let bytes = package(&[
            ("xl/workbook.xml", b"<workbook/>".to_vec()),
            ("xl/sharedStrings.xml", vec![b' '; 3000]),
            ("xl/worksheets/sheet1.xml", vec![b' '; 3000]),
        ]);
        let limits = Limits {
            max_eager_entry_bytes: 2000,
            max_entry_bytes: 4000,
            ..Limits::default()
        };
        let e = check_package(Path::new("b.xlsx"), &bytes, &limits)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"xl/sharedStrings.xml\"") && e.contains("whole into memory"),
            "{e}"
        );
        let limits = Limits {
            max_eager_entry_bytes: 4000,
            max_entry_bytes: 2000,
            ..Limits::default()
        };
        let e = check_package(Path::new("b.xlsx"), &bytes, &limits)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"xl/worksheets/sheet1.xml\""), "{e}");
    }

    #[test]
    fn ratio_and_total_are_checked() {
        let bytes = package(&[
            ("a.xml", vec![b'x'; 300_000]),
            ("b.xml", vec![b'y'; 300_000]),
        ]);
        let limits = Limits {
            ratio_floor_bytes: 1000,
            max_ratio: 50,
            ..Limits::default()
        };
        let e = check_package(Path::new("b.xlsx"), &bytes, &limits)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("\"a.xml\" is compressed") && e.contains("zip bomb"),
            "{e}"
        );
        let limits = Limits {
            max_total_bytes: 500_000,
            ..Limits::default()
        };
        let e = check_package(Path::new("b.xlsx"), &bytes, &limits)
            .unwrap_err()
            .to_string();
        assert!(e.contains("in all") && e.contains("\"b.xml\""), "{e}");
        assert!(check_package(Path::new("b.xlsx"), &bytes, &Limits::default()).is_ok());
    }

    #[test]
    fn counts_entries_from_the_end_record() {
        let bytes = package(&[("a", vec![1]), ("b", vec![2]), ("c", vec![3])]);
        assert_eq!(declared_entries(&bytes), Some(3));
        assert_eq!(declared_entries(b"PK\x03\x04 not a zip"), None);
    }
}
