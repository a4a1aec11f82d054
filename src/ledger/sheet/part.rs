//! A part of a long-layout sheet read on another thread: its rows become entries and
//! exclusions as they would in order, then are merged into the sheet's reader in order.
//!
//! Only one thing a row can mean depends on the rows above it: whether an amount without a
//! date or funder is the sum of the rows above (an unlabelled total). A part does not know
//! those sums; when a row asks, the part says so ([`SheetPart::needs_order`]) and must be read
//! again in order, after the parts before it.

use std::collections::HashMap;

use super::super::header::Layout;
use super::super::sum::ExactSum;
use super::facts::FactsMemo;
use super::stream::Blanks;
use super::totals::Sums;
use super::{Reader, SheetOutcome, SheetStatus, SheetSummary};
use crate::ingest::{RawRow, RowSink};

/// Rows of one part of a sheet, read on their own.
pub struct SheetPart<'a> {
    reader: Box<Reader<'a>>,
}

impl SheetPart<'_> {
    /// Reads the part's texts into `texts`, the set of the thread that reads it, before any
    /// row is read.
    pub fn share_texts(&mut self, texts: &super::super::PartTexts) {
        self.reader.texts = texts.0.for_part();
    }

    /// Takes the next row of the part.
    pub fn row(&mut self, row: &RawRow) {
        if !self.needs_order() {
            self.reader.row(row);
        }
    }

    /// Makes room for about `entries` entries, so that a part's entries are not grown and
    /// copied as it is read.
    pub fn reserve(&mut self, entries: usize) {
        self.reader.out.entries.reserve(entries);
    }

    /// A row's meaning depended on the rows above the part: it must be read again in order.
    #[must_use]
    pub fn needs_order(&self) -> bool {
        self.reader.sums.asked()
    }
}

/// The rows a reader hands on go into the part.
impl RowSink for SheetPart<'_> {
    fn begin_sheet(&mut self, _: Option<&str>, _: bool, _: bool) -> bool {
        true
    }

    fn row(&mut self, row: &RawRow) {
        SheetPart::row(self, row);
    }

    fn fields(&mut self, index: u32, fields: &[&str]) -> bool {
        self.needs_order() || self.reader.fields(index, fields)
    }

    fn end_sheet(&mut self) {}

    fn abort_sheet(&mut self) {}
}

impl<'a> Reader<'a> {
    /// An empty reader for a part of this sheet, or `None` for a layout that is read only in
    /// order (the wide layout's rows of column totals are checked against every column).
    pub(super) fn part(&self) -> Option<SheetPart<'a>> {
        if self.header.layout != Layout::Long {
            return None;
        }
        let reader = Reader {
            source: self.source,
            name: self.name.clone(),
            is_1904: self.is_1904,
            opts: self.opts,
            header: self.header.clone(),
            cols: self.cols,
            dollar: self.dollar.clone(),
            header_currency: self.header_currency.clone(),
            currencies: HashMap::default(),
            texts: self.texts.for_part(),
            memo: FactsMemo::default(),
            last_date_text: String::new(),
            last_date: None,
            sums: Sums::partial(),
            year_sums: Vec::new(),
            blanks: Blanks::default(),
            included: ExactSum::default(),
            out: SheetOutcome::empty(SheetSummary::empty(
                self.source,
                None,
                SheetStatus::Skipped(String::new()),
            )),
        };
        Some(SheetPart {
            reader: Box::new(reader),
        })
    }

    /// Takes the rows of `part`, which come next, as if they had been read here. Its texts
    /// are this reader's copies already (they share one set).
    pub(super) fn absorb(&mut self, part: SheetPart<'_>) {
        let mut part = part.reader;
        let out = &mut self.out;
        out.entries.append(&mut part.out.entries);
        out.exclusions.append(&mut part.out.exclusions);
        out.notes.append(&mut part.out.notes);
        out.ambiguous.append(&mut part.out.ambiguous);
        self.sums.follow(&part.sums);
        self.blanks.follow(&part.blanks);
        // The same value as adding the part's amounts one by one; only the scale of a sum
        // that cancelled on the way may differ, which no total shows.
        self.included.add_sum(&part.included);
    }
}
