//! The plain-text summary `analyse` prints without `--json`, and the funders CSV.

use std::fmt::Write;

use super::money_display;
use crate::analysis::Analysis;
use crate::ledger::classify::neutralise;
use crate::ledger::Severity;

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "undefined".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>, dp: usize) -> String {
    x.map_or_else(|| "undefined".to_string(), |v| format!("{v:.dp$}"))
}

/// Renders a short summary: reconciliation, bands in words, top funders, community share by
/// fiscal year.
#[must_use]
pub fn render(a: &Analysis) -> String {
    let ledger = &a.ledger;
    let cur = ledger.currency.as_deref();
    let m = &a.overall;
    let mut out = String::new();
    let files: Vec<&str> = ledger.inputs.iter().map(|i| i.path.as_str()).collect();
    let _ = writeln!(out, "fundrisk: {}", files.join(", "));
    let _ = writeln!(
        out,
        "rows read {}: {} included ({}), {} excluded ({}), {} blank rows skipped",
        ledger.rows_read(),
        ledger.entries.len(),
        money_display(a.included_total, cur),
        ledger.exclusions.len(),
        money_display(ledger.total_excluded(), cur),
        ledger.blank_rows()
    );
    let _ = writeln!(out);
    let concentration = m.concentration_band.map_or("undefined", |b| b.as_str());
    let alignment = m.alignment_band.map_or("undefined", |b| b.as_str());
    let _ = writeln!(
        out,
        "concentration: {concentration} (largest funder {}, top 3 {}, HHI {}, effective funders {})",
        pct(m.top1_share),
        pct(m.top3_share),
        num(m.hhi_funders, 3),
        num(m.effective_funders, 1)
    );
    let _ = writeln!(
        out,
        "alignment: {alignment} (index {}, restricted {}, advocacy exposure {})",
        num(m.alignment_index, 3),
        pct(m.restricted_share),
        pct(m.advocacy_exposure)
    );
    let _ = writeln!(
        out,
        "community-funded share: {} (many small givers {})",
        pct(m.community_share),
        pct(m.dispersed_share)
    );
    let _ = writeln!(out);
    let _ = writeln!(out, "top funders:");
    for f in a.funders.iter().take(5) {
        let _ = writeln!(
            out,
            "  {:<40} {:<13} {:>18} {:>7}",
            f.share.name,
            f.share.category.as_str(),
            money_display(f.share.total, cur),
            pct(f.share.share)
        );
    }
    if !a.years.is_empty() {
        let _ = writeln!(
            out,
            "\nincome by fiscal year (starting month {}):",
            ledger.fiscal_year_start
        );
        for y in &a.years {
            let _ = writeln!(
                out,
                "  {}  {:>18}  community {:>7}  largest funder {:>7}",
                y.label,
                money_display(y.metrics.total, cur),
                pct(y.metrics.community_share),
                pct(y.metrics.top1_share)
            );
        }
    }
    let unclassified = a.unclassified();
    if !unclassified.is_zero() {
        let _ = writeln!(
            out,
            "\nunclassified income: {} (run `fundrisk classify --unclassified`)",
            money_display(unclassified, cur)
        );
    }
    let warnings = ledger
        .notes
        .iter()
        .chain(&a.classes.notes)
        .filter(|n| n.severity == Severity::Warning)
        .count();
    if warnings > 0 {
        let _ = writeln!(out, "{warnings} data-quality warning(s): run `fundrisk inspect` and `fundrisk classify` for details");
    }
    out
}

/// The funders table as CSV, cells neutralised against formula injection.
#[must_use]
pub fn funders_csv(a: &Analysis) -> String {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let _ = w.write_record([
        "name",
        "category",
        "total",
        "share",
        "restricted_share",
        "classified_by",
    ]);
    for f in &a.funders {
        let ratio = |x: Option<f64>| {
            x.map_or_else(String::new, |v| crate::metrics::round_sig(v).to_string())
        };
        let _ = w.write_record([
            neutralise(&f.share.name),
            f.share.category.as_str().to_string(),
            super::money(f.share.total),
            ratio(f.share.share),
            ratio(f.share.restricted_share),
            f.classified_by.as_str().to_string(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}
