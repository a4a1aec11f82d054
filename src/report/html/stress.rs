//! Stress tests and trends: what is left if the largest funder or the largest kind of funder
//! stops, the runway when spending and reserves are given, and how income, the community share
//! and the funders changed from year to year (volatility, retention, funders gained and lost).

use serde::Serialize;

use super::format::{
    and_list, category_named, category_phrase, count, num, pct, pct_whole, signed_pct,
};
use super::view::Table;
use crate::analysis::Analysis;
use crate::metrics::{LossScenario, Turnover};
use crate::report::money_display;

#[derive(Debug, Serialize)]
pub struct StressView {
    pub summary: Vec<String>,
    pub scenarios: Table,
    pub runway_note: String,
    pub years: Option<Table>,
    pub trends: Vec<String>,
}

/// A category's phrase from its canonical name, or the name itself.
fn lost_category(name: &str) -> String {
    category_named(name).map_or_else(|| name.to_string(), |c| category_phrase(c).to_string())
}

/// "If Northshire County Council stopped, 54% of FY2025's income would remain." (the latest
/// fiscal year when the ledger has several).
#[must_use]
pub fn scenario_sentence(s: &LossScenario, is_category: bool, a: &Analysis) -> String {
    let who = if is_category {
        format!("all income from {}", lost_category(&s.lost))
    } else {
        s.lost.clone()
    };
    let income = match a.years.last() {
        Some(y) if a.years.len() > 1 => format!("{}'s income", y.label),
        _ => "income".to_string(),
    };
    format!(
        "If {who} stopped, {} of {income} would remain.",
        pct_whole(s.remaining_share)
    )
}

#[must_use]
pub fn build(a: &Analysis) -> StressView {
    let st = &a.stress;
    let cur = a.ledger.currency.as_deref();
    let mut summary = Vec::new();
    let mut rows = Vec::new();
    let runway_set = st.annual_expenditure.is_some() && st.reserves.is_some();
    for (s, is_category) in [(&st.largest_funder, false), (&st.largest_category, true)] {
        let Some(s) = s else { continue };
        summary.push(scenario_sentence(s, is_category, a));
        let runway = match (s.covered, s.runway_months) {
            (Some(true), _) => "income left still covers spending".to_string(),
            (Some(false), Some(m)) => format!("reserves last {} months", num(Some(m), 1)),
            (Some(false), None) => "spending not covered; no reserves given".to_string(),
            (None, _) => "not assessed".to_string(),
        };
        rows.push(vec![
            if is_category {
                format!("All {} stops", lost_category(&s.lost))
            } else {
                format!("{} stops", s.lost)
            },
            money_display(s.lost_income, None),
            money_display(s.remaining_income, None),
            pct(s.remaining_share),
            runway,
        ]);
    }
    if summary.is_empty() {
        summary.push("There is no positive income, so there is nothing to stress.".into());
    }
    let mut runway_note = if runway_set {
        format!(
            "Runway uses annual spending of {} and reserves of {} from the settings file: months the reserves would cover the shortfall. It ignores cost cuts, replacement funding and timing.",
            st.annual_expenditure.map_or_else(String::new, |v| money_display(v, cur)),
            st.reserves.map_or_else(String::new, |v| money_display(v, cur)),
        )
    } else {
        "Runway is not assessed: set annual_expenditure and reserves under [stress] in fundrisk.toml to see how many months reserves would cover the gap.".to_string()
    };
    let period = a
        .years
        .last()
        .map_or_else(|| "the whole ledger".to_string(), |y| y.label.clone());
    if a.years.len() > 1 {
        runway_note.push_str(&format!(
            " The scenarios use the latest fiscal year, {period}: a year's income against a year's spending."
        ));
    }
    let scenarios = Table {
        caption: format!(
            "Loss scenarios in {period}{}",
            cur.map_or(String::new(), |c| format!(", {c}"))
        ),
        head: [
            "Scenario",
            "Income lost",
            "Income left",
            "Share left",
            "Runway",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, true, false],
        rows,
        foot: None,
    };
    StressView {
        summary,
        scenarios,
        runway_note,
        years: years_table(a),
        trends: trends(a),
    }
}

fn years_table(a: &Analysis) -> Option<Table> {
    if a.years.is_empty() {
        return None;
    }
    let cur = a.ledger.currency.as_deref();
    let rows = a
        .years
        .iter()
        .enumerate()
        .map(|(i, y)| {
            let change = i
                .checked_sub(1)
                .and_then(|p| a.trends.changes.get(p))
                .filter(|c| c.to == y.label);
            vec![
                y.label.clone(),
                money_display(y.metrics.total, None),
                change.map_or_else(
                    || "\u{2014}".to_string(),
                    |c| signed_pct(c.total_change_relative),
                ),
                pct(y.metrics.community_share),
                pct(y.metrics.top1_share),
                y.metrics.funder_count.to_string(),
            ]
        })
        .collect();
    Some(Table {
        caption: format!(
            "Fiscal years{}",
            cur.map_or(String::new(), |c| format!(", {c}"))
        ),
        head: [
            "Fiscal year",
            "Income",
            "Change",
            "Community share",
            "Largest funder",
            "Funders",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, true, true, true],
        rows,
        foot: None,
    })
}

fn names(a: &Analysis, t: &Turnover) -> String {
    let mut shown: Vec<String> = t
        .keys
        .iter()
        .take(10)
        .map(|k| {
            // Trends list funders by display name today; accept a key too. Never print the
            // raw value: a key can hold a private individual's name.
            a.funders
                .iter()
                .find(|f| &f.share.key == k)
                .or_else(|| a.funders.iter().find(|f| &f.share.name == k))
                .map_or_else(|| "an unnamed funder".to_string(), |f| f.share.name.clone())
        })
        .collect();
    if t.keys.len() > 10 {
        shown.push(count(t.keys.len() - 10, "other", "others"));
    }
    and_list(&shown)
}

fn trends(a: &Analysis) -> Vec<String> {
    let t = &a.trends;
    let mut out = Vec::new();
    match t.total_cv {
        Some(cv) => out.push(format!(
            "Yearly income varies by {} around its average from year to year (the coefficient of variation).",
            pct(Some(cv))
        )),
        None => out.push("Volatility needs at least two fiscal years with income.".into()),
    }
    if let (Some(prev), Some(latest)) = (&t.previous_year, &t.latest_year) {
        let before = a
            .years
            .iter()
            .find(|y| &y.label == prev)
            .map_or(0, |y| y.metrics.funder_count);
        let lost = t.lost_funders.as_ref().map_or(0, |l| l.count);
        if before > 0 {
            out.push(format!(
                "{} of the {} who gave in {prev} gave again in {latest} (retention {}).",
                before.saturating_sub(lost),
                count(before, "funder", "funders"),
                pct(t.funder_retention)
            ));
        } else {
            out.push(format!(
                "No identified funder gave in {prev}, so retention is undefined."
            ));
        }
        if let Some(n) = t.new_funders.as_ref().filter(|n| n.count > 0) {
            out.push(format!("New in {latest}: {}.", names(a, n)));
        }
        if let Some(l) = t.lost_funders.as_ref().filter(|l| l.count > 0) {
            out.push(format!(
                "Gave in {prev} but not in {latest}: {}.",
                names(a, l)
            ));
        }
    }
    out
}
