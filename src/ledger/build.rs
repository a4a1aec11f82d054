//! Building one ledger from the books of several files: sheets read in order, ambiguous dates
//! stopped, one currency resolved, duplicates noted.

use std::collections::BTreeSet;

use super::sheet::{SheetPart, SheetStream};
use super::{
    CellRef, Input, Ledger, LedgerOptions, NoHeader, Note, Severity, SheetStatus, SheetSummary,
    Text,
};
use crate::ingest::{replay, BookInfo, RawBook, RawRow, RowSink};

/// Why a set of files cannot be made into one ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error("{path}: text dates such as {examples} could be day/month or month/day\n  hint: say which with --date-order dmy (03/04/2024 = 3 April) or --date-order mdy (= March 4)")]
    AmbiguousDates { path: String, examples: String },
    #[error("two currencies in one run: {first_code} at {first} and {second_code} at {second}\n  hint: analyse each currency's ledger separately (conversion is not supported yet)")]
    MixedCurrencies {
        first_code: String,
        first: String,
        second_code: String,
        second: String,
    },
    #[error("{path}: no income sheet found{detail}\n  hint: the header row needs an amount column and a date column (or a funder column and one column per year); name other headers in fundrisk.toml [columns]")]
    NoIncomeSheet { path: String, detail: String },
    #[error("{path}: no sheet named {wanted} (sheets: {available})\n  hint: give --sheet one of the names listed, or leave it out to read every sheet")]
    NoSuchSheet {
        path: String,
        wanted: String,
        available: String,
    },
}

/// Builds one ledger from files read one after another, taking each sheet's rows as a reader
/// hands them on (it is the [`RowSink`] of [`crate::ingest::stream_file`]).
pub struct LedgerBuilder<'o> {
    opts: &'o LedgerOptions,
    ledger: Ledger,
    ambiguous: Vec<(CellRef, String)>,
    /// The file being read: its index, and where its sheets and notes start.
    source: usize,
    first_sheet: usize,
    first_note: usize,
    /// Names of the file's sheets, for `--sheet`.
    names: Vec<String>,
    current: Option<SheetStream<'o>>,
}

impl<'o> LedgerBuilder<'o> {
    #[must_use]
    pub fn new(opts: &'o LedgerOptions) -> Self {
        LedgerBuilder {
            opts,
            ledger: Ledger {
                fiscal_year_start: opts.fiscal_year_start,
                ..Ledger::default()
            },
            ambiguous: Vec::new(),
            source: 0,
            first_sheet: 0,
            first_note: 0,
            names: Vec::new(),
            current: None,
        }
    }

    /// A file starts; its rows follow through [`RowSink`].
    pub fn begin_file(&mut self, input: Input) {
        self.source = self.ledger.inputs.len();
        self.ledger.inputs.push(input);
        self.first_sheet = self.ledger.sheets.len();
        self.first_note = self.ledger.notes.len();
        self.names.clear();
    }

    /// The current file's SHA-256, when it was computed while the file was read.
    pub fn set_sha256(&mut self, sha256: String) {
        if let Some(input) = self.ledger.inputs.get_mut(self.source) {
            input.sha256 = sha256;
        }
    }

    /// The file is read: records what its reader said besides the rows.
    ///
    /// `require_income` makes a file without any income sheet an error (for `analyse`);
    /// `inspect` passes `false` to show what it found instead.
    ///
    /// # Errors
    /// A requested sheet the file does not have, or (when required) no income sheet.
    pub fn end_file(&mut self, info: &BookInfo, require_income: bool) -> Result<(), LedgerError> {
        let source = self.source;
        let Some(input) = self.ledger.inputs.get_mut(source) else {
            return Ok(());
        };
        input.format = info.format.name();
        let path = input.path.clone();
        let notes = info.notes.iter().map(|note| Note {
            code: "decoding",
            severity: Severity::Info,
            message: note.clone(),
            location: Some(path.clone()),
        });
        self.ledger
            .notes
            .splice(self.first_note..self.first_note, notes);
        self.check_requested_sheets(&path)?;
        let skipped = info.skipped.iter().map(|skipped| {
            SheetSummary::empty(
                source,
                Some(skipped.name.clone()),
                SheetStatus::Skipped(skipped.reason.clone()),
            )
        });
        self.ledger
            .sheets
            .splice(self.first_sheet..self.first_sheet, skipped);
        let income = self.ledger.sheets[self.first_sheet..]
            .iter()
            .any(|s| matches!(s.status, SheetStatus::Income(_)));
        if require_income && !income {
            return Err(LedgerError::NoIncomeSheet {
                path,
                detail: no_income_detail(&self.ledger.sheets, source),
            });
        }
        Ok(())
    }

    fn check_requested_sheets(&self, path: &str) -> Result<(), LedgerError> {
        let opts = self.opts;
        // A CSV file has one unnamed table, which is always read.
        if opts.sheets.is_empty() || self.names.is_empty() {
            return Ok(());
        }
        if self.names.iter().any(|n| opts.wants_sheet(Some(n))) {
            return Ok(());
        }
        let names: BTreeSet<&str> = self.names.iter().map(String::as_str).collect();
        Err(LedgerError::NoSuchSheet {
            path: path.to_string(),
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

    /// An empty part of the sheet being read, to be read on another thread: `None` until
    /// its header is known, or when its layout is read only in order.
    #[must_use]
    pub fn part(&self) -> Option<SheetPart<'o>> {
        self.current.as_ref()?.part()
    }

    /// Makes room for about `entries` more entries in the sheet being read.
    pub fn reserve(&mut self, entries: usize) {
        if let Some(sheet) = &mut self.current {
            sheet.reserve(entries);
        }
    }

    /// Takes the rows of a part from [`LedgerBuilder::part`], which come next in the sheet.
    pub fn absorb(&mut self, part: SheetPart<'o>) {
        if let Some(sheet) = &mut self.current {
            sheet.absorb(part);
        }
    }

    /// The ledger of every file read (identical rows not yet noted: see
    /// [`Ledger::note_duplicates`]).
    ///
    /// # Errors
    /// Ambiguous dates without an order, or mixed currencies.
    pub fn finish(mut self) -> Result<Ledger, LedgerError> {
        let ledger = &mut self.ledger;
        if !self.ambiguous.is_empty() && self.opts.date_order.is_none() {
            let examples: Vec<String> = self
                .ambiguous
                .iter()
                .take(3)
                .map(|(at, text)| format!("{text:?} at {}", ledger.locate(at)))
                .collect();
            let more = self.ambiguous.len().saturating_sub(3);
            let mut examples = examples.join(", ");
            if more > 0 {
                examples.push_str(&format!(" and {more} more"));
            }
            let path = self
                .ambiguous
                .first()
                .and_then(|(at, _)| ledger.inputs.get(at.source))
                .map_or_else(String::new, |i| i.path.clone());
            return Err(LedgerError::AmbiguousDates { path, examples });
        }
        ledger.currency = resolve_currency(ledger, self.opts)?;
        Ok(self.ledger)
    }
}

impl RowSink for LedgerBuilder<'_> {
    fn begin_sheet(&mut self, name: Option<&str>, is_1904: bool, explicit_blanks: bool) -> bool {
        if let Some(name) = name {
            if !self.names.iter().any(|n| n == name) {
                self.names.push(name.to_string());
            }
            if !self.opts.wants_sheet(Some(name)) {
                self.ledger.sheets.push(SheetSummary::empty(
                    self.source,
                    Some(name.to_string()),
                    SheetStatus::Skipped("not selected with --sheet".into()),
                ));
                return false;
            }
        }
        self.current = Some(SheetStream::new(
            self.source,
            name,
            is_1904,
            explicit_blanks,
            self.opts,
        ));
        true
    }

    fn row(&mut self, row: &RawRow) {
        if let Some(sheet) = &mut self.current {
            sheet.row(row);
        }
    }

    fn fields(&mut self, index: u32, fields: &[&str]) -> bool {
        self.current
            .as_mut()
            .is_some_and(|sheet| sheet.fields(index, fields))
    }

    fn end_sheet(&mut self) {
        let Some(sheet) = self.current.take() else {
            return;
        };
        let out = sheet.finish();
        let ledger = &mut self.ledger;
        self.ambiguous.extend(out.ambiguous);
        if ledger.entries.is_empty() {
            ledger.entries = out.entries;
        } else {
            ledger.entries.extend(out.entries);
        }
        ledger.exclusions.extend(out.exclusions);
        let path = ledger
            .inputs
            .get(self.source)
            .map_or("?", |i| i.path.as_str());
        let notes = out.notes.into_iter().map(|mut n| {
            n.location = n.location.map(|l| format!("{path}: {l}"));
            n
        });
        ledger.notes.extend(notes);
        ledger.sheets.push(out.summary);
    }

    fn abort_sheet(&mut self) {
        self.current = None;
    }
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
    let mut builder = LedgerBuilder::new(opts);
    for (input, book) in books {
        builder.begin_file(input.clone());
        replay(book, &mut builder);
        builder.end_file(&book.info(), require_income)?;
    }
    let mut ledger = builder.finish()?;
    ledger.note_duplicates();
    Ok(ledger)
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
            if !seen.iter().any(|(code, _)| code.as_str() == &**c) {
                seen.push((c.to_string(), e.at.clone()));
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
    // Every entry shows the one currency. Without one, no entry named any: none changes.
    if currency.is_some() {
        let shared: Option<Text> = currency.as_deref().map(Text::from);
        for e in &mut ledger.entries {
            e.currency.clone_from(&shared);
        }
    }
    Ok(currency)
}
