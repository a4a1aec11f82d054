#!/usr/bin/env python3
"""Draws the scaling plot for issue #8 as plain SVG text (no plotting library).

    python3 scripts/bench/plot_scaling.py scaling.csv scaling.svg [--label "fundrisk analyse, CSV"]

scaling.csv has a header and one line per input size:
    rows,runs,median_s,min_s,max_s,median_rss_mb
The plot shows the median wall time against the number of rows (points joined by a line), the
min-max range of the runs as a whisker, and a dashed line through the origin and the largest
input: where cost grows linearly, the points sit on it. Axes start at zero and are labelled.
"""
import argparse
import csv
import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 80, 30, 50, 60


def nice_ceiling(x):
    """The smallest 1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 × 10^k at or above x (x > 0)."""
    if x <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(x))
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if step * power >= x * (1 - 1e-9):
            return step * power
    return 10 * power


def rows_label(n):
    if n >= 1_000_000:
        return f"{n / 1_000_000:g}M"
    if n >= 1_000:
        return f"{n / 1_000:g}k"
    return f"{n:g}"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv")
    ap.add_argument("svg")
    ap.add_argument("--label", default="fundrisk analyse on CSV ledgers")
    args = ap.parse_args()

    with open(args.csv, newline="") as f:
        points = sorted(
            (int(r["rows"]), float(r["median_s"]), float(r["min_s"]), float(r["max_s"]))
            for r in csv.DictReader(f)
        )
    if not points:
        raise SystemExit(f"{args.csv}: no data rows")

    x_max = nice_ceiling(max(p[0] for p in points))
    y_max = nice_ceiling(max(p[3] for p in points) * 1.05)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def sx(x):
        return LEFT + plot_w * x / x_max

    def sy(y):
        return TOP + plot_h * (1 - y / y_max)

    desc = "; ".join(
        f"{rows_label(n)} rows: median {m:.3f} s (min {lo:.3f}, max {hi:.3f})" for n, m, lo, hi in points
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="t d" '
        'font-family="sans-serif" font-size="12">',
        f'<title id="t">{escape(args.label)}: wall time against rows</title>',
        f'<desc id="d">Median wall time in seconds for each input size. {escape(desc)}. '
        'The dashed line is linear growth through the largest input.</desc>',
        f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{WIDTH / 2}" y="24" text-anchor="middle" font-size="15">{escape(args.label)}</text>',
    ]
    # Grid and tick labels: five steps on each axis.
    for i in range(6):
        x = x_max * i / 5
        y = y_max * i / 5
        out.append(f'<line x1="{sx(x):.1f}" y1="{TOP}" x2="{sx(x):.1f}" y2="{TOP + plot_h}" stroke="#e4e4e4"/>')
        out.append(f'<line x1="{LEFT}" y1="{sy(y):.1f}" x2="{LEFT + plot_w}" y2="{sy(y):.1f}" stroke="#e4e4e4"/>')
        out.append(f'<text x="{sx(x):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{rows_label(x)}</text>')
        out.append(f'<text x="{LEFT - 8}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:g}</text>')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}" stroke="black"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}" stroke="black"/>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 16}" text-anchor="middle">rows in the ledger</text>')
    out.append(
        f'<text x="20" y="{TOP + plot_h / 2}" text-anchor="middle" '
        f'transform="rotate(-90 20 {TOP + plot_h / 2})">median wall time (s)</text>'
    )
    # Linear reference through the origin and the largest input.
    n_last, m_last = points[-1][0], points[-1][1]
    out.append(
        f'<line x1="{sx(0):.1f}" y1="{sy(0):.1f}" x2="{sx(x_max):.1f}" y2="{sy(m_last * x_max / n_last):.1f}" '
        'stroke="#999" stroke-dasharray="5 4"/>'
    )
    path = " ".join(f"{'M' if i == 0 else 'L'}{sx(n):.1f},{sy(m):.1f}" for i, (n, m, _, _) in enumerate(points))
    out.append(f'<path d="{path}" fill="none" stroke="#1f5fa8" stroke-width="2"/>')
    for n, m, lo, hi in points:
        out.append(f'<line x1="{sx(n):.1f}" y1="{sy(lo):.1f}" x2="{sx(n):.1f}" y2="{sy(hi):.1f}" stroke="#1f5fa8"/>')
        out.append(
            f'<circle cx="{sx(n):.1f}" cy="{sy(m):.1f}" r="4.5" fill="#1f5fa8">'
            f'<title>{rows_label(n)} rows: {m:.3f} s</title></circle>'
        )
        near_right = sx(n) > LEFT + 0.85 * plot_w
        anchor, dx = ("end", -8) if near_right else ("start", 8)
        out.append(f'<text x="{sx(n) + dx:.1f}" y="{sy(m) - 8:.1f}" text-anchor="{anchor}">{m:.3g} s</text>')
    out.append("</svg>")
    with open(args.svg, "w", encoding="utf-8") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
