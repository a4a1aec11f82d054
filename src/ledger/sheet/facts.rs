//! What the text of a funder, identifier or category cell says — its shared copy, whether it
//! labels a total, which header cells it repeats — worked out once per distinct text: these
//! columns repeat a few thousand texts down a million rows, and every row asks all three.
//!
//! The answers are those the row-by-row checks give ([`is_total_label`], [`same_header`]);
//! only the work is shared. A row's answers are looked up once, when it arrives. Rows that
//! repeat the header are found here, from those answers.
//!
//! [`same_header`]: super::text::same_header

use std::collections::HashMap;

use super::super::header::Role;
use super::super::{ExclusionReason, Text};
use super::row::Row;
use super::text::{is_total_label, same_header_text};
use super::Reader;

/// The columns whose texts are remembered.
const ROLES: [Role; 3] = [Role::Funder, Role::FunderId, Role::Category];

/// Header cells past this many are compared cell by cell.
const KNOWN_HEADER_CELLS: usize = 64;

/// Distinct texts remembered at most: past this (a column of row-by-row identifiers), texts
/// are read as they come, as if there were no memo.
const MAX_TEXTS: usize = 1 << 17;

/// What one cell text says.
#[derive(Clone, Default)]
pub(super) struct Facts {
    /// The text trimmed, shared; `None` when it is only whitespace.
    pub(super) text: Option<Text>,
    /// It labels a total row.
    pub(super) total_label: bool,
    /// Bit `i`: it is header cell `i`'s text.
    header: u64,
}

/// The distinct texts seen (keyed by the cell's text as read) with their facts, and the
/// facts of the row being read: its text cells in [`ROLES`]' columns. A row's facts are
/// places in the memo, not copies, so that reading a row copies no shared text.
pub(super) struct FactsMemo {
    places: HashMap<Box<str>, u32, foldhash::fast::RandomState>,
    /// The facts of each text remembered, after one place per role for the row's texts that
    /// are not (once the memo is full).
    facts: Vec<Facts>,
    /// The row's (column, place of its facts), by role.
    row: [Option<(u32, u32)>; ROLES.len()],
}

impl Default for FactsMemo {
    fn default() -> Self {
        FactsMemo {
            places: HashMap::default(),
            facts: vec![Facts::default(); ROLES.len()],
            row: [None; ROLES.len()],
        }
    }
}

impl FactsMemo {
    /// The facts of the row's text cell in column `col`, if it is one of [`ROLES`]'.
    pub(super) fn at(&self, col: u32) -> Option<&Facts> {
        let (_, place) = self.row.iter().flatten().find(|(c, _)| *c == col)?;
        self.facts.get(usize::try_from(*place).ok()?)
    }
}

impl Reader<'_> {
    /// Looks up the facts of `row`'s text cells in [`ROLES`]' columns, for the checks that
    /// follow on this row.
    pub(super) fn learn_row(&mut self, row: &impl Row) {
        #[cfg(test)]
        if tests::WITHOUT_MEMO.with(std::cell::Cell::get) {
            self.memo.row = [None; ROLES.len()];
            return;
        }
        for (slot, role) in ROLES.iter().enumerate() {
            let cell = self
                .col(*role)
                .and_then(|col| Some((col, row.get(col)?.text().ok()?)));
            self.memo.row[slot] = cell.map(|(col, t)| (col, self.facts(slot, t)));
        }
    }

    /// The place of the facts of `raw`, the text of the row's cell in role `slot`'s column.
    fn facts(&mut self, slot: usize, raw: &str) -> u32 {
        if let Some(place) = self.memo.places.get(raw) {
            return *place;
        }
        let trimmed = raw.trim();
        let text = (!trimmed.is_empty()).then(|| self.texts.get(trimmed));
        let mut header = 0u64;
        for (i, (_, norm)) in self.header.cells.iter().enumerate() {
            if i < KNOWN_HEADER_CELLS && same_header_text(raw, norm) {
                header |= 1 << i;
            }
        }
        let facts = Facts {
            text,
            total_label: is_total_label(raw),
            header,
        };
        let memo = &mut self.memo;
        match u32::try_from(memo.facts.len()) {
            Ok(place) if memo.places.len() < MAX_TEXTS => {
                memo.facts.push(facts);
                memo.places.insert(raw.into(), place);
                place
            }
            _ => {
                memo.facts[slot] = facts;
                u32::try_from(slot).unwrap_or(0)
            }
        }
    }

    /// Whether the row repeats the header.
    fn repeated_header(&self, row: &impl Row) -> bool {
        let cells = &self.header.cells;
        // At least two header cells, and at least half of them, must reappear; stop as soon
        // as too few cells are left to get there.
        let needed = 2.max(cells.len().div_ceil(2));
        let mut matches = 0;
        for (i, (col, norm)) in cells.iter().enumerate() {
            if matches + (cells.len() - i) < needed {
                return false;
            }
            if !norm.is_empty() && self.repeats_header_cell(row, i, *col, norm) {
                matches += 1;
            }
        }
        matches >= needed
    }

    /// Sets a row that repeats the header aside, at its first cell (or `col`).
    pub(super) fn excluded_as_repeated_header(&mut self, row: &impl Row, col: u32) -> bool {
        if !self.repeated_header(row) {
            return false;
        }
        let first = row.first_col().unwrap_or(col);
        self.exclude(
            self.at(first, row),
            ExclusionReason::RepeatedHeader,
            None,
            None,
        );
        true
    }

    /// Whether the row's cell in column `col` is the text of header cell `i`, `norm`.
    fn repeats_header_cell(&self, row: &impl Row, i: usize, col: u32, norm: &str) -> bool {
        match self.memo.at(col) {
            Some(f) if i < KNOWN_HEADER_CELLS => (f.header >> i) & 1 == 1,
            _ => row
                .get(col)
                .is_some_and(|v| super::text::same_header(v, norm)),
        }
    }
}

#[cfg(test)]
#[path = "facts_tests.rs"]
pub(super) mod tests;
