//! Unit tests of the report: alignment contributions add up to the index, the date, and
//! escaping of funder names through the real templates.

use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::*;
use crate::analysis::analyse;
use crate::ledger::classify::ClassifyOptions;
use crate::ledger::{CellRef, Entry, Ledger};
use crate::metrics::Settings;

fn entry(row: u32, funder: &str, category: &str, amount: &str, restricted: Option<bool>) -> Entry {
    Entry {
        at: CellRef {
            source: 0,
            sheet: Some("Income".into()),
            col: 2,
            row,
        },
        date: NaiveDate::from_ymd_opt(2024, 5, 1),
        fiscal_year: 2024,
        amount: Decimal::from_str(amount).unwrap(),
        currency: Some("GBP".into()),
        funder: Some(funder.into()),
        funder_id: None,
        category: Some(category.into()),
        restricted,
        description: None,
    }
}

fn ledger(entries: Vec<Entry>) -> Ledger {
    Ledger {
        entries,
        currency: Some("GBP".into()),
        fiscal_year_start: 4,
        ..Ledger::default()
    }
}

fn sample() -> Ledger {
    ledger(vec![
        entry(
            2,
            "Westshire County Council",
            "government",
            "6000",
            Some(true),
        ),
        entry(3, "Westshire County Council", "government", "2000", None),
        entry(4, "Oak Trust", "foundation", "2000", Some(false)),
        entry(5, "Members", "community", "1500", Some(false)),
        entry(6, "Crowdfunder UK", "crowdsourced", "400", None),
        entry(7, "Jane Roe", "community", "100", Some(false)),
    ])
}

#[test]
fn contributions_add_up_to_the_alignment_index() {
    let a = analyse(
        sample(),
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let parts = contributions(&a);
    let sum: f64 = parts.iter().map(|p| p.points).sum();
    let index = a.overall.alignment_index.unwrap();
    assert!((sum - index).abs() < 1e-12, "{sum} vs {index}");
    assert_eq!(parts[0].name, "Westshire County Council");
    assert!(parts.iter().any(|p| p.name.starts_with("Many small")));
}

#[test]
fn generation_date_comes_from_source_date_epoch() {
    assert_eq!(generation_date(Some("0")).unwrap(), "1970-01-01");
    assert_eq!(generation_date(Some("1700000000")).unwrap(), "2023-11-14");
    assert!(generation_date(Some("yesterday")).is_err());
}

#[test]
fn funder_names_are_text_not_markup() {
    let hostile = ledger(vec![
        entry(
            2,
            "<script>alert(1)</script>",
            "government",
            "500",
            Some(true),
        ),
        entry(
            3,
            "\"><img src=x onerror=alert(1)>",
            "corporate",
            "300",
            None,
        ),
    ]);
    let a = analyse(
        hostile,
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let html = render(&a, &ReportOptions::default()).unwrap().html;
    assert!(!html.contains("<script"), "no script element");
    assert!(!html.contains("<img"), "no img element");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
}

#[test]
fn private_individuals_are_not_named() {
    let a = analyse(
        sample(),
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let html = render(&a, &ReportOptions::default()).unwrap().html;
    assert!(!html.contains("Jane Roe"));
    let a = analyse(
        sample(),
        &ClassifyOptions::default(),
        Settings::default(),
        true,
    )
    .unwrap();
    let opts = ReportOptions {
        show_individuals: true,
        ..ReportOptions::default()
    };
    assert!(render(&a, &opts).unwrap().html.contains("Jane Roe"));
}

#[test]
fn an_empty_ledger_renders_with_undefined_values() {
    let a = analyse(
        ledger(Vec::new()),
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let r = render(&a, &ReportOptions::default()).unwrap();
    assert!(r.html.contains("undefined"));
    assert!(r.summary.contains("no positive income"));
}

#[test]
fn headline_sentences_follow_their_rules() {
    let a = analyse(
        sample(),
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let h = headline::build(&a, &ReportOptions::default());
    assert_eq!(
        h.sentences[0],
        "One funder \u{2014} Westshire County Council \u{2014} provides 67% of income."
    );
    // Government 8000 + foundation 2000 of a base of 12000.
    assert!(h.summary.ends_with(
        "83% of income comes from sources that usually expect alignment with their objectives (government, foundations and companies)."
    ));

    let spread: Vec<Entry> = (0..12)
        .map(|i| {
            entry(
                2 + i,
                &format!("Trust {i}"),
                "foundation",
                "100",
                Some(false),
            )
        })
        .collect();
    let a = analyse(
        ledger(spread),
        &ClassifyOptions::default(),
        Settings::default(),
        false,
    )
    .unwrap();
    let h = headline::build(&a, &ReportOptions::default());
    assert_eq!(
        h.sentences[0],
        "No single funder provides more than 8% of income; the largest is Trust 0."
    );
    // Twelve equal trusts: low funder concentration, but one kind of funder gives everything.
    assert_eq!(
        h.sentences[1],
        "One kind of funder \u{2014} foundations and trusts \u{2014} provides 100% of income."
    );
}
