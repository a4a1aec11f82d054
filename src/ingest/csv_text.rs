//! Delimited text: encoding (UTF-8 with or without BOM, Windows-1252 fallback), delimiter
//! detection (comma, semicolon, tab), quoted multi-line fields, and line numbers as a text
//! editor shows them.

use std::borrow::Cow;

use super::{CellValue, Format, RawBook, RawCell, RawRow, RawSheet};

/// Decodes `bytes` to text, noting when the Windows-1252 fallback was used.
fn decode(bytes: &[u8]) -> (Cow<'_, str>, Option<String>) {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => (Cow::Borrowed(s), None),
        Err(e) => {
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(body);
            let note = format!(
                "the file is not valid UTF-8 (first invalid byte at offset {}); it was read as Windows-1252",
                e.valid_up_to()
            );
            (Cow::Owned(text.into_owned()), Some(note))
        }
    }
}

/// Picks the delimiter that splits the first lines most consistently into more than one field.
fn detect_delimiter(text: &str) -> u8 {
    let candidates = [b',', b';', b'\t'];
    let mut best = (b',', 0usize);
    for &d in &candidates {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(d)
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let counts: Vec<usize> = rdr
            .records()
            .take(30)
            .filter_map(Result::ok)
            .map(|r| r.len())
            .filter(|&n| n > 1)
            .collect();
        // The most common number of fields, and how many rows have it (ties: more fields).
        let mut freq: std::collections::BTreeMap<usize, usize> = std::collections::BTreeMap::new();
        for n in counts {
            *freq.entry(n).or_default() += 1;
        }
        let Some((fields, rows)) = freq.into_iter().max_by_key(|&(n, f)| (f, n)) else {
            continue;
        };
        // Rows that split the same way, weighted by how many fields they split into.
        let score = rows * fields;
        if score > best.1 {
            best = (d, score);
        }
    }
    best.0
}

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
            let crossed = bytes[self.at..pos].iter().filter(|&&b| b == b'\n').count();
            self.line += u64::try_from(crossed).unwrap_or(0);
            self.at = pos;
        }
        self.line + 1
    }

    /// First and last line of the record read between byte offsets `from` and `to`, which
    /// may include line terminators on either side.
    fn span(&mut self, bytes: &[u8], from: u64, to: u64) -> (u64, u64) {
        let to = usize::try_from(to).unwrap_or(usize::MAX).min(bytes.len());
        let mut start = usize::try_from(from).unwrap_or(usize::MAX).min(to);
        while start < to && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        let mut end = to;
        while end > start && matches!(bytes[end - 1], b'\r' | b'\n') {
            end -= 1;
        }
        let first = self.line_of(bytes, start);
        let last = self.line_of(bytes, end.saturating_sub(1).max(start));
        (first, last)
    }
}

/// Reads delimited text. `delimiter` 0 means detect it.
///
/// # Errors
/// A message when the text cannot be split into records.
pub fn read_csv(bytes: &[u8], delimiter: u8) -> Result<RawBook, String> {
    let (text, note) = decode(bytes);
    let delimiter = if delimiter == 0 {
        detect_delimiter(&text)
    } else {
        delimiter
    };
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let bytes = text.as_bytes();
    let mut lines = LineCounter::default();
    let mut rows = Vec::new();
    let mut prev_last_line = 0u64;
    let mut record = csv::ByteRecord::new();
    loop {
        let from = rdr.position().byte();
        match rdr.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let to = rdr.position().byte();
                let (first, last) = lines.span(bytes, from, to);
                // Blank lines before this record are rows too, for the blank-row count.
                for blank in prev_last_line + 1..first {
                    rows.push(RawRow {
                        index: line_index(blank),
                        cells: Vec::new(),
                    });
                }
                prev_last_line = last;
                let cells: Vec<RawCell> = record
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| {
                        let f = String::from_utf8_lossy(f);
                        (!f.trim().is_empty()).then(|| RawCell {
                            col: u32::try_from(i).unwrap_or(u32::MAX),
                            value: CellValue::Text(f.into_owned()),
                            currency: None,
                        })
                    })
                    .collect();
                rows.push(RawRow {
                    index: line_index(first),
                    cells,
                });
            }
            Err(e) => {
                let at = e
                    .position()
                    .map(|p| format!(" at line {}", p.line()))
                    .unwrap_or_default();
                return Err(format!("the text cannot be read as CSV{at}: {e}"));
            }
        }
    }
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
    Ok(RawBook {
        format,
        sheets: vec![RawSheet {
            name: None,
            is_1904: false,
            explicit_blanks: true,
            rows,
        }],
        skipped: Vec::new(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

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
