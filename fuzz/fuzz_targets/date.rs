//! Date text in every order: never panics; a date read is a real calendar date.
#![no_main]

use fundrisk::ledger::{parse_date_text, DateOrder, DateRead};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    for order in [
        None,
        Some(DateOrder::Dmy),
        Some(DateOrder::Mdy),
        Some(DateOrder::Ymd),
    ] {
        if let DateRead::Date(d) = parse_date_text(&text, order) {
            // The ISO text of a date read is itself read as that date, in any order.
            assert_eq!(
                parse_date_text(&d.format("%Y-%m-%d").to_string(), order),
                DateRead::Date(d),
                "{text:?}"
            );
        }
    }
});
