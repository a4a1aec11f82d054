//! Funding mix: where the money came from in each fiscal year (stacked bars of the share base
//! by category) and how the community share moved (a line over the years), with the tables
//! behind both charts.

use serde::Serialize;

use super::format::{
    category_name, category_phrase, compact_money, pct, pct_whole, points, to_f64,
};
use super::svg::{nice_scale, pattern_id, Svg};
use super::view::{Chart, Table};
use crate::analysis::Analysis;
use crate::ledger::Category;
use crate::report::money_display;

#[derive(Debug, Serialize)]
pub struct MixView {
    /// Sentences under the section heading.
    pub summary: Vec<String>,
    pub by_year: Option<Chart>,
    pub community: Option<Chart>,
    /// Why there is no community chart (one year only, say).
    pub community_note: Option<String>,
}

/// Categories with income in any year (or overall), in stacking order.
fn present(a: &Analysis) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| {
            a.overall.by_category.get(c).is_some_and(|v| !v.is_zero())
                || a.years
                    .iter()
                    .any(|y| y.metrics.by_category.get(c).is_some_and(|v| !v.is_zero()))
        })
        .collect()
}

#[must_use]
pub fn build(a: &Analysis) -> MixView {
    let cats = present(a);
    let mut summary = Vec::new();
    let mut ranked: Vec<(Category, f64)> = a
        .overall
        .category_shares
        .iter()
        .filter_map(|(c, s)| s.filter(|v| *v > 0.0).map(|v| (*c, v)))
        .collect();
    ranked.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    if let Some((c, s)) = ranked.first() {
        let mut text = format!(
            "{}, the largest source is {} ({} of income)",
            if a.years.len() > 1 {
                "Across all years"
            } else {
                "Over the ledger"
            },
            category_phrase(*c),
            pct_whole(Some(*s))
        );
        if let Some((c2, s2)) = ranked.get(1) {
            text.push_str(&format!(
                ", then {} ({})",
                category_phrase(*c2),
                pct_whole(Some(*s2))
            ));
        }
        text.push('.');
        summary.push(text);
    }
    let (community, community_note) = community_chart(a, &mut summary);
    MixView {
        summary,
        by_year: (!a.years.is_empty() && !cats.is_empty()).then(|| by_year_chart(a, &cats)),
        community,
        community_note,
    }
}

const W: f64 = 800.0;
const MIX_TITLE: &str = "Income by source and fiscal year";
const COMMUNITY_TITLE: &str = "Community share of income by fiscal year";
const H: f64 = 340.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 230.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 36.0;

fn by_year_chart(a: &Analysis, cats: &[Category]) -> Chart {
    let cur = a.ledger.currency.as_deref();
    let max = a
        .years
        .iter()
        .map(|y| to_f64(y.metrics.share_base))
        .fold(0.0, f64::max);
    let (step, top) = nice_scale(max);
    let plot_w = W - LEFT - RIGHT;
    let plot_h = H - TOP - BOTTOM;
    let y_of = |v: f64| TOP + plot_h - v / top * plot_h;
    #[allow(clippy::cast_precision_loss)] // a handful of years
    let slot = plot_w / a.years.len() as f64;
    let bar = (slot * 0.62).min(72.0);

    let desc = format!(
        "Stacked bars, one per fiscal year, of income by source{}. {}",
        cur.map_or(String::new(), |c| format!(" in {c}")),
        a.years
            .iter()
            .map(|y| format!("{}: {}", y.label, money_display(y.metrics.share_base, cur)))
            .collect::<Vec<_>>()
            .join("; ")
    );
    let mut svg = Svg::new("mix", (W, H), MIX_TITLE, &desc, cats);
    // Grid and axis labels.
    let mut tick = 0.0;
    while tick <= top + step / 2.0 {
        let y = y_of(tick);
        svg.line((LEFT, y), (LEFT + plot_w, y), "grid");
        svg.text((LEFT - 6.0, y + 4.0), "end", "axis", &compact_money(tick));
        tick += step;
    }
    svg.text((4.0, 14.0), "start", "axis", cur.unwrap_or("amount"));
    for (i, y) in a.years.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let cx = LEFT + slot * (i as f64 + 0.5);
        let x = cx - bar / 2.0;
        let base = to_f64(y.metrics.share_base);
        let mut acc = 0.0;
        for c in cats {
            let v = y.metrics.by_category.get(c).map_or(0.0, |d| to_f64(*d));
            if v <= 0.0 {
                continue;
            }
            let (y0, y1) = (y_of(acc + v), y_of(acc));
            svg.rect(
                (x, y0, bar, y1 - y0),
                &format!("url(#{})", pattern_id("mix", *c)),
                Some("seg"),
            );
            if y1 - y0 >= 20.0 && base > 0.0 {
                svg.boxed_label((cx, (y0 + y1) / 2.0), &pct_whole(Some(v / base)));
            }
            acc += v;
        }
        svg.text(
            (cx, y_of(acc) - 6.0),
            "middle",
            "total",
            &compact_money(base),
        );
        svg.text((cx, H - BOTTOM + 18.0), "middle", "axis", &y.label);
    }
    svg.line(
        (LEFT, TOP + plot_h),
        (LEFT + plot_w, TOP + plot_h),
        "axisline",
    );
    // Legend, top of the stack first, so it reads in the same order as the bars.
    let lx = W - RIGHT + 16.0;
    for (i, c) in cats.iter().rev().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let ly = TOP + 4.0 + 24.0 * i as f64;
        svg.rect(
            (lx, ly, 16.0, 16.0),
            &format!("url(#{})", pattern_id("mix", *c)),
            Some("swatch"),
        );
        svg.text((lx + 22.0, ly + 13.0), "start", "legend", category_name(*c));
    }

    let mut head = vec!["Source".to_string()];
    head.extend(a.years.iter().map(|y| y.label.clone()));
    head.push("All years".to_string());
    let cell = |m: &crate::metrics::Metrics, c: Category| {
        let v = m.by_category.get(&c).copied().unwrap_or_default();
        format!(
            "{} ({})",
            money_display(v, None),
            pct(m.category_shares.get(&c).copied().flatten())
        )
    };
    let rows = cats
        .iter()
        .map(|c| {
            let mut row = vec![category_name(*c).to_string()];
            row.extend(a.years.iter().map(|y| cell(&y.metrics, *c)));
            row.push(cell(&a.overall, *c));
            row
        })
        .collect();
    let mut foot = vec!["Total".to_string()];
    foot.extend(
        a.years
            .iter()
            .map(|y| money_display(y.metrics.share_base, None)),
    );
    foot.push(money_display(a.overall.share_base, None));
    let numeric = std::iter::once(false)
        .chain(std::iter::repeat_n(true, a.years.len() + 1))
        .collect();
    let table = Table {
        caption: format!(
            "Income by source and fiscal year{} (share of that year's income)",
            cur.map_or(String::new(), |c| format!(", {c}"))
        ),
        head,
        numeric,
        rows,
        foot: Some(foot),
    };
    Chart::new(
        "mix",
        MIX_TITLE,
        "Each bar is one year's income; the numbers inside are each source's share of that year.",
        svg.finish(),
        table,
    )
}

const CH: f64 = 230.0;
const CLEFT: f64 = 52.0;
const CRIGHT: f64 = 28.0;
const CTOP: f64 = 24.0;
const CBOTTOM: f64 = 34.0;

fn community_chart(a: &Analysis, summary: &mut Vec<String>) -> (Option<Chart>, Option<String>) {
    let years = &a.years;
    let (Some(first), Some(last)) = (years.first(), years.last()) else {
        return (
            None,
            Some("No income rows were included, so there is no trend to show.".to_string()),
        );
    };
    if years.len() == 1 {
        summary.push(format!(
            "Community giving and crowdfunding made up {} of income in {}.",
            pct_whole(first.metrics.community_share),
            first.label
        ));
        return (
            None,
            Some("The ledger covers one fiscal year, so there is no trend to draw.".to_string()),
        );
    }
    let change = match (first.metrics.community_share, last.metrics.community_share) {
        (Some(x), Some(y)) => Some(y - x),
        _ => None,
    };
    summary.push(format!(
        "Community giving and crowdfunding made up {} of income in {} and {} in {} ({}).",
        pct_whole(first.metrics.community_share),
        first.label,
        pct_whole(last.metrics.community_share),
        last.label,
        points(change)
    ));
    let plot_w = W - CLEFT - CRIGHT;
    let plot_h = CH - CTOP - CBOTTOM;
    let y_of = |v: f64| CTOP + plot_h - v * plot_h;
    #[allow(clippy::cast_precision_loss)]
    let slot = plot_w / years.len() as f64;
    let desc = years
        .iter()
        .map(|y| format!("{}: {}", y.label, pct(y.metrics.community_share)))
        .collect::<Vec<_>>()
        .join("; ");
    let mut svg = Svg::new(
        "community",
        (W, CH),
        COMMUNITY_TITLE,
        &format!(
            "Line chart of the share of income from community giving and crowdfunding. {desc}"
        ),
        &[],
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        let y = y_of(t);
        svg.line((CLEFT, y), (CLEFT + plot_w, y), "grid");
        svg.text((CLEFT - 6.0, y + 4.0), "end", "axis", &pct_whole(Some(t)));
    }
    let mut points_xy = Vec::new();
    for (i, y) in years.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let cx = CLEFT + slot * (i as f64 + 0.5);
        svg.text((cx, CH - CBOTTOM + 18.0), "middle", "axis", &y.label);
        if let Some(s) = y.metrics.community_share {
            points_xy.push((cx, y_of(s), s));
        }
    }
    let line: Vec<(f64, f64)> = points_xy.iter().map(|(x, y, _)| (*x, *y)).collect();
    svg.polyline(&line, "trend");
    for (x, y, s) in &points_xy {
        svg.circle((*x, *y), 4.5, "dot");
        let above = if *y < CTOP + 16.0 { 18.0 } else { -10.0 };
        svg.text((*x, y + above), "middle", "pointlabel", &pct(Some(*s)));
    }
    let mut prev: Option<Option<f64>> = None;
    let rows = years
        .iter()
        .map(|y| {
            let s = y.metrics.community_share;
            let change = match prev {
                None => "\u{2014}".to_string(),
                Some(p) => points(match (p, s) {
                    (Some(p), Some(s)) => Some(s - p),
                    _ => None,
                }),
            };
            prev = Some(s);
            vec![y.label.clone(), pct(s), change]
        })
        .collect();
    let table = Table {
        caption: "Community share of income by fiscal year".to_string(),
        head: vec![
            "Fiscal year".to_string(),
            "Community share".to_string(),
            "Change on the year before".to_string(),
        ],
        numeric: vec![false, true, true],
        rows,
        foot: None,
    };
    (
        Some(Chart::new(
            "community",
            COMMUNITY_TITLE,
            "Community giving and crowdfunding: members, supporters and small donors.",
            svg.finish(),
            table,
        )),
        None,
    )
}
