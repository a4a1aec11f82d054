//! One sheet's rows → entries and exclusions, for the long and the wide layout.

use rust_decimal::Decimal;

use super::date::{fiscal_year, from_serial, parse_date_text, DateRead};
use super::header::{find_header, Header, Layout, Role};
use super::money::{currency_code, from_float, parse_money};
use super::{
    CellRef, Entry, Exclusion, ExclusionReason, LedgerOptions, Note, Severity, SheetStatus,
    SheetSummary,
};
use crate::ingest::{CellValue, RawCell, RawRow, RawSheet};

mod text;
mod wide;

use text::{cell_text, count_blank, header_currency, is_total_label, same_header};

/// What one sheet gave.
pub struct SheetOutcome {
    pub entries: Vec<Entry>,
    pub exclusions: Vec<Exclusion>,
    pub notes: Vec<Note>,
    pub ambiguous: Vec<(CellRef, String)>,
    pub summary: SheetSummary,
}

/// Running sums for spotting unlabelled total rows.
#[derive(Default, Clone)]
struct Sums {
    since_total: Decimal,
    since_total_rows: usize,
    all: Decimal,
    all_rows: usize,
}

impl Sums {
    fn add(&mut self, amount: Decimal) {
        self.since_total += amount;
        self.since_total_rows += 1;
        self.all += amount;
        self.all_rows += 1;
    }

    fn is_total(&self, amount: Decimal) -> bool {
        (self.since_total_rows > 0 && amount == self.since_total)
            || (self.all_rows > 0 && amount == self.all)
    }

    fn reset(&mut self) {
        self.since_total = Decimal::ZERO;
        self.since_total_rows = 0;
    }
}

struct Reader<'a> {
    source: usize,
    sheet: &'a RawSheet,
    opts: &'a LedgerOptions,
    header: Header,
    dollar: String,
    /// A currency named in the amount column's header: "Amount (£)", "Income GBP".
    header_currency: Option<String>,
    out: SheetOutcome,
}

/// Reads one sheet.
pub fn read_sheet(source: usize, sheet: &RawSheet, opts: &LedgerOptions) -> SheetOutcome {
    let summary = SheetSummary::empty(
        source,
        sheet.name.clone(),
        SheetStatus::Skipped(String::new()),
    );
    let mut outcome = SheetOutcome {
        entries: Vec::new(),
        exclusions: Vec::new(),
        notes: Vec::new(),
        ambiguous: Vec::new(),
        summary,
    };
    let header = match find_header(&sheet.rows, &opts.columns) {
        Ok(h) => h,
        Err(why) => {
            outcome.summary.status = SheetStatus::NotIncome(why);
            return outcome;
        }
    };
    let dollar = opts
        .currency
        .as_deref()
        .filter(|c| c.ends_with('D'))
        .unwrap_or("USD")
        .to_string();
    let header_currency = header
        .roles
        .get(&Role::Amount)
        .and_then(|(_, text)| header_currency(text, &dollar));
    let mut reader = Reader {
        source,
        sheet,
        opts,
        header,
        dollar,
        header_currency,
        out: outcome,
    };
    reader.note_header();
    let after: Vec<&RawRow> = sheet
        .rows
        .iter()
        .filter(|r| r.index > reader.header.row)
        .collect();
    reader.out.summary.blank_rows = count_blank(reader.header.row, &after, sheet.explicit_blanks);
    match reader.header.layout {
        Layout::Long => reader.read_long(&after),
        Layout::Wide => reader.read_wide(&after),
    }
    let s = &mut reader.out.summary;
    s.rows_included = reader.out.entries.len();
    s.rows_excluded = reader.out.exclusions.len();
    s.rows_read = s.rows_included + s.rows_excluded;
    s.total_included = reader.out.entries.iter().map(|e| e.amount).sum();
    s.total_excluded = reader.out.exclusions.iter().filter_map(|e| e.amount).sum();
    s.status = SheetStatus::Income(reader.header);
    reader.out
}

impl Reader<'_> {
    fn at(&self, col: u32, row: &RawRow) -> CellRef {
        CellRef {
            source: self.source,
            sheet: self.sheet.name.clone(),
            col,
            row: row.index + 1,
        }
    }

    fn note(
        &mut self,
        code: &'static str,
        severity: Severity,
        message: String,
        location: Option<String>,
    ) {
        self.out.notes.push(Note {
            code,
            severity,
            message,
            location,
        });
    }

    fn note_header(&mut self) {
        let place = self
            .sheet
            .name
            .as_deref()
            .map_or(String::new(), |s| format!("sheet {s:?} "));
        for (col, text, role) in self.header.unused.clone() {
            let (used_col, used_text) = self.header.roles.get(&role).cloned().unwrap_or_default();
            self.note(
                "unused_column",
                Severity::Warning,
                format!(
                    "column {} {text:?} also looks like the {} column; {} {used_text:?} was used (map headers in fundrisk.toml [columns] to choose)",
                    super::column_letters(col),
                    role.name(),
                    super::column_letters(used_col),
                ),
                Some(format!("{place}row {}", self.header.row + 1)),
            );
        }
        if self.header.layout == Layout::Wide {
            if let Some((col, text)) = self.header.roles.get(&Role::Amount).cloned() {
                self.note(
                    "row_total_column",
                    Severity::Info,
                    format!("column {} {text:?} holds row totals across the year columns and was not added in", super::column_letters(col)),
                    Some(format!("{place}row {}", self.header.row + 1)),
                );
            }
        }
    }

    fn text_of(&self, row: &RawRow, role: Role) -> Option<String> {
        self.header
            .col(role)
            .and_then(|c| row.get(c))
            .and_then(cell_text)
    }

    fn repeated_header(&self, row: &RawRow) -> bool {
        let cells = &self.header.cells;
        let matches = cells
            .iter()
            .filter(|(col, norm)| {
                !norm.is_empty() && row.get(*col).is_some_and(|v| same_header(v, norm))
            })
            .count();
        matches >= 2 && matches * 2 >= cells.len()
    }

    fn total_label(&self, row: &RawRow) -> Option<u32> {
        row.cells
            .iter()
            .find(|c| matches!(&c.value, CellValue::Text(t) if is_total_label(t)))
            .map(|c| c.col)
    }

    fn exclude(
        &mut self,
        at: CellRef,
        reason: ExclusionReason,
        amount: Option<Decimal>,
        found: Option<String>,
    ) {
        self.out.exclusions.push(Exclusion {
            at,
            reason,
            amount,
            found,
        });
    }

    /// Reads an amount cell: the amount and any currency its text or number format named.
    fn money(&self, cell: &RawCell) -> Result<(Decimal, Option<String>), String> {
        self.money_exact(cell).map(|(mut d, c)| {
            if d.scale() < 2 {
                d.rescale(2);
            }
            (d, c)
        })
    }

    fn money_exact(&self, cell: &RawCell) -> Result<(Decimal, Option<String>), String> {
        match &cell.value {
            CellValue::Int(i) => Ok((Decimal::from(*i), cell.currency.clone())),
            CellValue::Float(f) => from_float(*f)
                .map(|d| (d, cell.currency.clone()))
                .ok_or_else(|| f.to_string()),
            CellValue::Text(t) => parse_money(t, self.opts.decimal_comma, &self.dollar)
                .map(|m| (m.amount, m.currency))
                .ok_or_else(|| t.trim().to_string()),
            other => Err(other.display()),
        }
    }

    fn date(&self, value: &CellValue) -> DateRead {
        match value {
            CellValue::Date(d) => DateRead::Date(*d),
            CellValue::Int(i) => i32::try_from(*i)
                .ok()
                .and_then(|i| from_serial(f64::from(i), self.sheet.is_1904))
                .map_or(DateRead::Invalid, DateRead::Date),
            CellValue::Float(f) => {
                from_serial(*f, self.sheet.is_1904).map_or(DateRead::Invalid, DateRead::Date)
            }
            CellValue::Text(t) | CellValue::IsoDate(t) => {
                let trimmed = t.trim();
                if trimmed.len() == 5 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    // A serial number exported as text.
                    return trimmed
                        .parse::<f64>()
                        .ok()
                        .and_then(|s| from_serial(s, self.sheet.is_1904))
                        .map_or(DateRead::Invalid, DateRead::Date);
                }
                parse_date_text(trimmed, self.opts.date_order)
            }
            CellValue::Bool(_) | CellValue::BadDate(_) | CellValue::Error(_) => DateRead::Invalid,
        }
    }

    fn restricted(&mut self, row: &RawRow) -> Option<bool> {
        let col = self.header.col(Role::Restricted)?;
        let value = row.get(col)?;
        if let CellValue::Bool(b) = value {
            return Some(*b);
        }
        let text = cell_text(value)?;
        let t = text.to_lowercase();
        let t = t.trim();
        let answer = match t {
            "restricted" | "r" | "yes" | "y" | "true" | "1" => Some(true),
            "unrestricted" | "u" | "no" | "n" | "false" | "0" | "general" | "designated" => {
                Some(false)
            }
            _ if t.contains("unrestricted")
                || t.contains("general fund")
                || t.contains("designated") =>
            {
                Some(false)
            }
            _ if t.contains("restricted") || t.contains("endowment") => Some(true),
            _ => None,
        };
        if answer.is_none() {
            let at = self.at(col, row).qualified();
            self.note(
                "unknown_restriction",
                Severity::Warning,
                format!("restriction {text:?} is not restricted/unrestricted, yes/no, true/false, R/U or Y/N; counted as unknown"),
                Some(at),
            );
        }
        answer
    }

    fn currency(&self, row: &RawRow, from_amount: Option<String>) -> Option<String> {
        self.header
            .col(Role::Currency)
            .and_then(|c| row.get(c))
            .and_then(cell_text)
            .and_then(|t| currency_code(&t, &self.dollar).or(Some(t.to_uppercase())))
            .or(from_amount)
            .or_else(|| self.header_currency.clone())
    }

    fn entry(
        &mut self,
        row: &RawRow,
        at: CellRef,
        date: Option<chrono::NaiveDate>,
        fy: i32,
        amount: Decimal,
        currency: Option<String>,
    ) {
        let restricted = self.restricted(row);
        let currency = self.currency(row, currency);
        self.out.entries.push(Entry {
            at,
            date,
            fiscal_year: fy,
            amount,
            currency,
            funder: self.text_of(row, Role::Funder),
            funder_id: self.text_of(row, Role::FunderId),
            category: self.text_of(row, Role::Category),
            restricted,
            description: self.text_of(row, Role::Description),
        });
    }

    fn read_long(&mut self, rows: &[&RawRow]) {
        let amount_col = self.header.col(Role::Amount).unwrap_or(0);
        let date_col = self.header.col(Role::Date).unwrap_or(0);
        let mut sums = Sums::default();
        for row in rows.iter().copied().filter(|r| !r.cells.is_empty()) {
            let amount_at = self.at(amount_col, row);
            if self.repeated_header(row) {
                let first = row.cells.first().map_or(amount_col, |c| c.col);
                self.exclude(
                    self.at(first, row),
                    ExclusionReason::RepeatedHeader,
                    None,
                    None,
                );
                continue;
            }
            let parsed = row.cell(amount_col).map(|c| self.money(c));
            if let Some(label_col) = self.total_label(row) {
                let (at, amount) = match &parsed {
                    Some(Ok((a, _))) => (amount_at, Some(*a)),
                    _ => (self.at(label_col, row), None),
                };
                let found = row.get(label_col).and_then(cell_text);
                self.exclude(at, ExclusionReason::Total, amount, found);
                sums.reset();
                continue;
            }
            let (amount, currency) = match parsed {
                None => {
                    self.exclude(amount_at, ExclusionReason::NoAmount, None, None);
                    continue;
                }
                Some(Err(text)) => {
                    self.exclude(amount_at, ExclusionReason::NotANumber, None, Some(text));
                    continue;
                }
                Some(Ok(x)) => x,
            };
            let date_at = self.at(date_col, row);
            let Some(date_value) = row.get(date_col) else {
                if self.text_of(row, Role::Funder).is_none() && sums.is_total(amount) {
                    self.exclude(amount_at, ExclusionReason::Total, Some(amount), None);
                    sums.reset();
                } else {
                    self.exclude(date_at, ExclusionReason::NoDate, Some(amount), None);
                }
                continue;
            };
            match self.date(date_value) {
                DateRead::Date(d) => {
                    sums.add(amount);
                    let fy = fiscal_year(d, self.opts.fiscal_year_start);
                    self.entry(row, amount_at, Some(d), fy, amount, currency);
                }
                DateRead::Ambiguous => {
                    self.out
                        .ambiguous
                        .push((date_at.clone(), date_value.display()));
                    self.exclude(
                        date_at,
                        ExclusionReason::BadDate,
                        Some(amount),
                        Some(date_value.display()),
                    );
                }
                DateRead::Invalid => {
                    self.exclude(
                        date_at,
                        ExclusionReason::BadDate,
                        Some(amount),
                        Some(date_value.display()),
                    );
                }
            }
        }
    }
}
