#!/usr/bin/env python3
"""Generates a synthetic 360Giving grants file (CSV) for the benchmarks (issue #8).

    python3 scripts/bench/gen_grants.py OUT.csv [--rows 1000000] [--seed 360] [--recipients 20000] [--funders 500]

Columns, spelt as the real files in ../shared/data/360giving/ spell them: Identifier, Title,
Currency, Amount Awarded, Award Date, Recipient Org:Identifier, Recipient Org:Name,
Funding Org:Identifier, Funding Org:Name, Last modified. Dates are ISO (2024-03-31), as in the
Arts Council and Sport England files; amounts are whole pounds with a few in pence; all GBP.

--rows counts every data row. About 1% of them are an older version of another grant: the same
Identifier with a different amount and an earlier Last modified, half written just before the
current version and half appended at the end of the file, so deduplication has to compare dates
rather than keep the last row. Funders carry organisation identifiers with the usual prefixes
(GB-CHC- charities, GB-COH- companies and royal charter bodies, GB-GOR- government bodies,
GB-LAE- English local authorities); how often a funder and a recipient appear follows a Zipf law.
Award dates fall in 2021-2025. The same seed and arguments give the same bytes.
"""
import argparse
import csv
import datetime as dt
import itertools
import random
import string

FIRST_DAY = dt.date(2021, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
CHUNK = 100_000
DUPLICATE_SHARE = 0.01

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
RECIPIENT_KINDS = [
    "Youth Club", "Food Bank", "Community Centre", "Arts Trust", "Tenants Association",
    "Advice Centre", "Carers Network", "Women's Aid", "Scout Group", "Men's Shed",
    "Theatre Company", "Sports Club", "Wildlife Trust", "Credit Union", "Heritage Society",
]
# (identifier prefix, share of funders, name pattern, grant size: mean of log amount, sigma)
FUNDER_KINDS = [
    ("GB-CHC-", 0.60, "{p} {w} Foundation", 9.0, 1.0),
    ("GB-COH-", 0.15, "{p} {w} Ltd", 8.2, 0.9),
    ("GB-GOR-", 0.10, "Department for {w} and {p}", 10.2, 1.2),
    ("GB-LAE-", 0.15, "{p} Borough Council", 8.6, 1.0),
]
PROGRAMMES = ["Main grants", "Small grants", "Capital", "Core funding", "Community fund", "Emergency fund"]


def funder_identifier(rng, prefix, used):
    while True:
        if prefix == "GB-CHC-":
            ident = prefix + str(rng.randrange(200_000, 1_200_000))
        elif prefix == "GB-COH-":
            ident = prefix + (f"RC{rng.randrange(100, 1000):06d}" if rng.random() < 0.2 else f"{rng.randrange(10**7):08d}")
        elif prefix == "GB-GOR-":
            ident = prefix + rng.choice(["D", "PB", "EA"]) + str(rng.randrange(1, 1000))
        else:
            ident = prefix + "".join(rng.choice(string.ascii_uppercase) for _ in range(3))
        if ident not in used:
            used.add(ident)
            return ident


def make_funders(rng, count):
    stems = list(itertools.product(PLACES, WORDS))
    rng.shuffle(stems)
    used, funders = set(), []
    weights = [k[1] for k in FUNDER_KINDS]
    for (p, w) in stems[:count]:
        prefix, _, pattern, mu, sigma = rng.choices(FUNDER_KINDS, weights)[0]
        short = "".join(c for c in (p + w) if c.isupper())
        funders.append((funder_identifier(rng, prefix, used), pattern.format(p=p, w=w), mu, sigma, short))
    return funders


def make_recipients(rng, count):
    stems = list(itertools.product(PLACES, WORDS, RECIPIENT_KINDS))
    rng.shuffle(stems)
    used, recipients = set(), []
    for p, w, kind in stems[:count]:
        roll = rng.random()
        while True:
            if roll < 0.75:
                ident = f"GB-CHC-{rng.randrange(200_000, 1_200_000)}"
            elif roll < 0.85:
                ident = f"GB-SC-SC0{rng.randrange(10_000, 60_000)}"
            elif roll < 0.95:
                ident = f"GB-COH-{rng.randrange(10**7):08d}"
            else:
                ident = f"GB-NIC-{rng.randrange(100_000, 110_000)}"
            if ident not in used:
                used.add(ident)
                break
        recipients.append((ident, f"{p} {w} {kind}"))
    return recipients


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("csv", help="CSV to write")
    ap.add_argument("--rows", type=int, default=1_000_000, help="data rows, older versions included")
    ap.add_argument("--seed", type=int, default=360)
    ap.add_argument("--recipients", type=int, default=20_000)
    ap.add_argument("--funders", type=int, default=500)
    args = ap.parse_args()

    rng = random.Random(args.seed)
    funders = make_funders(rng, args.funders)
    recipients = make_recipients(rng, args.recipients)
    funder_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.9 for r in range(len(funders))))
    recipient_cum = list(itertools.accumulate(1.0 / (r + 1) ** 0.6 for r in range(len(recipients))))
    days = (LAST_DAY - FIRST_DAY).days + 1
    iso = [(FIRST_DAY + dt.timedelta(days=d)).isoformat() for d in range(days + 90)]
    last_modified = days + 89  # the data was published by 2026-03-31

    older = int(args.rows * DUPLICATE_SHARE)
    grants = args.rows - older
    has_older = set(rng.sample(range(grants), older))
    appended = []

    header = ["Identifier", "Title", "Currency", "Amount Awarded", "Award Date",
              "Recipient Org:Identifier", "Recipient Org:Name",
              "Funding Org:Identifier", "Funding Org:Name", "Last modified"]
    lognorm, rand, randrange = rng.lognormvariate, rng.random, rng.randrange
    with open(args.csv, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(header)
        for start in range(0, grants, CHUNK):
            k = min(CHUNK, grants - start)
            fs = rng.choices(funders, cum_weights=funder_cum, k=k)
            rs = rng.choices(recipients, cum_weights=recipient_cum, k=k)
            chunk = []
            for i, (fid, fname, mu, sigma, short), (rid, rname) in zip(range(start, start + k), fs, rs):
                day = randrange(days)
                amount = lognorm(mu, sigma)
                amount = f"{amount:.2f}" if rand() < 0.1 else str(max(100, int(round(amount, -1))))
                modified = min(day + 30 + randrange(400), last_modified)
                ident = f"360G-{short}-{i:07d}"
                row = [ident, f"{rng.choice(PROGRAMMES)} grant to {rname}", "GBP", amount, iso[day],
                       rid, rname, fid, fname, iso[modified]]
                if i in has_older:
                    old = row.copy()
                    old[3] = str(max(100, int(round(float(amount) * (0.5 + rand()), -1))))
                    old[9] = iso[day + randrange(modified - day)]
                    if rand() < 0.5:
                        chunk.append(old)
                    else:
                        appended.append(old)
                chunk.append(row)
            out.writerows(chunk)
        out.writerows(appended)


if __name__ == "__main__":
    main()
