#!/usr/bin/env python3
"""The job `fundrisk analyse LEDGER --json` does, in python-polars: the benchmark peer for issue #8.

    python scripts/bench/peer_polars.py LEDGER.xlsx|LEDGER.csv [--fiscal-year-start 1]

Reads a ledger with columns Date, Funder, Category, Restricted, Amount (the one
gen_ledger.py writes): `pl.read_excel(engine="calamine")` for .xlsx, `pl.scan_csv` for .csv.
One group-by over the rows gives each funder's net and restricted part per fiscal year; the
overall figures and every metric come from that small table. Per period (overall and each
fiscal year): total, share base, funder HHI, effective funders, top 1/3/5 shares, category
shares and restricted share, computed as fundrisk defines them (see src/metrics/base.rs): the
share base is the sum of the positive funder nets, funders with a net of zero or less are
left out, and a funder's restricted part is clamped to 0..net. Years are named by the year
they end in (FY2024). Prints one small JSON object.

Money is Float64, as a Python analyst would read it; fundrisk keeps it as a decimal.
"""
import argparse
import json
import sys

import polars as pl

CATEGORIES = ["Government", "Foundation", "Corporate", "Community", "Crowdfunding", "Earned", "Other"]


def read(path: str) -> pl.LazyFrame:
    if path.lower().endswith((".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")):
        return pl.read_excel(path, engine="calamine").lazy()
    return pl.scan_csv(path, try_parse_dates=True)


def funder_nets(ledger: pl.LazyFrame, fiscal_year_start: int) -> pl.DataFrame:
    """Net and restricted amount per (fiscal year, funder, category)."""
    date = pl.col("Date").cast(pl.Date)
    fy = date.dt.year() + (date.dt.month() >= fiscal_year_start).cast(pl.Int32) if fiscal_year_start > 1 else date.dt.year()
    amount = pl.col("Amount").cast(pl.Float64)
    restricted = pl.col("Restricted").cast(pl.String).str.to_lowercase().is_in(["yes", "y", "restricted", "true"])
    return (
        ledger.with_columns(fy=fy)
        .group_by("fy", "Funder", "Category")
        .agg(net=amount.sum(), restricted=amount.filter(restricted).sum(), rows=pl.len())
        .collect()
    )


def metrics(nets: pl.DataFrame) -> dict:
    """Concentration figures for one period from its funder nets."""
    total = nets["net"].sum()
    base = nets.filter(pl.col("net") > 0).with_columns(
        restricted=pl.col("restricted").clip(0, pl.col("net")),
    )
    share_base = base["net"].sum()
    out = {"total": round(total, 2), "share_base": round(share_base, 2), "funder_count": base.height}
    if share_base <= 0:
        return out | {"hhi_funders": None, "effective_funders": None, "top1_share": None,
                      "top3_share": None, "top5_share": None, "category_shares": None, "restricted_share": None}
    shares = base.select(share=pl.col("net") / share_base)["share"].sort(descending=True)
    hhi = float((shares * shares).sum())
    by_category = dict(base.group_by("Category").agg(pl.col("net").sum()).iter_rows())
    return out | {
        "hhi_funders": hhi,
        "effective_funders": 1.0 / hhi,
        "top1_share": float(shares.head(1).sum()),
        "top3_share": float(shares.head(3).sum()),
        "top5_share": float(shares.head(5).sum()),
        "category_shares": {c: by_category.get(c, 0.0) / share_base for c in CATEGORIES},
        "restricted_share": base["restricted"].sum() / share_base,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ledger")
    ap.add_argument("--fiscal-year-start", type=int, default=1, choices=range(1, 13))
    args = ap.parse_args()

    per_year = funder_nets(read(args.ledger), args.fiscal_year_start)
    overall = per_year.group_by("Funder", "Category").agg(pl.col("net", "restricted", "rows").sum())
    result = {
        "tool": "python-polars",
        "input": args.ledger,
        "rows": int(overall["rows"].sum()),
        "overall": metrics(overall),
        "years": {
            f"FY{fy}": metrics(group)
            for (fy,), group in sorted(per_year.partition_by("fy", as_dict=True).items())
        },
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
