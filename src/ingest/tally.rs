//! Counting what one file costs while it is read — rows, non-empty cells, the length of a
//! cell's text and the time — against its [`Limits`], with errors that name the cell where a
//! limit was passed.

use std::path::Path;
use std::time::Instant;

use super::limits::{cell_name, deadline_after, timed_out, Limits};
use super::IngestError;

/// Counts what one file costs while it is read, and says when a limit is passed.
pub(crate) struct Tally<'a> {
    path: &'a Path,
    limits: &'a Limits,
    deadline: Instant,
    rows: u64,
    cells: u64,
    ticks: u32,
}

impl<'a> Tally<'a> {
    /// Starts the clock for `path`.
    pub(crate) fn new(path: &'a Path, limits: &'a Limits) -> Self {
        Tally {
            path,
            limits,
            deadline: deadline_after(limits.time),
            rows: 0,
            cells: 0,
            ticks: 0,
        }
    }

    /// A tally for one part of the file read on another thread: the same clock, nothing
    /// counted yet.
    pub(crate) fn part(&self) -> Tally<'a> {
        Tally {
            path: self.path,
            limits: self.limits,
            deadline: self.deadline,
            rows: 0,
            cells: 0,
            ticks: 0,
        }
    }

    /// Adds the counts of a part read on its own; `false` (and nothing added) when they
    /// would pass a limit: that part is read again with this tally to say where.
    pub(crate) fn add_part(&mut self, (rows, cells): (u64, u64)) -> bool {
        let (r, c) = (self.rows + rows, self.cells + cells);
        if r > self.limits.max_rows || c > self.limits.max_cells {
            return false;
        }
        (self.rows, self.cells) = (r, c);
        true
    }

    /// The most rows the file may hold.
    pub(crate) fn max_rows(&self) -> u64 {
        self.limits.max_rows
    }

    /// The most characters one cell may hold.
    pub(crate) fn max_cell_chars(&self) -> usize {
        self.limits.max_cell_chars
    }

    /// The counts so far, to go back to when a sheet is read again.
    pub(crate) fn mark(&self) -> (u64, u64) {
        (self.rows, self.cells)
    }

    /// Forgets what was counted since `mark` (the clock keeps running).
    pub(crate) fn reset_to(&mut self, mark: (u64, u64)) {
        (self.rows, self.cells) = mark;
    }

    pub(crate) fn deadline(&self) -> Instant {
        self.deadline
    }

    pub(crate) fn expired(&self) -> bool {
        Instant::now() >= self.deadline
    }

    /// Counts a row of data that starts at zero-based `row`.
    pub(crate) fn row(&mut self, sheet: Option<&str>, row: u32) -> Result<(), IngestError> {
        self.rows += 1;
        if self.rows > self.limits.max_rows {
            return Err(IngestError::limit(
                self.path,
                format!(
                    "more than {} rows were read (the limit per file was passed at {})",
                    self.limits.max_rows,
                    match sheet {
                        Some(s) => format!("sheet {s:?}, row {}", u64::from(row) + 1),
                        None => format!("line {}", u64::from(row) + 1),
                    }
                ),
                "if this really is one ledger, raise the limit with --max-rows N; otherwise check that this is the right file",
            ));
        }
        Ok(())
    }

    /// Counts a non-empty cell.
    pub(crate) fn cell(
        &mut self,
        sheet: Option<&str>,
        row: u32,
        col: u32,
    ) -> Result<(), IngestError> {
        self.cells += 1;
        if self.cells > self.limits.max_cells {
            return Err(IngestError::limit(
                self.path,
                format!(
                    "more than {} cells hold data (the limit per file was passed at {})",
                    self.limits.max_cells,
                    cell_name(sheet, row, col)
                ),
                "if this really is one ledger, raise the limit with --max-cells N; otherwise check that this is the right file",
            ));
        }
        self.tick()
    }

    /// Refuses text longer than a cell may hold, before it is copied.
    pub(crate) fn text(
        &self,
        sheet: Option<&str>,
        row: u32,
        col: u32,
        text: &str,
    ) -> Result<(), IngestError> {
        let max = self.limits.max_cell_chars;
        // Bytes are at least characters, so most cells need no count.
        if text.len() <= max {
            return Ok(());
        }
        let chars = text.chars().count();
        if chars <= max {
            return Ok(());
        }
        Err(self.long_text(sheet, row, col, &chars.to_string()))
    }

    /// The error for a field cut off while it was read, longer than a cell may hold.
    pub(crate) fn text_cut_off(&self, sheet: Option<&str>, row: u32, col: u32) -> IngestError {
        self.long_text(
            sheet,
            row,
            col,
            &format!("more than {}", self.limits.max_cell_chars),
        )
    }

    fn long_text(&self, sheet: Option<&str>, row: u32, col: u32, chars: &str) -> IngestError {
        IngestError::limit(
            self.path,
            format!(
                "{} holds {chars} characters of text, more than one cell can hold ({})",
                cell_name(sheet, row, col),
                self.limits.max_cell_chars
            ),
            "the file is damaged or not a ledger; open it in a spreadsheet program, shorten that cell and save it again",
        )
    }

    /// Whether `rows` more rows and `cells` more non-empty cells stay within the limits.
    pub(crate) fn fits(&self, rows: u64, cells: u64) -> bool {
        self.rows.saturating_add(rows) <= self.limits.max_rows
            && self.cells.saturating_add(cells) <= self.limits.max_cells
    }

    /// Counts `rows` rows and `cells` cells that fit ([`Tally::fits`]) after `ticks` steps of
    /// work, checking the clock as often as that many [`Tally::tick`]s would.
    pub(crate) fn add(&mut self, rows: u64, cells: u64, ticks: u32) -> Result<(), IngestError> {
        self.rows += rows;
        self.cells += cells;
        let before = self.ticks;
        self.ticks = self.ticks.wrapping_add(ticks);
        if before / 4096 != self.ticks / 4096 && self.expired() {
            return Err(self.timed_out());
        }
        Ok(())
    }

    /// Checks the clock every few thousand calls.
    pub(crate) fn tick(&mut self) -> Result<(), IngestError> {
        self.ticks = self.ticks.wrapping_add(1);
        if self.ticks % 4096 == 0 && self.expired() {
            return Err(self.timed_out());
        }
        Ok(())
    }

    /// The error for a file that took longer than the time limit.
    pub(crate) fn timed_out(&self) -> IngestError {
        timed_out(self.path, self.limits.time)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::MAX_CELL_CHARS;

    #[test]
    fn long_text_is_refused_by_characters_not_bytes() {
        let limits = Limits::default();
        let path = Path::new("l.xlsx");
        let tally = Tally::new(path, &limits);
        let wide = "é".repeat(MAX_CELL_CHARS);
        assert!(
            tally.text(None, 0, 0, &wide).is_ok(),
            "multi-byte text at the limit"
        );
        let long = "x".repeat(MAX_CELL_CHARS + 1);
        let e = tally.text(Some("S"), 4, 1, &long).unwrap_err().to_string();
        assert!(e.contains("S!B5") && e.contains("32768 characters"), "{e}");
    }

    #[test]
    fn counts_rows_and_cells_against_the_limits() {
        let limits = Limits {
            max_rows: 2,
            max_cells: 3,
            ..Limits::default()
        };
        let path = Path::new("l.csv");
        let mut tally = Tally::new(path, &limits);
        tally.row(None, 0).unwrap();
        tally.row(None, 1).unwrap();
        let e = tally.row(None, 2).unwrap_err().to_string();
        assert!(e.contains("--max-rows") && e.contains("line 3"), "{e}");
        for c in 0..3 {
            tally.cell(None, 0, c).unwrap();
        }
        let e = tally.cell(Some("S"), 9, 0).unwrap_err().to_string();
        assert!(e.contains("--max-cells") && e.contains("S!A10"), "{e}");
    }
}
