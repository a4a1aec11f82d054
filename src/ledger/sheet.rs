//! One sheet's rows → entries and exclusions, for the long and the wide layout.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::date::{fiscal_year, DateRead};
use super::header::{Header, Layout, Role};
use super::sum::ExactSum;
use super::text::SharedTexts;
use super::{
    CellRef, Entry, Exclusion, ExclusionReason, LedgerOptions, Note, Severity, SheetStatus,
    SheetSummary, Text,
};
use crate::ingest::RawRow;

mod cells;
mod facts;
mod part;
mod row;
mod stream;
mod text;
mod totals;
mod wide;

use facts::FactsMemo;
pub use part::SheetPart;
use row::{Fields, Row};
use stream::Blanks;
pub use stream::SheetStream;
use text::{cell_str, cell_text, header_currency};
use totals::Sums;

/// Each role's column, by `Role as usize`.
fn role_columns(header: &Header) -> [Option<u32>; Role::ALL.len()] {
    let mut cols = [None; Role::ALL.len()];
    for role in Role::ALL {
        cols[role as usize] = header.col(role);
    }
    cols
}

/// What one sheet gave.
pub struct SheetOutcome {
    pub entries: Vec<Entry>,
    pub exclusions: Vec<Exclusion>,
    pub notes: Vec<Note>,
    pub ambiguous: Vec<(CellRef, String)>,
    pub summary: SheetSummary,
}

impl SheetOutcome {
    /// No rows yet, and `summary`.
    fn empty(summary: SheetSummary) -> Self {
        SheetOutcome {
            entries: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
            ambiguous: Vec::new(),
            summary,
        }
    }
}

struct Reader<'a> {
    source: usize,
    name: Option<Text>,
    is_1904: bool,
    opts: &'a LedgerOptions,
    header: Header,
    /// Each role's column, by `Role as usize`: looked up for every row.
    cols: [Option<u32>; Role::ALL.len()],
    dollar: String,
    /// A currency named in the amount column's header: "Amount (£)", "Income GBP".
    header_currency: Option<Text>,
    /// Currency column text → currency, read once per distinct text.
    currencies: HashMap<Text, Option<Text>, foldhash::fast::RandomState>,
    texts: SharedTexts,
    /// Funder, identifier and category texts seen, with what they say, and which of them
    /// the row being read holds.
    memo: FactsMemo,
    /// The last date text read, and what it was.
    last_date_text: String,
    last_date: Option<DateRead>,
    sums: Sums,
    /// Wide layout: one running sum per year column.
    year_sums: Vec<Sums>,
    blanks: Blanks,
    /// The sum of the entries' amounts, in order.
    included: ExactSum,
    out: SheetOutcome,
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
            cols: role_columns(&header),
            header,
            dollar,
            header_currency,
            currencies: HashMap::default(),
            texts: SharedTexts::default(),
            memo: FactsMemo::default(),
            last_date_text: String::new(),
            last_date: None,
            sums: Sums::default(),
            blanks: Blanks::default(),
            included: ExactSum::default(),
            out: SheetOutcome::empty(summary),
        };
        reader.note_header();
        reader
    }

    fn row(&mut self, row: &RawRow) {
        if row.index <= self.header.row {
            return;
        }
        self.blanks.add(row.index, row.cells.is_empty());
        if row.cells.is_empty() {
            return;
        }
        self.learn_row(row);
        match self.header.layout {
            Layout::Long => self.long_row(row),
            Layout::Wide => self.wide_row(row),
        }
    }

    /// Takes row `index` as the fields of a delimited line (blank ones included, at least
    /// one not), as [`Reader::row`] would take them as cells; `false` when it must come as
    /// cells instead (the wide layout reads only those).
    fn fields(&mut self, index: u32, fields: &[&str]) -> bool {
        if self.header.layout != Layout::Long {
            return false;
        }
        if index <= self.header.row {
            return true;
        }
        let row = Fields { index, fields };
        if row.first_col().is_none() {
            return false;
        }
        self.blanks.add(index, false);
        self.learn_row(&row);
        self.long_row(&row);
        true
    }

    fn finish(mut self: Box<Self>, explicit_blanks: bool) -> SheetOutcome {
        let s = &mut self.out.summary;
        s.blank_rows = self.blanks.count(self.header.row, explicit_blanks);
        s.rows_included = self.out.entries.len();
        s.rows_excluded = self.out.exclusions.len();
        s.rows_read = s.rows_included + s.rows_excluded;
        s.total_included = self.included.value();
        s.total_excluded = self
            .out
            .exclusions
            .iter()
            .filter_map(|e| e.amount)
            .collect::<ExactSum>()
            .value();
        s.status = SheetStatus::Income(self.header);
        self.out
    }

    /// The column of `role`, if the header has one.
    fn col(&self, role: Role) -> Option<u32> {
        self.cols[role as usize]
    }

    fn at(&self, col: u32, row: &impl Row) -> CellRef {
        CellRef {
            source: self.source,
            sheet: self.name.clone(),
            col,
            row: row.index() + 1,
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
    fn text_of(&mut self, row: &impl Row, role: Role) -> Option<Text> {
        let col = self.col(role)?;
        if let Some(facts) = self.memo.at(col) {
            return facts.text.clone();
        }
        let value = row.get(col)?;
        cell_str(value).map(|t| self.texts.get(&t))
    }

    /// Whether the row has text in the funder column.
    fn has_funder(&self, row: &impl Row) -> bool {
        self.col(Role::Funder)
            .and_then(|c| row.get(c))
            .and_then(cell_str)
            .is_some()
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

    fn entry(
        &mut self,
        row: &impl Row,
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
            .col(Role::Description)
            .and_then(|c| row.get(c))
            .and_then(cell_str)
            .map(|t| Text::from(t.as_ref()));
        self.included.add(amount);
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

    fn long_row(&mut self, row: &impl Row) {
        let amount_col = self.col(Role::Amount).unwrap_or(0);
        let date_col = self.col(Role::Date).unwrap_or(0);
        let amount_at = self.at(amount_col, row);
        if self.excluded_as_repeated_header(row, amount_col) {
            return;
        }
        let parsed = row.get(amount_col).map(|c| self.money(c));
        let known_amount = matches!(parsed, Some(Ok(_))).then_some(amount_col);
        if let Some(label_col) = self.long_total_label(row, known_amount, date_col, &parsed) {
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
