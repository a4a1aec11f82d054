//! Outputs: the JSON result, `inspect` and summary text, and atomic file writing.
//! Everything here renders values computed upstream; nothing is decided here.

pub mod classify;
pub mod html;
pub mod inspect;
pub mod json;
pub mod peers;
pub mod public_support;
pub mod summary;
pub mod write;

use rust_decimal::Decimal;

/// Money as a decimal string with at least two decimal places: `1250.00`, `-3.125`.
#[must_use]
pub fn money(amount: Decimal) -> String {
    let mut d = amount.normalize();
    if d.scale() < 2 {
        d.rescale(2);
    }
    d.to_string()
}

/// Money for people: `1,250.00` with thousands separators and the currency code.
#[must_use]
pub fn money_display(amount: Decimal, currency: Option<&str>) -> String {
    let text = money(amount);
    let (sign, digits) = text
        .strip_prefix('-')
        .map_or(("", text.as_str()), |d| ("-", d));
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut grouped = String::new();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    let code = currency.map_or(String::new(), |c| format!("{c} "));
    if frac.is_empty() {
        format!("{sign}{code}{grouped}")
    } else {
        format!("{sign}{code}{grouped}.{frac}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn money_strings() {
        assert_eq!(money(Decimal::from(1250)), "1250.00");
        assert_eq!(money(Decimal::from_str("-3.125").unwrap()), "-3.125");
        assert_eq!(money(Decimal::from_str("0.10").unwrap()), "0.10");
        assert_eq!(
            money_display(Decimal::from_str("-1234567.5").unwrap(), Some("GBP")),
            "-GBP 1,234,567.50"
        );
        assert_eq!(money_display(Decimal::from(999), None), "999.00");
    }
}
