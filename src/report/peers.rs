//! Text output for `compare` and `grants`. Peers are never named here.

use std::fmt::Write;

use crate::peers::{Comparison, GrantsOutcome, Standing};

fn pct(x: Option<f64>) -> String {
    x.map_or_else(|| "undefined".to_string(), |v| format!("{:.1}%", v * 100.0))
}

fn num(x: Option<f64>) -> String {
    x.map_or_else(|| "undefined".to_string(), |v| format!("{v:.3}"))
}

/// "42nd", "11th", "100th".
#[must_use]
pub fn ordinal(p: f64) -> String {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let n = p.round().clamp(0.0, 100.0) as u32;
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn line(
    out: &mut String,
    name: &str,
    s: &Standing,
    show: fn(Option<f64>) -> String,
    lower_is: &str,
) {
    let rank = s.percentile.map_or_else(
        || {
            format!(
                "not compared ({} peer(s) have this figure; {} needed)",
                s.n,
                crate::peers::MIN_PEERS
            )
        },
        |p| format!("{} percentile of {} peers ({lower_is})", ordinal(p), s.n),
    );
    let _ = writeln!(out, "  {name:<26} {:>10}  {rank}", show(s.value));
    if let Some(sp) = &s.spread {
        let _ = writeln!(
            out,
            "  {:<26} {:>10}  peers: lowest {}, lower quartile {}, median {}, upper quartile {}, highest {}",
            "",
            "",
            show(Some(sp.min)),
            show(Some(sp.q1)),
            show(Some(sp.median)),
            show(Some(sp.q3)),
            show(Some(sp.max))
        );
    }
}

/// Renders a comparison.
#[must_use]
pub fn render(c: &Comparison) -> String {
    let mut out = String::new();
    let size = c
        .size_filter
        .as_ref()
        .map_or_else(|| "all sizes".to_string(), |s| format!("income {s}"));
    let _ = writeln!(
        out,
        "compared with {} peers in {} ({size}); this organisation's income band: {}",
        c.peers, c.year, c.income_band
    );
    line(
        &mut out,
        "community-funded share",
        &c.community_share,
        pct,
        "higher means more funded by its people",
    );
    line(
        &mut out,
        "funder HHI",
        &c.hhi_funders,
        num,
        "higher means more concentrated",
    );
    line(
        &mut out,
        "largest funder's share",
        &c.top1_share,
        pct,
        "higher means more dependent on one funder",
    );
    line(
        &mut out,
        "alignment index",
        &c.alignment_index,
        num,
        "higher means more constrained",
    );
    out
}

/// Summarises a `grants` run: rows read, used and excluded, money used per currency, and the
/// first exclusions with their cells.
#[must_use]
pub fn grants_summary(g: &GrantsOutcome) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "grant rows read {}: {} used, {} excluded; {} peer rows (recipient × fiscal year × currency)",
        g.rows_read,
        g.grants_used,
        g.excluded.len(),
        g.rows.len()
    );
    for (currency, total) in &g.totals {
        let code = if currency.is_empty() {
            None
        } else {
            Some(currency.as_str())
        };
        let _ = writeln!(
            out,
            "  grant money used: {}",
            super::money_display(*total, code)
        );
    }
    if g.clashing_duplicates > 0 {
        let _ = writeln!(
            out,
            "  warning: {} row(s) share an Identifier and Last Modified with the version used but differ in amount, recipient or date; they were excluded as duplicates (360Giving identifiers should be unique: the publisher may have given distinct grants one identifier)",
            g.clashing_duplicates
        );
    }
    for (file, cell, reason, found) in g.excluded.iter().take(10) {
        let found = found
            .as_deref()
            .map_or(String::new(), |f| format!("  found {f:?}"));
        let _ = writeln!(out, "  {file}: {cell:<14} {reason}{found}");
    }
    if g.excluded.len() > 10 {
        let _ = writeln!(out, "  … and {} more", g.excluded.len() - 10);
    }
    out
}
