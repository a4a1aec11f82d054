//! Records of delimited text read from a [`Boundary`] between two records, to the end of the
//! text or of a part of it, so that a big file can be read in parts on several threads.
//!
//! A part may only start where a record starts. Where the records start is known for sure
//! only by reading from the top (a quoted field may hold line ends), so parts are cut at line
//! ends and each is read as if its line end were a record's: a part that ended cleanly, every
//! record closed by its line end and none cut off by the end of the part, shows that the next
//! part started between records. The caller reads again, in order, from the first part whose
//! predecessor did not end cleanly.

use std::borrow::Cow;

use csv_core::{ReadFieldResult, ReaderBuilder};

use super::super::limits::Tally;
use super::super::sink::{Refused, RowSink, RowStream};
use super::super::IngestError;
use super::lines::{line_index, LineCounter};
use super::plain::plain_line;
use super::Delimited;

/// A place between two records, where reading starts or stopped.
#[derive(Clone, Debug)]
pub struct Boundary {
    pos: usize,
    lines: LineCounter,
    /// The last line of the record before (0 at the top).
    prev_last_line: u64,
}

impl Boundary {
    /// The byte offset in the decoded text.
    #[must_use]
    pub fn pos(&self) -> usize {
        self.pos
    }
}

/// Where a read stops.
#[derive(Clone, Copy, Debug)]
pub enum Stop {
    /// At the end of the text.
    End,
    /// At byte `to`, as if the text ended there: one part of a file.
    At(usize),
    /// At the first record end at or after byte `bytes`, once `rows` rows have been counted.
    After { rows: u64, bytes: usize },
}

/// How a read ended.
#[derive(Debug)]
pub struct Ended {
    /// Where it stopped.
    pub boundary: Boundary,
    /// Every record ended at a line end; none was cut off where the read stopped.
    pub clean: bool,
    /// The read reached the end of the text.
    pub at_end: bool,
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

impl Delimited<'_> {
    /// The top of the text.
    #[must_use]
    pub fn start(&self) -> Boundary {
        Boundary {
            pos: 0,
            lines: LineCounter::default(),
            prev_last_line: 0,
        }
    }

    /// Up to `parts` places from `from` on where parts of the text may start: `from` itself
    /// and line ends after it, each with its line number. Each is a record's start unless a
    /// quoted field spans it (see the module documentation).
    #[must_use]
    pub fn split(&self, from: &Boundary, parts: usize) -> Vec<Boundary> {
        let bytes = self.bytes();
        let rest = bytes.len().saturating_sub(from.pos);
        let step = rest / parts.max(1);
        let mut starts = vec![from.clone()];
        let mut lines = from.lines.clone();
        let mut at = from.pos;
        for _ in 1..parts {
            let Some(pos) = part_start(bytes, at.saturating_add(step).max(at + 1)) else {
                break;
            };
            let line = lines.line_of(bytes, pos);
            starts.push(Boundary {
                pos,
                lines: lines.clone(),
                prev_last_line: line - 1,
            });
            at = pos;
        }
        starts
    }

    /// Reads records from `from` to `stop`, handing each to `sink` as a row (blank lines as
    /// rows without cells), counting them in `tally`.
    ///
    /// A record that is one line without quotes is split at its delimiters here; any other
    /// is read by `csv-core`, from where the last one ended.
    ///
    /// # Errors
    /// An error naming the file when a limit is passed.
    pub(crate) fn read(
        &self,
        from: &Boundary,
        stop: Stop,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<Ended, IngestError> {
        self.read_with(from, stop, tally, sink, true)
    }

    /// [`Delimited::read`], with plain lines split here only when `plain_lines` (tests
    /// compare the two).
    pub(super) fn read_with(
        &self,
        from: &Boundary,
        stop: Stop,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
        plain_lines: bool,
    ) -> Result<Ended, IngestError> {
        let text: &str = &self.text;
        let bytes = text.as_bytes();
        let limit = match stop {
            Stop::At(to) => to.min(bytes.len()),
            Stop::End | Stop::After { .. } => bytes.len(),
        };
        let mut rdr = ReaderBuilder::new().delimiter(self.delimiter).build();
        let mut out = [0u8; 8192];
        let mut field: Vec<u8> = Vec::new();
        let mut at = Reading {
            text,
            // A field's bytes are kept up to the most a cell's characters can take in UTF-8.
            max_field_bytes: tally.max_cell_chars().saturating_mul(4),
            rows: RowStream::new(None),
            col: 0,
            row: 0,
            record_from: from.pos,
            record_first: None,
            lines: from.lines.clone(),
            prev_last_line: from.prev_last_line,
            stop,
            fields: Vec::new(),
        };
        let mut pos = from.pos;
        let mut clean = true;
        // csv-core strips a byte-order mark from the first input it is given, so it is given
        // the first record.
        // Whether csv-core stands between two records, having read at least one.
        let mut between = false;
        'reading: loop {
            if between && plain_lines {
                while let Some(line) = plain_line(bytes, pos, limit) {
                    pos = line.next;
                    if at.plain_record(&line, self.delimiter, tally, sink)? {
                        break 'reading;
                    }
                }
            }
            let input = bytes.get(pos..limit).unwrap_or_default();
            let (res, nin, nout) = rdr.read_field(input, &mut out);
            between = matches!(res, ReadFieldResult::Field { record_end: true });
            pos += nin;
            if field.len() <= at.max_field_bytes {
                field.extend_from_slice(&out[..nout]);
            }
            match res {
                ReadFieldResult::InputEmpty | ReadFieldResult::OutputFull => {}
                ReadFieldResult::End => break,
                ReadFieldResult::Field { record_end } => {
                    if input.is_empty() {
                        // Ended by the end of the input, not by a line end.
                        clean = false;
                    }
                    let cut_off = field.len() > at.max_field_bytes;
                    // The text was decoded already; a field split off it at ASCII bytes is UTF-8.
                    let value = match std::str::from_utf8(&field) {
                        Ok(s) => Cow::Borrowed(s),
                        Err(_) => String::from_utf8_lossy(&field),
                    };
                    at.field(&value, cut_off, tally, sink)?;
                    field.clear();
                    if record_end {
                        let start = at.lines.at;
                        at.prev_last_line = at.lines.last_line(bytes, start, pos);
                        if at.record_end(pos, tally, sink)? {
                            break;
                        }
                    }
                }
            }
        }
        Ok(Ended {
            boundary: Boundary {
                pos,
                lines: at.lines,
                prev_last_line: at.prev_last_line,
            },
            clean,
            at_end: pos >= bytes.len(),
        })
    }
}

/// The state of a read between fields.
pub(super) struct Reading<'b> {
    /// The decoded text.
    pub(super) text: &'b str,
    pub(super) max_field_bytes: usize,
    pub(super) rows: RowStream<'static>,
    /// The next field's column.
    pub(super) col: u32,
    /// The row index of the record being read.
    pub(super) row: u32,
    /// Where the record being read started (maybe at the line ends of blank lines).
    pub(super) record_from: usize,
    /// Its first line, once a field of it is read.
    pub(super) record_first: Option<u64>,
    pub(super) lines: LineCounter,
    /// The last line of the record before.
    pub(super) prev_last_line: u64,
    pub(super) stop: Stop,
    /// The fields of the plain line being lent to the sink.
    pub(super) fields: Vec<&'b str>,
}

impl Reading<'_> {
    /// One field of the record being read; `cut_off` when it is longer than a cell may hold.
    pub(super) fn field(
        &mut self,
        value: &str,
        cut_off: bool,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<(), IngestError> {
        let first = match self.record_first {
            Some(line) => line,
            None => *self.record_first.insert(
                self.lines
                    .first_line(self.text.as_bytes(), self.record_from),
            ),
        };
        let row = line_index(first);
        self.row = row;
        if self.col == 0 {
            // Blank lines before this record are rows too, for the blank-row count.
            for blank in self.prev_last_line + 1..first {
                self.rows
                    .blank_row(tally, sink, line_index(blank))
                    .map_err(refused)?;
            }
        }
        // Empty fields cost time only; the clock bounds it.
        tally.tick()?;
        if cut_off {
            // Certainly longer than a cell may hold.
            return Err(tally.text_cut_off(None, row, self.col));
        }
        if !super::super::is_blank_text(value) {
            tally.text(None, row, self.col, value)?;
            let value = self.rows.text_value(value);
            self.rows
                .push(tally, sink, row, self.col, value, None)
                .map_err(refused)?;
        }
        self.col = self.col.saturating_add(1);
        Ok(())
    }

    /// The record ends at byte `pos`, after its last line was counted; `true` when the read
    /// stops here.
    pub(super) fn record_end(
        &mut self,
        pos: usize,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
    ) -> Result<bool, IngestError> {
        if !self.rows.is_open(self.row) {
            // A record of empty fields.
            self.rows
                .blank_row(tally, sink, self.row)
                .map_err(refused)?;
        }
        self.rows.flush(sink);
        Ok(self.next_record(pos, tally))
    }

    /// The next record starts at byte `pos`; `true` when the read stops here.
    pub(super) fn next_record(&mut self, pos: usize, tally: &Tally<'_>) -> bool {
        self.record_first = None;
        self.col = 0;
        self.record_from = pos;
        if let Stop::After { rows, bytes: at } = self.stop {
            if pos >= at && tally.mark().0 >= rows && pos < self.text.len() {
                return true;
            }
        }
        false
    }
}

/// The first line end at or after `from` that may start a part: followed by a line that is not
/// blank and closing one that is not, so that the blank lines around it are counted by one part.
fn part_start(bytes: &[u8], from: usize) -> Option<usize> {
    let is_end = |b: u8| b == b'\n' || b == b'\r';
    let mut at = from;
    while let Some(i) = memchr::memchr(b'\n', bytes.get(at..)?) {
        let i = at + i;
        let before = match i.checked_sub(1).map(|j| bytes[j]) {
            Some(b'\r') => i.checked_sub(2).map(|j| bytes[j]),
            other => other,
        };
        let after = bytes.get(i + 1).copied();
        if before.is_some_and(|b| !is_end(b)) && after.is_some_and(|b| !is_end(b)) {
            return Some(i + 1);
        }
        at = i + 1;
    }
    None
}
