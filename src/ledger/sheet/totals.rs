//! Total rows: a label ("Total", "Sub-total Q1") or an unlabelled amount equal to the rows
//! above it; and a funder whose name only looks like a total label ("Total Energies UK").

use rust_decimal::Decimal;

use super::text::{cell_text, is_total_label, total_label_may_be_a_name};
use super::Reader;
use crate::ingest::{CellValue, RawRow};
use crate::ledger::header::Role;

/// Running sums for spotting unlabelled total rows.
#[derive(Default, Clone)]
pub(super) struct Sums {
    since_total: Decimal,
    since_total_rows: usize,
    all: Decimal,
    all_rows: usize,
}

impl Sums {
    pub(super) fn add(&mut self, amount: Decimal) {
        self.since_total += amount;
        self.since_total_rows += 1;
        self.all += amount;
        self.all_rows += 1;
    }

    pub(super) fn is_total(&self, amount: Decimal) -> bool {
        (self.since_total_rows > 0 && amount == self.since_total)
            || (self.all_rows > 0 && amount == self.all)
    }

    pub(super) fn reset(&mut self) {
        self.since_total = Decimal::ZERO;
        self.since_total_rows = 0;
    }
}

impl Reader<'_> {
    /// The column of a cell labelling the row a total. `known_amount` is a column already read
    /// as an amount: money text names no total, so it is not looked at again.
    pub(super) fn total_label(&self, row: &RawRow, known_amount: Option<u32>) -> Option<u32> {
        row.cells
            .iter()
            .filter(|c| Some(c.col) != known_amount)
            .find(|c| matches!(&c.value, CellValue::Text(t) if is_total_label(t)))
            .map(|c| c.col)
    }

    /// The column labelling a long-layout row a total, unless the label is the funder's name
    /// on a dated row whose amount is not the sum above it.
    pub(super) fn long_total_label(
        &self,
        row: &RawRow,
        known_amount: Option<u32>,
        date_col: u32,
        parsed: &Option<Result<(Decimal, Option<String>), String>>,
    ) -> Option<u32> {
        self.total_label(row, known_amount)
            .filter(|c| !self.funder_named_total(row, *c, date_col, parsed))
    }

    /// A dated row whose funder is "Total Energies UK" is a gift from that company, not a
    /// total: unless its amount is the sum of the rows above it.
    fn funder_named_total(
        &self,
        row: &RawRow,
        label_col: u32,
        date_col: u32,
        parsed: &Option<Result<(Decimal, Option<String>), String>>,
    ) -> bool {
        let Some(Ok((amount, _))) = parsed else {
            return false;
        };
        self.header.col(Role::Funder) == Some(label_col)
            && row.get(date_col).and_then(cell_text).is_some()
            && matches!(row.get(label_col), Some(CellValue::Text(t)) if total_label_may_be_a_name(t))
            && !self.sums.is_total(*amount)
    }
}
