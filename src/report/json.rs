//! The JSON result of `analyse --json` (schema_version 1). Money is a decimal string; an
//! undefined value is `null`.

use serde::Serialize;

use super::money;
use crate::analysis::Analysis;
use crate::ledger::Note;
use crate::metrics::{round_sig, FunderShare, Metrics, Stress, Trends};

#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    currency: Option<&'a str>,
    fiscal_year_start_month: u32,
    inputs: Vec<InputOut<'a>>,
    reconciliation: Reconciliation<'a>,
    data_quality: Vec<&'a Note>,
    unclassified_total: String,
    overall: &'a Metrics,
    years: Vec<YearOut<'a>>,
    funders: Vec<FunderOut<'a>>,
    trends: &'a Trends,
    stress: &'a Stress,
}

#[derive(Serialize)]
struct YearOut<'a> {
    label: &'a str,
    start: Option<String>,
    end: Option<String>,
    #[serde(flatten)]
    metrics: &'a Metrics,
}

#[derive(Serialize)]
struct FunderOut<'a> {
    name: &'a str,
    category: &'static str,
    total: String,
    share: Option<f64>,
    restricted_share: Option<f64>,
    classified_by: &'static str,
}

impl<'a> FunderOut<'a> {
    fn new(f: &'a FunderShare, classified_by: &'static str) -> Self {
        FunderOut {
            name: &f.name,
            category: f.category.as_str(),
            total: money(f.total),
            share: f.share.map(round_sig),
            restricted_share: f.restricted_share.map(round_sig),
            classified_by,
        }
    }
}

#[derive(Serialize)]
struct InputOut<'a> {
    path: &'a str,
    sha256: &'a str,
    format: &'a str,
}

#[derive(Serialize)]
struct Reconciliation<'a> {
    rows_read: usize,
    rows_included: usize,
    rows_excluded: usize,
    blank_rows: usize,
    total_read: String,
    total_included: String,
    total_excluded: String,
    excluded: Vec<ExcludedOut<'a>>,
}

#[derive(Serialize)]
struct ExcludedOut<'a> {
    source: &'a str,
    sheet: Option<&'a str>,
    cell: String,
    row: u32,
    reason: &'static str,
    amount: Option<String>,
    found: Option<&'a str>,
}

/// Renders the analysis with a `peers` section (from `compare`).
#[must_use]
pub fn render_with_peers(analysis: &Analysis, peers: &crate::peers::Comparison) -> String {
    let mut value: serde_json::Value = serde_json::from_str(&render(analysis)).unwrap_or_default();
    if let Some(obj) = value.as_object_mut() {
        obj.insert(
            "peers".into(),
            serde_json::to_value(peers).unwrap_or_default(),
        );
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

/// Renders the analysis as pretty JSON with a trailing newline.
#[must_use]
pub fn render(analysis: &Analysis) -> String {
    let ledger = &analysis.ledger;
    let included = analysis.included_total;
    let excluded = ledger.total_excluded();
    let out = Output {
        schema_version: 1,
        currency: ledger.currency.as_deref(),
        fiscal_year_start_month: ledger.fiscal_year_start,
        inputs: ledger
            .inputs
            .iter()
            .map(|i| InputOut {
                path: &i.path,
                sha256: &i.sha256,
                format: i.format,
            })
            .collect(),
        reconciliation: Reconciliation {
            rows_read: ledger.rows_read(),
            rows_included: ledger.entries.len(),
            rows_excluded: ledger.exclusions.len(),
            blank_rows: ledger.blank_rows(),
            total_read: money(included + excluded),
            total_included: money(included),
            total_excluded: money(excluded),
            excluded: ledger
                .exclusions
                .iter()
                .map(|e| ExcludedOut {
                    source: ledger
                        .inputs
                        .get(e.at.source)
                        .map_or("", |i| i.path.as_str()),
                    sheet: e.at.sheet.as_deref(),
                    cell: e.at.a1(),
                    row: e.at.row,
                    reason: e.reason.as_str(),
                    amount: e.amount.map(money),
                    found: e.found.as_deref(),
                })
                .collect(),
        },
        data_quality: ledger.notes.iter().chain(&analysis.classes.notes).collect(),
        unclassified_total: money(analysis.unclassified()),
        overall: &analysis.overall,
        years: analysis
            .years
            .iter()
            .map(|y| YearOut {
                label: &y.label,
                start: y.start.map(|d| d.to_string()),
                end: y.end.map(|d| d.to_string()),
                metrics: &y.metrics,
            })
            .collect(),
        funders: analysis
            .funders
            .iter()
            .map(|f| FunderOut::new(&f.share, f.classified_by.as_str()))
            .collect(),
        trends: &analysis.trends,
        stress: &analysis.stress,
    };
    let mut text =
        serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
