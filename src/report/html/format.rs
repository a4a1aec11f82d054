//! Numbers and words for people: percentages, indices, counts with their plurals, and the
//! names of categories and bands as a board reads them. Every rounding the report shows is
//! decided here, so a template never formats a number.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::ledger::Category;

/// What an undefined ratio reads as, everywhere in the report.
pub const UNDEFINED: &str = "undefined";

/// A share to one decimal place: `47.2%`; `<0.1%` for a tiny positive share, `undefined`
/// when there is none.
#[must_use]
pub fn pct(x: Option<f64>) -> String {
    match x {
        None => UNDEFINED.to_string(),
        Some(v) if v > 0.0 && v < 0.000_5 => "<0.1%".to_string(),
        Some(v) if (0.999_5..1.0).contains(&v) => ">99.9%".to_string(),
        Some(v) => format!("{:.1}%", clean(v * 100.0, 1)),
    }
}

/// A share as a whole percentage for sentences: `47%`; "less than 1%" and "more than 99%"
/// near the ends so that a small share never reads as none.
#[must_use]
pub fn pct_whole(x: Option<f64>) -> String {
    match x {
        None => UNDEFINED.to_string(),
        Some(v) if v > 0.0 && v < 0.005 => "less than 1%".to_string(),
        Some(v) if (0.995..1.0).contains(&v) => "more than 99%".to_string(),
        Some(v) => format!("{:.0}%", clean(v * 100.0, 0)),
    }
}

/// A share as a whole percentage for chart labels, where space is short: `47%`, `<1%`, `>99%`.
#[must_use]
pub fn pct_short(x: Option<f64>) -> String {
    match x {
        Some(v) if v > 0.0 && v < 0.005 => "<1%".to_string(),
        Some(v) if (0.995..1.0).contains(&v) => ">99%".to_string(),
        other => pct_whole(other),
    }
}

/// A part of an index for chart labels: two decimals, `<0.01` for a tiny positive part.
#[must_use]
pub fn index_part(x: f64) -> String {
    if x > 0.0 && x < 0.005 {
        "<0.01".to_string()
    } else {
        num(Some(x), 2)
    }
}

/// A signed change in percentage points: `+1.4 points`, `−2.0 points`.
#[must_use]
pub fn points(x: Option<f64>) -> String {
    match x {
        None => UNDEFINED.to_string(),
        Some(v) => {
            let p = clean(v * 100.0, 1);
            if p > 0.0 {
                format!("+{p:.1} points")
            } else if p < 0.0 {
                format!("\u{2212}{:.1} points", -p)
            } else {
                "no change".to_string()
            }
        }
    }
}

/// A signed relative change: `+9.6%`, `−4.0%`.
#[must_use]
pub fn signed_pct(x: Option<f64>) -> String {
    match x {
        None => UNDEFINED.to_string(),
        Some(v) => {
            let p = clean(v * 100.0, 1);
            if p > 0.0 {
                format!("+{p:.1}%")
            } else if p < 0.0 {
                format!("\u{2212}{:.1}%", -p)
            } else {
                "0.0%".to_string()
            }
        }
    }
}

/// A number with `dp` decimals, or `undefined`.
#[must_use]
pub fn num(x: Option<f64>, dp: usize) -> String {
    x.map_or_else(
        || UNDEFINED.to_string(),
        |v| format!("{:.dp$}", clean(v, dp)),
    )
}

/// Rounds away float noise so that `-0.0` and `0.0499999…` print as people expect.
fn clean(v: f64, dp: usize) -> f64 {
    let scale = 10f64.powi(i32::try_from(dp).unwrap_or(0));
    let r = (v * scale).round() / scale;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// `1 funder`, `3 funders`.
#[must_use]
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Money as an `f64` for drawing only (never for arithmetic that is shown).
#[must_use]
pub fn to_f64(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A short axis label for money: `250k`, `1.5m`, `900`.
#[must_use]
pub fn compact_money(v: f64) -> String {
    let a = v.abs();
    let (value, suffix) = if a >= 1e9 {
        (v / 1e9, "bn")
    } else if a >= 1e6 {
        (v / 1e6, "m")
    } else if a >= 1e3 {
        (v / 1e3, "k")
    } else {
        (v, "")
    };
    let text = format!("{:.1}", clean(value, 1));
    let text = text.strip_suffix(".0").unwrap_or(&text).to_string();
    format!("{text}{suffix}")
}

/// The name of a category in a sentence or a table.
#[must_use]
pub fn category_name(c: Category) -> &'static str {
    match c {
        Category::Government => "Government",
        Category::Foundation => "Foundations and trusts",
        Category::Corporate => "Companies",
        Category::Community => "Community giving",
        Category::Crowdsourced => "Crowdfunding",
        Category::Earned => "Earned income",
        Category::Other => "Other",
        Category::Unclassified => "Unclassified",
    }
}

/// The same, lower case, for the middle of a sentence.
#[must_use]
pub fn category_phrase(c: Category) -> &'static str {
    match c {
        Category::Government => "government",
        Category::Foundation => "foundations and trusts",
        Category::Corporate => "companies",
        Category::Community => "community giving",
        Category::Crowdsourced => "crowdfunding",
        Category::Earned => "earned income",
        Category::Other => "other sources",
        Category::Unclassified => "unclassified income",
    }
}

/// The category whose canonical name (`"government"`) is `name`, for values such as the
/// stress test's lost category.
#[must_use]
pub fn category_named(name: &str) -> Option<Category> {
    Category::from_name(name)
}

/// English list: `a`, `a and b`, `a, b and c`.
#[must_use]
pub fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Cuts a label to `max` characters with an ellipsis (charts only; tables show it whole).
#[must_use]
pub fn truncate(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max.saturating_sub(1)).collect();
    format!("{}\u{2026}", cut.trim_end())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentages_never_hide_a_small_share_or_an_undefined_one() {
        assert_eq!(pct(Some(0.472_246)), "47.2%");
        assert_eq!(pct(Some(0.000_1)), "<0.1%");
        assert_eq!(pct(Some(0.0)), "0.0%");
        assert_eq!(pct(Some(1.0)), "100.0%");
        assert_eq!(pct(None), "undefined");
        assert_eq!(pct_whole(Some(0.472_246)), "47%");
        assert_eq!(pct_whole(Some(0.003)), "less than 1%");
        assert_eq!(pct_whole(Some(0.996)), "more than 99%");
        assert_eq!(pct_whole(None), "undefined");
    }

    #[test]
    fn signed_changes_and_counts() {
        assert_eq!(points(Some(0.014)), "+1.4 points");
        assert_eq!(points(Some(-0.02)), "\u{2212}2.0 points");
        assert_eq!(points(Some(-0.000_01)), "no change");
        assert_eq!(signed_pct(Some(0.0956)), "+9.6%");
        assert_eq!(count(1, "funder", "funders"), "1 funder");
        assert_eq!(count(0, "funder", "funders"), "0 funders");
        assert_eq!(num(Some(3.687), 1), "3.7");
        assert_eq!(num(Some(-0.000_01), 3), "0.000");
    }

    #[test]
    fn compact_axis_labels() {
        assert_eq!(compact_money(250_000.0), "250k");
        assert_eq!(compact_money(1_500_000.0), "1.5m");
        assert_eq!(compact_money(900.0), "900");
        assert_eq!(compact_money(0.0), "0");
    }

    #[test]
    fn lists_and_truncation() {
        let l = |v: &[&str]| and_list(&v.iter().map(|s| (*s).to_string()).collect::<Vec<_>>());
        assert_eq!(l(&["a"]), "a");
        assert_eq!(l(&["a", "b"]), "a and b");
        assert_eq!(l(&["a", "b", "c"]), "a, b and c");
        assert_eq!(truncate("abcdef", 4), "abc\u{2026}");
        assert_eq!(truncate("abc", 4), "abc");
    }
}
