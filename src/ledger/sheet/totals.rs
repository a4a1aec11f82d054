//! Total rows: a label ("Total", "Sub-total Q1") or an unlabelled amount equal to the rows
//! above it; and a funder whose name only looks like a total label ("Total Energies UK").

use std::cell::Cell;

use rust_decimal::Decimal;

use super::super::sum::ExactSum;
use super::row::Row;
use super::text::{cell_text, is_total_label, total_label_may_be_a_name};
use super::Reader;
use crate::ledger::header::Role;

/// Running sums for spotting unlabelled total rows.
#[derive(Default, Clone)]
pub(super) struct Sums {
    since_total: ExactSum,
    since_total_rows: usize,
    all: ExactSum,
    all_rows: usize,
    /// The sums of a part of a sheet read on its own, without the rows above it: no total can
    /// be told from them.
    partial: bool,
    /// A partial sum was asked for: the part must be read again, in order.
    asked: Cell<bool>,
    /// A total was passed in this part.
    was_reset: bool,
}

impl Sums {
    /// The sums of a part of a sheet read on its own.
    pub(super) fn partial() -> Self {
        Sums {
            partial: true,
            ..Sums::default()
        }
    }

    pub(super) fn add(&mut self, amount: Decimal) {
        self.since_total.add(amount);
        self.since_total_rows += 1;
        self.all.add(amount);
        self.all_rows += 1;
    }

    pub(super) fn is_total(&self, amount: Decimal) -> bool {
        if self.partial {
            self.asked.set(true);
            return false;
        }
        (self.since_total_rows > 0 && amount == self.since_total.value())
            || (self.all_rows > 0 && amount == self.all.value())
    }

    pub(super) fn reset(&mut self) {
        self.since_total = ExactSum::default();
        self.since_total_rows = 0;
        self.was_reset = true;
    }

    /// Whether a total was asked of partial sums.
    pub(super) fn asked(&self) -> bool {
        self.asked.get()
    }

    /// The sums after the rows of `part`, read on its own after these.
    pub(super) fn follow(&mut self, part: &Sums) {
        self.all.add_sum(&part.all);
        self.all_rows += part.all_rows;
        if part.was_reset {
            self.since_total = part.since_total;
            self.since_total_rows = part.since_total_rows;
            self.was_reset = true;
        } else {
            self.since_total.add_sum(&part.since_total);
            self.since_total_rows += part.since_total_rows;
        }
    }
}

impl Reader<'_> {
    /// The column of a cell labelling the row a total. `known_amount` is a column already read
    /// as an amount: money text names no total, so it is not looked at again.
    pub(super) fn total_label(&self, row: &impl Row, known_amount: Option<u32>) -> Option<u32> {
        row.find(|col, cell| {
            Some(col) != known_amount
                && cell.text().is_ok_and(|t| {
                    self.memo
                        .at(col)
                        .map_or_else(|| is_total_label(t), |f| f.total_label)
                })
        })
    }

    /// The column labelling a long-layout row a total, unless the label is the funder's name
    /// on a dated row whose amount is not the sum above it.
    pub(super) fn long_total_label(
        &self,
        row: &impl Row,
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
        row: &impl Row,
        label_col: u32,
        date_col: u32,
        parsed: &Option<Result<(Decimal, Option<String>), String>>,
    ) -> bool {
        let Some(Ok((amount, _))) = parsed else {
            return false;
        };
        self.col(Role::Funder) == Some(label_col)
            && row.get(date_col).and_then(cell_text).is_some()
            && row
                .get(label_col)
                .and_then(|c| c.text().ok())
                .is_some_and(total_label_may_be_a_name)
            && !self.sums.is_total(*amount)
    }
}
