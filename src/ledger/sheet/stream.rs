//! A sheet read row by row: the first rows are kept until the header is found, then each
//! row goes to the [`Reader`] as it arrives; blank rows are counted on the way.

use super::super::header::{find_header, NoHeader, HEADER_SEARCH_ROWS};
use super::super::{LedgerOptions, SheetStatus, SheetSummary, Text};
use super::{Reader, SheetOutcome, SheetPart};
use crate::ingest::RawRow;

/// Counts blank rows below the header as rows arrive: rows with no cells (CSV records of
/// empty fields) and, in sparse sheets, row numbers with no row at all, up to the last
/// non-blank row.
#[derive(Default)]
pub(super) struct Blanks {
    explicit: usize,
    /// Explicit blank rows since the last row with cells.
    trailing: usize,
    rows: usize,
    last: Option<u32>,
}

impl Blanks {
    /// Row `index`, which has no cells when `empty`.
    pub(super) fn add(&mut self, index: u32, empty: bool) {
        self.rows += 1;
        self.last = Some(self.last.map_or(index, |l| l.max(index)));
        if empty {
            self.explicit += 1;
            self.trailing += 1;
        } else {
            self.trailing = 0;
        }
    }

    /// The count after the rows of `part`, read on its own after these.
    pub(super) fn follow(&mut self, part: &Blanks) {
        if part.rows > part.explicit {
            self.trailing = part.trailing;
        } else {
            self.trailing += part.trailing;
        }
        self.explicit += part.explicit;
        self.rows += part.rows;
        self.last = self.last.max(part.last);
    }

    pub(super) fn count(&self, header_row: u32, explicit_only: bool) -> usize {
        if explicit_only {
            // Trailing blank lines are not rows below the table.
            return self.explicit - self.trailing;
        }
        let Some(last) = self.last else {
            return 0;
        };
        let span = usize::try_from(last - header_row).unwrap_or(usize::MAX);
        self.explicit + span.saturating_sub(self.rows)
    }
}

/// A sheet read row by row: the first rows are kept until the header is found, then every
/// row becomes an entry or an exclusion as it arrives.
pub struct SheetStream<'a> {
    source: usize,
    name: Option<Text>,
    is_1904: bool,
    explicit_blanks: bool,
    opts: &'a LedgerOptions,
    state: State<'a>,
}

enum State<'a> {
    /// Rows kept while the header may still be among them.
    Searching(Vec<RawRow>),
    Reading(Box<Reader<'a>>),
    NotIncome(NoHeader),
}

impl<'a> SheetStream<'a> {
    #[must_use]
    pub fn new(
        source: usize,
        name: Option<&str>,
        is_1904: bool,
        explicit_blanks: bool,
        opts: &'a LedgerOptions,
    ) -> Self {
        SheetStream {
            source,
            name: name.map(Text::from),
            is_1904,
            explicit_blanks,
            opts,
            state: State::Searching(Vec::new()),
        }
    }

    /// Takes the next row of the sheet.
    pub fn row(&mut self, row: &RawRow) {
        match &mut self.state {
            State::Searching(rows) => {
                rows.push(row.clone());
                if rows.len() >= HEADER_SEARCH_ROWS {
                    self.decide();
                }
            }
            State::Reading(reader) => reader.row(row),
            State::NotIncome(_) => {}
        }
    }

    /// Takes the next row as the fields of a delimited line, when the header is known and
    /// its layout can; `false` when it must come as cells instead.
    pub fn fields(&mut self, index: u32, fields: &[&str]) -> bool {
        match &mut self.state {
            State::Searching(_) => false,
            State::Reading(reader) => reader.fields(index, fields),
            State::NotIncome(_) => true,
        }
    }

    /// Finds the header among the rows kept, and reads the rows below it.
    fn decide(&mut self) {
        let State::Searching(rows) = &mut self.state else {
            return;
        };
        let rows = std::mem::take(rows);
        self.state = match find_header(&rows, &self.opts.columns) {
            Err(why) => State::NotIncome(why),
            Ok(header) => {
                let mut reader = Box::new(Reader::new(
                    self.source,
                    self.name.clone(),
                    self.is_1904,
                    self.opts,
                    header,
                ));
                for row in &rows {
                    reader.row(row);
                }
                State::Reading(reader)
            }
        };
    }

    /// An empty part of this sheet to be read on another thread, once the header is known
    /// and its layout can be read in parts.
    #[must_use]
    pub fn part(&self) -> Option<SheetPart<'a>> {
        match &self.state {
            State::Reading(reader) => reader.part(),
            State::Searching(_) | State::NotIncome(_) => None,
        }
    }

    /// Makes room for about `entries` more entries.
    pub fn reserve(&mut self, entries: usize) {
        if let State::Reading(reader) = &mut self.state {
            reader.out.entries.reserve(entries);
        }
    }

    /// Takes the rows of a part from [`SheetStream::part`], which come next.
    pub fn absorb(&mut self, part: SheetPart<'a>) {
        if let State::Reading(reader) = &mut self.state {
            reader.absorb(part);
        }
    }

    /// What the sheet gave.
    #[must_use]
    pub fn finish(mut self) -> SheetOutcome {
        self.decide();
        let name = self.name.as_deref().map(str::to_string);
        match self.state {
            State::Reading(reader) => reader.finish(self.explicit_blanks),
            State::NotIncome(why) => SheetOutcome::empty(SheetSummary::empty(
                self.source,
                name,
                SheetStatus::NotIncome(why),
            )),
            State::Searching(_) => SheetOutcome::empty(SheetSummary::empty(
                self.source,
                name,
                SheetStatus::NotIncome(NoHeader::NotFound),
            )),
        }
    }
}
