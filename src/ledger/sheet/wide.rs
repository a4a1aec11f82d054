//! The wide layout: one row per funder, one column per fiscal year; each year cell is a record.

use super::row::{Cell, Row};
use super::text::cell_text;
use super::Reader;
use crate::ledger::ExclusionReason;

impl Reader<'_> {
    /// One funder's row: each filled year cell is an entry or an exclusion.
    pub(super) fn wide_row(&mut self, row: &impl Row) {
        let years = &self.header.years;
        let first_year_col = years.first().map_or(0, |y| y.0);
        if self.excluded_as_repeated_header(row, first_year_col) {
            return;
        }
        let filled: Vec<(usize, u32, i32, Cell<'_>)> = self
            .header
            .years
            .iter()
            .enumerate()
            .filter_map(|(i, (col, fy, _))| row.get(*col).map(|v| (i, *col, *fy, v)))
            .collect();
        if let Some(label_col) = self.total_label(row, None) {
            if filled.is_empty() {
                let found = row.get(label_col).and_then(cell_text);
                self.exclude(self.at(label_col, row), ExclusionReason::Total, None, found);
            }
            for (i, col, _, cell) in filled {
                let amount = self.money(cell).ok().map(|(a, _)| a);
                let found = row.get(label_col).and_then(cell_text);
                self.exclude(self.at(col, row), ExclusionReason::Total, amount, found);
                if let Some(s) = self.year_sums.get_mut(i) {
                    s.reset();
                }
            }
            return;
        }
        if filled.is_empty() {
            self.exclude(
                self.at(first_year_col, row),
                ExclusionReason::NoAmount,
                None,
                None,
            );
            return;
        }
        let no_funder = !self.has_funder(row);
        let parsed: Vec<_> = filled.iter().map(|(_, _, _, c)| self.money(*c)).collect();
        // An unlabelled row of column totals: every filled cell equals its column's sum.
        let totals_row = no_funder
            && filled
                .iter()
                .zip(&parsed)
                .all(|((i, ..), p)| matches!(p, Ok((a, _)) if self.year_sums[*i].is_total(*a)));
        for ((i, col, fy, _), p) in filled.into_iter().zip(parsed) {
            let at = self.at(col, row);
            match p {
                Err(text) => self.exclude(at, ExclusionReason::NotANumber, None, Some(text)),
                Ok((amount, _)) if totals_row => {
                    self.exclude(at, ExclusionReason::Total, Some(amount), None);
                    self.year_sums[i].reset();
                }
                Ok((amount, currency)) => {
                    self.year_sums[i].add(amount);
                    self.entry(row, at, None, fy, amount, currency);
                }
            }
        }
    }
}
