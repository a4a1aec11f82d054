//! The plain-text summary `analyse` prints without `--json`.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;

use super::money_display;
use crate::ledger::Ledger;

/// Renders a short summary: reconciliation and income by fiscal year.
#[must_use]
pub fn render(ledger: &Ledger) -> String {
    let cur = ledger.currency.as_deref();
    let mut out = String::new();
    let files: Vec<&str> = ledger.inputs.iter().map(|i| i.path.as_str()).collect();
    let _ = writeln!(out, "fundrisk: {}", files.join(", "));
    let _ = writeln!(
        out,
        "rows read {}: {} included ({}), {} excluded ({}), {} blank rows skipped",
        ledger.rows_read(),
        ledger.entries.len(),
        money_display(ledger.total_included(), cur),
        ledger.exclusions.len(),
        money_display(ledger.total_excluded(), cur),
        ledger.blank_rows()
    );
    let mut by_year: BTreeMap<i32, Decimal> = BTreeMap::new();
    for e in &ledger.entries {
        *by_year.entry(e.fiscal_year).or_default() += e.amount;
    }
    if !by_year.is_empty() {
        let _ = writeln!(out, "income by fiscal year (starting month {}):", ledger.fiscal_year_start);
        for (fy, total) in by_year {
            let _ = writeln!(out, "  FY{fy}  {:>18}", money_display(total, cur));
        }
    }
    let warnings = ledger
        .notes
        .iter()
        .filter(|n| n.severity == crate::ledger::Severity::Warning)
        .count();
    if warnings > 0 {
        let _ = writeln!(out, "{warnings} data-quality warning(s): run `fundrisk inspect` for details");
    }
    out
}
