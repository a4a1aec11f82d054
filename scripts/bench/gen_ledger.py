#!/usr/bin/env python3
"""Generates a synthetic income ledger for the benchmarks (issue #8).

    python3 scripts/bench/gen_ledger.py ROWS OUT.csv [--xlsx OUT.xlsx] [--seed 8] [--funders 5000]

Columns: Date, Funder, Category, Restricted, Amount. Rows are in date order across 2021-01-01 ..
2025-12-31. Each funder has one fixed category (Government, Foundation, Corporate, Community,
Crowdfunding, Earned, Other). How often a funder gives follows a Zipf law over its rank, and the
size of a gift is log-normal with a mean set by the funder's category, so the concentration
figures look like a large organisation's (a few big statutory and trust funders, a long tail of
small community givers). About 0.5% of rows are refunds (negative amounts), so nets differ from
sums of gifts.

The same seed and arguments give the same bytes. The CSV is written with the standard library
(ISO dates, amounts with two decimals); the .xlsx, when asked for, is written by xlsxwriter in
constant_memory mode from the same rows, with dates as real Excel dates (serial numbers with a
date format) and amounts as numbers. Only --xlsx needs xlsxwriter.
"""
import argparse
import csv
import datetime as dt
import itertools
import random
import sys

CATEGORIES = ["Government", "Foundation", "Corporate", "Community", "Crowdfunding", "Earned", "Other"]
# Share of funders in each category, and for the 50 largest (which lean statutory and trust).
CATEGORY_WEIGHTS = [4, 14, 14, 48, 5, 10, 5]
TOP_CATEGORY_WEIGHTS = [35, 35, 15, 2, 3, 8, 2]
# (mean of log amount, sigma) per category: a council grant is larger than a community gift.
GIFT_SIZE = {
    "Government": (8.3, 0.9),
    "Foundation": (7.8, 0.9),
    "Corporate": (7.0, 1.0),
    "Community": (3.6, 0.9),
    "Crowdfunding": (3.3, 0.8),
    "Earned": (5.2, 1.0),
    "Other": (5.5, 1.1),
}
# Chance that a gift from this category is restricted.
RESTRICTED_CHANCE = {
    "Government": 0.80, "Foundation": 0.65, "Corporate": 0.35, "Community": 0.08,
    "Crowdfunding": 0.50, "Earned": 0.0, "Other": 0.20,
}
REFUND_CHANCE = 0.005
ZIPF_EXPONENT = 1.0
FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
EXCEL_EPOCH = dt.date(1899, 12, 30)
CHUNK = 100_000

PLACES = [
    "Aldbury", "Ashcombe", "Barrowford", "Beckley", "Bramhall", "Brockwell", "Calder", "Carrow",
    "Castleton", "Chalkwell", "Clifton", "Coldharbour", "Cranbourne", "Dalby", "Denholme",
    "Dunmore", "Eastleigh", "Elmstead", "Fairfield", "Farnley", "Fenwick", "Foxton", "Garston",
    "Glenmoor", "Greystoke", "Hadley", "Harrowby", "Hartwell", "Heathfield", "Holbrook",
    "Ingleby", "Kelsall", "Kingsmead", "Kirkham", "Langley", "Larkfield", "Lindale", "Longridge",
    "Lowick", "Marston", "Meadowbank", "Millbrook", "Moorside", "Netherby", "Newbold",
    "Northwood", "Oakham", "Oldfield", "Ormsby", "Otterburn", "Pendle", "Penrose", "Ravenscar",
    "Redbourne", "Ridgeway", "Rivington", "Rosedale", "Rushden", "Saltburn", "Sandford",
    "Seaton", "Shelford", "Silverdale", "Southam", "Stanwick", "Stockbridge", "Stoneleigh",
    "Sutterby", "Swanmore", "Tarleton", "Thornbury", "Thorpe", "Tilbrook", "Towneley",
    "Upwood", "Wadebridge", "Walcot", "Warkworth", "Waverley", "Wellow", "Westbury",
    "Whitstone", "Wickham", "Willowby", "Winslade", "Witherley", "Woodhall", "Wrexley",
    "Yarrow", "Yelverton",
]
WORDS = [
    "Amber", "Anchor", "Beacon", "Birch", "Bluebell", "Bridge", "Brook", "Cedar", "Chestnut",
    "Clover", "Compass", "Copper", "Crescent", "Crown", "Dawn", "Elder", "Emerald", "Falcon",
    "Fern", "Flint", "Garnet", "Granite", "Harbour", "Hawthorn", "Hazel", "Heron", "Holly",
    "Horizon", "Ivy", "Juniper", "Kestrel", "Lantern", "Laurel", "Linnet", "Maple", "Meadow",
    "Mill", "Oak", "Orchard", "Osprey", "Pebble", "Pine", "Poplar", "Quarry", "Raven", "Reed",
    "Rowan", "Saffron", "Sage", "Silver", "Skylark", "Sparrow", "Spring", "Summit", "Thistle",
    "Tide", "Violet", "Willow", "Wren", "Yew",
]
SUFFIXES = {
    "Government": ["Borough Council", "District Council", "Health Board", "Town Council", "Combined Authority"],
    "Foundation": ["Foundation", "Charitable Trust", "Community Foundation", "Educational Trust", "Fund"],
    "Corporate": ["Ltd", "plc", "Group Ltd", "Holdings plc", "Partners LLP"],
    "Community": ["Community Group", "Residents Association", "Church", "Rotary Club", "Allotment Society"],
    "Crowdfunding": ["Crowdfunder appeal", "JustGiving page", "Crowdfunding campaign"],
    "Earned": ["Café sales", "Room hire", "Training income", "Shop sales", "Consultancy fees"],
    "Other": ["Credit Union", "Sports Club", "Housing Co-operative", "Social Club", "Friendly Society"],
}


def make_funders(rng, count):
    """Funders in rank order (rank 0 gives most often): (name, category)."""
    pairs = [f"{p} {w}" for p, w in itertools.product(PLACES, WORDS)]
    if count > len(pairs):
        sys.exit(f"--funders {count}: at most {len(pairs)} distinct names")
    rng.shuffle(pairs)
    funders = []
    for rank, stem in enumerate(pairs[:count]):
        weights = TOP_CATEGORY_WEIGHTS if rank < 50 else CATEGORY_WEIGHTS
        category = rng.choices(CATEGORIES, weights)[0]
        funders.append((f"{stem} {rng.choice(SUFFIXES[category])}", category))
    return funders


def rows(n, seed, funder_count):
    """Yields chunks of rows (date, funder, category, restricted, amount) in date order."""
    rng = random.Random(seed)
    funders = make_funders(rng, funder_count)
    cum = list(itertools.accumulate(1.0 / (r + 1) ** ZIPF_EXPONENT for r in range(funder_count)))
    days = (LAST_DAY - FIRST_DAY).days + 1
    day_offsets = sorted(rng.randrange(days) for _ in range(n))
    lognorm = rng.lognormvariate
    rand = rng.random
    for start in range(0, n, CHUNK):
        k = min(CHUNK, n - start)
        picks = rng.choices(funders, cum_weights=cum, k=k)
        chunk = []
        for offset, (name, category) in zip(day_offsets[start:start + k], picks):
            mu, sigma = GIFT_SIZE[category]
            amount = round(lognorm(mu, sigma), 2)
            if rand() < REFUND_CHANCE:
                amount = -round(amount * rand(), 2) or -1.0
            restricted = "Yes" if rand() < RESTRICTED_CHANCE[category] else "No"
            chunk.append((offset, name, category, restricted, amount))
        yield chunk


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("rows", type=int, help="number of data rows")
    ap.add_argument("csv", help="CSV to write")
    ap.add_argument("--xlsx", help="also write the same rows as an .xlsx (needs xlsxwriter)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--funders", type=int, default=5000)
    args = ap.parse_args()

    iso = [(FIRST_DAY + dt.timedelta(days=d)).isoformat() for d in range((LAST_DAY - FIRST_DAY).days + 1)]
    serial0 = (FIRST_DAY - EXCEL_EPOCH).days
    header = ["Date", "Funder", "Category", "Restricted", "Amount"]

    book = sheet = None
    if args.xlsx:
        import xlsxwriter  # only the .xlsx needs it

        book = xlsxwriter.Workbook(args.xlsx, {"constant_memory": True})
        # A fixed creation time keeps the bytes the same from run to run.
        book.set_properties({"created": dt.datetime(2025, 1, 1)})
        sheet = book.add_worksheet("Income")
        date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
        money_fmt = book.add_format({"num_format": "#,##0.00"})
        sheet.set_column(0, 0, 11)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, 3, 13)
        sheet.set_column(4, 4, 12)
        sheet.write_row(0, 0, header)

    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        r = 0
        for chunk in rows(args.rows, args.seed, args.funders):
            out.writerows((iso[d], name, cat, res, f"{amt:.2f}") for d, name, cat, res, amt in chunk)
            if sheet is not None:
                wn, ws = sheet.write_number, sheet.write_string
                for d, name, cat, res, amt in chunk:
                    r += 1
                    wn(r, 0, serial0 + d, date_fmt)
                    ws(r, 1, name)
                    ws(r, 2, cat)
                    ws(r, 3, res)
                    wn(r, 4, amt, money_fmt)
    if book is not None:
        book.close()


if __name__ == "__main__":
    main()
