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

use csv_core::{ReadFieldResult, ReaderBuilder};

mod sniff;

use sniff::{decode, detect_delimiter};

use super::limits::Tally;
use super::sink::{Collect, Refused, RowSink, RowStream};
use super::{BookInfo, Format, IngestError, Limits, RawBook};

fn line_index(line: u64) -> u32 {
    u32::try_from(line.saturating_sub(1)).unwrap_or(u32::MAX)
}

/// Line numbers of byte offsets, counted forward as records are read.
#[derive(Default)]
struct LineCounter {
    at: usize,
    line: u64,
}

impl LineCounter {
    /// The 1-based line of byte `pos` (which must not go backwards).
    fn line_of(&mut self, bytes: &[u8], pos: usize) -> u64 {
        let pos = pos.min(bytes.len());
        if pos > self.at {
            let slice = &bytes[self.at..pos];
            // A line ends at "\n", "\r\n" or a lone "\r" (classic Mac OS, Excel for Mac's
            // "CSV (Macintosh)"), as csv-core ends records.
            let mut crossed = slice.iter().filter(|&&b| b == b'\n').count();
            crossed += memchr::memchr_iter(b'\r', slice)
                .filter(|&i| bytes.get(self.at + i + 1) != Some(&b'\n'))
                .count();
            self.line += u64::try_from(crossed).unwrap_or(0);
            self.at = pos;
        }
        self.line + 1
    }

    /// The first line of a record read from byte offset `from`, which may be followed by the
    /// line terminators of blank lines.
    fn first_line(&mut self, bytes: &[u8], from: usize) -> u64 {
        let mut start = from.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        self.line_of(bytes, start)
    }

    /// The last line of a record that ends at byte offset `to`, maybe after its terminator.
    fn last_line(&mut self, bytes: &[u8], from: usize, to: usize) -> u64 {
        let to = to.min(bytes.len());
        let mut end = to;
        while end > from && matches!(bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        self.line_of(bytes, end.saturating_sub(1).max(from))
    }
}

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
    let (text, note) = decode(bytes);
    let delimiter = if delimiter == 0 {
        detect_delimiter(&text)
    } else {
        delimiter
    };
    let format = if delimiter == b'\t' {
        Format::Tsv
    } else {
        Format::Csv
    };
    let mut notes: Vec<String> = note.into_iter().collect();
    if delimiter != b',' {
        notes.push(format!(
            "fields are separated by {}",
            match delimiter {
                b';' => "semicolons",
                b'\t' => "tabs",
                _ => "an unusual character",
            }
        ));
    }
    if sink.begin_sheet(None, false, true) {
        match records(path, text.as_bytes(), delimiter, limits, sink) {
            Ok(()) => sink.end_sheet(),
            Err(e) => {
                sink.abort_sheet();
                return Err(e);
            }
        }
    }
    Ok(BookInfo {
        format,
        skipped: Vec::new(),
        notes,
    })
}

fn refused(e: Refused) -> IngestError {
    match e {
        Refused::Limit(e) => e,
        // Records are read in order; a row is never revisited.
        Refused::OutOfOrder => IngestError::Unreadable {
            path: std::path::PathBuf::new(),
            problem: "internal error: a record was read twice".into(),
        },
    }
}

/// Every record of `bytes` to `sink`.
fn records(
    path: &Path,
    bytes: &[u8],
    delimiter: u8,
    limits: &Limits,
    sink: &mut dyn RowSink,
) -> Result<(), IngestError> {
    let mut tally = Tally::new(path, limits);
    let mut rdr = ReaderBuilder::new().delimiter(delimiter).build();
    // A field's bytes are kept up to the most a cell's characters can take in UTF-8.
    let max_field_bytes = limits.max_cell_chars.saturating_mul(4);
    let mut out = [0u8; 8192];
    let mut field: Vec<u8> = Vec::new();
    let mut rows = RowStream::new(None);
    let mut col: u32 = 0;
    let mut pos = 0usize;
    let mut record_from = 0usize;
    let mut record_first: Option<u64> = None;
    let mut lines = LineCounter::default();
    let mut prev_last_line = 0u64;
    loop {
        let (res, nin, nout) = rdr.read_field(bytes.get(pos..).unwrap_or_default(), &mut out);
        pos += nin;
        if field.len() <= max_field_bytes {
            field.extend_from_slice(&out[..nout]);
        }
        match res {
            ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
            ReadFieldResult::End => break,
            ReadFieldResult::Field { record_end } => {
                let first = match record_first {
                    Some(line) => line,
                    None => *record_first.insert(lines.first_line(bytes, record_from)),
                };
                let row = line_index(first);
                if col == 0 {
                    // Blank lines before this record are rows too, for the blank-row count.
                    for blank in prev_last_line + 1..first {
                        rows.blank_row(&mut tally, sink, line_index(blank))
                            .map_err(refused)?;
                    }
                }
                // Empty fields cost time only; the clock bounds it.
                tally.tick()?;
                if field.len() > max_field_bytes {
                    // Cut off while reading: certainly longer than a cell may hold.
                    return Err(tally.text_cut_off(None, row, col));
                }
                // The text was decoded already; a field split off it at ASCII bytes is UTF-8.
                let value = match std::str::from_utf8(&field) {
                    Ok(s) => Cow::Borrowed(s),
                    Err(_) => String::from_utf8_lossy(&field),
                };
                if !super::is_blank_text(&value) {
                    tally.text(None, row, col, &value)?;
                    let value = rows.text_value(&value);
                    rows.push(&mut tally, sink, row, col, value, None)
                        .map_err(refused)?;
                }
                field.clear();
                col = col.saturating_add(1);
                if record_end {
                    let start = lines.at;
                    prev_last_line = lines.last_line(bytes, start, pos);
                    record_first = None;
                    if !rows.is_open(row) {
                        // A record of empty fields.
                        rows.blank_row(&mut tally, sink, row).map_err(refused)?;
                    }
                    rows.flush(sink);
                    col = 0;
                    record_from = pos;
                }
            }
        }
    }
    Ok(())
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
