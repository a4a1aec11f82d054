//! Ledger: sheets of raw rows → income entries, and exclusions that say why and where.
//!
//! This module owns what a ledger means: header detection, column roles, money and date
//! parsing, totals and repeated headers, fiscal years and currency. It reads [`crate::ingest`]
//! output and never touches files; metrics and reports read its [`Ledger`].

mod category;
pub mod classify;
mod date;
mod header;
mod money;
mod sheet;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

pub use category::Category;
pub use date::{
    fiscal_year, fiscal_year_bounds, from_serial, parse_date_text, DateOrder, DateRead,
};
pub use header::{find_header, normalise, Header, Layout, NoHeader, Role};
pub use money::{currency_code, from_float, parse_money, Money};

use crate::ingest::{RawBook, RawSheet};

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

/// Where a value sits: file (by input index), sheet, column and row.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    pub source: usize,
    pub sheet: Option<String>,
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
    pub currency: Option<String>,
    pub funder: Option<String>,
    pub funder_id: Option<String>,
    pub category: Option<String>,
    /// `None` when the ledger does not say.
    pub restricted: Option<bool>,
    pub description: Option<String>,
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
        self.entries.iter().map(|e| e.amount).sum()
    }

    #[must_use]
    pub fn total_excluded(&self) -> Decimal {
        self.exclusions.iter().filter_map(|e| e.amount).sum()
    }

    #[must_use]
    pub fn blank_rows(&self) -> usize {
        self.sheets.iter().map(|s| s.blank_rows).sum()
    }

    /// The file name and cell, for messages: `ledger.xlsx: Income!C14`.
    #[must_use]
    pub fn locate(&self, at: &CellRef) -> String {
        let path = self.inputs.get(at.source).map_or("?", |i| i.path.as_str());
        format!("{path}: {}", at.qualified())
    }
}

/// Why a set of files cannot be made into one ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("text dates such as {examples} could be day/month or month/day\n  hint: say which with --date-order dmy (03/04/2024 = 3 April) or --date-order mdy (= March 4)")]
    AmbiguousDates { examples: String },
    #[error("two currencies in one run: {first_code} at {first} and {second_code} at {second}\n  hint: analyse each currency's ledger separately (conversion is not supported yet)")]
    MixedCurrencies {
        first_code: String,
        first: String,
        second_code: String,
        second: String,
    },
    #[error("{path}: no income sheet found{detail}\n  hint: the header row needs an amount column and a date column (or a funder column and one column per year); name other headers in fundrisk.toml [columns]")]
    NoIncomeSheet { path: String, detail: String },
    #[error("{path}: no sheet named {wanted} (sheets: {available})")]
    NoSuchSheet {
        path: String,
        wanted: String,
        available: String,
    },
}

/// Builds one ledger from the books read from several files.
///
/// `require_income` makes a file without any income sheet an error (for `analyse`); `inspect`
/// passes `false` to show what it found instead.
///
/// # Errors
/// Ambiguous dates without an order, mixed currencies, a missing requested sheet, or (when
/// required) a file with no income sheet.
pub fn build(
    books: &[(Input, RawBook)],
    opts: &LedgerOptions,
    require_income: bool,
) -> Result<Ledger, LedgerError> {
    let mut ledger = Ledger {
        fiscal_year_start: opts.fiscal_year_start,
        ..Ledger::default()
    };
    let mut ambiguous: Vec<(CellRef, String)> = Vec::new();
    for (source, (input, book)) in books.iter().enumerate() {
        ledger.inputs.push(input.clone());
        for note in &book.notes {
            ledger.notes.push(Note {
                code: "decoding",
                severity: Severity::Info,
                message: note.clone(),
                location: Some(input.path.clone()),
            });
        }
        check_requested_sheets(input, book, opts)?;
        for skipped in &book.skipped {
            ledger.sheets.push(SheetSummary::empty(
                source,
                Some(skipped.name.clone()),
                SheetStatus::Skipped(skipped.reason.clone()),
            ));
        }
        for raw in &book.sheets {
            if !wanted(raw, opts) {
                ledger.sheets.push(SheetSummary::empty(
                    source,
                    raw.name.clone(),
                    SheetStatus::Skipped("not selected with --sheet".into()),
                ));
                continue;
            }
            let out = sheet::read_sheet(source, raw, opts);
            ambiguous.extend(out.ambiguous);
            ledger.entries.extend(out.entries);
            ledger.exclusions.extend(out.exclusions);
            ledger.notes.extend(out.notes.into_iter().map(|mut n| {
                n.location = n.location.map(|l| format!("{}: {l}", input.path));
                n
            }));
            ledger.sheets.push(out.summary);
        }
        let income = ledger
            .sheets
            .iter()
            .any(|s| s.source == source && matches!(s.status, SheetStatus::Income(_)));
        if require_income && !income {
            return Err(LedgerError::NoIncomeSheet {
                path: input.path.clone(),
                detail: no_income_detail(&ledger.sheets, source),
            });
        }
    }
    if !ambiguous.is_empty() && opts.date_order.is_none() {
        let examples: Vec<String> = ambiguous
            .iter()
            .take(3)
            .map(|(at, text)| format!("{text:?} at {}", ledger.locate(at)))
            .collect();
        let more = ambiguous.len().saturating_sub(3);
        let mut examples = examples.join(", ");
        if more > 0 {
            examples.push_str(&format!(" and {more} more"));
        }
        return Err(LedgerError::AmbiguousDates { examples });
    }
    ledger.currency = resolve_currency(&mut ledger, opts)?;
    note_duplicates(&mut ledger);
    Ok(ledger)
}

fn wanted(raw: &RawSheet, opts: &LedgerOptions) -> bool {
    match &raw.name {
        None => true,
        Some(name) => opts.sheets.is_empty() || opts.sheets.iter().any(|s| s == name),
    }
}

fn check_requested_sheets(
    input: &Input,
    book: &RawBook,
    opts: &LedgerOptions,
) -> Result<(), LedgerError> {
    if opts.sheets.is_empty() || book.sheets.iter().any(|s| s.name.is_none()) {
        return Ok(());
    }
    let names: BTreeSet<&str> = book
        .sheets
        .iter()
        .filter_map(|s| s.name.as_deref())
        .collect();
    if opts.sheets.iter().any(|s| names.contains(s.as_str())) {
        return Ok(());
    }
    Err(LedgerError::NoSuchSheet {
        path: input.path.clone(),
        wanted: opts
            .sheets
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        available: names
            .iter()
            .map(|s| format!("{s:?}"))
            .collect::<Vec<_>>()
            .join(", "),
    })
}

fn no_income_detail(sheets: &[SheetSummary], source: usize) -> String {
    let parts: Vec<String> = sheets
        .iter()
        .filter(|s| s.source == source)
        .map(|s| {
            let name = s
                .sheet
                .as_deref()
                .map_or(String::new(), |n| format!("sheet {n:?}: "));
            match &s.status {
                SheetStatus::NotIncome(NoHeader::Incomplete {
                    row,
                    found,
                    missing,
                }) => format!(
                    "{name}row {} has {} but no {missing}",
                    row + 1,
                    found
                        .iter()
                        .map(|r| r.name())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                SheetStatus::NotIncome(NoHeader::NotFound) => {
                    format!("{name}no header row in the first 30 rows")
                }
                SheetStatus::Skipped(why) => format!("{name}{why}"),
                SheetStatus::Income(_) => String::new(),
            }
        })
        .collect();
    if parts.is_empty() {
        " (the file has no sheets)".to_string()
    } else {
        format!(" ({})", parts.join("; "))
    }
}

fn resolve_currency(
    ledger: &mut Ledger,
    opts: &LedgerOptions,
) -> Result<Option<String>, LedgerError> {
    let mut seen: Vec<(String, CellRef)> = Vec::new();
    for e in &ledger.entries {
        if let Some(c) = &e.currency {
            if !seen.iter().any(|(code, _)| code == c) {
                seen.push((c.clone(), e.at.clone()));
            }
        }
    }
    if let (Some(default), Some((code, at))) = (&opts.currency, seen.first()) {
        if default != code {
            return Err(LedgerError::MixedCurrencies {
                first_code: default.clone(),
                first: "--currency".into(),
                second_code: code.clone(),
                second: ledger.locate(at),
            });
        }
    }
    if seen.len() > 1 {
        return Err(LedgerError::MixedCurrencies {
            first_code: seen[0].0.clone(),
            first: ledger.locate(&seen[0].1),
            second_code: seen[1].0.clone(),
            second: ledger.locate(&seen[1].1),
        });
    }
    let currency = seen
        .into_iter()
        .next()
        .map(|(c, _)| c)
        .or_else(|| opts.currency.clone());
    for e in &mut ledger.entries {
        e.currency.clone_from(&currency);
    }
    Ok(currency)
}

fn note_duplicates(ledger: &mut Ledger) {
    type Key = (
        usize,
        Option<String>,
        Option<NaiveDate>,
        i32,
        Decimal,
        String,
        String,
    );
    let mut groups: BTreeMap<Key, Vec<usize>> = BTreeMap::new();
    for (i, e) in ledger.entries.iter().enumerate() {
        let key = (
            e.at.source,
            e.at.sheet.clone(),
            e.date,
            e.fiscal_year,
            e.amount.normalize(),
            e.funder.clone().unwrap_or_default().to_lowercase(),
            e.description.clone().unwrap_or_default(),
        );
        groups.entry(key).or_default().push(i);
    }
    for ((source, sheet, date, fy, amount, _, _), rows) in groups {
        if rows.len() < 2 {
            continue;
        }
        let first = &ledger.entries[rows[0]];
        let path = ledger.inputs.get(source).map_or("?", |i| i.path.as_str());
        let place = sheet.map_or(String::new(), |s| format!("sheet {s:?} "));
        let when = date.map_or(format!("FY{fy}"), |d| d.to_string());
        let who = first
            .funder
            .as_ref()
            .map_or("no funder".to_string(), |f| format!("{f:?}"));
        let row_list: Vec<String> = rows
            .iter()
            .map(|&i| ledger.entries[i].at.row.to_string())
            .collect();
        ledger.notes.push(Note {
            code: "duplicate_rows",
            severity: Severity::Info,
            message: format!(
                "{} identical rows ({when}, {who}, {}) were all included; check they are separate payments",
                rows.len(),
                crate::report::money(amount)
            ),
            location: Some(format!("{path}: {place}rows {}", row_list.join(", "))),
        });
    }
}

impl SheetSummary {
    fn empty(source: usize, sheet: Option<String>, status: SheetStatus) -> Self {
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
