//! A small SVG writer for the report's charts: every text it writes is escaped, every
//! coordinate is printed with one decimal (so output is byte-stable), and every chart gets a
//! `<title>` and `<desc>` for screen readers. It also owns the category palette: Okabe–Ito
//! colours, each with its own hatching so categories stay apart in greyscale and for readers
//! who do not see colour.

use std::fmt::Write;

use crate::ledger::Category;

/// Escapes text for HTML and SVG content and attributes.
#[must_use]
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(ch),
        }
    }
    out
}

/// A coordinate or length, one decimal, no `-0.0`.
#[must_use]
pub fn n(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    let r = if r == 0.0 || !r.is_finite() { 0.0 } else { r };
    let s = format!("{r:.1}");
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Fill colour of a category (Okabe–Ito, safe for the common colour-vision deficiencies).
#[must_use]
pub fn colour(c: Category) -> &'static str {
    match c {
        Category::Government => "#0072B2",
        Category::Foundation => "#56B4E9",
        Category::Corporate => "#D55E00",
        Category::Community => "#009E73",
        Category::Crowdsourced => "#F0E442",
        Category::Earned => "#E69F00",
        Category::Other => "#CC79A7",
        Category::Unclassified => "#BBBBBB",
    }
}

/// The hatching drawn over a category's colour, as path data in an 8×8 tile, and the ink.
fn hatch(c: Category) -> (&'static str, &'static str) {
    match c {
        Category::Government => ("M0 8L8 0M-2 2L2 -2M6 10L10 6", "#FFFFFF"),
        Category::Foundation => ("M2 2h1.6v1.6h-1.6zM6 6h1.6v1.6h-1.6z", "#000000"),
        Category::Corporate => ("M0 0L8 8M0 8L8 0", "#FFFFFF"),
        Category::Community => ("", "#FFFFFF"),
        Category::Crowdsourced => ("M0 2H8M0 6H8", "#000000"),
        Category::Earned => ("M2 0V8M6 0V8", "#000000"),
        Category::Other => ("M0 0L8 8M-2 6L2 10M6 -2L10 2", "#000000"),
        Category::Unclassified => ("M0 4H8M4 0V8", "#000000"),
    }
}

/// `id` of a category's fill pattern within one chart.
#[must_use]
pub fn pattern_id(chart: &str, c: Category) -> String {
    format!("{chart}-fill-{}", c.as_str())
}

/// One chart being written.
pub struct Svg {
    out: String,
}

impl Svg {
    /// Starts an `<svg>` of `width`×`height` view-box units, labelled by its title and
    /// description, with the hatched fills of `categories`.
    #[must_use]
    pub fn new(
        id: &str,
        (width, height): (f64, f64),
        title: &str,
        desc: &str,
        categories: &[Category],
    ) -> Svg {
        let mut out = String::new();
        let _ = write!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" viewBox=\"0 0 {w} {h}\" \
             width=\"{w}\" height=\"{h}\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
             <title id=\"{id}-title\">{t}</title><desc id=\"{id}-desc\">{d}</desc>",
            w = n(width),
            h = n(height),
            t = esc(title),
            d = esc(desc),
        );
        if !categories.is_empty() {
            out.push_str("<defs>");
            for c in categories {
                let (path, ink) = hatch(*c);
                let _ = write!(
                    out,
                    "<pattern id=\"{}\" patternUnits=\"userSpaceOnUse\" width=\"8\" height=\"8\">\
                     <rect width=\"8\" height=\"8\" fill=\"{}\"/>",
                    pattern_id(id, *c),
                    colour(*c)
                );
                if !path.is_empty() {
                    let _ = write!(
                        out,
                        "<path d=\"{path}\" stroke=\"{ink}\" stroke-width=\"1.2\" fill=\"{ink}\" stroke-opacity=\"0.7\" fill-opacity=\"0.7\"/>"
                    );
                }
                out.push_str("</pattern>");
            }
            out.push_str("</defs>");
        }
        Svg { out }
    }

    /// A rectangle with a fill (colour or `url(#…)`) and an optional CSS class.
    pub fn rect(&mut self, (x, y, w, h): (f64, f64, f64, f64), fill: &str, class: Option<&str>) {
        let class = class.map_or(String::new(), |c| format!(" class=\"{c}\""));
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"{class}/>",
            n(x),
            n(y),
            n(w.max(0.0)),
            n(h.max(0.0)),
            esc(fill)
        );
    }

    /// A line with a CSS class.
    pub fn line(&mut self, (x1, y1): (f64, f64), (x2, y2): (f64, f64), class: &str) {
        let _ = write!(
            self.out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\" class=\"{class}\"/>",
            n(x1),
            n(y1),
            n(x2),
            n(y2)
        );
    }

    /// A closed polygon through `points`, with a CSS class.
    pub fn polygon(&mut self, points: &[(f64, f64)], class: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            self.out,
            "<polygon points=\"{}\" class=\"{class}\"/>",
            pts.join(" ")
        );
    }

    /// A polyline through `points`, with a CSS class.
    pub fn polyline(&mut self, points: &[(f64, f64)], class: &str) {
        let pts: Vec<String> = points
            .iter()
            .map(|(x, y)| format!("{},{}", n(*x), n(*y)))
            .collect();
        let _ = write!(
            self.out,
            "<polyline points=\"{}\" class=\"{class}\"/>",
            pts.join(" ")
        );
    }

    /// A circle marker.
    pub fn circle(&mut self, (cx, cy): (f64, f64), r: f64, class: &str) {
        let _ = write!(
            self.out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\" class=\"{class}\"/>",
            n(cx),
            n(cy),
            n(r)
        );
    }

    /// Text at (x, y); `anchor` is `start`, `middle` or `end`; `class` styles it.
    pub fn text(&mut self, (x, y): (f64, f64), anchor: &str, class: &str, text: &str) {
        let _ = write!(
            self.out,
            "<text x=\"{}\" y=\"{}\" text-anchor=\"{anchor}\" class=\"{class}\">{}</text>",
            n(x),
            n(y),
            esc(text)
        );
    }

    /// A bold label centred on (x, y) over a white box, readable on any fill or hatching.
    pub fn boxed_label(&mut self, (x, y): (f64, f64), text: &str) {
        #[allow(clippy::cast_precision_loss)] // a label of a few characters
        let w = 8.0 * text.chars().count() as f64 + 8.0;
        let _ = write!(
            self.out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"18\" rx=\"3\" class=\"labelbg\"/>",
            n(x - w / 2.0),
            n(y - 9.0),
            n(w)
        );
        self.text((x, y + 4.5), "middle", "seglabel", text);
    }

    /// Ends the chart.
    #[must_use]
    pub fn finish(mut self) -> String {
        self.out.push_str("</svg>");
        self.out
    }
}

/// Up to about five round steps from 0 to at least `max`: (step, top).
#[must_use]
pub fn nice_scale(max: f64) -> (f64, f64) {
    if max <= 0.0 || !max.is_finite() {
        return (1.0, 1.0);
    }
    let rough = max / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(10.0 * magnitude);
    let top = (max / step).ceil() * step;
    (step, top)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            esc("<script>alert(1)</script>"),
            "&lt;script&gt;alert(1)&lt;/script&gt;"
        );
        assert_eq!(
            esc("\"><img src=x onerror=alert(1)>"),
            "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
        );
        let mut s = Svg::new("c", (10.0, 10.0), "<t>", "d&", &[]);
        s.text((1.0, 2.0), "start", "label", "a<b");
        let out = s.finish();
        assert!(out.contains("&lt;t&gt;") && out.contains("d&amp;") && out.contains("a&lt;b"));
        assert!(!out.contains("<t>"));
    }

    #[test]
    fn coordinates_are_stable() {
        assert_eq!(n(1.04), "1");
        assert_eq!(n(-0.01), "0");
        assert_eq!(n(12.25), "12.3");
    }

    #[test]
    fn scales_are_round() {
        assert_eq!(nice_scale(103_643.55), (25_000.0, 125_000.0));
        assert_eq!(nice_scale(0.47), (0.1, 0.5));
        assert_eq!(nice_scale(0.0), (1.0, 1.0));
    }
}
