//! The JSON result of `analyse --json` (schema_version 1). Money is a decimal string; an
//! undefined value is `null`.

use serde::Serialize;

use super::money;
use crate::ledger::{Ledger, Note};

#[derive(Serialize)]
struct Output<'a> {
    schema_version: u32,
    currency: Option<&'a str>,
    fiscal_year_start_month: u32,
    inputs: Vec<InputOut<'a>>,
    reconciliation: Reconciliation<'a>,
    data_quality: &'a [Note],
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

/// Renders the ledger as pretty JSON with a trailing newline.
#[must_use]
pub fn render(ledger: &Ledger) -> String {
    let included = ledger.total_included();
    let excluded = ledger.total_excluded();
    let out = Output {
        schema_version: 1,
        currency: ledger.currency.as_deref(),
        fiscal_year_start_month: ledger.fiscal_year_start,
        inputs: ledger
            .inputs
            .iter()
            .map(|i| InputOut { path: &i.path, sha256: &i.sha256, format: i.format })
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
                    source: ledger.inputs.get(e.at.source).map_or("", |i| i.path.as_str()),
                    sheet: e.at.sheet.as_deref(),
                    cell: e.at.a1(),
                    row: e.at.row,
                    reason: e.reason.as_str(),
                    amount: e.amount.map(money),
                    found: e.found.as_deref(),
                })
                .collect(),
        },
        data_quality: &ledger.notes,
    };
    let mut text = serde_json::to_string_pretty(&out).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"));
    text.push('\n');
    text
}
