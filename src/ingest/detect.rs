//! Format detection from the first bytes of a file (and the zip directory), not the extension.

use std::io::Cursor;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::IngestError;

/// The file formats fundrisk reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    Csv,
    Tsv,
}

impl Format {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xlsb => "xlsb",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
        }
    }
}

const OLE_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Whether a file whose first eight bytes are `first` is read as text (delimited, or flat
/// XML): it starts with neither a zip archive's signature nor an OLE compound file's, as
/// [`detect_format`] tells them.
#[must_use]
pub fn starts_as_text(first: [u8; 8]) -> bool {
    !first.starts_with(b"PK") && first != OLE_MAGIC
}

/// Decides the format of `bytes`, read from `path`.
///
/// # Errors
/// When the file is empty, encrypted, or not a spreadsheet or delimited text.
pub fn detect_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    if bytes.is_empty() {
        return Err(IngestError::unreadable(
            path,
            "the file is empty (0 bytes); export it again from the spreadsheet, accounting package or grant publisher it came from",
        ));
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        return zip_format(path, bytes);
    }
    if bytes.starts_with(&OLE_MAGIC) {
        return ole_format(path, bytes);
    }
    if bytes.starts_with(b"PK") {
        return Err(IngestError::unreadable(
            path,
            "the file looks like a damaged zip archive, not a readable spreadsheet",
        ));
    }
    text_format(path, bytes)
}

fn zip_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| {
        IngestError::unreadable(
            path,
            format!("the file is a damaged or truncated zip archive ({e}); save it again from the spreadsheet program"),
        )
    })?;
    let names: Vec<String> = archive
        .file_names()
        .filter_map(Result::ok)
        .map(|n| n.into_owned())
        .collect();
    let has = |n: &str| names.iter().any(|x| x.eq_ignore_ascii_case(n));
    if has("xl/workbook.xml") || names.iter().any(|n| n.ends_with("workbook.xml")) {
        Ok(Format::Xlsx)
    } else if has("xl/workbook.bin") {
        Ok(Format::Xlsb)
    } else if has("content.xml") || has("mimetype") {
        Ok(Format::Ods)
    } else if has("word/document.xml") {
        Err(IngestError::unreadable(
            path,
            "this is a Word document, not a spreadsheet; export the ledger as .xlsx, .ods or .csv",
        ))
    } else {
        Err(IngestError::unreadable(
            path,
            "this zip archive is not a spreadsheet (no workbook inside); give fundrisk the .xlsx, .ods or .csv ledger itself",
        ))
    }
}

fn ole_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    // An encrypted OOXML workbook is an OLE container holding an "EncryptedPackage" stream; the
    // directory stores stream names in UTF-16LE.
    let needle: Vec<u8> = "EncryptedPackage"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    if bytes.windows(needle.len()).any(|w| w == needle.as_slice()) {
        return Err(IngestError::unreadable(
            path,
            "the workbook is password-protected (encrypted); remove the password in the spreadsheet program and save a copy",
        ));
    }
    Ok(Format::Xls)
}

fn text_format(path: &Path, bytes: &[u8]) -> Result<Format, IngestError> {
    let head = &bytes[..bytes.len().min(8192)];
    let utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
    let body = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(head);
    if utf16 {
        // Excel's "Unicode Text": UTF-16 with a byte-order mark (tab-separated; the
        // delimiter is detected as for any CSV).
        return Ok(Format::Csv);
    }
    if body.contains(&0) {
        return Err(IngestError::unreadable(
            path,
            "this is not a spreadsheet or CSV file (it holds binary data); export the ledger as .xlsx, .ods or .csv",
        ));
    }
    let first = body
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace())
        .unwrap_or(b' ');
    if first == b'<' {
        return Err(IngestError::unreadable(
            path,
            "this is an HTML or XML file, not a spreadsheet (some packages save web pages with an .xls name); open it in a spreadsheet program and save it as .xlsx or .csv",
        ));
    }
    if first == b'{' || first == b'[' {
        return Err(IngestError::unreadable(
            path,
            "this is a JSON file, not a ledger; export the ledger as .xlsx, .ods or .csv",
        ));
    }
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("tsv" | "tab") => Ok(Format::Tsv),
        _ => Ok(Format::Csv),
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::{detect_format, starts_as_text, Format};

    /// The first eight bytes of a file, padded with spaces.
    fn first(bytes: &[u8]) -> [u8; 8] {
        let mut f = [b' '; 8];
        let n = bytes.len().min(8);
        f[..n].copy_from_slice(&bytes[..n]);
        f
    }

    #[test]
    fn text_starts_as_detect_format_reads_it() {
        let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut seen = [false; 2];
        for entry in std::fs::read_dir(&data).unwrap() {
            let path = entry.unwrap().path();
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            let Ok(format) = detect_format(&path, &bytes) else {
                continue;
            };
            let text = matches!(format, Format::Csv | Format::Tsv);
            seen[usize::from(text)] = true;
            // A flat-XML .fods is text that reads as an ODS: only workbooks in a zip or an OLE file
            // are not text.
            if text || matches!(format, Format::Xlsx | Format::Xlsb | Format::Xls) {
                assert_eq!(starts_as_text(first(&bytes)), text, "{}", path.display());
            }
        }
        assert_eq!(seen, [true, true], "fixtures of both kinds");
    }
}
