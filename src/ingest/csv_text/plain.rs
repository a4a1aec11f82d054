//! Records that are one line without quotes, split at their delimiters without csv-core:
//! nearly every line of a big ledger.

use std::borrow::Cow;
use std::ops::Range;

use super::super::is_blank_text;
use super::super::limits::Tally;
use super::super::sink::RowSink;
use super::super::IngestError;
use super::lines::line_index;
use super::parts::Reading;

impl Reading<'_> {
    /// A record that is one line without quotes: its fields are the text between delimiters.
    pub(super) fn plain_record(
        &mut self,
        line: &PlainLine,
        delimiter: u8,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<bool, IngestError> {
        self.record_from = line.start;
        if self.lend_fields(line, delimiter, tally, sink)? {
            self.plain_line_read(line);
            return Ok(self.next_record(line.next, tally));
        }
        let (text, bytes) = (self.text, self.text.as_bytes());
        for span in line.fields(bytes, delimiter) {
            let long = span.len() > self.max_field_bytes;
            let value = text
                .get(span.clone())
                .map_or_else(|| String::from_utf8_lossy(&bytes[span]), Cow::Borrowed);
            self.field(&value, long, tally, sink)?;
        }
        self.plain_line_read(line);
        self.record_end(line.next, tally, sink)
    }

    /// The fields of `line` were read. No line end lies inside it: the record's last line is
    /// its first, and the count of line ends stands where `LineCounter::last_line` would leave
    /// it.
    fn plain_line_read(&mut self, line: &PlainLine) {
        self.lines.stay_on_line(line.end - 1);
        self.prev_last_line = self.record_first.unwrap_or(self.prev_last_line);
    }

    /// Lends the line's fields to the sink as they lie in the text, when the sink takes them
    /// so and nothing about the line needs cells: no blank line before it (those are rows
    /// too), a non-blank field, no field near the length limit, no row or cell limit passed.
    /// `true` when the sink took them; otherwise nothing was counted, and the line is read
    /// into cells.
    fn lend_fields(
        &mut self,
        line: &PlainLine,
        delimiter: u8,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<bool, IngestError> {
        let text = self.text;
        let first = self.lines.first_line(text.as_bytes(), line.start);
        self.record_first = Some(first);
        // A plain line never starts at a line end, so blank lines before it were read by
        // csv-core already; this only guards that.
        if first != self.prev_last_line + 1 {
            return Ok(false);
        }
        // Bytes are at least characters: a field of no more bytes than a cell's characters
        // passes the length limit.
        let max = tally.max_cell_chars();
        self.fields.clear();
        let mut filled = 0u64;
        for span in line.fields(text.as_bytes(), delimiter) {
            let Some(field) = text.get(span).filter(|f| f.len() <= max) else {
                return Ok(false);
            };
            filled += u64::from(!is_blank_text(field));
            self.fields.push(field);
        }
        let row = line_index(first);
        if filled == 0 || !tally.fits(1, filled) || !sink.fields(row, &self.fields) {
            return Ok(false);
        }
        self.row = row;
        // As many steps as reading the fields into cells takes: one per field and per cell.
        let steps = self.fields.len() as u64 + filled;
        tally.add(1, filled, u32::try_from(steps).unwrap_or(u32::MAX))?;
        Ok(true)
    }
}

/// A line that is a record by itself: no quote (which may hold a delimiter or a line end)
/// and no carriage return but the one of its "\r\n".
pub(super) struct PlainLine {
    /// Its first byte.
    pub(super) start: usize,
    /// Where its line end starts.
    pub(super) end: usize,
    /// After the first byte of its line end, where csv-core would stop (before the "\n" of
    /// a "\r\n").
    pub(super) next: usize,
}

impl PlainLine {
    /// The byte ranges of the line's fields in `bytes`, the text it was found in: between its
    /// delimiters, and from the last one to the line end.
    fn fields<'b>(
        &self,
        bytes: &'b [u8],
        delimiter: u8,
    ) -> impl Iterator<Item = Range<usize>> + 'b {
        let (start, end) = (self.start, self.end);
        let mut from = start;
        memchr::memchr_iter(delimiter, &bytes[start..end])
            .map(move |i| start + i)
            .chain(std::iter::once(end))
            .map(move |to| {
                let span = from..to;
                from = to + 1;
                span
            })
    }
}

/// The line at `pos` (or after the "\n" of a "\r\n" there that `csv-core` stopped in)
/// if it is plain and not blank and ends before `limit`.
pub(super) fn plain_line(bytes: &[u8], pos: usize, limit: usize) -> Option<PlainLine> {
    let mut start = pos;
    if bytes.get(start) == Some(&b'\n') && start > 0 && bytes[start - 1] == b'\r' {
        start += 1;
    }
    let rest = bytes.get(start..limit)?;
    if matches!(rest.first(), None | Some(b'\n' | b'\r')) {
        return None;
    }
    let nl = start + memchr::memchr(b'\n', rest)?;
    let end = if bytes[nl - 1] == b'\r' { nl - 1 } else { nl };
    if memchr::memchr2(b'"', b'\r', &bytes[start..end]).is_some() {
        return None;
    }
    Some(PlainLine {
        start,
        end,
        next: end + 1,
    })
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use proptest::prelude::*;

    use super::super::{Delimited, Stop};
    use crate::ingest::sink::Collect;
    use crate::ingest::{Limits, RowSink, Tally};

    /// The rows, where the read ended, or the error, of reading `text` with and without
    /// splitting plain lines here.
    fn both(text: &str, stop: Stop, max_cell_chars: usize) -> [String; 2] {
        let limits = Limits {
            max_cell_chars,
            ..Limits::default()
        };
        let delimited = Delimited::prepare(text.as_bytes(), b',');
        [false, true].map(|plain| {
            let mut tally = Tally::new(Path::new("t.csv"), &limits);
            let mut sink = Collect::default();
            sink.begin_sheet(None, false, true);
            let start = delimited.start();
            let ended = delimited.read_with(&start, stop, &mut tally, &mut sink, plain);
            sink.end_sheet();
            let ended = ended.map(|e| (e.boundary, e.clean, e.at_end, tally.mark()));
            format!("{ended:?} {:?}", sink.sheets)
        })
    }

    #[test]
    fn plain_lines_read_as_csv_core_reads_them() {
        for text in [
            "Date,Funder,Amount\n2024-01-01,A,5\n",
            "Date,Funder,Amount\r\n2024-01-01,A,5\r\n2024-01-02,\"B, C\",6\r\n2024-01-03,D,7\r\n",
            "a,b\n\n\n,\n c ,d\r\n\r\ne\rf\n\"g\nh\",i\nj,k",
            "a,b\n\u{feff}c,\"d\"\n",
        ] {
            let [core, plain] = both(text, Stop::End, 100);
            assert_eq!(core, plain, "{text:?}");
        }
        let [core, plain] = both("a,b\nlong,x\n", Stop::End, 3);
        assert!(core.contains("Err"), "{core}");
        assert_eq!(core, plain);
    }

    proptest! {
        #[test]
        fn any_text_reads_as_csv_core_reads_it(
            text in "[ab,\"\r\n é]{0,60}",
            rows in 0u64..4,
            bytes in 0usize..30,
            max_cell_chars in 1usize..6,
            cut in 0usize..70,
        ) {
            let [core, plain] = both(&text, Stop::End, max_cell_chars);
            prop_assert_eq!(core, plain);
            let [core, plain] = both(&text, Stop::After { rows, bytes }, 100);
            prop_assert_eq!(core, plain);
            // A part ends at a line start; any place is checked, where the text lets it.
            if text.is_char_boundary(cut.min(text.len())) {
                let [core, plain] = both(&text, Stop::At(cut), 100);
                prop_assert_eq!(core, plain);
            }
        }
    }
}
