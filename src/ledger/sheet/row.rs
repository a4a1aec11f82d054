//! A row as the sheet reader sees it: the cells of a [`RawRow`], or the fields of a plain
//! delimited line that the reader lends as they lie in the text, without copying them into
//! cells first. Both give the reader the same non-blank cells, so a row means the same
//! whichever way it came.

use crate::ingest::{is_blank_text, CellValue, RawCell, RawRow};

/// One non-blank cell of a row.
#[derive(Clone, Copy)]
pub(super) enum Cell<'a> {
    /// A cell read into a [`RawRow`].
    Raw(&'a RawCell),
    /// A field of a delimited line, which is text.
    Field(&'a str),
}

impl<'a> Cell<'a> {
    /// The text of a text cell; the cell itself for any other.
    pub(super) fn text(self) -> Result<&'a str, &'a RawCell> {
        match self {
            Cell::Field(t) => Ok(t),
            Cell::Raw(RawCell {
                value: CellValue::Text(t),
                ..
            }) => Ok(t),
            Cell::Raw(c) => Err(c),
        }
    }

    /// The value as a person would read it in the cell, for messages.
    pub(super) fn display(self) -> String {
        match self.text() {
            Ok(t) => t.to_string(),
            Err(c) => c.value.display(),
        }
    }
}

/// The non-blank cells of one row, by zero-based column.
pub(super) trait Row {
    /// The zero-based row index in the sheet.
    fn index(&self) -> u32;
    /// The cell in column `col`, if the row has a non-blank one there.
    fn get(&self, col: u32) -> Option<Cell<'_>>;
    /// The first non-blank cell, with its column, for which `f` is true.
    fn find(&self, f: impl FnMut(u32, Cell<'_>) -> bool) -> Option<u32>;
    /// The column of the first non-blank cell.
    fn first_col(&self) -> Option<u32> {
        self.find(|_, _| true)
    }
}

impl Row for RawRow {
    fn index(&self) -> u32 {
        self.index
    }

    fn get(&self, col: u32) -> Option<Cell<'_>> {
        self.cell(col).map(Cell::Raw)
    }

    fn find(&self, mut f: impl FnMut(u32, Cell<'_>) -> bool) -> Option<u32> {
        self.cells
            .iter()
            .find(|c| f(c.col, Cell::Raw(c)))
            .map(|c| c.col)
    }
}

/// The fields of a delimited line, by column, blank ones included.
pub(super) struct Fields<'a> {
    pub(super) index: u32,
    pub(super) fields: &'a [&'a str],
}

impl Row for Fields<'_> {
    fn index(&self) -> u32 {
        self.index
    }

    fn get(&self, col: u32) -> Option<Cell<'_>> {
        let field = *self.fields.get(usize::try_from(col).ok()?)?;
        (!is_blank_text(field)).then_some(Cell::Field(field))
    }

    fn find(&self, mut f: impl FnMut(u32, Cell<'_>) -> bool) -> Option<u32> {
        self.fields
            .iter()
            .zip(0u32..)
            .find(|(t, col)| !is_blank_text(t) && f(*col, Cell::Field(t)))
            .map(|(_, col)| col)
    }
}
