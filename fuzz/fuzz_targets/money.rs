//! Amount text: never panics, and an amount read back from its own decimal text is the same.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, text)) = data.split_first() else {
        return;
    };
    let text = String::from_utf8_lossy(text);
    let dollar = if flags & 2 == 0 { "USD" } else { "CAD" };
    if let Some(money) = fundrisk::ledger::parse_money(&text, flags & 1 == 1, dollar) {
        let again = fundrisk::ledger::parse_money(&money.amount.to_string(), false, dollar);
        assert_eq!(again.map(|m| m.amount), Some(money.amount), "{text:?}");
    }
});
