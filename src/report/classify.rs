//! `fundrisk classify`: the funders table, and the starter register it can write.

use std::collections::BTreeMap;
use std::fmt::Write;

use rust_decimal::Decimal;

use super::money_display;
use crate::ledger::classify::{Classification, Register, RegisterEntry};
use crate::ledger::{Category, Ledger};

/// Renders the funders table, largest first; `only_unclassified` keeps unclassified funders.
#[must_use]
pub fn render(ledger: &Ledger, classes: &Classification, only_unclassified: bool) -> String {
    let cur = ledger.currency.as_deref();
    let mut out = String::new();
    let mut order: Vec<usize> = (0..classes.funders.len()).collect();
    order.sort_by(|&a, &b| {
        let (fa, fb) = (&classes.funders[a], &classes.funders[b]);
        fb.total.cmp(&fa.total).then_with(|| fa.name.cmp(&fb.name))
    });
    let _ = writeln!(
        out,
        "{:<40} {:<13} {:<11} {:>18} {:>5}  merged spellings",
        "funder", "category", "by", "total", "rows"
    );
    for i in order {
        let f = &classes.funders[i];
        if only_unclassified && f.category != Category::Unclassified {
            continue;
        }
        let others: Vec<&str> = f
            .spellings
            .iter()
            .filter(|s| **s != f.name)
            .map(String::as_str)
            .collect();
        let name = if f.individual {
            format!("{} (private individual)", f.name)
        } else {
            f.name.clone()
        };
        let _ = writeln!(
            out,
            "{:<40} {:<13} {:<11} {:>18} {:>5}  {}",
            truncate(&name, 40),
            f.category.as_str(),
            f.classified_by.as_str(),
            money_display(f.total, cur),
            f.rows,
            others.join(" | ")
        );
    }
    if !only_unclassified {
        let mut pools: BTreeMap<Category, (Decimal, usize)> = BTreeMap::new();
        for ((e, f), c) in ledger
            .entries
            .iter()
            .zip(&classes.entry_funder)
            .zip(&classes.entry_category)
        {
            if f.is_none() {
                let slot = pools.entry(*c).or_default();
                slot.0 += e.amount;
                slot.1 += 1;
            }
        }
        for (c, (total, rows)) in pools {
            let _ = writeln!(
                out,
                "{:<40} {:<13} {:<11} {:>18} {:>5}",
                format!("many small givers ({c})"),
                c.as_str(),
                "pool",
                money_display(total, cur),
                rows
            );
        }
    }
    let unclassified = classes.unclassified_total(ledger);
    let total = ledger.total_included();
    let share = if total.is_zero() {
        "undefined share".to_string()
    } else {
        format!(
            "{:.1}% of income",
            (unclassified / total * Decimal::from(100)).round_dp(1)
        )
    };
    let _ = writeln!(
        out,
        "unclassified: {} ({share})",
        money_display(unclassified, cur)
    );
    for n in &classes.notes {
        let loc = n
            .location
            .as_deref()
            .map_or(String::new(), |l| format!(" ({l})"));
        let _ = writeln!(out, "  {:?} {}: {}{loc}", n.severity, n.code, n.message);
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// A register holding every funder with its current category, other spellings as aliases.
#[must_use]
pub fn starter_register(classes: &Classification) -> Register {
    let mut funders: Vec<RegisterEntry> = classes
        .funders
        .iter()
        .filter(|f| !f.key.starts_with("unnamed:"))
        .map(|f| {
            f.register.clone().unwrap_or_else(|| RegisterEntry {
                name: f.name.clone(),
                aliases: f
                    .spellings
                    .iter()
                    .filter(|s| **s != f.name)
                    .cloned()
                    .collect(),
                identifier: f.identifier.clone(),
                category: f.category,
                individual: f.individual,
                notes: Some(format!("classified by {}", f.classified_by.as_str())),
                ..RegisterEntry::default()
            })
        })
        .collect();
    funders.sort_by_key(|a| a.name.to_lowercase());
    Register { funders }
}
