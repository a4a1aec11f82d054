//! The Pareto chart of the largest funders: each funder's share as a bar that starts where the
//! funders above it end, over a pale bar of the running total. Its numbers are the concentration
//! section's table of largest funders.

use super::concentration::{ranked, TOP};
use super::format::{pct, pct_short, pct_whole, truncate};
use super::svg::{pattern_id, Svg};
use super::view::{Chart, Table};
use crate::analysis::{Analysis, FunderRow};
use crate::ledger::Category;

const W: f64 = 800.0;
const PARETO_TITLE: &str = "Largest funders and the running total of their shares";
const ROW: f64 = 28.0;
const LABEL: f64 = 270.0;
const RIGHT: f64 = 120.0;
const TOP_PAD: f64 = 34.0;
const BOTTOM: f64 = 30.0;

pub fn chart(a: &Analysis) -> Option<Chart> {
    let funders: Vec<&FunderRow> = ranked(a).into_iter().take(TOP).collect();
    if funders.is_empty() {
        return None;
    }
    #[allow(clippy::cast_precision_loss)]
    let h = TOP_PAD + ROW * funders.len() as f64 + BOTTOM;
    let plot_w = W - LABEL - RIGHT;
    let x_of = |v: f64| LABEL + v * plot_w;
    let cats: Vec<Category> = Category::ALL
        .into_iter()
        .filter(|c| funders.iter().any(|f| f.share.category == *c))
        .collect();
    let mut running = 0.0;
    let mut desc = Vec::new();
    for f in &funders {
        running += f.share.share.unwrap_or(0.0);
        desc.push(format!(
            "{}: {} (running total {})",
            f.share.name,
            pct(f.share.share),
            pct(Some(running))
        ));
    }
    let mut svg = Svg::new(
        "pareto",
        (W, h),
        PARETO_TITLE,
        &format!(
            "Horizontal bars, largest funder first. Each funder's share of income, with a pale bar for the running total. {}",
            desc.join("; ")
        ),
        &cats,
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        svg.line((x_of(t), TOP_PAD - 6.0), (x_of(t), h - BOTTOM), "grid");
        svg.text(
            (x_of(t), h - BOTTOM + 18.0),
            "middle",
            "axis",
            &pct_whole(Some(t)),
        );
    }
    svg.text(
        (LABEL, 16.0),
        "start",
        "legend",
        "Dark: the funder's share. Pale: running total.",
    );
    let mut running = 0.0;
    for (i, f) in funders.iter().enumerate() {
        let s = f.share.share.unwrap_or(0.0);
        #[allow(clippy::cast_precision_loss)]
        let y = TOP_PAD + ROW * i as f64;
        svg.rect(
            (LABEL, y + 3.0, running * plot_w + s * plot_w, ROW - 6.0),
            "#DDDDDD",
            Some("cum"),
        );
        svg.rect(
            (x_of(running), y + 3.0, s * plot_w, ROW - 6.0),
            &format!("url(#{})", pattern_id("pareto", f.share.category)),
            Some("seg"),
        );
        running += s;
        svg.text(
            (LABEL - 8.0, y + ROW / 2.0 + 4.0),
            "end",
            "legend",
            &truncate(&f.share.name, 30),
        );
        svg.text(
            (x_of(running) + 6.0, y + ROW / 2.0 + 4.0),
            "start",
            "pointlabel",
            &format!(
                "{} \u{2192} {}",
                pct_short(Some(s)),
                pct_short(Some(running))
            ),
        );
    }
    let mut chart = Chart::new(
        "pareto",
        PARETO_TITLE,
        "Largest first. Each dark bar starts where the funders above it end, so the pale bar shows how much of the income the funders so far provide together.",
        svg.finish(),
        Table::default(),
    );
    chart.table = None;
    chart.table_note = Some("The numbers are in the table of largest funders above.".to_string());
    Some(chart)
}
