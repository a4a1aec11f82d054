//! Reading cell text for a sheet: header currencies, total labels, repeated headers,
//! restriction answers.

use super::super::header::{normalise, normalised_chars, normalises_to};
use super::super::money::currency_code;
use std::borrow::Cow;

use super::row::Cell;
use crate::ingest::CellValue;

/// A currency symbol or code inside header text: "Amount (£)", "Income GBP", "Value ($)".
pub(super) fn header_currency(text: &str, dollar: &str) -> Option<String> {
    text.split(|c: char| {
        c.is_whitespace() || c == '(' || c == ')' || c == '[' || c == ']' || c == ':'
    })
    .filter(|w| !w.is_empty())
    .find_map(|w| {
        if w.chars().count() == 3 && w.chars().all(|c| c.is_ascii_uppercase()) {
            currency_code(w, dollar)
        } else if w.chars().count() <= 3 {
            w.chars().find_map(|c| match c {
                '£' | '€' | '¥' | '₹' | '$' => currency_code(&c.to_string(), dollar),
                _ => None,
            })
        } else {
            None
        }
    })
}

/// Whether a cell holds the header text `norm` (already normalised). Every data row is
/// checked, so the usual answer — no — is found without building the normalised text.
pub(super) fn same_header(cell: Cell<'_>, norm: &str) -> bool {
    let Some(first) = norm.chars().next() else {
        return false;
    };
    match cell.text().map_err(|c| &c.value) {
        Ok(t) => same_header_text(t, norm),
        // Numbers and dates display as digits (or a sign): only a numeric header can match.
        Err(
            CellValue::Int(_) | CellValue::Float(_) | CellValue::Date(_) | CellValue::BadDate(_),
        ) if !first.is_ascii_digit() => false,
        Err(other) => normalise(&other.display()) == norm,
    }
}

/// Whether a text cell holds the header text `norm` (already normalised): [`same_header`]
/// of a text cell.
pub(super) fn same_header_text(text: &str, norm: &str) -> bool {
    let Some(first) = norm.chars().next() else {
        return false;
    };
    normalised_chars(text).next() == Some(first) && normalises_to(text, norm)
}

/// A cell's text, trimmed, without copying text cells; `None` when blank.
pub(super) fn cell_str(cell: Cell<'_>) -> Option<Cow<'_, str>> {
    match cell.text() {
        Ok(t) => {
            let t = crate::ledger::text::trim(t);
            (!t.is_empty()).then_some(Cow::Borrowed(t))
        }
        Err(other) => Some(Cow::Owned(other.value.display())),
    }
}

/// What a restriction cell says: restricted (`true`), unrestricted (`false`), or unknown.
pub(super) fn restriction(text: &str) -> Option<bool> {
    let t = crate::ledger::text::trim(text);
    // The usual answers, without building lower-case text: only those of the text's length
    // are compared.
    let (yes, no): (&[&str], &[&str]) = match t.len() {
        1 => (&["r", "y", "1"], &["u", "n", "0"]),
        2 => (&[], &["no"]),
        3 => (&["yes"], &[]),
        4 => (&["true"], &[]),
        5 => (&[], &["false"]),
        7 => (&[], &["general"]),
        10 => (&["restricted"], &["designated"]),
        12 => (&[], &["unrestricted"]),
        _ => (&[], &[]),
    };
    let is = |words: &[&str]| words.iter().any(|w| t.eq_ignore_ascii_case(w));
    if is(yes) {
        return Some(true);
    }
    if is(no) {
        return Some(false);
    }
    let t = t.to_lowercase();
    if t.contains("unrestricted") || t.contains("general fund") || t.contains("designated") {
        Some(false)
    } else if t.contains("restricted") || t.contains("endowment") {
        Some(true)
    } else {
        None
    }
}

/// Whether `text` contains "tot" or "sum" in any ASCII case.
fn may_name_a_total(text: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const LOW: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const CASE: u64 = 0x2020_2020_2020_2020;
    let b = text.as_bytes();
    // The three letters from `s` on (0x20 set: no byte but the capital becomes the letter).
    let at = |s: usize| {
        let (x, y, z) = (b[s] | 0x20, b[s + 1] | 0x20, b[s + 2] | 0x20);
        (x == b't' && y == b'o' && z == b't') || (x == b's' && y == b'u' && z == b'm')
    };
    let word = |i: usize| {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[i..i + 8]);
        u64::from_le_bytes(w) | CASE
    };
    // The high bit of each byte of `v` that is zero, and of no other.
    let zeros = |v: u64| !((((v & LOW) + LOW) | v) | LOW);
    let is = |w: u64, letter: u8| zeros(w ^ (ONES * u64::from(letter)));
    // Eight starts at a time: the words at s, s + 1 and s + 2 hold each start's three letters.
    let mut s = 0;
    while s + 10 <= b.len() {
        let (w0, w1, w2) = (word(s), word(s + 1), word(s + 2));
        let tot = is(w0, b't') & is(w1, b'o') & is(w2, b't');
        let sum = is(w0, b's') & is(w1, b'u') & is(w2, b'm');
        if tot | sum != 0 {
            return true;
        }
        s += 8;
    }
    (s..b.len().saturating_sub(2)).any(at)
}

/// A cell's text, trimmed, for messages; `None` when blank.
pub(super) fn cell_text(cell: Cell<'_>) -> Option<String> {
    cell_str(cell).map(Cow::into_owned)
}

/// A text cell that labels a total: "Total", "Sub-total Q1", "Grand total", "Sum", "Income total".
pub(super) fn is_total_label(text: &str) -> bool {
    // Nearly every cell is no total: ruled out without building lower-case text.
    if !may_name_a_total(text) {
        return false;
    }
    let t = text.trim().to_lowercase();
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let first = words.first().copied().unwrap_or("");
    let sum = first == "sum" && words.get(1).is_none_or(|w| *w == "of");
    let starts = sum
        || matches!(first, "total" | "totals" | "subtotal" | "subtotals")
        || (first == "sub" && words.get(1).is_some_and(|w| w.starts_with("total")))
        || (first == "grand" && words.get(1).is_some_and(|w| w.starts_with("total")));
    // "FY2024 total", "Q1 2024 total": a short label; "Gift aid on running total" is prose.
    let ends = (2..=3).contains(&words.len())
        && matches!(words.last().copied(), Some("total" | "totals" | "subtotal"));
    starts || ends
}

/// Words a total row's label is made of besides "total": periods, categories, kinds of money.
const TOTAL_WORDS: &[&str] = &[
    "total",
    "totals",
    "subtotal",
    "subtotals",
    "sub",
    "grand",
    "for",
    "of",
    "the",
    "all",
    "and",
    "to",
    "in",
    "by",
    "per",
    "this",
    "page",
    "sheet",
    "section",
    "period",
    "year",
    "years",
    "month",
    "months",
    "quarter",
    "ytd",
    "date",
    "income",
    "incomes",
    "revenue",
    "revenues",
    "receipts",
    "received",
    "donations",
    "donation",
    "grants",
    "grant",
    "gifts",
    "gift",
    "funds",
    "fund",
    "funding",
    "restricted",
    "unrestricted",
    "net",
    "gross",
    "amount",
    "amounts",
    "sales",
    "fees",
    "brought",
    "carried",
    "forward",
    "government",
    "statutory",
    "foundation",
    "foundations",
    "trust",
    "trusts",
    "corporate",
    "community",
    "individual",
    "individuals",
    "crowdfunding",
    "earned",
    "other",
    "lottery",
    "membership",
    "dues",
    "category",
    "source",
    "sources",
    "funder",
    "funders",
    "jan",
    "january",
    "feb",
    "february",
    "mar",
    "march",
    "apr",
    "april",
    "may",
    "jun",
    "june",
    "jul",
    "july",
    "aug",
    "august",
    "sep",
    "sept",
    "september",
    "oct",
    "october",
    "nov",
    "november",
    "dec",
    "december",
    "q",
    "h",
    "fy",
];

/// A total label that may instead be a funder's name: it starts with "total" and goes on with
/// a word no total row uses ("Total Energies UK", the oil company).
pub(super) fn total_label_may_be_a_name(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    let words: Vec<&str> = t
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    matches!(words.first(), Some(&("total" | "totals")))
        && words[1..].iter().any(|w| {
            let periodic = w.chars().next().is_some_and(|c| c.is_ascii_digit())
                || ((w.starts_with("fy") || w.starts_with('q') || w.starts_with('h'))
                    && w[1..].chars().any(|c| c.is_ascii_digit()));
            !periodic && !TOTAL_WORDS.contains(w)
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn total_words_are_found_eight_letters_at_a_time(s in "[tToOsSuUmM \u{e9}x]{0,40}") {
            let b = s.as_bytes();
            let naive = (2..b.len()).any(|i| {
                let (x, y, z) = (b[i - 2] | 0x20, b[i - 1] | 0x20, b[i] | 0x20);
                (x == b't' && y == b'o' && z == b't') || (x == b's' && y == b'u' && z == b'm')
            });
            prop_assert_eq!(may_name_a_total(&s), naive);
        }

        #[test]
        fn restrictions_are_read_whatever_the_case_and_spacing(
            k in 0usize..14,
            caps in proptest::collection::vec(any::<bool>(), 12),
            pad in "[ \t\u{a0}]{0,2}",
        ) {
            let yes = ["restricted", "r", "yes", "y", "true", "1"];
            let no = ["unrestricted", "u", "no", "n", "false", "0", "general", "designated"];
            let word = yes.iter().chain(&no).nth(k).unwrap();
            let cased: String = word
                .chars()
                .zip(caps.iter().cycle())
                .map(|(c, up)| if *up { c.to_ascii_uppercase() } else { c })
                .collect();
            let text = format!("{pad}{cased}{pad}");
            prop_assert_eq!(restriction(&text), Some(k < yes.len()), "{:?}", text);
        }
    }

    #[test]
    fn other_restriction_texts_are_read_from_their_words() {
        assert_eq!(restriction("Restricted - capital"), Some(true));
        assert_eq!(restriction("Endowment"), Some(true));
        assert_eq!(restriction("General fund"), Some(false));
        assert_eq!(restriction("Designated (board)"), Some(false));
        for unknown in ["", "maybe", "yess", "nope", "2", "ye"] {
            assert_eq!(restriction(unknown), None, "{unknown:?}");
        }
    }

    #[test]
    fn currency_in_headers() {
        assert_eq!(header_currency("Amount (£)", "USD").as_deref(), Some("GBP"));
        assert_eq!(header_currency("Income GBP", "USD").as_deref(), Some("GBP"));
        assert_eq!(header_currency("Value ($)", "CAD").as_deref(), Some("CAD"));
        assert_eq!(header_currency("Amount", "USD"), None);
        assert_eq!(header_currency("AMOUNT", "USD"), None);
    }

    #[test]
    fn total_labels() {
        for yes in [
            "Total",
            "TOTAL:",
            "Sub-total Q1",
            "Subtotal FY2024",
            "Grand Total",
            "Sum",
            "Income total",
            "Totals",
        ] {
            assert!(is_total_label(yes), "{yes}");
        }
        for no in [
            "Summit Foundation",
            "Totally Local CIC",
            "Sum Trust",
            "Consumer Trust",
            "Totnes Council",
            "Gift aid on running total",
        ] {
            assert!(!is_total_label(no), "{no}");
        }
    }

    #[test]
    fn total_labels_that_may_be_names() {
        for name in [
            "Total Energies UK",
            "TOTAL S.A.",
            "Total Foundation Hire Ltd",
        ] {
            assert!(total_label_may_be_a_name(name), "{name}");
        }
        for total in [
            "Total",
            "Total:",
            "Total income",
            "Total Q1 2024",
            "Total for FY2024",
            "Totals",
            "Total restricted funds",
            "Total foundation grants",
            "Total March",
        ] {
            assert!(!total_label_may_be_a_name(total), "{total}");
        }
    }
}
