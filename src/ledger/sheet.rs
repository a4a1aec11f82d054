//! One sheet's rows → entries and exclusions, for the long and the wide layout.

use std::collections::{HashMap, HashSet};

use rust_decimal::Decimal;

use super::date::{fiscal_year, from_serial, parse_date_text, DateRead};
use super::header::{find_header, Header, Layout, NoHeader, Role, HEADER_SEARCH_ROWS};
use super::money::{currency_code, from_float, parse_money};
use super::{
    CellRef, Entry, Exclusion, ExclusionReason, LedgerOptions, Note, Severity, SheetStatus,
    SheetSummary, Text,
};
use crate::ingest::{CellValue, RawCell, RawRow};

mod text;
mod wide;

use text::{cell_str, cell_text, header_currency, is_total_label, restriction, same_header};

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

/// One copy of each distinct text: funder names, identifiers, categories and currencies
/// repeat down a ledger.
#[derive(Default)]
pub struct Interner(HashSet<Text, foldhash::fast::RandomState>);

impl Interner {
    pub fn get(&mut self, s: &str) -> Text {
        if let Some(t) = self.0.get(s) {
            return t.clone();
        }
        let t = Text::from(s);
        self.0.insert(t.clone());
        t
    }
}

struct Reader<'a> {
    source: usize,
    name: Option<Text>,
    is_1904: bool,
    opts: &'a LedgerOptions,
    header: Header,
    dollar: String,
    /// A currency named in the amount column's header: "Amount (£)", "Income GBP".
    header_currency: Option<Text>,
    /// Currency column text → currency, read once per distinct text.
    currencies: HashMap<Text, Option<Text>, foldhash::fast::RandomState>,
    texts: Interner,
    sums: Sums,
    /// Wide layout: one running sum per year column.
    year_sums: Vec<Sums>,
    blanks: Blanks,
    out: SheetOutcome,
}

/// Counts blank rows below the header as rows arrive: rows with no cells (CSV records of
/// empty fields) and, in sparse sheets, row numbers with no row at all, up to the last
/// non-blank row.
#[derive(Default)]
struct Blanks {
    explicit: usize,
    /// Explicit blank rows since the last row with cells.
    trailing: usize,
    rows: usize,
    last: Option<u32>,
}

impl Blanks {
    fn add(&mut self, row: &RawRow) {
        self.rows += 1;
        self.last = Some(self.last.map_or(row.index, |l| l.max(row.index)));
        if row.cells.is_empty() {
            self.explicit += 1;
            self.trailing += 1;
        } else {
            self.trailing = 0;
        }
    }

    fn count(&self, header_row: u32, explicit_only: bool) -> usize {
        if explicit_only {
            // Trailing blank lines are not rows below the table.
            return self.explicit - self.trailing;
        }
        let Some(last) = self.last else {
            return 0;
        };
        let span = usize::try_from(last - header_row).unwrap_or(usize::MAX);
        self.explicit + span.saturating_sub(self.rows)
    }
}

/// A sheet read row by row: the first rows are kept until the header is found, then every
/// row becomes an entry or an exclusion as it arrives.
pub struct SheetStream<'a> {
    source: usize,
    name: Option<Text>,
    is_1904: bool,
    explicit_blanks: bool,
    opts: &'a LedgerOptions,
    state: State<'a>,
}

enum State<'a> {
    /// Rows kept while the header may still be among them.
    Searching(Vec<RawRow>),
    Reading(Box<Reader<'a>>),
    NotIncome(NoHeader),
}

impl<'a> SheetStream<'a> {
    #[must_use]
    pub fn new(
        source: usize,
        name: Option<&str>,
        is_1904: bool,
        explicit_blanks: bool,
        opts: &'a LedgerOptions,
    ) -> Self {
        SheetStream {
            source,
            name: name.map(Text::from),
            is_1904,
            explicit_blanks,
            opts,
            state: State::Searching(Vec::new()),
        }
    }

    /// Takes the next row of the sheet.
    pub fn row(&mut self, row: &RawRow) {
        match &mut self.state {
            State::Searching(rows) => {
                rows.push(row.clone());
                if rows.len() >= HEADER_SEARCH_ROWS {
                    self.decide();
                }
            }
            State::Reading(reader) => reader.row(row),
            State::NotIncome(_) => {}
        }
    }

    /// Finds the header among the rows kept, and reads the rows below it.
    fn decide(&mut self) {
        let State::Searching(rows) = &mut self.state else {
            return;
        };
        let rows = std::mem::take(rows);
        self.state = match find_header(&rows, &self.opts.columns) {
            Err(why) => State::NotIncome(why),
            Ok(header) => {
                let mut reader = Box::new(Reader::new(
                    self.source,
                    self.name.clone(),
                    self.is_1904,
                    self.opts,
                    header,
                ));
                for row in &rows {
                    reader.row(row);
                }
                State::Reading(reader)
            }
        };
    }

    /// What the sheet gave.
    #[must_use]
    pub fn finish(mut self) -> SheetOutcome {
        self.decide();
        let name = self.name.as_deref().map(str::to_string);
        match self.state {
            State::Reading(reader) => reader.finish(self.explicit_blanks),
            State::NotIncome(why) => SheetOutcome {
                entries: Vec::new(),
                exclusions: Vec::new(),
                notes: Vec::new(),
                ambiguous: Vec::new(),
                summary: SheetSummary::empty(self.source, name, SheetStatus::NotIncome(why)),
            },
            State::Searching(_) => SheetOutcome {
                entries: Vec::new(),
                exclusions: Vec::new(),
                notes: Vec::new(),
                ambiguous: Vec::new(),
                summary: SheetSummary::empty(
                    self.source,
                    name,
                    SheetStatus::NotIncome(NoHeader::NotFound),
                ),
            },
        }
    }
}

impl<'a> Reader<'a> {
    fn new(
        source: usize,
        name: Option<Text>,
        is_1904: bool,
        opts: &'a LedgerOptions,
        header: Header,
    ) -> Self {
        let dollar = opts
            .currency
            .as_deref()
            .filter(|c| c.ends_with('D'))
            .unwrap_or("USD")
            .to_string();
        let header_currency = header
            .roles
            .get(&Role::Amount)
            .and_then(|(_, text)| header_currency(text, &dollar))
            .map(Text::from);
        let summary = SheetSummary::empty(
            source,
            name.as_deref().map(str::to_string),
            SheetStatus::Skipped(String::new()),
        );
        let mut reader = Reader {
            source,
            name,
            is_1904,
            opts,
            year_sums: vec![Sums::default(); header.years.len()],
            header,
            dollar,
            header_currency,
            currencies: HashMap::default(),
            texts: Interner::default(),
            sums: Sums::default(),
            blanks: Blanks::default(),
            out: SheetOutcome {
                entries: Vec::new(),
                exclusions: Vec::new(),
                notes: Vec::new(),
                ambiguous: Vec::new(),
                summary,
            },
        };
        reader.note_header();
        reader
    }

    fn row(&mut self, row: &RawRow) {
        if row.index <= self.header.row {
            return;
        }
        self.blanks.add(row);
        if row.cells.is_empty() {
            return;
        }
        match self.header.layout {
            Layout::Long => self.long_row(row),
            Layout::Wide => self.wide_row(row),
        }
    }

    fn finish(mut self: Box<Self>, explicit_blanks: bool) -> SheetOutcome {
        let s = &mut self.out.summary;
        s.blank_rows = self.blanks.count(self.header.row, explicit_blanks);
        s.rows_included = self.out.entries.len();
        s.rows_excluded = self.out.exclusions.len();
        s.rows_read = s.rows_included + s.rows_excluded;
        s.total_included = self.out.entries.iter().map(|e| e.amount).sum();
        s.total_excluded = self.out.exclusions.iter().filter_map(|e| e.amount).sum();
        s.status = SheetStatus::Income(self.header);
        self.out
    }

    fn at(&self, col: u32, row: &RawRow) -> CellRef {
        CellRef {
            source: self.source,
            sheet: self.name.clone(),
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

    /// The text of the row's cell in `role`'s column, one shared copy per distinct text.
    fn text_of(&mut self, row: &RawRow, role: Role) -> Option<Text> {
        let value = self.header.col(role).and_then(|c| row.get(c))?;
        cell_str(value).map(|t| self.texts.get(&t))
    }

    /// Whether the row has text in the funder column.
    fn has_funder(&self, row: &RawRow) -> bool {
        self.header
            .col(Role::Funder)
            .and_then(|c| row.get(c))
            .and_then(cell_str)
            .is_some()
    }

    fn repeated_header(&self, row: &RawRow) -> bool {
        let cells = &self.header.cells;
        // At least two header cells, and at least half of them, must reappear; stop as soon
        // as too few cells are left to get there.
        let needed = 2.max(cells.len().div_ceil(2));
        let mut matches = 0;
        for (i, (col, norm)) in cells.iter().enumerate() {
            if matches + (cells.len() - i) < needed {
                return false;
            }
            if !norm.is_empty() && row.get(*col).is_some_and(|v| same_header(v, norm)) {
                matches += 1;
            }
        }
        matches >= needed
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
                .and_then(|i| from_serial(f64::from(i), self.is_1904))
                .map_or(DateRead::Invalid, DateRead::Date),
            CellValue::Float(f) => {
                from_serial(*f, self.is_1904).map_or(DateRead::Invalid, DateRead::Date)
            }
            CellValue::Text(t) | CellValue::IsoDate(t) => {
                let trimmed = t.trim();
                if trimmed.len() == 5 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
                    // A serial number exported as text.
                    return trimmed
                        .parse::<f64>()
                        .ok()
                        .and_then(|s| from_serial(s, self.is_1904))
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
        let text = cell_str(value)?;
        let answer = restriction(&text);
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

    fn currency(&mut self, row: &RawRow, from_amount: Option<String>) -> Option<Text> {
        let column = self
            .header
            .col(Role::Currency)
            .and_then(|c| row.get(c))
            .and_then(cell_str);
        if let Some(t) = column {
            let t = self.texts.get(&t);
            if let Some(code) = self.currencies.get(&t) {
                return code.clone();
            }
            let code = currency_code(&t, &self.dollar)
                .or(Some(t.to_uppercase()))
                .map(|c| self.texts.get(&c));
            self.currencies.insert(t, code.clone());
            return code;
        }
        match from_amount {
            Some(c) => Some(self.texts.get(&c)),
            None => self.header_currency.clone(),
        }
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
        let funder = self.text_of(row, Role::Funder);
        let funder_id = self.text_of(row, Role::FunderId);
        let category = self.text_of(row, Role::Category);
        // Descriptions are mostly distinct: not worth keeping in the shared set.
        let description = self
            .header
            .col(Role::Description)
            .and_then(|c| row.get(c))
            .and_then(cell_str)
            .map(|t| Text::from(t.as_ref()));
        self.out.entries.push(Entry {
            at,
            date,
            fiscal_year: fy,
            amount,
            currency,
            funder,
            funder_id,
            category,
            restricted,
            description,
        });
    }

    fn long_row(&mut self, row: &RawRow) {
        let amount_col = self.header.col(Role::Amount).unwrap_or(0);
        let date_col = self.header.col(Role::Date).unwrap_or(0);
        let amount_at = self.at(amount_col, row);
        if self.repeated_header(row) {
            let first = row.cells.first().map_or(amount_col, |c| c.col);
            self.exclude(
                self.at(first, row),
                ExclusionReason::RepeatedHeader,
                None,
                None,
            );
            return;
        }
        let parsed = row.cell(amount_col).map(|c| self.money(c));
        if let Some(label_col) = self.total_label(row) {
            let (at, amount) = match &parsed {
                Some(Ok((a, _))) => (amount_at, Some(*a)),
                _ => (self.at(label_col, row), None),
            };
            let found = row.get(label_col).and_then(cell_text);
            self.exclude(at, ExclusionReason::Total, amount, found);
            self.sums.reset();
            return;
        }
        let (amount, currency) = match parsed {
            None => {
                self.exclude(amount_at, ExclusionReason::NoAmount, None, None);
                return;
            }
            Some(Err(text)) => {
                self.exclude(amount_at, ExclusionReason::NotANumber, None, Some(text));
                return;
            }
            Some(Ok(x)) => x,
        };
        let date_at = self.at(date_col, row);
        let Some(date_value) = row.get(date_col) else {
            if !self.has_funder(row) && self.sums.is_total(amount) {
                self.exclude(amount_at, ExclusionReason::Total, Some(amount), None);
                self.sums.reset();
            } else {
                self.exclude(date_at, ExclusionReason::NoDate, Some(amount), None);
            }
            return;
        };
        match self.date(date_value) {
            DateRead::Date(d) => {
                self.sums.add(amount);
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
