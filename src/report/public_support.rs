//! `fundrisk public-support`: Schedule A (Form 990) Part II as a text table laid out like the
//! form, and its JSON.

use std::fmt::Write;

use rust_decimal::Decimal;

use crate::public_support::{Schedule, SupportTest, Years};

/// Money as the form shows it: to the cent. The schedule itself stays exact (2% of a total
/// with cents has four decimals); only the display rounds, half away from zero.
#[must_use]
pub fn amount(d: Decimal) -> String {
    super::money_display(crate::public_support::cents(d), None)
}

/// The overall verdict, read as the form is: the first of lines 16a, 16b, 17a and 17b that
/// passes decides; a test that cannot be known (no prior-year percentage) is said so.
#[must_use]
pub fn verdict(s: &Schedule) -> String {
    let year = s.tax_year;
    if s.line14.is_none() {
        return "With no total support, the percentage and the tests are undefined.".to_string();
    }
    if s.test_16a.pass == Some(true) {
        return format!(
            "That meets the 33⅓% public support test (line 16a): the organisation is publicly supported for {year}."
        );
    }
    if s.test_16b.pass == Some(true) {
        return format!(
            "That misses 33⅓%, but last year's percentage met it (line 16b), so the organisation is publicly supported for {year}; next year it needs 33⅓% again."
        );
    }
    let unknown_prior = if s.test_16b.pass.is_none() {
        " Whether last year's percentage carries it (lines 16b and 17b) is not known: give the prior-year percentage (--prior-percentage)."
    } else {
        ""
    };
    if s.test_17a.pass == Some(true) || s.test_17b.pass == Some(true) {
        let line = if s.test_17a.pass == Some(true) {
            "17a"
        } else {
            "17b"
        };
        return format!(
            "That misses 33⅓% but reaches 10% (line {line}): the organisation may still qualify on its facts and circumstances, which fundrisk does not assess.{unknown_prior}"
        );
    }
    format!(
        "That misses both the 33⅓% and the 10% tests: public charity status is at risk.{unknown_prior}"
    )
}

/// A fraction as a percentage truncated to two decimals, as the form is filled in.
#[must_use]
pub fn pct(d: Option<Decimal>) -> String {
    d.map_or_else(
        || "undefined".to_string(),
        |f| {
            format!(
                "{}%",
                (f * Decimal::ONE_HUNDRED)
                    .round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
            )
        },
    )
}

fn row(out: &mut String, label: &str, y: &Years) {
    let cols: Vec<String> = y
        .columns
        .iter()
        .map(|c| format!("{:>14}", amount(*c)))
        .collect();
    let _ = writeln!(out, "{label:<58}{} {:>15}", cols.join(""), amount(y.total));
}

fn only_f(out: &mut String, label: &str, d: Decimal) {
    let _ = writeln!(out, "{label:<58}{:>70} {:>15}", "", amount(d));
}

fn test_line(out: &mut String, t: &SupportTest, what: &str, cur: &str) {
    let _ = writeln!(out, "{:<4} {}", t.line, test_sentence(t, what, cur));
}

/// "33 1/3% support test, 2024 (1/3): PASS — public support is $12.00 above 1/3".
#[must_use]
pub fn test_sentence(t: &SupportTest, what: &str, cur: &str) -> String {
    let verdict = match t.pass {
        Some(true) => "PASS",
        Some(false) => "fail",
        None => "not known",
    };
    let mut line = format!("{what} ({}): {verdict}", t.threshold);
    if let Some(s) = t.surplus {
        let _ = write!(
            line,
            " — public support is {cur}{} above {}",
            amount(s),
            t.threshold
        );
    }
    if let Some(s) = t.shortfall {
        let _ = write!(
            line,
            " — a further {cur}{} of small-donor support would reach {}",
            amount(s),
            t.threshold
        );
    }
    line
}

/// Renders the schedule. `currency` prefixes money in the tests' sentences.
#[must_use]
pub fn render(s: &Schedule, currency: Option<&str>) -> String {
    let cur = match currency {
        Some("USD") => "$".to_string(),
        Some(c) => format!("{c} "),
        None => String::new(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Schedule A (Form 990), Part II — support schedule for organizations described in 170(b)(1)(A)(vi)\nTax year {} (column (e)); amounts in {}",
        s.tax_year,
        currency.unwrap_or("the ledger's currency (it names none)")
    );
    let heads: Vec<String> = s
        .columns
        .iter()
        .zip(["(a)", "(b)", "(c)", "(d)", "(e)"])
        .map(|(c, l)| format!("{:>14}", format!("{l} {}", c.tax_year)))
        .collect();
    let _ = writeln!(
        out,
        "{:<58}{} {:>15}",
        "Section A. Public Support",
        heads.join(""),
        "(f) Total"
    );
    row(
        &mut out,
        "1  Gifts, grants, contributions and membership fees",
        &s.line1,
    );
    row(
        &mut out,
        "2  Tax revenues levied for the organization's benefit",
        &s.line2,
    );
    row(
        &mut out,
        "3  Services or facilities furnished by a governmental unit",
        &s.line3,
    );
    row(&mut out, "4  Total. Add lines 1 through 3", &s.line4);
    only_f(
        &mut out,
        "5  Contributions by each person over 2% of line 11(f)",
        s.line5,
    );
    only_f(
        &mut out,
        "6  Public support. Subtract line 5 from line 4",
        s.line6,
    );
    let _ = writeln!(out, "Section B. Total Support");
    row(&mut out, "7  Amounts from line 4", &s.line7);
    row(
        &mut out,
        "8  Gross income from interest, dividends, rents, royalties",
        &s.line8,
    );
    row(
        &mut out,
        "9  Net income from unrelated business activities",
        &s.line9,
    );
    row(&mut out, "10 Other income", &s.line10);
    row(
        &mut out,
        "11 Total support. Add lines 7 through 10",
        &s.line11,
    );
    row(
        &mut out,
        "12 Gross receipts from related activities (not in line 11)",
        &s.line12,
    );
    let _ = writeln!(out, "Section C. Computation of Public Support Percentage");
    let _ = writeln!(
        out,
        "14 Public support percentage for {} (line 6(f) / line 11(f)): {}",
        s.tax_year,
        pct(s.line14)
    );
    let _ = writeln!(
        out,
        "15 Public support percentage from {} Schedule A, Part II: {}",
        s.tax_year - 1,
        s.line15.map_or_else(
            || "not given (use --prior-percentage)".to_string(),
            |p| pct(Some(p))
        )
    );
    test_line(
        &mut out,
        &s.test_16a,
        &format!("33 1/3% support test, {}", s.tax_year),
        &cur,
    );
    test_line(
        &mut out,
        &s.test_16b,
        &format!("33 1/3% support test, {}", s.tax_year - 1),
        &cur,
    );
    test_line(
        &mut out,
        &s.test_17a,
        &format!("10% facts-and-circumstances test, {}", s.tax_year),
        &cur,
    );
    test_line(
        &mut out,
        &s.test_17b,
        &format!("10% facts-and-circumstances test, {}", s.tax_year - 1),
        &cur,
    );
    let _ = writeln!(out, "Verdict: {}", verdict(s));
    let _ = writeln!(
        out,
        "\nLine 5: each donor's five-year gifts against the 2% limit ({}{})",
        cur,
        amount(s.limit)
    );
    for d in &s.donors {
        let note = if d.unlimited {
            "  (governmental unit or public charity: not limited)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {:<44} {:>15} excess {:>15}{note}",
            d.name,
            amount(d.total),
            amount(d.excess)
        );
    }
    if !s.unusual_grants.is_zero() {
        let _ = writeln!(
            out,
            "Unusual grants left out of line 1: {}{}",
            cur,
            amount(s.unusual_grants)
        );
    }
    if !s.years_without_data.is_empty() {
        let years: Vec<String> = s.years_without_data.iter().map(i32::to_string).collect();
        let _ = writeln!(
            out,
            "Fewer than five years of data: the ledger has no rows for tax year(s) {}; those columns are zero.",
            years.join(", ")
        );
    }
    out
}

/// The schedule as JSON: `{"schema_version": 1, "currency": …, "public_support": {…}}`.
#[must_use]
pub fn json(s: &Schedule, currency: Option<&str>) -> String {
    let value = serde_json::json!({
        "schema_version": 1,
        "currency": currency,
        "public_support": s,
    });
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}
