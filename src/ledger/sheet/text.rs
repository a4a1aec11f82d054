//! Reading cell text for a sheet: header currencies, total labels, repeated headers, blank
//! rows.

use super::super::header::normalise;
use super::super::money::currency_code;
use crate::ingest::{CellValue, RawRow};

/// Blank rows between the header and the last non-blank row: rows with no cells (CSV records
/// of empty fields) and, in sparse sheets, row numbers with no row at all.
pub(super) fn count_blank(header_row: u32, rows: &[&RawRow], explicit_only: bool) -> usize {
    let explicit = rows.iter().filter(|r| r.cells.is_empty()).count();
    if explicit_only {
        // Trailing blank lines are not rows below the table.
        let trailing = rows.iter().rev().take_while(|r| r.cells.is_empty()).count();
        return explicit - trailing;
    }
    let filled = rows.len();
    let Some(last) = rows.iter().map(|r| r.index).max() else {
        return 0;
    };
    let span = usize::try_from(last - header_row).unwrap_or(usize::MAX);
    let gaps = span.saturating_sub(filled);
    explicit + gaps
}

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
pub(super) fn same_header(value: &CellValue, norm: &str) -> bool {
    let Some(first) = norm.chars().next() else {
        return false;
    };
    match value {
        CellValue::Text(t) => first_header_char(t) == Some(first) && normalise(t) == norm,
        // Numbers and dates display as digits (or a sign): only a numeric header can match.
        CellValue::Int(_) | CellValue::Float(_) | CellValue::Date(_) | CellValue::BadDate(_)
            if !first.is_ascii_digit() =>
        {
            false
        }
        other => normalise(&other.display()) == norm,
    }
}

/// The first character [`normalise`] keeps: alphanumeric, outside brackets, lower-cased.
pub(super) fn first_header_char(text: &str) -> Option<char> {
    let mut depth = 0u32;
    for ch in text.chars() {
        match ch {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            c if c.is_alphanumeric() => return c.to_lowercase().next(),
            _ => {}
        }
    }
    None
}

pub(super) fn cell_text(value: &CellValue) -> Option<String> {
    match value {
        CellValue::Text(t) => {
            let t = t.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        other => Some(other.display()),
    }
}

/// A text cell that labels a total: "Total", "Sub-total Q1", "Grand total", "Sum", "Income total".
pub(super) fn is_total_label(text: &str) -> bool {
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
    let ends =
        words.len() > 1 && matches!(words.last().copied(), Some("total" | "totals" | "subtotal"));
    starts || ends
}

#[cfg(test)]
mod tests {
    use super::*;

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
        ] {
            assert!(!is_total_label(no), "{no}");
        }
    }
}
