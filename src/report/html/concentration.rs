//! Concentration: how much rides on a few funders. The band and the test that put the
//! organisation in it, the headline indices with what each means, the top funders table, and
//! a Pareto chart (each funder's share with the running total of the funders above it).

use rust_decimal::Decimal;
use serde::Serialize;

use super::format::{category_name, category_phrase, count, num, pct, pct_whole};
use super::view::{Band, Chart, Table};
use crate::analysis::{Analysis, FunderRow};
use crate::ledger::Category;
use crate::metrics::{round_sig, ConcentrationBand, ConcentrationThresholds, Metrics};
use crate::report::money_display;

/// How many funders the table and the chart name.
pub const TOP: usize = 10;

/// One headline number with what it means.
#[derive(Debug, Serialize)]
pub struct Figure {
    pub label: String,
    pub value: String,
    pub note: String,
}

#[derive(Debug, Serialize)]
pub struct ConcentrationView {
    pub band: Band,
    /// Why the band is what it is, as a sentence.
    pub reason: String,
    pub figures: Vec<Figure>,
    pub table: Table,
    pub chart: Option<Chart>,
    /// Funders whose net was zero or negative, left out of every share.
    pub left_out: Vec<String>,
}

#[must_use]
pub fn band(b: Option<ConcentrationBand>) -> Band {
    match b {
        None => Band::undefined(),
        Some(b) => Band::new(
            b.as_str(),
            match b {
                ConcentrationBand::Low => 1,
                ConcentrationBand::Moderate => 2,
                ConcentrationBand::High => 3,
                ConcentrationBand::Severe => 4,
            },
        ),
    }
}

/// The largest category and its share, ties going to the first in canonical order.
#[must_use]
pub fn largest_category(m: &Metrics) -> Option<(Category, f64)> {
    m.category_shares
        .iter()
        .filter_map(|(c, s)| s.map(|s| (*c, s)))
        .fold(None, |best, (c, s)| match best {
            Some((_, b)) if b >= s => best,
            _ => Some((c, s)),
        })
}

/// The test that decided the concentration band.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Trigger {
    /// The largest funder's share is above `line`.
    Funder { line: f64 },
    /// One kind of funder's share is above `line`.
    Category {
        category: Category,
        share: f64,
        line: f64,
    },
    /// The funders' HHI is above the moderate line.
    Hhi,
    /// No test passed.
    Low,
}

/// Which test put the ledger in its band: the same tests, in the same order and on the same
/// rounded values, as [`ConcentrationBand::classify`]. `None` when the band is undefined.
#[must_use]
pub fn trigger(m: &Metrics, t: &ConcentrationThresholds) -> Option<Trigger> {
    let (Some(top1), Some((category, share)), Some(hhi)) =
        (m.top1_share, largest_category(m), m.hhi_funders)
    else {
        return None;
    };
    let (top1, cat, hhi) = (round_sig(top1), round_sig(share), round_sig(hhi));
    let by_category = |line| Trigger::Category {
        category,
        share,
        line,
    };
    Some(if top1 > t.severe_top1 {
        Trigger::Funder {
            line: t.severe_top1,
        }
    } else if cat > t.severe_category {
        by_category(t.severe_category)
    } else if top1 > t.high_top1 {
        Trigger::Funder { line: t.high_top1 }
    } else if cat > t.high_category {
        by_category(t.high_category)
    } else if top1 > t.moderate_top1 {
        Trigger::Funder {
            line: t.moderate_top1,
        }
    } else if hhi > t.moderate_hhi {
        Trigger::Hhi
    } else {
        Trigger::Low
    })
}

/// The sentence that says which test put the ledger in its band.
#[must_use]
pub fn reason(m: &Metrics, t: &ConcentrationThresholds) -> String {
    let Some(trigger) = trigger(m, t) else {
        return "There is no positive income, so concentration is undefined.".to_string();
    };
    let why = match trigger {
        Trigger::Funder { line } => format!(
            "the largest funder{} provides {} of income, more than {}",
            m.largest_funder
                .as_ref()
                .map_or(String::new(), |f| format!(" ({})", f.name)),
            pct(m.top1_share),
            pct_whole(Some(line))
        ),
        Trigger::Category {
            category,
            share,
            line,
        } => format!(
            "{} provides {} of income, more than {}",
            category_phrase(category),
            pct(Some(share)),
            pct_whole(Some(line))
        ),
        Trigger::Hhi => format!(
            "the funders' HHI is {}, above {}",
            num(m.hhi_funders, 3),
            num(Some(t.moderate_hhi), 2)
        ),
        Trigger::Low => format!(
            "no funder provides more than {}, no kind of funder more than {}, and the HHI is {} (the line is {})",
            pct_whole(Some(t.moderate_top1)),
            pct_whole(Some(t.high_category)),
            num(m.hhi_funders, 3),
            num(Some(t.moderate_hhi), 2)
        ),
    };
    let word = m
        .concentration_band
        .map_or("undefined", ConcentrationBand::as_str);
    format!("Concentration is {word} because {why}.")
}

#[must_use]
pub fn build(a: &Analysis) -> ConcentrationView {
    let m = &a.overall;
    let t = &a.settings.bands.concentration;
    let figures = vec![
        Figure {
            label: "Largest funder".into(),
            value: pct(m.top1_share),
            note: m
                .largest_funder
                .as_ref()
                .map_or_else(|| "no identified funder".to_string(), |f| f.name.clone()),
        },
        Figure {
            label: "Three largest funders".into(),
            value: pct(m.top3_share),
            note: "together".into(),
        },
        Figure {
            label: "Effective number of funders".into(),
            value: num(m.effective_funders, 1),
            note: m.effective_funders.map_or_else(
                || "undefined: no identified funder".to_string(),
                |e| {
                    format!(
                        "income is as concentrated as if it came from {} equal funders",
                        num(Some(e), 1)
                    )
                },
            ),
        },
        Figure {
            label: "HHI across funders".into(),
            value: num(m.hhi_funders, 3),
            note: format!(
                "from 0 (spread thinly) to 1 (one funder); above {} counts as concentrated",
                num(Some(t.moderate_hhi), 2)
            ),
        },
        Figure {
            label: "Identified funders".into(),
            value: m.funder_count.to_string(),
            note: match m.dispersed_share {
                Some(d) if d > 0.0 => {
                    format!("plus {} of income from many small givers", pct(Some(d)))
                }
                _ => "no income from many small givers".to_string(),
            },
        },
        Figure {
            label: "Gini among funders".into(),
            value: num(m.gini_funders, 2),
            note: "0 when every funder gives the same; near 1 when one gives nearly all".into(),
        },
    ];
    let left_out = a
        .funders
        .iter()
        .filter(|f| f.share.share.is_none())
        .map(|f| {
            format!(
                "{} ({}): net {}",
                f.share.name,
                category_phrase(f.share.category),
                money_display(f.share.total, a.ledger.currency.as_deref())
            )
        })
        .collect();
    ConcentrationView {
        band: band(m.concentration_band),
        reason: reason(m, t),
        figures,
        table: table(a),
        chart: super::pareto::chart(a),
        left_out,
    }
}

/// Funders in the share base, largest first.
pub(super) fn ranked(a: &Analysis) -> Vec<&FunderRow> {
    a.funders
        .iter()
        .filter(|f| f.share.share.is_some())
        .collect()
}

fn table(a: &Analysis) -> Table {
    let cur = a.ledger.currency.as_deref();
    let funders = ranked(a);
    let mut running = 0.0;
    let mut rows: Vec<Vec<String>> = funders
        .iter()
        .take(TOP)
        .enumerate()
        .map(|(i, f)| {
            running += f.share.share.unwrap_or(0.0);
            vec![
                (i + 1).to_string(),
                f.share.name.clone(),
                category_name(f.share.category).to_string(),
                money_display(f.share.total, None),
                pct(f.share.share),
                pct(Some(running)),
                pct(f.share.restricted_share),
            ]
        })
        .collect();
    let rest: Vec<&&FunderRow> = funders.iter().skip(TOP).collect();
    if !rest.is_empty() {
        let total: Decimal = rest.iter().map(|f| f.share.total).sum();
        let share: f64 = rest.iter().filter_map(|f| f.share.share).sum();
        running += share;
        rows.push(vec![
            String::new(),
            count(rest.len(), "more funder", "more funders"),
            "\u{2014}".into(),
            money_display(total, None),
            pct(Some(share)),
            pct(Some(running)),
            "\u{2014}".into(),
        ]);
    }
    let named: Decimal = funders.iter().map(|f| f.share.total).sum();
    let pooled = a.overall.share_base - named;
    if pooled > Decimal::ZERO {
        rows.push(vec![
            String::new(),
            "Many small givers (not named)".into(),
            "\u{2014}".into(),
            money_display(pooled, None),
            pct(a.overall.dispersed_share),
            pct(a.overall.share_base.is_sign_positive().then_some(1.0)),
            "\u{2014}".into(),
        ]);
    }
    Table {
        caption: format!(
            "Largest funders{}",
            cur.map_or(String::new(), |c| format!(", {c}"))
        ),
        head: [
            "#",
            "Funder",
            "Type",
            "Income",
            "Share",
            "Running total",
            "Restricted",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![true, false, false, true, true, true, true],
        rows,
        foot: Some(vec![
            String::new(),
            "All income in the shares".into(),
            String::new(),
            money_display(a.overall.share_base, None),
            pct(a.overall.share_base.is_sign_positive().then_some(1.0)),
            String::new(),
            pct(a.overall.restricted_share),
        ]),
    }
}
