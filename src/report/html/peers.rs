//! The peer section (`report --peers`): where the organisation stands among anonymous peers in
//! the same fiscal year, as sentences, a strip plot with a box for the middle half of the peers,
//! and the table behind it. No peer is named; the plot shows unlabelled dots.

use serde::Serialize;

use super::format::{num, pct_whole};
use super::svg::Svg;
use super::view::{Chart, Table};
use crate::peers::{Comparison, Standing, MIN_PEERS};
use crate::report::peers::ordinal;

#[derive(Debug, Serialize)]
pub struct PeersView {
    pub summary: Vec<String>,
    pub chart: Chart,
    pub note: String,
}

/// One metric as the section shows it.
struct Metric<'c> {
    name: &'static str,
    standing: &'c Standing,
    /// Shown as a percentage (a share) rather than an index.
    share: bool,
    /// What a higher value means for the organisation's room to challenge power.
    higher: &'static str,
}

fn metrics(c: &Comparison) -> [Metric<'_>; 4] {
    [
        Metric {
            name: "Community share",
            standing: &c.community_share,
            share: true,
            higher: "more of its income comes from the people it serves",
        },
        Metric {
            name: "Largest funder's share",
            standing: &c.top1_share,
            share: true,
            higher: "it depends more on one funder",
        },
        Metric {
            name: "Funder HHI",
            standing: &c.hhi_funders,
            share: false,
            higher: "its income is more concentrated",
        },
        Metric {
            name: "Alignment index",
            standing: &c.alignment_index,
            share: false,
            higher: "its money expects more alignment",
        },
    ]
}

fn show(m: &Metric<'_>, v: Option<f64>) -> String {
    if m.share {
        pct_whole(v)
    } else {
        num(v, 2)
    }
}

fn sentence(m: &Metric<'_>) -> String {
    let s = m.standing;
    match (s.value, s.percentile, &s.spread) {
        (Some(_), Some(p), Some(sp)) => format!(
            "{}: {}, at the {} percentile (peer median {}); a higher figure means {}.",
            m.name,
            show(m, s.value),
            ordinal(p),
            show(m, Some(sp.median)),
            m.higher
        ),
        (None, _, _) => format!(
            "{}: undefined for this organisation in this year, so it is not compared.",
            m.name
        ),
        _ => format!(
            "{}: {}, not compared — only {} peer(s) have this figure and {MIN_PEERS} are needed.",
            m.name,
            show(m, s.value),
            s.n
        ),
    }
}

const W: f64 = 760.0;
const LABEL: f64 = 190.0;
const RIGHT: f64 = 30.0;
const ROW: f64 = 70.0;
const TOP_PAD: f64 = 20.0;
const BOTTOM: f64 = 34.0;

#[must_use]
pub fn build(c: &Comparison) -> PeersView {
    let ms = metrics(c);
    let group = format!(
        "{} peers in {}{}",
        c.peers,
        c.year,
        c.size_filter
            .as_ref()
            .map_or(String::new(), |s| format!(" with income {s}"))
    );
    let mut summary = vec![format!(
        "Compared with {group} (this organisation's income band: {}).",
        c.income_band
    )];
    summary.extend(ms.iter().map(sentence));

    #[allow(clippy::cast_precision_loss)]
    let h = TOP_PAD + ROW * ms.len() as f64 + BOTTOM;
    let plot_w = W - LABEL - RIGHT;
    let x_of = |v: f64| LABEL + v.clamp(0.0, 1.0) * plot_w;
    let desc: Vec<String> = ms.iter().map(sentence).collect();
    let mut svg = Svg::new(
        "peers",
        (W, h),
        "This organisation among its peers",
        &format!(
            "One row per measure on a scale from 0 to 1. Grey dots are peers, the box spans the middle half of them with a line at the median, and the black diamond is this organisation. {}",
            desc.join(" ")
        ),
        &[],
    );
    for t in [0.0, 0.25, 0.5, 0.75, 1.0] {
        svg.line((x_of(t), TOP_PAD - 6.0), (x_of(t), h - BOTTOM), "grid");
        svg.text(
            (x_of(t), h - BOTTOM + 18.0),
            "middle",
            "axis",
            &format!("{t}"),
        );
    }
    let mut rows = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        #[allow(clippy::cast_precision_loss)]
        let mid = TOP_PAD + ROW * (i as f64) + ROW / 2.0;
        svg.text((LABEL - 12.0, mid + 5.0), "end", "legend", m.name);
        let s = m.standing;
        if let Some(sp) = &s.spread {
            svg.line((x_of(sp.min), mid), (x_of(sp.max), mid), "whisker");
            svg.rect(
                (x_of(sp.q1), mid - 14.0, x_of(sp.q3) - x_of(sp.q1), 28.0),
                "none",
                Some("peerbox"),
            );
            svg.line(
                (x_of(sp.median), mid - 14.0),
                (x_of(sp.median), mid + 14.0),
                "median",
            );
        }
        for (k, v) in s.values.iter().enumerate() {
            // A fixed, repeating offset spreads equal values apart so each dot shows.
            #[allow(clippy::cast_precision_loss)]
            let jitter = ((k * 7) % 9) as f64 - 4.0;
            svg.circle((x_of(*v), mid + jitter * 2.5), 2.5, "peerdot");
        }
        if let Some(v) = s.value {
            let (x, y) = (x_of(v), mid);
            svg.polygon(
                &[(x, y - 9.0), (x + 9.0, y), (x, y + 9.0), (x - 9.0, y)],
                "you",
            );
            svg.text((x, mid - 16.0), "middle", "pointlabel", &show(m, Some(v)));
        }
        rows.push(vec![
            m.name.to_string(),
            show(m, s.value),
            s.percentile.map_or_else(|| "not compared".into(), ordinal),
            show(m, s.spread.as_ref().map(|x| x.q1)),
            show(m, s.spread.as_ref().map(|x| x.median)),
            show(m, s.spread.as_ref().map(|x| x.q3)),
            s.n.to_string(),
        ]);
    }
    let table = Table {
        caption: format!("This organisation and {group}"),
        head: [
            "Measure",
            "This organisation",
            "Percentile",
            "Lower quartile",
            "Median",
            "Upper quartile",
            "Peers with the figure",
        ]
        .map(String::from)
        .to_vec(),
        numeric: vec![false, true, true, true, true, true, true],
        rows,
        foot: None,
    };
    let chart = Chart::new(
        "peers",
        "This organisation among its peers",
        &format!(
            "Each dot is one peer ({group}); the box is the middle half of the peers and the line in it the median; the diamond is this organisation. Shares run from 0 (0%) to 1 (100%)."
        ),
        svg.finish(),
        table,
    );
    PeersView {
        summary,
        chart,
        note: format!(
            "A percentile is the percent of peers below this organisation, ties counting half, compared at the two decimal places peer cards carry: the 50th percentile is the middle of the group. Peers are never named, and a group smaller than {MIN_PEERS} is refused."
        ),
    }
}
