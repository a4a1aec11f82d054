//! The alignment chart: the index as one bar from 0 to 1, split by the kind of funder that adds
//! each part, over a scale that marks where each band starts; with its table.

use std::collections::BTreeMap;

use super::alignment::Contribution;
use super::format::{category_name, index_part, num, pct};
use super::svg::{pattern_id, Svg};
use super::view::{Chart, Table};
use crate::analysis::Analysis;
use crate::ledger::Category;

const W: f64 = 800.0;
const ALIGN_TITLE: &str = "What the alignment index is made of";
const LEFT: f64 = 16.0;
const RIGHT: f64 = 16.0;
const BAR_Y: f64 = 34.0;
const BAR_H: f64 = 44.0;

pub fn chart(a: &Analysis, parts: &[Contribution], index: f64) -> Chart {
    let mut by_cat: BTreeMap<Category, f64> = BTreeMap::new();
    for p in parts {
        *by_cat.entry(p.category).or_default() += p.points;
    }
    let mut cats: Vec<(Category, f64)> = by_cat.into_iter().filter(|(_, v)| *v > 0.0).collect();
    cats.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    let plot_w = W - LEFT - RIGHT;
    let x_of = |v: f64| LEFT + v * plot_w;
    let legend_rows = cats.len().div_ceil(3);
    #[allow(clippy::cast_precision_loss)]
    let h = BAR_Y + BAR_H + 64.0 + 24.0 * legend_rows as f64;
    let t = &a.settings.bands.alignment;
    let cat_list: Vec<Category> = cats.iter().map(|(c, _)| *c).collect();
    let mut svg = Svg::new(
        "align",
        (W, h),
        ALIGN_TITLE,
        &format!(
            "One bar from 0 to 1. The index is {}, made of {}. Bands: independent below {}, some latitude from {}, constrained from {}, highly constrained from {}.",
            num(Some(index), 2),
            cats.iter()
                .map(|(c, v)| format!("{} {}", category_name(*c), num(Some(*v), 2)))
                .collect::<Vec<_>>()
                .join(", "),
            num(Some(t.some_latitude), 2),
            num(Some(t.some_latitude), 2),
            num(Some(t.constrained), 2),
            num(Some(t.highly_constrained), 2)
        ),
        &cat_list,
    );
    svg.rect((LEFT, BAR_Y, plot_w, BAR_H), "#F2F2F2", Some("track"));
    let mut acc = 0.0;
    for (c, v) in &cats {
        let (x0, x1) = (x_of(acc), x_of(acc + v));
        svg.rect(
            (x0, BAR_Y, x1 - x0, BAR_H),
            &format!("url(#{})", pattern_id("align", *c)),
            Some("seg"),
        );
        if x1 - x0 >= 44.0 {
            svg.boxed_label(((x0 + x1) / 2.0, BAR_Y + BAR_H / 2.0), &index_part(*v));
        }
        acc += v;
    }
    svg.line(
        (x_of(index), BAR_Y - 8.0),
        (x_of(index), BAR_Y + BAR_H + 4.0),
        "marker",
    );
    let anchor = if index > 0.8 { "end" } else { "start" };
    let dx = if index > 0.8 { -6.0 } else { 6.0 };
    svg.text(
        (x_of(index) + dx, BAR_Y - 10.0),
        anchor,
        "total",
        &format!("index {}", num(Some(index), 2)),
    );
    // Band scale under the bar.
    let axis_y = BAR_Y + BAR_H + 12.0;
    let bands = [
        (0.0, t.some_latitude, "independent"),
        (t.some_latitude, t.constrained, "some latitude"),
        (t.constrained, t.highly_constrained, "constrained"),
        (t.highly_constrained, 1.0, "highly constrained"),
    ];
    for (lo, hi, word) in bands {
        svg.line(
            (x_of(lo), axis_y - 6.0),
            (x_of(lo), axis_y + 6.0),
            "axisline",
        );
        svg.text(
            (x_of(lo), axis_y + 20.0),
            "middle",
            "axis",
            &num(Some(lo), 1),
        );
        if hi > lo {
            svg.text(
                ((x_of(lo) + x_of(hi)) / 2.0, axis_y + 4.0),
                "middle",
                "bandname",
                word,
            );
        }
    }
    svg.line(
        (x_of(1.0), axis_y - 6.0),
        (x_of(1.0), axis_y + 6.0),
        "axisline",
    );
    svg.text((x_of(1.0) - 2.0, axis_y + 20.0), "end", "axis", "1.0");
    let ly0 = axis_y + 40.0;
    for (i, (c, v)) in cats.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let (col, row) = ((i % 3) as f64, (i / 3) as f64);
        let lx = LEFT + col * (plot_w / 3.0);
        let ly = ly0 + row * 24.0;
        svg.rect(
            (lx, ly, 16.0, 16.0),
            &format!("url(#{})", pattern_id("align", *c)),
            Some("swatch"),
        );
        svg.text(
            (lx + 22.0, ly + 13.0),
            "start",
            "legend",
            &format!("{} {}", category_name(*c), index_part(*v)),
        );
    }
    let rows = cats
        .iter()
        .map(|(c, v)| {
            vec![
                category_name(*c).to_string(),
                pct(a.category_share(*c)),
                num(Some(a.settings.weights.of(*c)), 2),
                num(Some(*v), 3),
                pct(Some(v / index).filter(|_| index > 0.0)),
            ]
        })
        .collect();
    let table = Table {
        caption: "The alignment index by kind of funder".into(),
        head: [
            "Kind of funder",
            "Share of income",
            "Weight",
            "Adds to the index",
            "Part of the index",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, true, true],
        rows,
        foot: Some(vec![
            "Alignment index".into(),
            String::new(),
            String::new(),
            num(Some(index), 3),
            "100.0%".into(),
        ]),
    };
    Chart::new(
        "align",
        ALIGN_TITLE,
        "One bar from 0 to 1, split by the kind of funder that adds each part; the scale below marks where each band starts.",
        svg.finish(),
        table,
    )
}
