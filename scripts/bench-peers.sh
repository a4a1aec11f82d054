#!/usr/bin/env bash
# Benchmarks fundrisk against the Python routes that do the same job (issue #8):
# python-polars, pandas + calamine and pandas + openpyxl on a generated 1,000,000-row ledger
# (.xlsx and .csv), a floor for the .xlsx, a scaling series on CSV (100k, 1M, 5M rows) and the
# 360Giving path (`grants` on 1,000,000 grants, then `compare`).
#
#   bash scripts/bench-peers.sh              # full run: about 10 minutes on 2 cores
#   QUICK=1 bash scripts/bench-peers.sh      # smoke test: 100k rows, 1 run, into target/bench/quick
#
# Settings (environment):
#   FUNDRISK_BIN   binary to time (default $HOME/.cache/fundrisk-target/release/fundrisk, the
#                  release build in the target directory .ci/run uses)
#   FUNDRISK_ARGS  extra arguments for `fundrisk analyse` (default raises --max-rows/--max-cells:
#                  1M rows x 5 columns + the header is just over the default 5,000,000-cell guard)
#   BENCH_VENV     virtualenv for the Python peers (default $HOME/.cache/fundrisk-bench-venv);
#                  created and filled with the pinned versions below when missing or different
#   BENCH_DIR      data and results (default target/bench, or target/bench/quick when QUICK=1);
#                  generated data already there is reused
#   RUNS           repetitions (default 3; 1 when QUICK=1); each repetition runs every tool once,
#                  in an order of its own (shuffled, seeded by the repetition's number, so a
#                  rerun repeats it), and the tables give medians
#   ROWS           ledger rows for the peer comparison (default 1000000; 100000 when QUICK=1)
#   SCALING_ROWS   CSV sizes for the scaling series (default "100000 1000000 5000000")
#   GRANTS_ROWS    rows of the 360Giving file (default 1000000; 100000 when QUICK=1)
#   SKIP_OPENPYXL=1  leave out pandas + openpyxl (about a minute a run at 1M rows)
#   SKIP_GRANTS=1    leave out the 360Giving section
#   PYTHON         interpreter that creates the virtualenv (default python3; needs 3.11+)
#
# Writes into BENCH_DIR: results.md (tables, targets, machine, versions, commands),
# raw.tsv (every run), scaling.csv and scaling.svg, out/ (each tool's JSON from its last run,
# and the agreement check between them), grants-peers.csv.
# Exit: 0 when every run succeeded, 1 when some failed (they are listed in results.md),
# 2 on a setup problem (no binary, no /usr/bin/time, no unzip).
set -euo pipefail
cd "$(dirname "$0")/.."

QUICK="${QUICK:-0}"
BIN="${FUNDRISK_BIN:-$HOME/.cache/fundrisk-target/release/fundrisk}"
FUNDRISK_ARGS="${FUNDRISK_ARGS:---max-rows 100000000 --max-cells 1000000000}"
# Limits for `fundrisk grants` (1M grants x 10 columns is past the default 8,000,000 cells).
GRANTS_ARGS="${GRANTS_ARGS:---max-cells 20000000}"
VENV="${BENCH_VENV:-$HOME/.cache/fundrisk-bench-venv}"
PYTHON="${PYTHON:-python3}"
if [ "$QUICK" = 1 ]; then
  DIR="${BENCH_DIR:-target/bench/quick}"
  RUNS="${RUNS:-1}"
  ROWS="${ROWS:-100000}"
  SCALING_ROWS="${SCALING_ROWS:-10000 50000 100000}"
  GRANTS_ROWS="${GRANTS_ROWS:-100000}"
else
  DIR="${BENCH_DIR:-target/bench}"
  RUNS="${RUNS:-3}"
  ROWS="${ROWS:-1000000}"
  SCALING_ROWS="${SCALING_ROWS:-100000 1000000 5000000}"
  GRANTS_ROWS="${GRANTS_ROWS:-1000000}"
fi
SKIP_OPENPYXL="${SKIP_OPENPYXL:-0}"
SKIP_GRANTS="${SKIP_GRANTS:-0}"
# Pinned: what pip installed for Python 3.11 when this script was written. The first six are
# the peers and the writer; the rest are their dependencies, pinned so that a rerun measures
# the same code.
PINS=(
  polars==2.1.0 polars-runtime-32==2.1.0 fastexcel==0.21.0 pandas==3.1.1 python-calamine==0.9.1
  openpyxl==3.1.5 xlsxwriter==3.3.1
  numpy==2.4.6 python-dateutil==4.0.0 tzdata==2026.6 et_xmlfile==2.0.0
)
# Grants are read in shards of this many rows when the single file is refused (the grants
# command has no --max-cells and 10 columns x 500,000 rows reach its 5,000,000-cell guard).
GRANTS_SHARD_ROWS=400000
# The peer organisation for `compare`: a fixture with an April fiscal year.
COMPARE_LEDGER=fixtures/northshire-food-bank.xlsx
COMPARE_FY_START=4

say() { printf '%s\n' "bench: $*" >&2; }
die() { say "$1"; exit "${2:-2}"; }

[ -x "$BIN" ] || die "no fundrisk binary at $BIN; build it (cargo build --release with CARGO_TARGET_DIR=\$HOME/.cache/fundrisk-target) or set FUNDRISK_BIN"
[ -x /usr/bin/time ] || die "/usr/bin/time is missing (Debian: apt-get install time)"
command -v unzip >/dev/null || die "unzip is missing (Debian: apt-get install unzip)"
BIN="$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")"

mkdir -p "$DIR/out"
DIR="$(cd "$DIR" && pwd)"
OUT="$DIR/out"
RAW="$DIR/raw.tsv"

# ---------------------------------------------------------------- virtualenv
stamp="$VENV/.bench-pins"
if [ ! -x "$VENV/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PINS[*]}" ]; then
  say "setting up the virtualenv $VENV"
  [ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
  printf '%s' "${PINS[*]}" >"$stamp"
fi
PY="$VENV/bin/python"

# ---------------------------------------------------------------- data
label() { # 100000 -> 100k, 1000000 -> 1m
  local n=$1
  if [ $((n % 1000000)) -eq 0 ]; then echo "$((n / 1000000))m"
  elif [ $((n % 1000)) -eq 0 ]; then echo "$((n / 1000))k"
  else echo "$n"; fi
}
# Writes to a temporary name first, so an interrupted run leaves nothing that looks complete.
ledger() { # ROWS [xlsx]: generates ledger-LABEL.csv (and .xlsx) unless present
  local rows=$1 want_xlsx=${2:-} base
  base="$DIR/ledger-$(label "$rows")"
  if [ -s "$base.csv" ] && { [ -z "$want_xlsx" ] || [ -s "$base.xlsx" ]; }; then return; fi
  say "generating $base.csv${want_xlsx:+ and .xlsx} ($rows rows)"
  if [ -n "$want_xlsx" ]; then
    "$PY" scripts/bench/gen_ledger.py "$rows" "$base.tmp.csv" --xlsx "$base.tmp.xlsx"
    mv "$base.tmp.xlsx" "$base.xlsx"
  else
    "$PY" scripts/bench/gen_ledger.py "$rows" "$base.tmp.csv"
  fi
  mv "$base.tmp.csv" "$base.csv"
}
ledger "$ROWS" xlsx
for n in $SCALING_ROWS; do ledger "$n"; done
MAIN="ledger-$(label "$ROWS")"
XLSX="$DIR/$MAIN.xlsx"
CSV="$DIR/$MAIN.csv"
SHEET_XML="$(unzip -Z1 "$XLSX" | grep -m1 '^xl/worksheets/sheet[0-9]*\.xml$')"

GRANTS="$DIR/grants-$(label "$GRANTS_ROWS").csv"
if [ "$SKIP_GRANTS" != 1 ] && [ ! -s "$GRANTS" ]; then
  say "generating $GRANTS ($GRANTS_ROWS rows)"
  "$PY" scripts/bench/gen_grants.py "$GRANTS.tmp" --rows "$GRANTS_ROWS"
  mv "$GRANTS.tmp" "$GRANTS"
fi

# ---------------------------------------------------------------- timing
# One line per run in raw.tsv: section, tool, input, repetition, wall s, peak RSS KB, status.
printf 'section\ttool\tinput\trep\twall_s\tpeak_rss_kb\tstatus\n' >"$RAW"
failures=0
# measure SECTION TOOL INPUT REP STDOUT-FILE COMMAND...
measure() {
  local section=$1 tool=$2 input=$3 rep=$4 stdout=$5 tf err status wall rss
  shift 5
  tf="$OUT/.time" err="${stdout%.*}.stderr"
  if /usr/bin/time -f '%e %M' -o "$tf" "$@" >"$stdout" 2>"$err"; then
    status=ok
  else
    status="exit-$?"
    failures=$((failures + 1))
    say "$tool on $input failed ($status); see $err"
  fi
  read -r wall rss < <(tail -n 1 "$tf")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$section" "$tool" "$input" "$rep" "$wall" "$rss" "$status" >>"$RAW"
  say "$section rep $rep: $tool on $input: ${wall}s, $((rss / 1024)) MB ($status)"
}

# run_tool SECTION TOOL FILE REP: one timed run of TOOL on FILE.
run_tool() {
  local section=$1 tool=$2 file=$3 rep=$4 input
  input="$(basename "$file")"
  local json="$OUT/$tool-$input.json"
  case $tool in
    fundrisk)
      # shellcheck disable=SC2086 # FUNDRISK_ARGS is a list of words
      measure "$section" "$tool" "$input" "$rep" "$json" "$BIN" analyse "$file" --json - $FUNDRISK_ARGS ;;
    python-polars)
      measure "$section" "$tool" "$input" "$rep" "$json" "$PY" scripts/bench/peer_polars.py "$file" ;;
    pandas+calamine)
      measure "$section" "$tool" "$input" "$rep" "$json" "$PY" scripts/bench/peer_pandas.py "$file" --engine calamine ;;
    pandas+openpyxl)
      measure "$section" "$tool" "$input" "$rep" "$json" "$PY" scripts/bench/peer_pandas.py "$file" --engine openpyxl ;;
    pandas)
      measure "$section" "$tool" "$input" "$rep" "$json" "$PY" scripts/bench/peer_pandas.py "$file" ;;
    floor-xlsx)
      # shellcheck disable=SC2016 # $1 and $2 are the inner shell's arguments
      measure "$section" "$tool" "$input" "$rep" "$OUT/$tool-$input.txt" \
        sh -c 'unzip -p "$1" "$2" | wc -c' sh "$file" "$SHEET_XML" ;;
    floor-csv)
      measure "$section" "$tool" "$input" "$rep" "$OUT/$tool-$input.txt" wc -l "$file" ;;
    *) die "unknown tool $tool" ;;
  esac
}

xlsx_tools=(fundrisk python-polars pandas+calamine)
[ "$SKIP_OPENPYXL" = 1 ] || xlsx_tools+=(pandas+openpyxl)
xlsx_tools+=(floor-xlsx)
csv_tools=(fundrisk python-polars pandas floor-csv)
jobs=()
for t in "${xlsx_tools[@]}"; do jobs+=("$t|$XLSX"); done
for t in "${csv_tools[@]}"; do jobs+=("$t|$CSV"); done

# Warm the page cache so that the first tool in a repetition does not pay for the disk.
cat "$XLSX" "$CSV" >/dev/null

# Each repetition shuffles the runs. A run is slower right after one that used and freed a lot
# of memory (measured: fundrisk on the 1M CSV took 0.48-0.54 s after pandas, 0.34-0.50 s after
# itself, its system time 0.24-0.34 s against 0.04-0.27 s), so a fixed cycle, where each tool
# always follows the same one, favours some tools over others.
say "peers: ${#jobs[@]} runs per repetition, $RUNS repetitions"
for ((rep = 1; rep <= RUNS; rep++)); do
  mapfile -t order < <(printf '%s\n' "${jobs[@]}" | shuf --random-source=<(yes "$rep"))
  for job in "${order[@]}"; do
    run_tool peers "${job%%|*}" "${job#*|}" "$rep"
  done
done

say "scaling: fundrisk on $SCALING_ROWS CSV rows"
for n in $SCALING_ROWS; do cat "$DIR/ledger-$(label "$n").csv" >/dev/null; done
for ((rep = 1; rep <= RUNS; rep++)); do
  for n in $SCALING_ROWS; do
    run_tool scaling fundrisk "$DIR/ledger-$(label "$n").csv" "$rep"
  done
done

GRANTS_NOTE=""
if [ "$SKIP_GRANTS" != 1 ]; then
  PEERS="$DIR/grants-peers.csv"
  grants_input=("$GRANTS")
  # Does the single file go through? If not, say why and read it in shards.
  if ! "$BIN" grants "$GRANTS" $GRANTS_ARGS --fiscal-year-start "$COMPARE_FY_START" -o "$PEERS" \
      >"$OUT/grants-probe.stdout" 2>"$OUT/grants-probe.stderr"; then
    GRANTS_NOTE="$(head -n 2 "$OUT/grants-probe.stderr")"
    say "grants refused the single file; reading it in shards of $GRANTS_SHARD_ROWS rows"
    rm -f "$DIR"/grants-shard-*.csv
    awk -v dir="$DIR" -v n="$GRANTS_SHARD_ROWS" -F '\n' '
      NR == 1 { header = $0; next }
      (NR - 2) % n == 0 { if (f) close(f); f = sprintf("%s/grants-shard-%02d.csv", dir, (NR - 2) / n + 1); print header > f }
      { print > f }' "$GRANTS"
    grants_input=("$DIR"/grants-shard-*.csv)
  fi
  cat "${grants_input[@]}" >/dev/null
  for ((rep = 1; rep <= RUNS; rep++)); do
    measure grants "fundrisk grants" "$(basename "$GRANTS")" "$rep" "$OUT/grants.stdout" \
      "$BIN" grants "${grants_input[@]}" $GRANTS_ARGS --fiscal-year-start "$COMPARE_FY_START" -o "$PEERS"
    measure grants "fundrisk compare" "$(basename "$COMPARE_LEDGER") with grants-peers.csv" "$rep" \
      "$OUT/compare.stdout" "$BIN" compare "$COMPARE_LEDGER" --fiscal-year-start "$COMPARE_FY_START" --peers "$PEERS"
  done
  printf '%s\n' "${#grants_input[@]}" >"$OUT/grants-files"
fi

# ---------------------------------------------------------------- versions and machine
{
  echo "fundrisk	$("$BIN" --version 2>&1 | head -n 1)"
  echo "python	$("$PY" -c 'import sys; print(sys.version.split()[0])')"
  "$PY" - <<'PY'
from importlib.metadata import version
for name in ["polars", "polars-runtime-32", "fastexcel", "pandas", "numpy", "python-calamine", "openpyxl", "xlsxwriter"]:
    try:
        print(f"{name}\t{version(name)}")
    except Exception as e:  # a missing package is reported, not fatal
        print(f"{name}\tnot installed ({e.__class__.__name__})")
PY
  echo "unzip	$(unzip -v | head -n 1 | cut -d, -f1)"
  echo "GNU time	$(dpkg-query -W -f='${Version}' time 2>/dev/null || /usr/bin/time --version 2>&1 | head -n 1)"
} >"$OUT/versions.tsv"
{
  echo "nproc	$(nproc)"
  echo "cpu	$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "ram	$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)"
  # shellcheck disable=SC1091
  echo "os	$(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "date	$(date -u +%Y-%m-%dT%H:%MZ)"
} >"$OUT/machine.tsv"

# ---------------------------------------------------------------- summary
"$PY" - "$DIR" "$QUICK" "$RUNS" "$ROWS" "$SHEET_XML" "$GRANTS_NOTE" "$failures" "$FUNDRISK_ARGS" "$BIN" <<'PY'
"""Medians, the results table, the targets of issue #8, the agreement check, scaling.csv."""
import csv, json, statistics, sys
from collections import defaultdict
from pathlib import Path

d = Path(sys.argv[1]); quick = sys.argv[2] == "1"; runs = int(sys.argv[3]); rows = int(sys.argv[4])
sheet_xml, grants_note, failures, fr_args, binary = sys.argv[5], sys.argv[6], int(sys.argv[7]), sys.argv[8], sys.argv[9]
out = d / "out"
raw = list(csv.DictReader(open(d / "raw.tsv"), delimiter="\t"))

def stats(section):
    groups = defaultdict(list)
    for r in raw:
        if r["section"] == section:
            groups[(r["tool"], r["input"])].append(r)
    res = {}
    for key, rs in groups.items():
        ok = [r for r in rs if r["status"] == "ok"]
        walls = [float(r["wall_s"]) for r in ok]
        rss = [int(r["peak_rss_kb"]) / 1024 for r in ok]
        res[key] = dict(n=len(rs), ok=len(ok), median=statistics.median(walls) if walls else None,
                        min=min(walls, default=None), max=max(walls, default=None),
                        rss=statistics.median(rss) if rss else None,
                        status=sorted({r["status"] for r in rs}))
    return res

def f(x, p=2):
    return "–" if x is None else f"{x:.{p}f}"

peers = stats("peers")
lines = []
w = lines.append
w(f"# fundrisk against the Python peers{' (QUICK smoke test: not the issue #8 numbers)' if quick else ''}\n")
w(f"Ledger: {rows:,} generated rows (Date, Funder, Category, Restricted, Amount; ~5,000 funders), "
  f"`scripts/bench/gen_ledger.py`. {runs} repetition(s), tools run in a shuffled order within each (seeded by the repetition); "
  "wall time and peak RSS from `/usr/bin/time -f '%e %M'` (wall time to 0.01 s).\n")
w(f"Binary: `{binary}`.\n")
if "/debug/" in binary:
    w("**This is a debug build: its times say nothing about fundrisk's speed.**\n")
w("| tool | input | median wall s | min | max | median peak RSS MB | speed ratio vs fundrisk (time ÷ fundrisk's) |")
w("|---|---|---:|---:|---:|---:|---:|")
order = ["fundrisk", "python-polars", "pandas+calamine", "pandas+openpyxl", "pandas", "floor-xlsx", "floor-csv"]
inputs = sorted({k[1] for k in peers}, key=lambda s: (not s.endswith(".xlsx"), s))
for inp in inputs:
    base = peers.get(("fundrisk", inp), {}).get("median")
    for tool in order:
        s = peers.get((tool, inp))
        if not s:
            continue
        ratio = f"{s['median'] / base:.2f}×" if s["median"] is not None and base else "–"
        note = "" if s["ok"] == s["n"] else f" ({s['n'] - s['ok']} of {s['n']} runs failed: {', '.join(s['status'])})"
        w(f"| {tool}{note} | {inp} | {f(s['median'])} | {f(s['min'])} | {f(s['max'])} | {f(s['rss'], 0)} | {ratio} |")
w("")
w(f"**floor-xlsx** is `unzip -p FILE {sheet_xml} | wc -c`: inflating the sheet's XML once and "
  "counting its bytes (unzip inflates with zlib, single-threaded; wc runs beside it), without "
  "parsing a tag or a number. Every reader of the .xlsx has to inflate the same bytes, so this is "
  "about the least work it can do; a faster inflater (zlib-ng, zlib-rs, libdeflate) can go "
  "somewhat below it. "
  "**floor-csv** is `wc -l FILE`: reading the CSV once from the page cache.\n")

def med(tool, inp):
    return peers.get((tool, inp), {}).get("median")

def rss(tool, inp):
    return peers.get((tool, inp), {}).get("rss")

w("## Targets of issue #8" + (" (they are set for 1,000,000 rows; this run is smaller)" if rows != 1_000_000 else ""))
w("")
xl = next((i for i in inputs if i.endswith(".xlsx")), None)
cs = next((i for i in inputs if i.endswith(".csv")), None)
def verdict(ok):
    return "—" if ok is None else ("met" if ok else "**not met**")
if xl:
    fr = med("fundrisk", xl)
    py = [m for m in (med(t, xl) for t in ("python-polars", "pandas+calamine", "pandas+openpyxl")) if m]
    fastest = min(py, default=None)
    floor = med("floor-xlsx", xl)
    m = rss("fundrisk", xl)
    w(f"- .xlsx, ≥ 2× faster than the fastest Python route: fastest {f(fastest)} s ÷ fundrisk {f(fr)} s = "
      f"{f(fastest / fr if fr and fastest else None)}× — {verdict(fastest / fr >= 2 if fr and fastest else None)}")
    w(f"- .xlsx, within 1.5× of the floor: fundrisk {f(fr)} s ÷ floor {f(floor)} s = "
      f"{f(fr / floor if fr and floor else None)}× — {verdict(fr / floor <= 1.5 if fr and floor else None)}")
    w(f"- .xlsx, peak memory under 300 MB: {f(m, 0)} MB — {verdict(m < 300 if m else None)}")
if cs:
    fr = med("fundrisk", cs); pl = med("python-polars", cs); m = rss("fundrisk", cs)
    w(f"- .csv, under 0.3 s: {f(fr)} s — {verdict(fr < 0.3 if fr else None)}")
    w(f"- .csv, ≥ 2× faster than python-polars: {f(pl)} s ÷ {f(fr)} s = {f(pl / fr if fr and pl else None)}× — "
      f"{verdict(pl / fr >= 2 if fr and pl else None)}")
    w(f"- .csv, peak memory under 200 MB: {f(m, 0)} MB — {verdict(m < 200 if m else None)}")
w("")

# Agreement: the peers must do the same job, or the race means nothing.
w("## Do the tools agree?\n")
w("Overall figures from each tool's last run (fundrisk's JSON against the peers'); the largest "
  "absolute difference from fundrisk over total, HHI, effective funders, top 1/3/5 shares, "
  "restricted share and the seven category shares.\n")
cat_map = {"Government": "government", "Foundation": "foundation", "Corporate": "corporate",
           "Community": "community", "Crowdfunding": "crowdsourced", "Earned": "earned", "Other": "other"}
w("| input | tool | total | HHI | top-1 share | largest difference from fundrisk |")
w("|---|---|---:|---:|---:|---:|")
agreement = {}
for inp in inputs:
    try:
        fr = json.load(open(out / f"fundrisk-{inp}.json"))["overall"]
    except Exception as e:
        w(f"| {inp} | fundrisk | – | – | – | no JSON ({e.__class__.__name__}) |")
        continue
    w(f"| {inp} | fundrisk | {fr['total']} | {fr['hhi_funders']:.6f} | {fr['top1_share']:.6f} | |")
    for tool in order[1:5]:
        p = out / f"{tool}-{inp}.json"
        if not p.exists() or (tool, inp) not in peers:
            continue
        try:
            o = json.load(open(p))["overall"]
        except Exception as e:
            w(f"| {inp} | {tool} | – | – | – | no JSON ({e.__class__.__name__}) |")
            continue
        pairs = [(float(fr["total"]), o["total"]), (fr["hhi_funders"], o["hhi_funders"]),
                 (fr["effective_funders"], o["effective_funders"]), (fr["top1_share"], o["top1_share"]),
                 (fr["top3_share"], o["top3_share"]), (fr["top5_share"], o["top5_share"]),
                 (fr["restricted_share"], o["restricted_share"])]
        pairs += [(fr["category_shares"][v], o["category_shares"][k]) for k, v in cat_map.items()]
        diff = max(abs(a - b) for a, b in pairs)
        agreement[(tool, inp)] = diff
        w(f"| {inp} | {tool} | {o['total']:.2f} | {o['hhi_funders']:.6f} | {o['top1_share']:.6f} | {diff:.2g} |")
w("")
w("The peers keep money as float64 and fundrisk as decimals, so differences of about 1e-6 in "
  "the total and 1e-12 in shares are rounding.\n")

# Scaling.
sc = stats("scaling")
def rows_of(name):  # ledger-100k.csv -> 100000
    n = name.removeprefix("ledger-").removesuffix(".csv")
    return int(n[:-1]) * {"k": 1000, "m": 1_000_000}[n[-1]] if n[-1] in "km" else int(n)
series = sorted(((rows_of(inp), s) for (tool, inp), s in sc.items()), key=lambda t: t[0])
with open(d / "scaling.csv", "w", newline="") as fh:
    wr = csv.writer(fh, lineterminator="\n")
    wr.writerow(["rows", "runs", "median_s", "min_s", "max_s", "median_rss_mb"])
    for n, s in series:
        if s["median"] is not None:
            wr.writerow([n, s["ok"], s["median"], s["min"], s["max"], round(s["rss"], 1)])
w("## Scaling: fundrisk analyse on CSV\n")
w("| rows | median wall s | min | max | median peak RSS MB | µs per row |")
w("|---:|---:|---:|---:|---:|---:|")
for n, s in series:
    per = f"{s['median'] / n * 1e6:.2f}" if s["median"] else "–"
    w(f"| {n:,} | {f(s['median'])} | {f(s['min'])} | {f(s['max'])} | {f(s['rss'], 0)} | {per} |")
w("\n![fundrisk wall time against rows](scaling.svg)\n")

# Grants.
gr = stats("grants")
if gr:
    w("## 360Giving: grants, then compare\n")
    nfiles = (out / "grants-files").read_text().strip() if (out / "grants-files").exists() else "1"
    if grants_note:
        w("The single file was refused:\n")
        w("```\n" + grants_note + "\n```\n")
        w(f"so `grants` read it as {nfiles} shards (the same rows, header repeated; duplicates are "
          "resolved across files).\n")
    w("| command | input | median wall s | min | max | median peak RSS MB |")
    w("|---|---|---:|---:|---:|---:|")
    for (tool, inp), s in sorted(gr.items(), reverse=True):
        note = "" if s["ok"] == s["n"] else f" ({s['n'] - s['ok']} of {s['n']} failed)"
        w(f"| {tool}{note} | {inp} | {f(s['median'])} | {f(s['min'])} | {f(s['max'])} | {f(s['rss'], 0)} |")
    w("")
    for label, name, limit in (("`fundrisk grants` said (first lines of its output)", "grants", 4),
                               ("`fundrisk compare` said", "compare", 12)):
        text = "\n".join(
            line
            for part in ("stdout", "stderr") if (out / f"{name}.{part}").exists()
            for line in (out / f"{name}.{part}").read_text(errors="replace").splitlines()[:limit]
        )
        if text:
            w(f"{label}:\n\n```\n{text}\n```\n")

# Machine, versions, commands.
w("## Machine and versions\n")
for name in ("machine.tsv", "versions.tsv"):
    for line in (out / name).read_text().splitlines():
        k, _, v = line.partition("\t")
        w(f"- {k}: {v}")
w("")
w("## Commands\n")
w(f"- fundrisk: `fundrisk analyse FILE --json - {fr_args}` (stdout kept as out/fundrisk-FILE.json)")
w("- python-polars: `python scripts/bench/peer_polars.py FILE` (`pl.read_excel(engine=\"calamine\")` / `pl.scan_csv`)")
w("- pandas+calamine, pandas+openpyxl: `python scripts/bench/peer_pandas.py FILE --engine calamine|openpyxl`")
w("- pandas (CSV): `python scripts/bench/peer_pandas.py FILE` (`pd.read_csv`)")
w(f"- floor-xlsx: `unzip -p FILE {sheet_xml} | wc -c`; floor-csv: `wc -l FILE`")
w("- grants: `fundrisk grants FILE... --fiscal-year-start 4 -o grants-peers.csv`; compare: "
  "`fundrisk compare fixtures/northshire-food-bank.xlsx --fiscal-year-start 4 --peers grants-peers.csv`")
w("")
if failures:
    w(f"**{failures} run(s) failed**; their stderr is in out/*.stderr.\n")
(d / "results.md").write_text("\n".join(lines) + "\n")
print("\n".join(lines))
PY

rm -f "$DIR/scaling.svg"
if [ "$(wc -l <"$DIR/scaling.csv")" -gt 1 ]; then
  "$PY" scripts/bench/plot_scaling.py "$DIR/scaling.csv" "$DIR/scaling.svg" --label "fundrisk analyse on CSV ledgers"
else
  say "no successful scaling run, so no scaling.svg"
fi
say "wrote results.md, raw.tsv, scaling.csv$([ -f "$DIR/scaling.svg" ] && echo ", scaling.svg") in $DIR"
[ "$failures" -eq 0 ] || exit 1
