//! The memo (and the last date read) give every row the answers the row-by-row checks give:
//! a ledger read with them is the ledger read without, for texts that are names, totals,
//! header text and blanks.

use std::cell::Cell;
use std::path::Path;

use proptest::prelude::*;

use crate::ingest::{self, Limits};
use crate::ledger::test_rows::{ledger_line, HEADER};
use crate::ledger::{Input, Ledger, LedgerOptions};

thread_local! {
    /// Reads without the memo or the last date: each row's texts are read as they come.
    pub(in crate::ledger::sheet) static WITHOUT_MEMO: Cell<bool> = const { Cell::new(false) };
}

fn read(text: &str, memo: bool) -> Result<Ledger, String> {
    WITHOUT_MEMO.with(|w| w.set(!memo));
    let book =
        ingest::read_delimited(Path::new("t.csv"), text.as_bytes(), 0, &Limits::default()).unwrap();
    let input = Input {
        path: "t.csv".into(),
        sha256: String::new(),
        format: "",
    };
    let ledger = crate::ledger::build(&[(input, book)], &LedgerOptions::default(), false);
    WITHOUT_MEMO.with(|w| w.set(false));
    ledger.map_err(|e| format!("{e:?}"))
}

proptest! {
    #[test]
    fn the_memo_changes_no_answer(rows in prop::collection::vec(ledger_line(), 1..60)) {
        let text = format!("{HEADER}{}", rows.concat());
        let (with, without) = match (read(&text, true), read(&text, false)) {
            (Ok(with), Ok(without)) => (with, without),
            (with, without) => {
                prop_assert_eq!(with.err(), without.err());
                return Ok(());
            }
        };
        prop_assert_eq!(&with.entries, &without.entries);
        prop_assert_eq!(&with.exclusions, &without.exclusions);
        prop_assert_eq!(&with.sheets, &without.sheets);
        let notes = |l: &Ledger| -> Vec<String> {
            l.notes.iter().map(|n| format!("{} {} {:?}", n.code, n.message, n.location)).collect()
        };
        prop_assert_eq!(notes(&with), notes(&without));
    }
}

#[test]
fn a_memo_of_no_texts_is_read_without() {
    let text = "Date,Funder,Category,Amount\n2024-01-05,Funder,Category,Amount\n2024-01-05,Total,,30.00\n2024-01-05,Acme,Community,10.00\n";
    let with = read(text, true).unwrap();
    assert_eq!(with.entries.len(), 1);
    assert_eq!(with.exclusions.len(), 2);
    assert_eq!(with.exclusions, read(text, false).unwrap().exclusions);
}
