//! The US public support section (`report --year YYYY`): Form 990 Schedule A Part II laid out
//! as the form is, the 33⅓% and 10% tests as sentences with the margin in money, and each
//! donor's excess over the 2% limit.

use serde::Serialize;

use super::view::Table;
use crate::public_support::{Schedule, Years};
use crate::report::public_support::{amount, pct, test_sentence, verdict};

#[derive(Debug, Serialize)]
pub struct PublicSupportView {
    pub tax_year: i32,
    pub summary: Vec<String>,
    pub schedule: Table,
    pub tests: Vec<String>,
    pub donors: Option<Table>,
    pub notes: Vec<String>,
}

fn years_row(label: &str, y: &Years) -> Vec<String> {
    let mut row = vec![label.to_string()];
    row.extend(y.columns.iter().map(|c| amount(*c)));
    row.push(amount(y.total));
    row
}

fn total_only(label: &str, d: rust_decimal::Decimal) -> Vec<String> {
    let mut row = vec![label.to_string()];
    row.extend(std::iter::repeat_n(String::new(), 5));
    row.push(amount(d));
    row
}

/// Donors shown by name in the table: the largest, and every one with an excess.
const DONORS_SHOWN: usize = 15;

#[must_use]
pub fn build(s: &Schedule, currency: Option<&str>) -> PublicSupportView {
    let cur = match currency {
        Some("USD") => "$".to_string(),
        Some(c) => format!("{c} "),
        None => String::new(),
    };
    let mut summary = vec![format!(
        "Public support for tax year {} is {} of total support (line 14: line 6, public support, over line 11, total support, across the five years {} to {}).",
        s.tax_year,
        pct(s.line14),
        s.tax_year - 4,
        s.tax_year
    )];
    summary.push(verdict(s));
    let mut head = vec!["Line".to_string()];
    head.extend(
        s.columns
            .iter()
            .zip(["(a)", "(b)", "(c)", "(d)", "(e)"])
            .map(|(c, l)| format!("{l} {}", c.tax_year)),
    );
    head.push("(f) Total".into());
    let rows = vec![
        years_row("1 Gifts, grants, contributions, membership fees", &s.line1),
        years_row("2 Tax revenues levied for the organisation", &s.line2),
        years_row(
            "3 Services or facilities from a governmental unit",
            &s.line3,
        ),
        years_row("4 Total (lines 1–3)", &s.line4),
        total_only("5 Each person's gifts over 2% of line 11(f)", s.line5),
        total_only("6 Public support (line 4 less line 5)", s.line6),
        years_row("7 Amounts from line 4", &s.line7),
        years_row("8 Interest, dividends, rents, royalties", &s.line8),
        years_row("9 Net unrelated business income", &s.line9),
        years_row("10 Other income", &s.line10),
        years_row("11 Total support (lines 7–10)", &s.line11),
        years_row("12 Gross receipts from related activities", &s.line12),
    ];
    let schedule = Table {
        caption: format!(
            "Schedule A (Form 990) Part II, tax year {}{}",
            s.tax_year,
            currency.map_or(String::new(), |c| format!(", {c}"))
        ),
        numeric: std::iter::once(false)
            .chain(std::iter::repeat_n(true, 6))
            .collect(),
        head,
        rows,
        foot: None,
    };
    let tests = vec![
        format!(
            "Line 14, public support percentage for {}: {}.",
            s.tax_year,
            pct(s.line14)
        ),
        format!(
            "Line 15, the percentage from {}'s schedule: {}.",
            s.tax_year - 1,
            s.line15.map_or_else(
                || "not given (report --prior-percentage P)".to_string(),
                |p| pct(Some(p))
            )
        ),
        format!(
            "16a. {}.",
            test_sentence(&s.test_16a, &format!("33⅓% test, {}", s.tax_year), &cur)
        ),
        format!(
            "16b. {}.",
            test_sentence(&s.test_16b, &format!("33⅓% test, {}", s.tax_year - 1), &cur)
        ),
        format!(
            "17a. {}.",
            test_sentence(
                &s.test_17a,
                &format!("10% facts-and-circumstances test, {}", s.tax_year),
                &cur
            )
        ),
        format!(
            "17b. {}.",
            test_sentence(
                &s.test_17b,
                &format!("10% facts-and-circumstances test, {}", s.tax_year - 1),
                &cur
            )
        ),
    ];
    let shown: Vec<_> = s
        .donors
        .iter()
        .enumerate()
        .filter(|(i, d)| *i < DONORS_SHOWN || !d.excess.is_zero())
        .map(|(_, d)| d)
        .collect();
    let donors = (!shown.is_empty()).then(|| Table {
        caption: format!(
            "Line 5: each donor's five-year gifts against the 2% limit of {}{}",
            cur,
            amount(s.limit)
        ),
        head: [
            "Donor",
            "Five-year gifts",
            "Excess over the limit",
            "Limited",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, false],
        rows: shown
            .iter()
            .map(|d| {
                vec![
                    d.name.clone(),
                    amount(d.total),
                    amount(d.excess),
                    if d.unlimited {
                        "no: governmental unit or public charity".into()
                    } else {
                        "yes".into()
                    },
                ]
            })
            .collect(),
        foot: None,
    });
    let mut notes = Vec::new();
    if s.donors.len() > shown.len() {
        notes.push(format!(
            "{} smaller donors, none over the limit, are not listed.",
            s.donors.len() - shown.len()
        ));
    }
    if !s.unusual_grants.is_zero() {
        notes.push(format!(
            "Unusual grants left out of line 1: {cur}{}.",
            amount(s.unusual_grants)
        ));
    }
    if !s.years_without_data.is_empty() {
        let years: Vec<String> = s.years_without_data.iter().map(i32::to_string).collect();
        notes.push(format!(
            "Fewer than five years of data: the ledger has no rows for tax year(s) {}, so those columns are zero and the percentage may not be what the form will show.",
            years.join(", ")
        ));
    }
    notes.push("Which income feeds which line is set under [public_support] in fundrisk.toml; community giving and crowdfunding from unnamed givers count as many small gifts, none over the limit. fundrisk checks the percentages only: the facts-and-circumstances showing and the form itself are for the organisation's adviser.".to_string());
    PublicSupportView {
        tax_year: s.tax_year,
        summary,
        schedule,
        tests,
        donors,
        notes,
    }
}
