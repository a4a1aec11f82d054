//! Alignment: what drives the index. Each funder's and each pool's contribution to
//! A = Σ s · w · (u + (1 − u) · ρ) is worked out here, so the report can say which funders and
//! which kinds of funder make the index what it is; with restricted and unrestricted income and
//! the exposure to funders the organisation's advocacy targets.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::format::{and_list, category_name, count, num, pct, pct_whole};
use super::view::{Band, Chart, Table};
use super::ReportOptions;
use crate::analysis::Analysis;
use crate::ledger::Category;
use crate::metrics::{ratio, AlignmentBand};
use crate::report::money_display;

/// One part of the share base and what it adds to the alignment index.
#[derive(Debug, Clone, PartialEq)]
pub struct Contribution {
    /// Display name (a funder's, or "Many small … givers" for a pool).
    pub name: String,
    pub category: Category,
    /// s: share of the base.
    pub share: f64,
    /// ρ: restricted fraction.
    pub restricted: f64,
    /// w(category).
    pub weight: f64,
    /// s · w · (u + (1 − u) · ρ).
    pub points: f64,
}

/// Every funder's and pool's contribution, largest first. They add up to the alignment index.
#[must_use]
pub fn contributions(a: &Analysis) -> Vec<Contribution> {
    let u = a.settings.alignment.unrestricted_multiplier;
    let part = |name: String, category: Category, share: f64, restricted: f64| {
        let weight = a.settings.weights.of(category);
        Contribution {
            name,
            category,
            share,
            restricted,
            weight,
            points: share * weight * (u + (1.0 - u) * restricted),
        }
    };
    let mut out: Vec<Contribution> = a
        .funders
        .iter()
        .filter_map(|f| {
            Some(part(
                f.share.name.clone(),
                f.share.category,
                f.share.share?,
                f.share.restricted_share?,
            ))
        })
        .collect();
    // Pools: the entries classified to no funder, by category, as the aggregation counts them
    // (a row that does not say whether it is restricted counts as restricted).
    let mut pools: BTreeMap<Category, (Decimal, Decimal)> = BTreeMap::new();
    for ((e, f), c) in a
        .ledger
        .entries
        .iter()
        .zip(&a.classes.entry_funder)
        .zip(&a.classes.entry_category)
    {
        if f.is_none() {
            let slot = pools.entry(*c).or_default();
            slot.0 += e.amount;
            if e.restricted != Some(false) {
                slot.1 += e.amount;
            }
        }
    }
    for (c, (net, restricted)) in pools {
        if net <= Decimal::ZERO {
            continue;
        }
        let (Some(share), Some(rho)) = (
            ratio(net, a.overall.share_base),
            ratio(restricted.clamp(Decimal::ZERO, net), net),
        ) else {
            continue;
        };
        out.push(part(pool_name(c), c, share, rho));
    }
    out.sort_by(|x, y| {
        y.points
            .total_cmp(&x.points)
            .then_with(|| x.name.cmp(&y.name))
    });
    out
}

fn pool_name(c: Category) -> String {
    match c {
        Category::Community => "Many small community givers".to_string(),
        Category::Crowdsourced => "Many small crowdfunding givers".to_string(),
        other => format!(
            "Many small givers ({})",
            category_name(other).to_lowercase()
        ),
    }
}

#[must_use]
pub fn band(b: Option<AlignmentBand>) -> Band {
    match b {
        None => Band::undefined(),
        Some(b) => Band::new(
            b.as_str(),
            match b {
                AlignmentBand::Independent => 1,
                AlignmentBand::SomeLatitude => 2,
                AlignmentBand::Constrained => 3,
                AlignmentBand::HighlyConstrained => 4,
            },
        ),
    }
}

/// Government + foundation + corporate share: the sources that usually expect alignment.
#[must_use]
pub fn expecting_share(a: &Analysis) -> Option<f64> {
    let parts = [
        Category::Government,
        Category::Foundation,
        Category::Corporate,
    ]
    .map(|c| a.category_share(c));
    parts.iter().try_fold(0.0, |acc, s| s.map(|s| acc + s))
}

#[derive(Debug, Serialize)]
pub struct AlignmentView {
    pub index: String,
    pub band: Band,
    pub summary: Vec<String>,
    pub chart: Option<Chart>,
    pub drivers: Table,
    pub restricted: Vec<String>,
    pub advocacy_value: String,
    pub advocacy: String,
}

#[must_use]
pub fn build(a: &Analysis, opts: &ReportOptions) -> AlignmentView {
    let m = &a.overall;
    let parts = contributions(a);
    let mut summary = Vec::new();
    if let Some(idx) = m.alignment_index {
        summary.push(format!(
            "The alignment index is {} on a scale from 0 (no funder expects anything) to 1 (all income fully restricted from funders that expect full alignment): {}.",
            num(Some(idx), 2),
            m.alignment_band.map_or("undefined", AlignmentBand::as_str)
        ));
        if let Some(top) = parts.first().filter(|_| idx > 0.0) {
            summary.push(format!(
                "{} contributes most: {} of the {} ({} of the index).",
                top.name,
                num(Some(top.points), 2),
                num(Some(idx), 2),
                pct_whole(Some(top.points / idx))
            ));
        }
        summary.push(format!(
            "{} of income comes from government, foundations and companies, the sources that usually expect alignment with their objectives.",
            pct_whole(expecting_share(a))
        ));
    } else {
        summary.push("There is no positive income, so the alignment index is undefined.".into());
    }
    AlignmentView {
        index: num(m.alignment_index, 2),
        band: band(m.alignment_band),
        summary,
        chart: m
            .alignment_index
            .map(|idx| super::alignment_chart::chart(a, &parts, idx)),
        drivers: drivers(&parts, m.alignment_index),
        restricted: restricted(a),
        advocacy_value: if opts.register_given {
            pct(m.advocacy_exposure)
        } else {
            "not assessed".to_string()
        },
        advocacy: advocacy(a, opts),
    }
}

fn drivers(parts: &[Contribution], index: Option<f64>) -> Table {
    let rows = parts
        .iter()
        .take(8)
        .map(|p| {
            vec![
                p.name.clone(),
                category_name(p.category).to_string(),
                pct(Some(p.share)),
                pct(Some(p.restricted)),
                num(Some(p.weight), 2),
                num(Some(p.points), 3),
                pct(index.filter(|i| *i > 0.0).map(|i| p.points / i)),
            ]
        })
        .collect();
    Table {
        caption: "What drives the alignment index: the largest contributions".into(),
        head: [
            "Funder",
            "Type",
            "Share of income",
            "Restricted",
            "Weight",
            "Adds to the index",
            "Part of the index",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, false, true, true, true, true, true],
        rows,
        foot: index.map(|i| {
            vec![
                "Alignment index".into(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                num(Some(i), 3),
                "100.0%".into(),
            ]
        }),
    }
}

fn restricted(a: &Analysis) -> Vec<String> {
    let cur = a.ledger.currency.as_deref();
    let (mut yes, mut no, mut unknown, mut unknown_rows) =
        (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO, 0usize);
    for e in &a.ledger.entries {
        match e.restricted {
            Some(true) => yes += e.amount,
            Some(false) => no += e.amount,
            None => {
                unknown += e.amount;
                unknown_rows += 1;
            }
        }
    }
    if yes.is_zero() && no.is_zero() && unknown_rows > 0 {
        return vec![
            "The ledger does not say which income is restricted, so all of it counts as restricted (it must be spent as the funder says): the cautious reading. A Restricted column in the ledger would make the alignment index more precise.".to_string(),
        ];
    }
    let mut out = vec![format!(
        "{} of income is restricted (it must be spent as the funder says) or does not say; {} is unrestricted.",
        pct(a.overall.restricted_share),
        pct(a.overall.restricted_share.map(|r| 1.0 - r))
    )];
    out.push(format!(
        "In the ledger's rows: {} marked restricted, {} marked unrestricted, and {} in {} that do not say. Rows that do not say are counted as restricted, the cautious reading.",
        money_display(yes, cur),
        money_display(no, cur),
        money_display(unknown, cur),
        count(unknown_rows, "row", "rows")
    ));
    out
}

fn advocacy(a: &Analysis, opts: &ReportOptions) -> String {
    let targets: Vec<String> = a
        .funders
        .iter()
        .filter(|row| {
            a.classes.funders.iter().any(|f| {
                f.key == row.share.key && f.register.as_ref().is_some_and(|r| r.advocacy_target)
            })
        })
        .map(|row| row.share.name.clone())
        .collect();
    if !targets.is_empty() {
        return format!(
            "{} of income comes from funders the organisation's advocacy targets ({}). That is the income most at risk when the organisation criticises those who fund it.",
            pct(a.overall.advocacy_exposure),
            and_list(&targets)
        );
    }
    if opts.register_given {
        "No funder in the funders register is marked as a target of the organisation's advocacy, so none of the income is counted as exposed.".to_string()
    } else {
        "Not assessed: no funders register was given. Mark the funders the organisation campaigns against with advocacy_target in a register and pass it with --funders.".to_string()
    }
}
