//! `fundrisk inspect`: how each file and sheet was read, for a finance lead to check first.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::money_display;
use crate::ledger::{column_letters, ExclusionReason, Layout, Ledger, NoHeader, SheetStatus};

/// How many exclusions are listed per sheet.
const FIRST_EXCLUSIONS: usize = 10;

/// Renders the inspection report.
#[must_use]
pub fn render(ledger: &Ledger) -> String {
    let mut out = String::new();
    let cur = ledger.currency.as_deref();
    for (source, input) in ledger.inputs.iter().enumerate() {
        let _ = writeln!(out, "{} ({})", input.path, input.format);
        for sheet in ledger.sheets.iter().filter(|s| s.source == source) {
            let name = sheet
                .sheet
                .as_deref()
                .map_or_else(|| "table".to_string(), |n| format!("sheet {n:?}"));
            match &sheet.status {
                SheetStatus::Skipped(why) => {
                    let _ = writeln!(out, "  {name}: skipped ({why})");
                }
                SheetStatus::NotIncome(NoHeader::NotFound) => {
                    let _ = writeln!(
                        out,
                        "  {name}: not an income sheet (no ledger header in the first 30 rows)"
                    );
                }
                SheetStatus::NotIncome(NoHeader::Incomplete {
                    row,
                    found,
                    missing,
                }) => {
                    let roles: Vec<&str> = found.iter().map(|r| r.name()).collect();
                    let _ = writeln!(
                        out,
                        "  {name}: not an income sheet (row {} has {} but no {missing})",
                        row + 1,
                        roles.join(", ")
                    );
                }
                SheetStatus::Income(header) => {
                    let layout = match header.layout {
                        Layout::Long => "long (one row per transaction)",
                        Layout::Wide => "wide (one row per funder, one column per year)",
                    };
                    let _ = writeln!(
                        out,
                        "  {name}: header row {}, layout {layout}",
                        header.row + 1
                    );
                    let mut cols: Vec<(u32, String)> = header
                        .roles
                        .iter()
                        .map(|(role, (col, text))| {
                            (
                                *col,
                                format!("{} {text:?} → {}", column_letters(*col), role.name()),
                            )
                        })
                        .collect();
                    cols.extend(header.years.iter().map(|(col, fy, text)| {
                        (*col, format!("{} {text:?} → FY{fy}", column_letters(*col)))
                    }));
                    cols.sort();
                    for (_, line) in cols {
                        let _ = writeln!(out, "    {line}");
                    }
                    let _ = writeln!(
                        out,
                        "    rows read {}, included {}, excluded {}{}; blank rows skipped {}",
                        sheet.rows_read,
                        sheet.rows_included,
                        sheet.rows_excluded,
                        reasons(ledger, source, sheet.sheet.as_deref()),
                        sheet.blank_rows
                    );
                    let _ = writeln!(
                        out,
                        "    total included {}, excluded {}",
                        money_display(sheet.total_included, cur),
                        money_display(sheet.total_excluded, cur)
                    );
                    let excluded: Vec<_> = ledger
                        .exclusions
                        .iter()
                        .filter(|e| {
                            e.at.source == source && e.at.sheet.as_deref() == sheet.sheet.as_deref()
                        })
                        .collect();
                    for e in excluded.iter().take(FIRST_EXCLUSIONS) {
                        let amount = e
                            .amount
                            .map_or(String::new(), |a| format!("  {}", money_display(a, cur)));
                        let found = e
                            .found
                            .as_deref()
                            .map_or(String::new(), |f| format!("  found {f:?}"));
                        let line = format!(
                            "      {:<12} {:<16}{amount}{found}",
                            e.at.qualified(),
                            e.reason.as_str()
                        );
                        let _ = writeln!(out, "{}", line.trim_end());
                    }
                    if excluded.len() > FIRST_EXCLUSIONS {
                        let _ = writeln!(
                            out,
                            "      … and {} more (all are listed in analyse --json)",
                            excluded.len() - FIRST_EXCLUSIONS
                        );
                    }
                }
            }
        }
    }
    if !ledger.notes.is_empty() {
        let _ = writeln!(out, "data quality:");
        for n in &ledger.notes {
            let loc = n
                .location
                .as_deref()
                .map_or(String::new(), |l| format!(" ({l})"));
            let _ = writeln!(out, "  {:?} {}: {}{loc}", n.severity, n.code, n.message);
        }
    }
    let _ = writeln!(
        out,
        "reconciliation: rows read {} = included {} + excluded {}; total read {} = included {} + excluded {}",
        ledger.rows_read(),
        ledger.entries.len(),
        ledger.exclusions.len(),
        money_display(ledger.total_included() + ledger.total_excluded(), cur),
        money_display(ledger.total_included(), cur),
        money_display(ledger.total_excluded(), cur),
    );
    out
}

fn reasons(ledger: &Ledger, source: usize, sheet: Option<&str>) -> String {
    let mut counts: BTreeMap<ExclusionReason, usize> = BTreeMap::new();
    for e in ledger
        .exclusions
        .iter()
        .filter(|e| e.at.source == source && e.at.sheet.as_deref() == sheet)
    {
        *counts.entry(e.reason).or_default() += 1;
    }
    if counts.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = counts.iter().map(|(r, n)| format!("{n} {r}")).collect();
    format!(" ({})", parts.join(", "))
}
