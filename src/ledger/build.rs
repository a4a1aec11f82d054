//! Building one ledger from the books of several files: sheets read in order, ambiguous dates
//! stopped, one currency resolved, duplicates noted.

use std::collections::BTreeSet;

use super::{
    sheet, CellRef, Entry, Input, Ledger, LedgerOptions, NoHeader, Note, Severity, SheetStatus,
    SheetSummary,
};
use crate::ingest::{RawBook, RawSheet};

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
    // Sorting row indices by the identity of a row groups identical rows next to each other
    // without copying a string per row; groups come out in key order.
    fn lower(s: Option<&String>) -> impl Iterator<Item = char> + '_ {
        s.map_or("", String::as_str)
            .chars()
            .flat_map(char::to_lowercase)
    }
    let entries = &ledger.entries;
    let identity = |a: &Entry, b: &Entry| {
        a.at.source
            .cmp(&b.at.source)
            .then_with(|| a.at.sheet.cmp(&b.at.sheet))
            .then_with(|| a.date.cmp(&b.date))
            .then_with(|| a.fiscal_year.cmp(&b.fiscal_year))
            .then_with(|| a.amount.cmp(&b.amount))
            .then_with(|| lower(a.funder.as_ref()).cmp(lower(b.funder.as_ref())))
            .then_with(|| {
                a.description
                    .as_deref()
                    .unwrap_or("")
                    .cmp(b.description.as_deref().unwrap_or(""))
            })
    };
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.sort_by(|&i, &j| identity(&entries[i], &entries[j]).then(i.cmp(&j)));
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && identity(&entries[order[start]], &entries[order[end]]).is_eq() {
            end += 1;
        }
        if end - start > 1 {
            groups.push(order[start..end].to_vec());
        }
        start = end;
    }
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
