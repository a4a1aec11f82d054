//! A file read in parts gives the ledger a read in order gives, whatever falls on a part's
//! edge: quoted fields over several lines, blank lines, unlabelled totals, line endings.

use std::path::Path;

use super::{read_split, Split};
use crate::ingest::{self, Format, Limits};
use crate::ledger::test_rows::{ledger_line, HEADER};
use crate::ledger::{Input, Ledger, LedgerBuilder, LedgerOptions};
use crate::progress::Progress;

fn in_order(bytes: &[u8], opts: &LedgerOptions) -> Ledger {
    let book = ingest::read_delimited(Path::new("t.csv"), bytes, 0, &Limits::default()).unwrap();
    let input = Input {
        path: "t.csv".into(),
        sha256: String::new(),
        format: "",
    };
    let mut ledger = crate::ledger::build(&[(input, book)], opts, true).unwrap();
    ledger.notes.retain(|n| n.code != "duplicate_rows");
    ledger
}

thread_local! {
    /// How often a read fell back to reading the rest of a file in order.
    pub(super) static FELL_BACK: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How often reading `bytes` in parts fell back to reading the rest in order.
fn fallbacks(read: impl FnOnce()) -> usize {
    FELL_BACK.with(|n| n.set(0));
    read();
    FELL_BACK.with(std::cell::Cell::get)
}

fn in_parts(bytes: &[u8], opts: &LedgerOptions, limits: &Limits) -> Result<Ledger, crate::Error> {
    in_parts_with(bytes, opts, limits, 2)
}

/// [`in_parts`] with `helpers` threads reading parts beside the merging one (none: every part
/// is read in order, straight into the ledger).
fn in_parts_with(
    bytes: &[u8],
    opts: &LedgerOptions,
    limits: &Limits,
    helpers: usize,
) -> Result<Ledger, crate::Error> {
    let mut builder = LedgerBuilder::new(opts);
    builder.begin_file(Input {
        path: "t.csv".into(),
        sha256: String::new(),
        format: "",
    });
    let split = Split {
        threads: 3,
        helpers,
        min_part_bytes: 2048,
    };
    let mut progress = Progress::new(false);
    let path = Path::new("t.csv");
    let info = read_split(
        path,
        bytes,
        Format::Csv,
        limits,
        split,
        &mut builder,
        &mut progress,
    )?;
    builder.end_file(&info, true)?;
    Ok(builder.finish()?)
}

fn same(a: &Ledger, b: &Ledger) {
    assert_eq!(a.entries.len(), b.entries.len());
    for (x, y) in a.entries.iter().zip(&b.entries) {
        assert_eq!(x, y);
    }
    assert_eq!(a.exclusions, b.exclusions);
    let notes = |l: &Ledger| -> Vec<String> {
        l.notes
            .iter()
            .map(|n| format!("{} {} {:?}", n.code, n.message, n.location))
            .collect()
    };
    assert_eq!(notes(a), notes(b));
    assert_eq!(a.sheets, b.sheets);
}

/// A ledger of `rows` rows where row `i` is made odd by `odd(i)`.
fn ledger_text(rows: usize, eol: &str, odd: impl Fn(usize) -> Option<String>) -> String {
    let mut s = format!("Date,Funder,Category,Restricted,Amount,Note{eol}");
    for i in 0..rows {
        if let Some(line) = odd(i) {
            s.push_str(&line);
            s.push_str(eol);
            continue;
        }
        s.push_str(&format!(
            "2024-{:02}-{:02},Funder {},{},{},{}.{:02},n{i}{eol}",
            i % 12 + 1,
            i % 28 + 1,
            i % 37,
            ["Community", "Government", "Foundation"][i % 3],
            ["Yes", "No", "maybe"][i % 3],
            i % 500,
            i % 100
        ));
    }
    s
}

#[test]
fn parts_give_the_ledger_read_in_order() {
    let opts = LedgerOptions::default();
    for eol in ["\n", "\r\n"] {
        let text = ledger_text(3000, eol, |i| match i % 97 {
            // A note over three lines, in quotes.
            5 => Some(format!(
                "2024-02-03,\"Quoted, Funder\",Community,No,12.00,\"a{eol}b{eol}c\""
            )),
            11 => Some(String::new()),
            12 => Some(",,,,,".into()),
            // A total row with a label.
            40 => Some("Total,,,,999.00,".into()),
            70 => Some("not a date,Funder 1,Community,No,5,".into()),
            _ => None,
        });
        let whole = in_order(text.as_bytes(), &opts);
        for helpers in [0, 2] {
            let parts = in_parts_with(text.as_bytes(), &opts, &Limits::default(), helpers);
            let parts = parts.unwrap();
            same(&parts, &whole);
            assert!(parts.entries.len() > 2500);
            one_copy_of_each_text(&parts, 3);
        }
    }
}

#[test]
fn parts_read_here_in_order_end_where_the_next_starts() {
    // No quoted field crosses a part's end: each part read here ends where the next one
    // starts, with either line end, and nothing is read again.
    let opts = LedgerOptions::default();
    for eol in ["\n", "\r\n"] {
        let text = ledger_text(3000, eol, |i| (i % 97 == 11).then(String::new));
        let mut parts = None;
        let n = fallbacks(|| {
            parts = Some(in_parts_with(text.as_bytes(), &opts, &Limits::default(), 0));
        });
        assert_eq!(n, 0, "{eol:?}");
        same(&parts.unwrap().unwrap(), &in_order(text.as_bytes(), &opts));
    }
}

/// Rows read on one thread share one copy of each funder and category text: the ledger holds
/// one copy per thread that read parts of it, and one for the rows read in order.
fn one_copy_of_each_text(ledger: &Ledger, threads: usize) {
    let mut copies: std::collections::HashMap<String, std::collections::HashSet<usize>> =
        std::collections::HashMap::new();
    for t in ledger
        .entries
        .iter()
        .flat_map(|e| [&e.funder, &e.category])
        .flatten()
    {
        copies.entry(t.to_string()).or_default().insert(t.id());
    }
    assert!(copies.len() > 30);
    for (text, ids) in &copies {
        assert!(ids.len() <= threads + 1, "{} copies of {text:?}", ids.len());
    }
}

#[test]
fn a_quoted_field_over_a_parts_edge_is_read_in_order() {
    let opts = LedgerOptions::default();
    // Long notes of many lines: some certainly cross the place a part was cut.
    let long: String = (0..60).map(|k| format!("line {k}\n")).collect();
    let text = ledger_text(2000, "\n", |i| {
        (i % 50 == 7).then(|| format!("2024-03-04,Funder 2,Community,No,1.00,\"{long}\""))
    });
    let whole = in_order(text.as_bytes(), &opts);
    for helpers in [0, 2] {
        let mut parts = None;
        let n = fallbacks(|| {
            parts = Some(in_parts_with(
                text.as_bytes(),
                &opts,
                &Limits::default(),
                helpers,
            ));
        });
        same(&parts.unwrap().unwrap(), &whole);
        if helpers == 0 {
            assert!(n > 0, "a quoted field crosses a part's end");
        }
    }
}

#[test]
fn unlabelled_totals_are_told_by_the_rows_above() {
    let opts = LedgerOptions::default();
    // Every 300 rows, a row with only an amount: the sum of the rows since the last total,
    // which a part alone cannot know.
    let mut since = rust_decimal::Decimal::ZERO;
    let mut rows = Vec::new();
    for i in 0..3000u32 {
        if i % 300 == 299 {
            rows.push(format!(",,,,{since},"));
            since = rust_decimal::Decimal::ZERO;
        } else {
            let amount = rust_decimal::Decimal::new(i64::from(i % 700) * 100 + 7, 2);
            since += amount;
            rows.push(format!(
                "2024-05-06,Funder {},Community,No,{amount},",
                i % 11
            ));
        }
    }
    let text = format!(
        "Date,Funder,Category,Restricted,Amount,Note\n{}\n",
        rows.join("\n")
    );
    let parts = in_parts(text.as_bytes(), &opts, &Limits::default()).unwrap();
    let totals = parts
        .exclusions
        .iter()
        .filter(|e| e.reason == crate::ledger::ExclusionReason::Total)
        .count();
    assert_eq!(totals, 10);
    same(&parts, &in_order(text.as_bytes(), &opts));
}

#[test]
fn a_limit_passed_in_a_part_names_the_line_a_read_in_order_names() {
    let opts = LedgerOptions::default();
    let text = ledger_text(3000, "\n", |_| None);
    let limits = Limits {
        max_rows: 2500,
        ..Limits::default()
    };
    let parts = in_parts(text.as_bytes(), &opts, &limits)
        .unwrap_err()
        .to_string();
    let whole = ingest::read_delimited(Path::new("t.csv"), text.as_bytes(), 0, &limits)
        .unwrap_err()
        .to_string();
    assert_eq!(parts, whole);
    assert!(parts.contains("line 2501"), "{parts}");
}

proptest::proptest! {
    /// Lines lent to the ledger as fields give what the same lines read into cells give,
    /// errors included.
    #[test]
    fn fields_lent_are_read_as_cells_are(
        lines in proptest::collection::vec(ledger_line(), 1..120),
        max_cell_chars in 6usize..40,
        max_rows in 20u64..200,
        max_cells in 60u64..800,
        helpers in 0usize..3,
    ) {
        let text = format!("{HEADER}{}", lines.concat());
        let opts = LedgerOptions::default();
        for limits in [
            Limits::default(),
            Limits { max_cell_chars, max_rows, max_cells, ..Limits::default() },
        ] {
            let parts = in_parts_with(text.as_bytes(), &opts, &limits, helpers)
                .map_err(|e| e.to_string());
            let cells = ingest::read_delimited(Path::new("t.csv"), text.as_bytes(), 0, &limits)
                .map_err(|e| crate::Error::from(e).to_string())
                .and_then(|book| {
                    let input = Input { path: "t.csv".into(), sha256: String::new(), format: "" };
                    crate::ledger::build(&[(input, book)], &opts, true)
                        .map_err(|e| crate::Error::from(e).to_string())
                });
            let (parts, mut cells) = match (parts, cells) {
                (Ok(p), Ok(c)) => (p, c),
                (p, c) => {
                    proptest::prop_assert_eq!(p.err(), c.err());
                    continue;
                }
            };
            cells.notes.retain(|n| n.code != "duplicate_rows");
            same(&parts, &cells);
        }
    }
}
