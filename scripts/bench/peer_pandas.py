#!/usr/bin/env python3
"""The job `fundrisk analyse LEDGER --json` does, in pandas: the benchmark peer for issue #8.

    python scripts/bench/peer_pandas.py LEDGER.xlsx|LEDGER.csv [--engine calamine|openpyxl] [--fiscal-year-start 1]

Reads a ledger with columns Date, Funder, Category, Restricted, Amount (the one
gen_ledger.py writes): `pd.read_excel(engine=...)` for .xlsx (calamine by default, or
openpyxl), `pd.read_csv` for .csv (the engine argument is then ignored). One group-by over the
rows gives each funder's net and restricted part per fiscal year; the overall figures and every
metric come from that small table. The figures and their definitions are those of
peer_polars.py (fundrisk's, from src/metrics/base.rs); it prints the same JSON.

Money is float64, as a Python analyst would read it; fundrisk keeps it as a decimal.
"""
import argparse
import json
import sys

import numpy as np
import pandas as pd

CATEGORIES = ["Government", "Foundation", "Corporate", "Community", "Crowdfunding", "Earned", "Other"]


def read(path: str, engine: str) -> pd.DataFrame:
    if path.lower().endswith((".xlsx", ".xlsm", ".xlsb", ".xls", ".ods")):
        return pd.read_excel(path, engine=engine)
    return pd.read_csv(path, parse_dates=["Date"], date_format="ISO8601")


def funder_nets(ledger: pd.DataFrame, fiscal_year_start: int) -> pd.DataFrame:
    """Net and restricted amount per (fiscal year, funder, category)."""
    date = pd.to_datetime(ledger["Date"])
    fy = date.dt.year + (date.dt.month >= fiscal_year_start) if fiscal_year_start > 1 else date.dt.year
    amount = ledger["Amount"].astype("float64")
    restricted = ledger["Restricted"].astype(str).str.lower().isin(["yes", "y", "restricted", "true"])
    frame = pd.DataFrame({
        "fy": fy,
        "Funder": ledger["Funder"],
        "Category": ledger["Category"],
        "net": amount,
        "restricted": amount.where(restricted, 0.0),
    })
    grouped = frame.groupby(["fy", "Funder", "Category"], sort=False, observed=True)
    return grouped.agg(net=("net", "sum"), restricted=("restricted", "sum"), rows=("net", "size")).reset_index()


def metrics(nets: pd.DataFrame) -> dict:
    """Concentration figures for one period from its funder nets."""
    total = float(nets["net"].sum())
    base = nets[nets["net"] > 0]
    share_base = float(base["net"].sum())
    out = {"total": round(total, 2), "share_base": round(share_base, 2), "funder_count": int(len(base))}
    if share_base <= 0:
        return out | {"hhi_funders": None, "effective_funders": None, "top1_share": None,
                      "top3_share": None, "top5_share": None, "category_shares": None, "restricted_share": None}
    shares = np.sort(base["net"].to_numpy() / share_base)[::-1]
    hhi = float(np.dot(shares, shares))
    by_category = base.groupby("Category", observed=True)["net"].sum()
    restricted = base["restricted"].clip(lower=0, upper=base["net"])
    return out | {
        "hhi_funders": hhi,
        "effective_funders": 1.0 / hhi,
        "top1_share": float(shares[:1].sum()),
        "top3_share": float(shares[:3].sum()),
        "top5_share": float(shares[:5].sum()),
        "category_shares": {c: float(by_category.get(c, 0.0)) / share_base for c in CATEGORIES},
        "restricted_share": float(restricted.sum()) / share_base,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("ledger")
    ap.add_argument("--engine", default="calamine", choices=["calamine", "openpyxl"])
    ap.add_argument("--fiscal-year-start", type=int, default=1, choices=range(1, 13))
    args = ap.parse_args()

    per_year = funder_nets(read(args.ledger, args.engine), args.fiscal_year_start)
    overall = per_year.groupby(["Funder", "Category"], sort=False)[["net", "restricted", "rows"]].sum().reset_index()
    is_excel = not args.ledger.lower().endswith((".csv", ".tsv", ".txt"))
    result = {
        "tool": f"pandas+{args.engine}" if is_excel else "pandas",
        "input": args.ledger,
        "rows": int(overall["rows"].sum()),
        "overall": metrics(overall),
        "years": {f"FY{fy}": metrics(group) for fy, group in per_year.groupby("fy", sort=True)},
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
