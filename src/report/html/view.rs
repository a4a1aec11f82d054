//! The report's view model: one `Serialize` value holding every sentence, number (already
//! formatted) and chart the templates show. Built once from an [`Analysis`]; the templates
//! only lay it out.

use minijinja::Value;
use serde::Serialize;

use super::alignment::{self, AlignmentView};
use super::concentration::{self, ConcentrationView};
use super::headline::{self, Headline};
use super::method::{self, MethodView};
use super::mix::{self, MixView};
use super::peers::{self, PeersView};
use super::public_support::{self, PublicSupportView};
use super::quality::{self, QualityView};
use super::stress::{self, StressView};
use super::ReportOptions;
use crate::analysis::Analysis;

/// A chart drawn by the crate: inline SVG (already escaped, marked safe) and the table of the
/// numbers it shows.
#[derive(Debug, Serialize)]
pub struct Chart {
    pub id: String,
    /// Title above the chart (the same as the SVG's `<title>`).
    pub title: String,
    /// Caption under the chart.
    pub caption: String,
    pub svg: Value,
    /// The numbers behind the chart, when no table nearby already shows them.
    pub table: Option<Table>,
    /// Where the numbers are, when `table` is `None`.
    pub table_note: Option<String>,
}

impl Chart {
    #[must_use]
    pub fn new(id: &str, title: &str, caption: &str, svg: String, table: Table) -> Chart {
        Chart {
            id: id.to_string(),
            title: title.to_string(),
            caption: caption.to_string(),
            svg: Value::from_safe_string(svg),
            table: Some(table),
            table_note: None,
        }
    }
}

/// A table of text cells; `numeric[i]` right-aligns column `i`.
#[derive(Debug, Serialize, Default)]
pub struct Table {
    pub caption: String,
    pub head: Vec<String>,
    pub numeric: Vec<bool>,
    pub rows: Vec<Vec<String>>,
    /// A last row set apart (totals).
    pub foot: Option<Vec<String>>,
}

/// A band word and the CSS class that draws its badge.
#[derive(Debug, Serialize, Clone)]
pub struct Band {
    pub word: String,
    pub class: String,
}

impl Band {
    #[must_use]
    pub fn new(word: &str, level: u8) -> Band {
        Band {
            word: word.to_string(),
            class: format!("band band-{level}"),
        }
    }

    #[must_use]
    pub fn undefined() -> Band {
        Band {
            word: super::format::UNDEFINED.to_string(),
            class: "band band-none".to_string(),
        }
    }
}

/// Everything the report shows.
#[derive(Debug, Serialize)]
pub struct ReportView {
    /// `Funding risk report: northshire-food-bank.xlsx`.
    pub title: String,
    pub files: String,
    /// `2025-01-31`, or `None` with `--no-date`.
    pub generated: Option<String>,
    /// `FY2023 to FY2025 (fiscal years start in April)`.
    pub period: String,
    pub currency: String,
    pub headline: Headline,
    pub mix: MixView,
    pub concentration: ConcentrationView,
    pub alignment: AlignmentView,
    pub stress: StressView,
    /// Present with `report --peers`.
    pub peers: Option<PeersView>,
    /// Present with `report --year`.
    pub public_support: Option<PublicSupportView>,
    pub quality: QualityView,
    pub method: MethodView,
    /// The tool's name and version, for the footer.
    pub tool: String,
}

/// Builds the view model.
#[must_use]
pub fn build(a: &Analysis, opts: &ReportOptions) -> ReportView {
    let files: Vec<String> = a
        .ledger
        .inputs
        .iter()
        .map(|i| {
            std::path::Path::new(&i.path)
                .file_name()
                .map_or_else(|| i.path.clone(), |f| f.to_string_lossy().into_owned())
        })
        .collect();
    let files = super::format::and_list(&files);
    ReportView {
        title: format!("Funding risk report: {files}"),
        files,
        generated: opts.date.clone(),
        period: period(a),
        currency: a
            .ledger
            .currency
            .clone()
            .unwrap_or_else(|| "not stated in the ledger".to_string()),
        headline: headline::build(a, opts),
        mix: mix::build(a),
        concentration: concentration::build(a),
        alignment: alignment::build(a, opts),
        stress: stress::build(a),
        peers: opts.peers.as_ref().map(peers::build),
        public_support: opts
            .public_support
            .as_ref()
            .map(|s| public_support::build(s, a.ledger.currency.as_deref())),
        quality: quality::build(a, opts),
        method: method::build(a, opts),
        tool: format!("fundrisk {}", env!("CARGO_PKG_VERSION")),
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The month a fiscal year starts in, by name.
#[must_use]
pub fn month_name(m: u32) -> &'static str {
    usize::try_from(m)
        .ok()
        .and_then(|m| m.checked_sub(1))
        .and_then(|i| MONTHS.get(i))
        .copied()
        .unwrap_or("January")
}

fn period(a: &Analysis) -> String {
    let start = a.ledger.fiscal_year_start;
    let years = match (a.years.first(), a.years.last()) {
        (Some(f), Some(l)) if f.label == l.label => f.label.clone(),
        (Some(f), Some(l)) => format!("{} to {}", f.label, l.label),
        _ => "no fiscal year".to_string(),
    };
    if start == 1 {
        format!("{years} (calendar years)")
    } else {
        format!("{years} (fiscal years start in {})", month_name(start))
    }
}
