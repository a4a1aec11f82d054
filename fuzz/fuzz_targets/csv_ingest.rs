//! CSV ingest and the ledger built from it: never panics, and every row read is either
//! included or excluded with the totals reconciling.
#![no_main]

use fundrisk::ingest::{read_delimited, Limits};
use fundrisk::ledger::{build, DateOrder, Input, LedgerOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_rows: 10_000,
        max_cells: 100_000,
        ..Limits::default()
    };
    let path = std::path::Path::new("fuzz.csv");
    let Ok(book) = read_delimited(path, data, 0, &limits) else {
        return;
    };
    let input = Input {
        path: "fuzz.csv".into(),
        sha256: String::new(),
        format: "csv",
    };
    let opts = LedgerOptions {
        date_order: Some(DateOrder::Dmy),
        ..LedgerOptions::default()
    };
    if let Ok(ledger) = build(&[(input, book)], &opts, false) {
        let read = ledger.rows_read();
        assert_eq!(read, ledger.entries.len() + ledger.exclusions.len());
        let total: rust_decimal::Decimal = ledger.total_included() + ledger.total_excluded();
        let by_sheet: rust_decimal::Decimal = ledger
            .sheets
            .iter()
            .map(|s| s.total_included + s.total_excluded)
            .sum();
        assert_eq!(total, by_sheet);
    }
});
