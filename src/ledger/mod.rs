//! Ledger: sheets of raw rows → income entries, and exclusions that say why and where.
//!
//! This module owns what a ledger means: header detection, column roles, money and date
//! parsing, totals and repeated headers, fiscal years and currency. It reads [`crate::ingest`]
//! output and never touches files; metrics and reports read its [`Ledger`].

mod build;
mod category;
pub mod classify;
mod date;
mod duplicates;
mod header;
mod money;
mod sheet;
pub mod sum;
#[cfg(test)]
pub(crate) mod test_rows;
mod text;

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use build::{build, LedgerBuilder, LedgerError};
pub use category::Category;
pub use date::{
    fiscal_year, fiscal_year_bounds, from_serial, parse_date_text, DateOrder, DateRead,
};
pub(crate) use duplicates::duplicate_notes;
pub use header::{find_header, normalise, Header, Layout, NoHeader, Role};
pub use money::{currency_code, from_float, parse_money, Money};
pub use sheet::SheetPart;
pub(crate) use text::Interner;
pub use text::{PartTexts, Text};

/// Options that change how cells are read as a ledger.
#[derive(Debug, Clone)]
pub struct LedgerOptions {
    /// Month (1–12) in which the fiscal year starts.
    pub fiscal_year_start: u32,
    pub date_order: Option<DateOrder>,
    pub decimal_comma: bool,
    /// Currency for amounts that name none.
    pub currency: Option<String>,
    /// Extra header texts (normalised) → role, from `fundrisk.toml`.
    pub columns: BTreeMap<String, Role>,
    /// Only these sheets, when not empty.
    pub sheets: Vec<String>,
}

impl Default for LedgerOptions {
    fn default() -> Self {
        LedgerOptions {
            fiscal_year_start: 1,
            date_order: None,
            decimal_comma: false,
            currency: None,
            columns: BTreeMap::new(),
            sheets: Vec::new(),
        }
    }
}

impl LedgerOptions {
    /// Whether a sheet is read: every sheet unless `--sheet` names some (a CSV file's one
    /// unnamed table is always read).
    #[must_use]
    pub fn wants_sheet(&self, name: Option<&str>) -> bool {
        match name {
            None => true,
            // Sheet names are not case-sensitive in Excel or LibreOffice: nor here.
            Some(name) => {
                self.sheets.is_empty()
                    || self
                        .sheets
                        .iter()
                        .any(|s| s.trim().to_lowercase() == name.trim().to_lowercase())
            }
        }
    }
}

/// Where a value sits: file (by input index), sheet, column and row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub source: usize,
    pub sheet: Option<Text>,
    /// Zero-based column.
    pub col: u32,
    /// One-based row as the user sees it (CSV: the line number).
    pub row: u32,
}

impl CellRef {
    /// `C14`.
    #[must_use]
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row)
    }

    /// `Income!C14`, `'Income 2024'!C14`, or `C14` for CSV.
    #[must_use]
    pub fn qualified(&self) -> String {
        match &self.sheet {
            Some(s) if s.chars().all(|c| c.is_alphanumeric() || c == '_') => {
                format!("{s}!{}", self.a1())
            }
            Some(s) => format!("'{}'!{}", s.replace('\'', "''"), self.a1()),
            None => self.a1(),
        }
    }
}

/// Spreadsheet column letters for a zero-based column: 0 → A, 26 → AA.
#[must_use]
pub fn column_letters(col: u32) -> String {
    let mut n = u64::from(col) + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        out.push(char::from(b'A' + rem));
        n = (n - 1) / 26;
    }
    out.iter().rev().collect()
}

/// One income row that made it into the ledger.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The amount cell.
    pub at: CellRef,
    /// `None` in the wide layout, where the column names only the fiscal year.
    pub date: Option<NaiveDate>,
    /// The calendar year in which the entry's fiscal year ends.
    pub fiscal_year: i32,
    pub amount: Decimal,
    pub currency: Option<Text>,
    pub funder: Option<Text>,
    pub funder_id: Option<Text>,
    pub category: Option<Text>,
    /// `None` when the ledger does not say.
    pub restricted: Option<bool>,
    pub description: Option<Text>,
}

/// Why a row was set aside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum ExclusionReason {
    #[serde(rename = "total")]
    Total,
    #[serde(rename = "repeated header")]
    RepeatedHeader,
    #[serde(rename = "no amount")]
    NoAmount,
    #[serde(rename = "not a number")]
    NotANumber,
    #[serde(rename = "no date")]
    NoDate,
    #[serde(rename = "bad date")]
    BadDate,
}

impl ExclusionReason {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ExclusionReason::Total => "total",
            ExclusionReason::RepeatedHeader => "repeated header",
            ExclusionReason::NoAmount => "no amount",
            ExclusionReason::NotANumber => "not a number",
            ExclusionReason::NoDate => "no date",
            ExclusionReason::BadDate => "bad date",
        }
    }
}

impl fmt::Display for ExclusionReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A row (or, in the wide layout, a funder-year cell) that was read but not included.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// The offending cell.
    pub at: CellRef,
    pub reason: ExclusionReason,
    /// The row's amount, when it could be read.
    pub amount: Option<Decimal>,
    /// The text found in the offending cell.
    pub found: Option<String>,
}

/// How sure a data-quality note is that something needs fixing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth knowing; nothing is wrong.
    Info,
    /// An ambiguity or oddity a finance lead should look at; `--strict` fails on it.
    Warning,
}

/// Something about the data a reader should know.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Note {
    pub code: &'static str,
    pub severity: Severity,
    pub message: String,
    /// File and cell (or sheet) the note is about.
    pub location: Option<String>,
}

/// What became of one sheet.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetStatus {
    Income(Header),
    /// No ledger header in the first rows (a notes or contents sheet, say).
    NotIncome(NoHeader),
    /// The sheet could not be read or was not asked for.
    Skipped(String),
}

/// Per-sheet counts, for `inspect`.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSummary {
    pub source: usize,
    pub sheet: Option<String>,
    pub status: SheetStatus,
    pub rows_read: usize,
    pub rows_included: usize,
    pub rows_excluded: usize,
    pub blank_rows: usize,
    pub total_included: Decimal,
    pub total_excluded: Decimal,
}

/// One input file's identity.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Input {
    pub path: String,
    pub sha256: String,
    pub format: &'static str,
}

/// Every input row accounted for: entries, exclusions, and notes.
#[derive(Debug, Clone, Default)]
pub struct Ledger {
    pub inputs: Vec<Input>,
    pub entries: Vec<Entry>,
    pub exclusions: Vec<Exclusion>,
    pub notes: Vec<Note>,
    pub sheets: Vec<SheetSummary>,
    pub currency: Option<String>,
    pub fiscal_year_start: u32,
}

impl Ledger {
    #[must_use]
    pub fn rows_read(&self) -> usize {
        self.entries.len() + self.exclusions.len()
    }

    #[must_use]
    pub fn total_included(&self) -> Decimal {
        self.entries
            .iter()
            .map(|e| e.amount)
            .collect::<sum::ExactSum>()
            .value()
    }

    #[must_use]
    pub fn total_excluded(&self) -> Decimal {
        self.exclusions
            .iter()
            .filter_map(|e| e.amount)
            .collect::<sum::ExactSum>()
            .value()
    }

    #[must_use]
    pub fn blank_rows(&self) -> usize {
        self.sheets.iter().map(|s| s.blank_rows).sum()
    }

    /// Notes every group of identical rows (they stay included: they may be separate
    /// payments). [`crate::load::load`] does this; a caller of
    /// [`crate::load::load_unnoted`] does it itself, or lets
    /// [`crate::analysis::analyse_unnoted`] do it beside classification.
    pub fn note_duplicates(&mut self) {
        let notes = duplicates::duplicate_notes(self);
        self.notes.extend(notes);
    }

    /// The file name and cell, for messages: `ledger.xlsx: Income!C14`.
    #[must_use]
    pub fn locate(&self, at: &CellRef) -> String {
        let path = self.inputs.get(at.source).map_or("?", |i| i.path.as_str());
        format!("{path}: {}", at.qualified())
    }
}

impl SheetSummary {
    pub(crate) fn empty(source: usize, sheet: Option<String>, status: SheetStatus) -> Self {
        SheetSummary {
            source,
            sheet,
            status,
            rows_read: 0,
            rows_included: 0,
            rows_excluded: 0,
            blank_rows: 0,
            total_included: Decimal::ZERO,
            total_excluded: Decimal::ZERO,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_letters_follow_spreadsheets() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(16383), "XFD");
    }
}
