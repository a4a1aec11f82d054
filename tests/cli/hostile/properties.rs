//! Properties of made-up CSV ledgers, read in memory through `fundrisk::ingest::read_csv` and
//! `fundrisk::ledger::build`: whatever the rows hold (good and bad dates, amounts in every
//! style or none, names with commas, quotes and line breaks), every non-blank row is read and
//! either included or excluded, no money is lost or invented, and splitting a ledger into two
//! files or reversing its rows changes nothing.

use fundrisk::ingest::read_csv;
use fundrisk::ledger::{build, DateOrder, Input, Ledger, LedgerOptions};
use proptest::prelude::*;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
enum Amount {
    /// Cents, written in one of several styles.
    Money(i64, u8),
    Garbage(String),
    Blank,
}

#[derive(Debug, Clone)]
struct Row {
    date: String,
    funder: String,
    amount: Amount,
}

impl Row {
    fn amount_text(&self) -> String {
        match &self.amount {
            Amount::Money(cents, style) => {
                let d = Decimal::new(*cents, 2);
                let abs = d.abs();
                let grouped = group(&abs.to_string());
                match (style % 5, d.is_sign_negative()) {
                    (0, _) => d.to_string(),
                    (1, false) => grouped,
                    (1, true) => format!("({grouped})"),
                    (2, false) => format!("£{grouped}"),
                    (2, true) => format!("-£{grouped}"),
                    (3, true) => format!("{abs}-"),
                    (4, _) => format!(" {d} "),
                    _ => abs.to_string(),
                }
            }
            Amount::Garbage(g) => g.clone(),
            Amount::Blank => String::new(),
        }
    }

    /// The amount the row holds, if it is a number.
    fn value(&self) -> Option<Decimal> {
        match &self.amount {
            Amount::Money(cents, _) => Some(Decimal::new(*cents, 2)),
            _ => None,
        }
    }

    fn is_blank(&self) -> bool {
        self.date.trim().is_empty()
            && self.funder.trim().is_empty()
            && matches!(self.amount, Amount::Blank)
    }
}

/// `1234567.89` → `1,234,567.89`.
fn group(plain: &str) -> String {
    let (int, frac) = plain.split_once('.').unwrap_or((plain, ""));
    let mut out = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if frac.is_empty() {
        out
    } else {
        format!("{out}.{frac}")
    }
}

fn row() -> impl Strategy<Value = Row> {
    let date = prop_oneof![
        4 => "2024-0[1-9]-[12][0-9]",
        2 => "[12][0-9]/0[1-9]/20[12][0-9]",
        1 => "[a-z0-9/ -]{0,10}",
        1 => Just(String::new()),
    ];
    let funder = prop_oneof![
        4 => "[A-Z][a-z]{2,8}( [A-Z][a-z]{2,8})?",
        1 => "[a-z ,\"\n]{0,12}",
        1 => Just(String::new()),
    ];
    let amount = prop_oneof![
        6 => (-100_000_000i64..100_000_000, any::<u8>()).prop_map(|(c, s)| Amount::Money(c, s)),
        1 => "[a-z?#]{1,6}".prop_map(Amount::Garbage),
        1 => Just(Amount::Blank),
    ];
    (date, funder, amount).prop_map(|(date, funder, amount)| Row {
        date,
        funder,
        amount,
    })
}

fn csv_text(rows: &[Row]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["Date", "Funder", "Amount"]).unwrap();
    for r in rows {
        w.write_record([r.date.as_str(), r.funder.as_str(), &r.amount_text()])
            .unwrap();
    }
    w.into_inner().unwrap()
}

fn ledger(files: &[&[Row]]) -> Ledger {
    let books: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(i, rows)| {
            let book = read_csv(&csv_text(rows), 0).unwrap();
            let input = Input {
                path: format!("part{i}.csv"),
                sha256: String::new(),
                format: "csv",
            };
            (input, book)
        })
        .collect();
    let opts = LedgerOptions {
        date_order: Some(DateOrder::Dmy),
        ..LedgerOptions::default()
    };
    build(&books, &opts, false).unwrap()
}

fn total_read(l: &Ledger) -> Decimal {
    l.total_included() + l.total_excluded()
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn every_row_is_accounted_for_and_no_money_is_lost(rows in prop::collection::vec(row(), 0..40)) {
        let l = ledger(&[&rows]);
        let expected_rows = rows.iter().filter(|r| !r.is_blank()).count();
        prop_assert_eq!(l.rows_read(), l.entries.len() + l.exclusions.len());
        prop_assert_eq!(l.rows_read(), expected_rows);
        let in_cells: Decimal = rows.iter().filter_map(Row::value).sum();
        prop_assert_eq!(total_read(&l), in_cells);
        let by_sheet: usize = l.sheets.iter().map(|s| s.rows_read).sum();
        prop_assert_eq!(by_sheet, l.rows_read());
    }

    #[test]
    fn splitting_or_reversing_a_ledger_changes_no_total(
        rows in prop::collection::vec(row(), 1..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let whole = ledger(&[&rows]);
        let at = cut.index(rows.len());
        let split = ledger(&[&rows[..at], &rows[at..]]);
        let mut reversed_rows = rows.clone();
        reversed_rows.reverse();
        let reversed = ledger(&[&reversed_rows]);
        for other in [&split, &reversed] {
            prop_assert_eq!(other.rows_read(), whole.rows_read());
            prop_assert_eq!(other.entries.len(), whole.entries.len());
            prop_assert_eq!(other.total_included(), whole.total_included());
            prop_assert_eq!(other.total_excluded(), whole.total_excluded());
        }
    }
}
