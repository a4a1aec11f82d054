//! Delimited text: encoding (UTF-8 with or without BOM, Windows-1252 fallback), delimiter
//! detection (comma, semicolon, tab), quoted multi-line fields, and line numbers as a text
//! editor shows them.
//!
//! Records are read field by field with `csv-core`, so a record of millions of empty fields or
//! one enormous field costs no memory beyond the limits: only non-blank fields are kept, each
//! at most [`Limits::max_cell_chars`] characters, and rows and cells are counted as they are
//! read.

use std::borrow::Cow;
use std::path::Path;

mod lines;
mod parts;
mod plain;
mod sniff;

pub use parts::{Boundary, Ended, Stop};
use sniff::{decode, detect_delimiter};

use super::limits::Tally;
use super::sink::{Collect, RowSink};
use super::{BookInfo, Format, IngestError, Limits, RawBook};

/// Reads delimited text with the default [`Limits`]. `delimiter` 0 means detect it.
///
/// # Errors
/// A message when a limit is passed (a field longer than a cell may hold, too many rows).
pub fn read_csv(bytes: &[u8], delimiter: u8) -> Result<RawBook, String> {
    read_delimited(Path::new(""), bytes, delimiter, &Limits::default()).map_err(|e| e.problem())
}

/// Reads delimited text from `path` within `limits`. `delimiter` 0 means detect it.
///
/// # Errors
/// An error naming the file when a limit is passed.
pub fn read_delimited(
    path: &Path,
    bytes: &[u8],
    delimiter: u8,
    limits: &Limits,
) -> Result<RawBook, IngestError> {
    let mut rows = Collect::default();
    let info = stream_delimited(path, bytes, delimiter, limits, &mut rows)?;
    Ok(RawBook::from_parts(info, rows.sheets))
}

/// Reads delimited text from `path` within `limits`, handing each record to `sink` as a row
/// (blank lines as rows without cells). `delimiter` 0 means detect it.
///
/// # Errors
/// An error naming the file when a limit is passed.
pub fn stream_delimited(
    path: &Path,
    bytes: &[u8],
    delimiter: u8,
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<BookInfo, IngestError> {
    let text = Delimited::prepare(bytes, delimiter);
    if sink.begin_sheet(None, false, true) {
        let mut tally = Tally::new(path, limits);
        match text.read(&text.start(), Stop::End, &mut tally, sink) {
            Ok(_) => sink.end_sheet(),
            Err(e) => {
                sink.abort_sheet();
                return Err(e);
            }
        }
    }
    Ok(text.info())
}

/// Delimited text decoded and its delimiter known, ready to be read whole or in parts.
pub struct Delimited<'b> {
    text: Cow<'b, str>,
    delimiter: u8,
    note: Option<String>,
}

impl<'b> Delimited<'b> {
    /// Decodes `bytes` and finds the delimiter (`0` means detect it).
    #[must_use]
    pub fn prepare(bytes: &'b [u8], delimiter: u8) -> Self {
        let (text, note) = decode(bytes);
        let delimiter = if delimiter == 0 {
            detect_delimiter(&text)
        } else {
            delimiter
        };
        Delimited {
            text,
            delimiter,
            note,
        }
    }

    /// The decoded text's bytes.
    #[must_use]
    pub fn bytes(&self) -> &[u8] {
        self.text.as_bytes()
    }

    /// What a reader says about the file besides its rows.
    #[must_use]
    pub fn info(&self) -> BookInfo {
        let format = if self.delimiter == b'\t' {
            Format::Tsv
        } else {
            Format::Csv
        };
        let mut notes: Vec<String> = self.note.iter().cloned().collect();
        if self.delimiter != b',' {
            notes.push(format!(
                "fields are separated by {}",
                match self.delimiter {
                    b';' => "semicolons",
                    b'\t' => "tabs",
                    _ => "an unusual character",
                }
            ));
        }
        BookInfo {
            format,
            skipped: Vec::new(),
            notes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::CellValue;

    #[test]
    fn detects_semicolons_and_keeps_line_numbers_across_multiline_fields() {
        let text = "Date;Funder;Amount\r\n2024-01-01;\"A\nB\";1,50\r\n2024-01-02;C;2\r\n";
        let book = read_csv(text.as_bytes(), 0).unwrap();
        let rows = &book.sheets[0].rows;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1].index, 1);
        assert_eq!(
            rows[2].index, 3,
            "record after a two-line field starts on line 4"
        );
        assert_eq!(rows[1].get(1), Some(&CellValue::Text("A\nB".into())));
    }

    #[test]
    fn lone_carriage_returns_end_lines() {
        // Excel for Mac's "CSV (Macintosh)": records end with CR alone.
        let book = read_csv(b"Date,Amount\r2024-01-01,5\r\r2024-01-02,6\r", 0).unwrap();
        let rows = &book.sheets[0].rows;
        let shape: Vec<(u32, usize)> = rows.iter().map(|r| (r.index, r.cells.len())).collect();
        assert_eq!(shape, vec![(0, 2), (1, 2), (2, 0), (3, 2)]);
        // A stray CR in a CRLF file is a line end too, so no two records share a line.
        let book = read_csv(b"Date,Amount\r\n2024-01-01,5\r2024-01-02,6\r\n", 0).unwrap();
        let lines: Vec<u32> = book.sheets[0].rows.iter().map(|r| r.index).collect();
        assert_eq!(lines, vec![0, 1, 2]);
    }

    #[test]
    fn blank_lines_become_empty_rows() {
        let book = read_csv(b"Date,Amount\n\n2024-01-01,5\n,\n2024-01-02,6\n", 0).unwrap();
        let rows = &book.sheets[0].rows;
        let shape: Vec<(u32, usize)> = rows.iter().map(|r| (r.index, r.cells.len())).collect();
        assert_eq!(shape, vec![(0, 2), (1, 0), (2, 2), (3, 0), (4, 2)]);
    }

    #[test]
    fn a_stray_delimiter_in_one_row_does_not_change_the_choice() {
        let text = "Date;Name;Amount;Note\n2024-01-01;A;5,00;x; y\n2024-01-02;B;6,00;z\n2024-01-03;C;7,00;w\n";
        assert_eq!(detect_delimiter(text), b';');
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        assert_eq!(detect_delimiter("a\tb\n1\t2\n"), b'\t');
    }

    #[test]
    fn reads_utf16_with_a_byte_order_mark() {
        for (bom, unit) in [
            (&b"\xFF\xFE"[..], u16::to_le_bytes as fn(u16) -> [u8; 2]),
            (&b"\xFE\xFF"[..], u16::to_be_bytes),
        ] {
            let mut bytes = bom.to_vec();
            bytes.extend(
                "Funder\tAmount\nCaf\u{e9} Trust\t\u{a3}1,250.00\n"
                    .encode_utf16()
                    .flat_map(unit),
            );
            let (text, note) = decode(&bytes);
            assert_eq!(text, "Funder\tAmount\nCaf\u{e9} Trust\t\u{a3}1,250.00\n");
            assert!(note.unwrap().contains("UTF-16"));
        }
    }

    #[test]
    fn falls_back_to_windows_1252() {
        let bytes = b"Funder,Amount\nZo\xeb,\xa310\n";
        let book = read_csv(bytes, 0).unwrap();
        assert_eq!(
            book.sheets[0].rows[1].get(0),
            Some(&CellValue::Text("Zoë".into()))
        );
        assert_eq!(
            book.sheets[0].rows[1].get(1),
            Some(&CellValue::Text("£10".into()))
        );
        assert!(book.notes[0].contains("Windows-1252"));
    }

    #[test]
    fn strips_bom() {
        let book = read_csv(b"\xEF\xBB\xBFDate,Amount\n", 0).unwrap();
        assert_eq!(
            book.sheets[0].rows[0].get(0),
            Some(&CellValue::Text("Date".into()))
        );
    }
}
