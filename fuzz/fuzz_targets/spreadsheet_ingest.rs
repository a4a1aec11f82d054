//! Spreadsheet ingest in-process (xlsx, xlsb, ods; .xls too, which fundrisk runs in a child
//! process in production): never panics past the ingest boundary, and stays within the
//! limits. The format comes from the bytes; the path only names the file.
#![no_main]

use std::sync::Once;
use std::time::Duration;

use fundrisk::ingest::{read_file, Limits, ReadOptions};
use libfuzzer_sys::fuzz_target;

static GUARD: Once = Once::new();

fuzz_target!(|data: &[u8]| {
    // As in the executable: a parser panic caught at the ingest boundary is an error naming
    // the file, not a crash. (libfuzzer-sys's own hook would abort on any panic, even a caught
    // one; a panic that escapes ingest still aborts, because libfuzzer-sys catches it.)
    GUARD.call_once(fundrisk::panic_guard::install);
    let opts = ReadOptions {
        worker_exe: None,
        limits: Limits {
            max_rows: 10_000,
            max_cells: 100_000,
            max_entry_bytes: 16 << 20,
            max_eager_entry_bytes: 4 << 20,
            max_total_bytes: 32 << 20,
            time: Duration::from_secs(5),
            ..Limits::default()
        },
        fast_xlsx: true,
    };
    if let Ok(book) = read_file(std::path::Path::new("fuzz.xlsx"), data, &opts) {
        let cells: usize = book
            .sheets
            .iter()
            .flat_map(|s| &s.rows)
            .map(|r| r.cells.len())
            .sum();
        assert!(cells <= 100_000);
    }
});
