//! Money from cells: numbers as displayed, and text the way accounting exports write it.

use std::str::FromStr;

use rust_decimal::Decimal;

/// A parsed amount and the currency its text named, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Money {
    pub amount: Decimal,
    pub currency: Option<String>,
}

/// ISO 4217 codes recognised in amount text and currency columns.
const CODES: &[&str] = &[
    "GBP", "USD", "EUR", "CAD", "AUD", "NZD", "CHF", "JPY", "SEK", "NOK", "DKK", "ISK", "PLN",
    "CZK", "HUF", "RON", "BGN", "INR", "ZAR", "KES", "NGN", "GHS", "UGX", "TZS", "BRL", "MXN",
    "ARS", "CLP", "COP", "PEN", "SGD", "HKD", "CNY", "KRW", "PHP", "IDR", "MYR", "THB", "ILS",
    "TRY", "AED",
];

/// Currency symbols and the code they stand for (`$` alone is dollars of `dollar`).
fn symbol_code(symbol: &str, dollar: &str) -> Option<String> {
    Some(
        match symbol {
            "£" => "GBP",
            "€" => "EUR",
            "¥" => "JPY",
            "₹" => "INR",
            "US$" => "USD",
            "C$" | "CA$" => "CAD",
            "A$" | "AU$" => "AUD",
            "NZ$" => "NZD",
            "$" => dollar,
            _ => return None,
        }
        .to_string(),
    )
}

/// Reads a currency column's value ("GBP", "gbp", "£") as an ISO code.
#[must_use]
pub fn currency_code(text: &str, dollar: &str) -> Option<String> {
    let t = text.trim();
    let upper = t.to_ascii_uppercase();
    if CODES.contains(&upper.as_str()) {
        return Some(upper);
    }
    symbol_code(t, dollar)
}

/// Converts a floating-point cell to the decimal it displays: 15 significant digits, as
/// spreadsheet programs show them, so 0.1 is 0.1 and 0.1+0.2 is 0.3.
#[must_use]
pub fn from_float(value: f64) -> Option<Decimal> {
    if !value.is_finite() {
        return None;
    }
    // Most amounts are whole pence or cents: when the nearest double to `cents / 100` is the
    // value itself, that decimal (at most 15 digits) is what 15 significant digits show.
    if value.abs() < 1e13 {
        let cents = (value * 100.0).round();
        if cents / 100.0 == value {
            // |cents| < 1e15 < 2^53: the integer is exact.
            #[allow(clippy::cast_possible_truncation)]
            return Some(Decimal::new(cents as i64, 2).normalize());
        }
    }
    from_float_text(value)
}

/// [`from_float`] the long way, through the value's text to 15 significant digits.
fn from_float_text(value: f64) -> Option<Decimal> {
    let text = format!("{value:.14e}");
    Decimal::from_scientific(&text).ok().map(|d| d.normalize())
}

/// Parses amount text: currency symbols or codes before or after the number, thousands
/// separators, `(250.00)` and `250-` negatives. With `decimal_comma`, `1.250,00` is 1250.
/// `dollar` is the currency a bare `$` means. Returns `None` for anything else.
#[must_use]
pub fn parse_money(text: &str, decimal_comma: bool, dollar: &str) -> Option<Money> {
    let mut s = crate::ledger::text::trim(text);
    if let Some(amount) = plain_number(s, decimal_comma) {
        return Some(Money {
            amount,
            currency: None,
        });
    }
    let mut negative = false;
    let mut currency: Option<String> = None;
    if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        negative = true;
        s = inner.trim();
    }
    // Peel signs and currency marks from both ends, in any order.
    loop {
        let before = s;
        if let Some(r) = s.strip_prefix(['-', '−']) {
            if negative {
                return None;
            }
            negative = true;
            s = r.trim_start();
        }
        if let Some(r) = s.strip_suffix(['-', '−']) {
            if negative {
                return None;
            }
            negative = true;
            s = r.trim_end();
        }
        if let Some(r) = s.strip_prefix('+') {
            s = r.trim_start();
        }
        if let Some(inner) = s.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            if negative {
                return None;
            }
            negative = true;
            s = inner.trim();
        }
        if let Some((code, rest)) = take_currency_prefix(s, dollar) {
            if currency.replace(code).is_some() {
                return None;
            }
            s = rest.trim_start();
        }
        if let Some((code, rest)) = take_currency_suffix(s, dollar) {
            if currency.replace(code).is_some() {
                return None;
            }
            s = rest.trim_end();
        }
        if s == before {
            break;
        }
    }
    let amount = parse_number(s, decimal_comma)?;
    Some(Money {
        amount: if negative { -amount } else { amount },
        currency,
    })
}

/// Digits with at most one decimal point between digits (`1250`, `40.93`): the usual amount
/// text, read directly. Anything else goes the long way.
fn plain_number(s: &str, decimal_comma: bool) -> Option<Decimal> {
    let b = s.as_bytes();
    let (first, last) = (*b.first()?, *b.last()?);
    if !first.is_ascii_digit() || !last.is_ascii_digit() {
        return None;
    }
    let mut points = 0;
    // The digits as an integer and how many follow the point, while they fit (18 digits).
    let mut units: i64 = 0;
    let mut digits = 0u32;
    let mut scale = 0u32;
    for &c in b {
        if c == b'.' {
            points += 1;
        } else if c.is_ascii_digit() {
            units = units.wrapping_mul(10).wrapping_add(i64::from(c - b'0'));
            digits += 1;
            scale += u32::from(points > 0);
        } else {
            return None;
        }
    }
    // With a decimal comma, a point groups thousands: the long way checks the groups.
    if points > usize::from(!decimal_comma) {
        return None;
    }
    if digits <= 18 {
        // What `Decimal::from_str` gives, scale and all, without reading the text again.
        return Some(Decimal::new(units, scale));
    }
    Decimal::from_str(s).ok()
}

fn take_currency_prefix<'a>(s: &'a str, dollar: &str) -> Option<(String, &'a str)> {
    for sym in [
        "US$", "CA$", "AU$", "NZ$", "C$", "A$", "£", "€", "¥", "₹", "$",
    ] {
        if let Some(rest) = s.strip_prefix(sym) {
            return symbol_code(sym, dollar).map(|c| (c, rest));
        }
    }
    let head: String = s.chars().take(3).collect();
    let upper = head.to_ascii_uppercase();
    if head.len() == 3 && CODES.contains(&upper.as_str()) {
        let rest = &s[3..];
        if rest.starts_with(|c: char| !c.is_ascii_alphabetic()) {
            return Some((upper, rest));
        }
    }
    None
}

fn take_currency_suffix<'a>(s: &'a str, dollar: &str) -> Option<(String, &'a str)> {
    for sym in ["£", "€", "¥", "₹", "$"] {
        if let Some(rest) = s.strip_suffix(sym) {
            return symbol_code(sym, dollar).map(|c| (c, rest));
        }
    }
    if s.len() > 3 && s.is_char_boundary(s.len() - 3) {
        let (rest, tail) = s.split_at(s.len() - 3);
        let upper = tail.to_ascii_uppercase();
        if CODES.contains(&upper.as_str()) && rest.ends_with(|c: char| !c.is_ascii_alphabetic()) {
            return Some((upper, rest));
        }
    }
    None
}

/// Parses digits with optional grouping: groups of three after the first group, separated by
/// `,` (or `.` with `decimal_comma`), a space, a no-break space or an apostrophe.
fn parse_number(s: &str, decimal_comma: bool) -> Option<Decimal> {
    let (group_sep, dec_sep) = if decimal_comma {
        ('.', ',')
    } else {
        (',', '.')
    };
    let (int_part, frac_part) = match s.rsplit_once(dec_sep) {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    if let Some(f) = frac_part {
        if f.is_empty() || !f.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
    }
    let mut digits = String::with_capacity(s.len());
    let is_sep =
        |c: char| c == group_sep || c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\'';
    let groups: Vec<&str> = int_part.split(is_sep).collect();
    if groups.len() > 1 {
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    for g in &groups {
        if !g.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        digits.push_str(g);
    }
    if digits.is_empty() && frac_part.is_none() {
        return None;
    }
    if digits.is_empty() {
        digits.push('0');
    }
    if let Some(f) = frac_part {
        digits.push('.');
        digits.push_str(f);
    }
    Decimal::from_str(&digits).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn p(s: &str) -> Option<String> {
        parse_money(s, false, "USD").map(|m| m.amount.to_string())
    }

    proptest! {
        /// Plain digits become the decimal `Decimal::from_str` reads from them, scale and all.
        #[test]
        fn plain_numbers_read_as_rust_decimal_reads_them(
            int in "[0-9]{1,22}",
            frac in proptest::option::of("[0-9]{1,12}"),
        ) {
            let text = match &frac {
                Some(f) => format!("{int}.{f}"),
                None => int.clone(),
            };
            let ours = plain_number(&text, false);
            let theirs = Decimal::from_str(&text).ok();
            prop_assert_eq!(ours.map(|d| d.to_string()), theirs.map(|d| d.to_string()));
            if frac.is_none() {
                prop_assert_eq!(
                    plain_number(&text, true).map(|d| d.to_string()),
                    Decimal::from_str(&text).ok().map(|d| d.to_string())
                );
            }
        }
    }

    proptest! {
        #[test]
        fn floats_read_the_short_way_as_the_long_way(
            cents in -1_000_000_000_000_000i64..1_000_000_000_000_000,
            any in proptest::num::f64::NORMAL,
        ) {
            #[allow(clippy::cast_precision_loss)]
            let value = cents as f64 / 100.0;
            prop_assert_eq!(from_float(value), from_float_text(value));
            prop_assert_eq!(from_float(any), from_float_text(any));
            prop_assert_eq!(from_float(value * 1000.0), from_float_text(value * 1000.0));
        }
    }

    #[test]
    fn reads_accounting_text() {
        assert_eq!(p("£1,250.00").as_deref(), Some("1250.00"));
        assert_eq!(p("GBP 1,250").as_deref(), Some("1250"));
        assert_eq!(p("$ 99").as_deref(), Some("99"));
        assert_eq!(p("(250.00)").as_deref(), Some("-250.00"));
        assert_eq!(p("250-").as_deref(), Some("-250"));
        assert_eq!(p("-£5.50").as_deref(), Some("-5.50"));
        assert_eq!(p("£-5.50").as_deref(), Some("-5.50"));
        assert_eq!(p("(£1,000)").as_deref(), Some("-1000"));
        assert_eq!(p("1 250.75").as_deref(), Some("1250.75"));
        assert_eq!(p("1250 EUR").as_deref(), Some("1250"));
        assert_eq!(p(".5").as_deref(), Some("0.5"));
        assert_eq!(
            parse_money("£1,250.00", false, "USD")
                .unwrap()
                .currency
                .as_deref(),
            Some("GBP")
        );
        assert_eq!(
            parse_money("$ 99", false, "CAD")
                .unwrap()
                .currency
                .as_deref(),
            Some("CAD")
        );
    }

    #[test]
    fn rejects_what_is_not_money() {
        for bad in [
            "n/a", "TBC", "", "-", "1,25", "12,3456", "1.2.3", "£", "--5", "(5)-", "1e5", "5%",
            "#N/A", "£5$",
        ] {
            assert_eq!(p(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn decimal_comma() {
        let d = |s: &str| parse_money(s, true, "USD").map(|m| m.amount.to_string());
        assert_eq!(d("1.250,00").as_deref(), Some("1250.00"));
        assert_eq!(d("12,50").as_deref(), Some("12.50"));
        assert_eq!(d("€ 1.250").as_deref(), Some("1250"));
        assert_eq!(d("1,2,3"), None);
    }

    #[test]
    fn floats_are_read_as_displayed() {
        assert_eq!(from_float(0.1).unwrap().to_string(), "0.1");
        assert_eq!(from_float(0.1 + 0.2).unwrap().to_string(), "0.3");
        assert_eq!(from_float(1250.5).unwrap().to_string(), "1250.5");
        assert_eq!(from_float(-3.0).unwrap().to_string(), "-3");
        assert_eq!(from_float(f64::NAN), None);
    }

    proptest! {
        #[test]
        fn formatted_amounts_round_trip(cents in -1_000_000_000_000i64..1_000_000_000_000i64) {
            let d = Decimal::new(cents, 2);
            let abs = d.abs();
            let int = abs.trunc().to_string();
            let mut grouped = String::new();
            for (i, ch) in int.chars().enumerate() {
                if i > 0 && (int.len() - i) % 3 == 0 { grouped.push(','); }
                grouped.push(ch);
            }
            let frac = format!("{:02}", (abs.fract() * Decimal::from(100)).trunc());
            let body = format!("£{grouped}.{frac}");
            let text = if d.is_sign_negative() && !d.is_zero() { format!("({body})") } else { body.clone() };
            let parsed = parse_money(&text, false, "USD").unwrap();
            prop_assert_eq!(parsed.amount, d);
            prop_assert_eq!(parsed.currency.as_deref(), Some("GBP"));
            let euro = text.replace(',', "_").replace('.', ",").replace('_', ".");
            prop_assert_eq!(parse_money(&euro, true, "USD").unwrap().amount, d);
        }

        #[test]
        fn arbitrary_text_never_panics(s in "\\PC{0,20}") {
            let _ = parse_money(&s, false, "USD");
            let _ = parse_money(&s, true, "USD");
        }

        #[test]
        fn floats_keep_their_shortest_text(f in -1e12f64..1e12f64) {
            let shown = format!("{f}");
            if shown.trim_start_matches('-').replace('.', "").trim_start_matches('0').len() <= 15 {
                prop_assert_eq!(from_float(f).unwrap(), Decimal::from_str(&shown).unwrap().normalize());
            }
        }
    }
}
