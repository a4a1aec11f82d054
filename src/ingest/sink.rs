//! Rows handed on as they are read: the [`RowSink`] a reader streams into, the sink that
//! collects a whole [`RawBook`], and the row builder that turns a cell reader's cells into
//! rows without a fresh allocation per cell.

use calamine::DataRef;

use super::cells::excel_date;
use super::limits::Tally;
use super::{CellValue, RawBook, RawCell, RawRow, RawSheet};

/// Where a reader hands rows, sheet by sheet, in sheet order.
///
/// A sheet starts with [`RowSink::begin_sheet`]; when that returns `true`, rows follow and the
/// sheet ends with [`RowSink::end_sheet`], or with [`RowSink::abort_sheet`] when it could not
/// be read after all (its rows so far are void). A sheet may be begun again after an abort.
pub trait RowSink {
    /// A sheet starts; `false` skips it unread (a sheet not asked for).
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool;
    /// One row of the current sheet. The row is lent: keep what is needed.
    fn row(&mut self, row: &RawRow);
    /// One row that the sink may take: it may leave another row in its place (whose cells the
    /// reader clears and reuses), instead of copying this one.
    fn take_row(&mut self, row: &mut RawRow) {
        self.row(row);
    }
    /// Row `index` of delimited text as its fields by column (blank ones included, at least
    /// one not), lent as they lie in the text, before any cell is made of them: `true` when
    /// the sink took the row so, `false` when it wants it as a [`RawRow`] (the row then comes
    /// again, as cells, with [`RowSink::row`] or [`RowSink::take_row`]).
    fn fields(&mut self, _index: u32, _fields: &[&str]) -> bool {
        false
    }
    /// The current sheet is complete.
    fn end_sheet(&mut self);
    /// The current sheet's rows are void.
    fn abort_sheet(&mut self);
}

/// Collects every row into sheets, for callers that want the whole book.
#[derive(Default)]
pub struct Collect {
    pub sheets: Vec<RawSheet>,
    current: Option<RawSheet>,
}

impl RowSink for Collect {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool {
        self.current = Some(RawSheet {
            name: name.map(str::to_string),
            is_1904,
            explicit_blanks,
            rows: Vec::new(),
        });
        true
    }

    fn row(&mut self, row: &RawRow) {
        if let Some(sheet) = &mut self.current {
            sheet.rows.push(row.clone());
        }
    }

    fn end_sheet(&mut self) {
        self.sheets.extend(self.current.take());
    }

    fn abort_sheet(&mut self) {
        self.current = None;
    }
}

/// Hands a book that was read whole to a sink, sheet by sheet.
pub fn replay(book: &RawBook, sink: &mut dyn RowSink) {
    for sheet in &book.sheets {
        if sink.begin_sheet(sheet.name.as_deref(), sheet.is_1904, sheet.explicit_blanks) {
            for row in &sheet.rows {
                sink.row(row);
            }
            sink.end_sheet();
        }
    }
}

/// Why a streamed cell could not be taken.
pub(crate) enum Refused {
    /// A limit was passed.
    Limit(super::IngestError),
    /// The cell belongs to a row already handed on: the file stores rows out of order, and the
    /// sheet must be read whole and sorted instead.
    OutOfOrder,
}

impl From<super::IngestError> for Refused {
    fn from(e: super::IngestError) -> Self {
        Refused::Limit(e)
    }
}

/// Builds rows from cells that arrive in sheet order and hands each complete row to a sink.
///
/// Text is copied into strings kept from earlier rows, so a long sheet costs no allocation
/// per cell. Cells out of order within a row are sorted when the row is complete (of two
/// cells at one address the later wins, as in Excel); a cell for an earlier row is refused
/// with [`Refused::OutOfOrder`].
pub(crate) struct RowStream<'s> {
    sheet: Option<&'s str>,
    row: RawRow,
    open: bool,
    sorted: bool,
    spare: Vec<String>,
}

impl<'s> RowStream<'s> {
    pub(crate) fn new(sheet: Option<&'s str>) -> Self {
        RowStream {
            sheet,
            row: RawRow {
                index: 0,
                cells: Vec::new(),
            },
            open: false,
            sorted: true,
            spare: Vec::new(),
        }
    }

    /// A string for a text cell, reusing one from an earlier row.
    fn text(&mut self, s: &str) -> String {
        let mut t = self.spare.pop().unwrap_or_default();
        t.push_str(s);
        t
    }

    /// Converts a streamed value, reusing strings; `None` for an empty cell.
    pub(crate) fn value(&mut self, value: &DataRef<'_>) -> Option<CellValue> {
        Some(match value {
            DataRef::Empty => return None,
            DataRef::Int(i) => CellValue::Int(*i),
            DataRef::Float(f) => CellValue::Float(*f),
            DataRef::String(s) | DataRef::DurationIso(s) => CellValue::Text(self.text(s)),
            DataRef::SharedString(s) => CellValue::Text(self.text(s)),
            DataRef::Bool(b) => CellValue::Bool(*b),
            DataRef::DateTime(dt) => excel_date(dt),
            DataRef::DateTimeIso(s) => CellValue::IsoDate(self.text(s)),
            DataRef::Error(e) => CellValue::Error(e.to_string()),
        })
    }

    /// Text for a delimited field, reusing strings.
    pub(crate) fn text_value(&mut self, s: &str) -> CellValue {
        CellValue::Text(self.text(s))
    }

    /// Adds a cell (a blank one is dropped), counting it against the limits; hands on the
    /// previous row when this cell starts a new one.
    pub(crate) fn push(
        &mut self,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
        row: u32,
        col: u32,
        value: CellValue,
        currency: Option<String>,
    ) -> Result<(), Refused> {
        if value.is_blank() {
            self.recycle(value);
            return Ok(());
        }
        if !self.open || row != self.row.index {
            if self.open && row < self.row.index {
                return Err(Refused::OutOfOrder);
            }
            self.flush(sink);
            tally.row(self.sheet, row)?;
            self.row.index = row;
            self.open = true;
        }
        tally.cell(self.sheet, row, col)?;
        if self.row.cells.last().is_some_and(|c| c.col >= col) {
            self.sorted = false;
        }
        self.row.cells.push(RawCell {
            col,
            value,
            currency,
        });
        Ok(())
    }

    /// Whether a row with index `row` is being built.
    pub(crate) fn is_open(&self, row: u32) -> bool {
        self.open && self.row.index == row
    }

    /// Hands on a row with no cells (a blank CSV line), after the row being built.
    pub(crate) fn blank_row(
        &mut self,
        tally: &mut Tally<'_>,
        sink: &mut dyn RowSink,
        row: u32,
    ) -> Result<(), Refused> {
        self.flush(sink);
        tally.row(self.sheet, row)?;
        self.row.index = row;
        self.hand_on(sink);
        Ok(())
    }

    /// Gives the row to the sink and clears whatever row comes back, keeping its strings.
    fn hand_on(&mut self, sink: &mut dyn RowSink) {
        sink.take_row(&mut self.row);
        let mut cells = std::mem::take(&mut self.row.cells);
        for cell in cells.drain(..) {
            self.recycle(cell.value);
        }
        self.row.cells = cells;
    }

    /// Hands on the row being built, if any, and clears it for reuse.
    pub(crate) fn flush(&mut self, sink: &mut dyn RowSink) {
        if !self.open {
            return;
        }
        if !self.sorted {
            // Stable: of two cells at one address the later one is kept.
            self.row.cells.sort_by_key(|c| c.col);
            let cells = std::mem::take(&mut self.row.cells);
            for cell in cells {
                match self.row.cells.last_mut() {
                    Some(prev) if prev.col == cell.col => {
                        let old = std::mem::replace(prev, cell);
                        self.recycle(old.value);
                    }
                    _ => self.row.cells.push(cell),
                }
            }
            self.sorted = true;
        }
        self.hand_on(sink);
        self.open = false;
    }

    fn recycle(&mut self, value: CellValue) {
        if let CellValue::Text(mut s) | CellValue::IsoDate(mut s) = value {
            // A string grown for one huge cell is not kept.
            if s.capacity() <= 256 {
                s.clear();
                self.spare.push(s);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::ingest::Limits;

    #[test]
    fn rows_are_handed_on_complete_sorted_and_the_later_duplicate_wins() {
        let limits = Limits::default();
        let mut tally = Tally::new(Path::new("x.xlsx"), &limits);
        let mut sink = Collect::default();
        assert!(sink.begin_sheet(Some("S"), false, false));
        let mut rows = RowStream::new(Some("S"));
        let t = |rows: &mut RowStream<'_>, s: &str| rows.text_value(s);
        for (r, c, v) in [
            (1, 2, "b"),
            (1, 0, "a"),
            (2, 0, " "),
            (3, 1, "d"),
            (3, 1, "e"),
        ] {
            let value = t(&mut rows, v);
            assert!(rows.push(&mut tally, &mut sink, r, c, value, None).is_ok());
        }
        let value = t(&mut rows, "late");
        assert!(matches!(
            rows.push(&mut tally, &mut sink, 1, 0, value, None),
            Err(Refused::OutOfOrder)
        ));
        rows.flush(&mut sink);
        sink.end_sheet();
        let got: Vec<(u32, Vec<(u32, String)>)> = sink.sheets[0]
            .rows
            .iter()
            .map(|r| {
                (
                    r.index,
                    r.cells.iter().map(|c| (c.col, c.value.display())).collect(),
                )
            })
            .collect();
        assert_eq!(
            got,
            vec![
                (1, vec![(0, "a".into()), (2, "b".into())]),
                (3, vec![(1, "e".into())])
            ]
        );
    }
}
