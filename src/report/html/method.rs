//! Methodology: every weight, multiplier and threshold in force, taken from the [`Settings`]
//! the analysis actually used (so a changed `fundrisk.toml` shows up here), with the reasoning
//! behind each default weight from `docs/methodology.md`.
//!
//! [`Settings`]: crate::metrics::Settings

use serde::Serialize;

use super::format::{category_name, num, pct_whole};
use super::view::{month_name, Table};
use super::ReportOptions;
use crate::analysis::Analysis;
use crate::ledger::Category;
use crate::metrics::Weights;
use crate::report::money_display;

#[derive(Debug, Serialize)]
pub struct MethodView {
    /// Where the settings came from.
    pub settings_source: String,
    pub weights: Table,
    /// True when any weight differs from the documented default.
    pub weights_changed: bool,
    pub u: String,
    /// 1 / u: how much more a fully restricted grant counts than an unrestricted one.
    pub restricted_factor: String,
    pub concentration_bands: Table,
    pub alignment_bands: Table,
    pub stress: String,
    pub reading: Vec<String>,
}

/// Why each kind of funder has its default weight (from docs/methodology.md).
#[must_use]
pub fn weight_reason(c: Category) -> &'static str {
    match c {
        Category::Government => "grants and contracts buy policy outcomes, with reporting, audit and terms the funder sets; public funders are also the most common target of advocacy",
        Category::Corporate => "sponsorship and CSR money serves brand, market and reputation; withdrawal after criticism is a familiar pattern",
        Category::Foundation => "programme strategies shape what is funded, but many foundations give core support and value independence",
        Category::Other => "sources that fit no category: the midpoint, claiming neither independence nor capture",
        Category::Unclassified => "category unknown: the midpoint rather than a guess; classify the funder to replace it",
        Category::Earned => "fees and sales: customers shape what is sold, but do not direct the mission",
        Category::Community => "members and local donors are the people the organisation serves; their pull is accountability, not capture",
        Category::Crowdsourced => "many small, mostly one-off online gifts; rarely conditional, and no single giver has leverage",
    }
}

#[must_use]
pub fn build(a: &Analysis, opts: &ReportOptions) -> MethodView {
    let s = &a.settings;
    let defaults = Weights::default();
    let mut order: Vec<Category> = Category::ALL.to_vec();
    order.sort_by(|x, y| s.weights.of(*y).total_cmp(&s.weights.of(*x)).then(x.cmp(y)));
    let weights = Table {
        caption: "Alignment weights in force".into(),
        head: ["Kind of funder", "Weight", "Why (for the default)"]
            .map(String::from)
            .to_vec(),
        numeric: vec![false, true, false],
        rows: order
            .iter()
            .map(|c| {
                let w = s.weights.of(*c);
                let changed = (w - defaults.of(*c)).abs() > f64::EPSILON;
                vec![
                    category_name(*c).to_string(),
                    if changed {
                        format!(
                            "{} (default {})",
                            num(Some(w), 2),
                            num(Some(defaults.of(*c)), 2)
                        )
                    } else {
                        num(Some(w), 2)
                    },
                    weight_reason(*c).to_string(),
                ]
            })
            .collect(),
        foot: None,
    };
    let weights_changed = Category::ALL
        .iter()
        .any(|c| (s.weights.of(*c) - defaults.of(*c)).abs() > f64::EPSILON);
    let u = s.alignment.unrestricted_multiplier;
    let c = &s.bands.concentration;
    let p = |x: f64| pct_whole(Some(x));
    let concentration_bands = Table {
        caption: "Concentration bands: the first test that passes wins".into(),
        head: ["Band", "Test"].map(String::from).to_vec(),
        numeric: vec![false, false],
        rows: vec![
            vec![
                "severe".into(),
                format!(
                    "the largest funder gives more than {}, or one kind of funder more than {}",
                    p(c.severe_top1),
                    p(c.severe_category)
                ),
            ],
            vec![
                "high".into(),
                format!(
                    "the largest funder gives more than {}, or one kind of funder more than {}",
                    p(c.high_top1),
                    p(c.high_category)
                ),
            ],
            vec![
                "moderate".into(),
                format!(
                    "the largest funder gives more than {}, or the funders' HHI is above {}",
                    p(c.moderate_top1),
                    num(Some(c.moderate_hhi), 2)
                ),
            ],
            vec!["low".into(), "none of the above".into()],
        ],
        foot: None,
    };
    let t = &s.bands.alignment;
    let alignment_bands = Table {
        caption: "Alignment bands: each starts at its threshold".into(),
        head: ["Band", "Alignment index"].map(String::from).to_vec(),
        numeric: vec![false, false],
        rows: vec![
            vec![
                "highly constrained".into(),
                format!("{} or more", num(Some(t.highly_constrained), 2)),
            ],
            vec![
                "constrained".into(),
                format!(
                    "{} to below {}",
                    num(Some(t.constrained), 2),
                    num(Some(t.highly_constrained), 2)
                ),
            ],
            vec![
                "some latitude".into(),
                format!(
                    "{} to below {}",
                    num(Some(t.some_latitude), 2),
                    num(Some(t.constrained), 2)
                ),
            ],
            vec![
                "independent".into(),
                format!("below {}", num(Some(t.some_latitude), 2)),
            ],
        ],
        foot: None,
    };
    let cur = a.ledger.currency.as_deref();
    let stress = match (s.stress.annual_expenditure, s.stress.reserves) {
        (Some(x), Some(v)) => format!(
            "Annual spending {} and reserves {}.",
            money_display(x, cur),
            money_display(v, cur)
        ),
        (Some(x), None) => format!(
            "Annual spending {}; reserves not set, so no runway.",
            money_display(x, cur)
        ),
        (None, Some(v)) => format!(
            "Reserves {}; annual spending not set, so no runway.",
            money_display(v, cur)
        ),
        (None, None) => {
            "Annual spending and reserves are not set, so no runway is worked out.".into()
        }
    };
    let reading = vec![
        format!(
            "Fiscal years start in {} and are named by the year they end in.",
            month_name(a.ledger.fiscal_year_start)
        ),
        if opts.register_given {
            "Funders were classified with a funders register first, then the ledger's category column, organisation identifiers and keyword rules on names.".to_string()
        } else {
            "No funders register was given: funders were classified from the ledger's category column, organisation identifiers and keyword rules on names.".to_string()
        },
    ];
    MethodView {
        settings_source: opts.settings_source.clone().map_or_else(
            || "the built-in defaults (no settings file was read)".to_string(),
            |p| format!("the settings file {p}, over the built-in defaults"),
        ),
        weights,
        weights_changed,
        u: num(Some(u), 2),
        restricted_factor: if u > 0.0 {
            num(Some(1.0 / u), 2)
        } else {
            "undefined".into()
        },
        concentration_bands,
        alignment_bands,
        stress,
        reading,
    }
}
