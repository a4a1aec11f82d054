//! Building one ledger from the books of several files: sheets read in order, ambiguous dates
//! stopped, one currency resolved, duplicates noted.

use std::collections::{BTreeSet, HashMap};

use super::sheet::SheetStream;
use super::{
    CellRef, Input, Ledger, LedgerOptions, NoHeader, Note, Severity, SheetStatus, SheetSummary,
    Text,
};
use crate::ingest::{replay, BookInfo, RawBook, RawRow, RowSink};

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
        if opts.sheets.iter().any(|s| self.names.contains(s)) {
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

    /// The ledger of every file read.
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
            return Err(LedgerError::AmbiguousDates { examples });
        }
        ledger.currency = resolve_currency(ledger, self.opts)?;
        note_duplicates(ledger);
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
    builder.finish()
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
    let shared: Option<Text> = currency.as_deref().map(Text::from);
    for e in &mut ledger.entries {
        e.currency.clone_from(&shared);
    }
    Ok(currency)
}

fn note_duplicates(ledger: &mut Ledger) {
    // Identical rows are found without copying a string per row: funder names compare
    // case-blind through a rank given once to each distinct name, and rows are compared only
    // within buckets of equal hashes.
    let entries = &ledger.entries;
    // Each distinct shared name once (keyed by its address), then ranked by lower case.
    let mut by_id: HashMap<usize, u32, foldhash::fast::RandomState> = HashMap::default();
    let mut names: Vec<&str> = Vec::new();
    let ids: Vec<u32> = entries
        .iter()
        .map(|e| match &e.funder {
            None => u32::MAX,
            Some(f) => *by_id.entry(f.id()).or_insert_with(|| {
                names.push(f);
                u32::try_from(names.len() - 1).unwrap_or(u32::MAX)
            }),
        })
        .collect();
    let mut lower: Vec<(String, usize)> = names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.to_lowercase(), i))
        .collect();
    lower.sort_unstable();
    let mut rank_of_name = vec![0u32; names.len()];
    let mut rank = 0u32;
    for (k, (text, i)) in lower.iter().enumerate() {
        if k == 0 || lower[k - 1].0 != *text {
            rank += 1;
        }
        rank_of_name[*i] = rank;
    }
    // 0 for no funder, which sorts first as an empty name did.
    let ranks: Vec<u32> = ids
        .iter()
        .map(|&i| rank_of_name.get(i as usize).copied().unwrap_or(0))
        .collect();
    let identity = |i: usize, j: usize| {
        let (a, b) = (&entries[i], &entries[j]);
        a.at.source
            .cmp(&b.at.source)
            .then_with(|| a.at.sheet.cmp(&b.at.sheet))
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
            .then_with(|| a.amount.cmp(&b.amount))
            .then_with(|| ranks[i].cmp(&ranks[j]))
            .then_with(|| {
                a.description
                    .as_deref()
                    .unwrap_or("")
                    .cmp(b.description.as_deref().unwrap_or(""))
            })
    };
    // Rows are bucketed by a hash of their identity; only rows in one bucket are compared.
    let hash_of = |i: usize| {
        use std::hash::{BuildHasher, Hash, Hasher};
        let e = &entries[i];
        let mut h = foldhash::fast::FixedState::with_seed(0).build_hasher();
        e.at.source.hash(&mut h);
        e.at.sheet.as_deref().hash(&mut h);
        e.date.hash(&mut h);
        e.fiscal_year.hash(&mut h);
        let amount = e.amount.normalize();
        amount.mantissa().hash(&mut h);
        amount.scale().hash(&mut h);
        ranks[i].hash(&mut h);
        e.description.as_deref().unwrap_or("").hash(&mut h);
        h.finish()
    };
    let mut order: Vec<(u64, usize)> = (0..entries.len()).map(|i| (hash_of(i), i)).collect();
    order.sort_unstable();
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && order[end].0 == order[start].0 {
            end += 1;
        }
        if end - start > 1 {
            let mut bucket: Vec<usize> = order[start..end].iter().map(|&(_, i)| i).collect();
            bucket.sort_by(|&i, &j| identity(i, j).then(i.cmp(&j)));
            let mut from = 0;
            while from < bucket.len() {
                let mut to = from + 1;
                while to < bucket.len() && identity(bucket[from], bucket[to]).is_eq() {
                    to += 1;
                }
                if to - from > 1 {
                    groups.push(bucket[from..to].to_vec());
                }
                from = to;
            }
        }
        start = end;
    }
    // In the order of the rows' identities, as a reader would list them.
    groups.sort_by(|a, b| identity(a[0], b[0]));
    for rows in groups {
        let first = &ledger.entries[rows[0]];
        let (source, sheet, date, fy, amount) = (
            first.at.source,
            first.at.sheet.clone(),
            first.date,
            first.fiscal_year,
            first.amount.normalize(),
        );
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
