//! What both benches share: a seeded mid-size CSV ledger written once per run, and a
//! [`Config`] built the way `main` builds one, from a command line. Uses only the crate's
//! top-level API (`cli`, `load`, `analysis::analyse`) so the ingest refactor can move
//! anything beneath it.
//!
//! The ledger has the shape of `scripts/bench/gen_ledger.py` (Date, Funder, Category,
//! Restricted, Amount; Zipf funder frequency, log-normal gift sizes by category, ~0.5%
//! refunds) but is written here with std and a tiny LCG, so `cargo bench` needs no Python
//! and no `rand` crate. It is not byte-identical to the Python generator's output.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use fundrisk::cli::{Cli, Command, Config};

/// Data rows in the generated ledger.
pub const ROWS: usize = 50_000;
/// Distinct funders in the generated ledger.
pub const FUNDERS: usize = 1_000;
const SEED: u64 = 8;

/// Space-separated; each funder gets a distinct place + word stem.
const PLACES: &str =
    "Aldbury Ashcombe Barrowford Beckley Bramhall Brockwell Calder Carrow Castleton \
    Chalkwell Clifton Coldharbour Cranbourne Dalby Denholme Dunmore Eastleigh Elmstead \
    Fairfield Farnley Fenwick Foxton Garston Glenmoor Greystoke Hadley Harrowby Hartwell \
    Heathfield Holbrook Ingleby Kelsall Kingsmead Kirkham Langley Larkfield Lindale \
    Longridge Lowick Marston";
const WORDS: &str =
    "Amber Anchor Beacon Birch Bluebell Bridge Brook Cedar Chestnut Clover Compass Copper \
    Crescent Crown Dawn Elder Emerald Falcon Fern Flint Garnet Granite Harbour Hawthorn \
    Hazel Heron Holly Horizon Ivy Juniper";
/// (category label, funder-name suffix, share of funders in %, mean of ln amount, restricted %).
const CATEGORIES: [(&str, &str, u64, f64, u64); 7] = [
    ("Government", "Borough Council", 4, 8.3, 80),
    ("Foundation", "Charitable Trust", 14, 7.8, 65),
    ("Corporate", "Ltd", 14, 7.0, 35),
    ("Community", "Community Group", 48, 3.6, 8),
    ("Crowdfunding", "Crowdfunder appeal", 5, 3.3, 50),
    ("Earned", "Room hire", 10, 5.2, 0),
    ("Other", "Credit Union", 5, 5.5, 20),
];

/// A 64-bit LCG (Knuth's MMIX constants); the high bits are good enough for test data.
struct Lcg(u64);

impl Lcg {
    fn next_u32(&mut self) -> u32 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 32) as u32
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        f64::from(self.next_u32()) / (f64::from(u32::MAX) + 1.0)
    }

    fn below(&mut self, n: u64) -> u64 {
        (self.unit() * n as f64) as u64
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u = 1.0 - self.unit();
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * self.unit()).cos()
    }
}

/// The generated ledger as CSV text: a header and [`ROWS`] rows in date order over
/// 2021-01-01..=2025-12-31.
#[must_use]
pub fn ledger_csv_text() -> String {
    let mut rng = Lcg(SEED);
    let places: Vec<&str> = PLACES.split_whitespace().collect();
    let words: Vec<&str> = WORDS.split_whitespace().collect();
    // Funder i: a distinct place + word stem and a category drawn by CATEGORIES' shares.
    let funders: Vec<(String, usize)> = (0..FUNDERS)
        .map(|i| {
            let mut pick = rng.below(100);
            let cat = CATEGORIES
                .iter()
                .position(|c| {
                    let hit = pick < c.2;
                    pick = pick.saturating_sub(c.2);
                    hit
                })
                .unwrap_or(CATEGORIES.len() - 1);
            let stem = format!("{} {}", places[i % places.len()], words[i / places.len()]);
            (format!("{stem} {}", CATEGORIES[cat].1), cat)
        })
        .collect();
    // Zipf: funder of rank r gives with weight 1/(r+1).
    let cumulative: Vec<f64> = (0..FUNDERS)
        .scan(0.0, |sum, r| {
            *sum += 1.0 / (r as f64 + 1.0);
            Some(*sum)
        })
        .collect();
    let total_weight = cumulative[FUNDERS - 1];
    let first = NaiveDate::from_ymd_opt(2021, 1, 1).expect("a valid date");
    let days = 5 * 365 + 1;
    let mut offsets: Vec<u64> = (0..ROWS).map(|_| rng.below(days)).collect();
    offsets.sort_unstable();

    let mut out = String::with_capacity(ROWS * 64);
    out.push_str("Date,Funder,Category,Restricted,Amount\n");
    for offset in offsets {
        let target = rng.unit() * total_weight;
        let funder = cumulative.partition_point(|&c| c < target).min(FUNDERS - 1);
        let (name, cat) = &funders[funder];
        let (label, _, _, mu, restricted_pct) = CATEGORIES[*cat];
        let mut cents = ((mu + 0.9 * rng.normal()).exp() * 100.0).round().max(1.0) as i64;
        if rng.below(1000) < 5 {
            cents = -(cents * i64::from(rng.next_u32() % 100 + 1) / 100).max(1);
        }
        let restricted = if rng.below(100) < restricted_pct {
            "Yes"
        } else {
            "No"
        };
        let date = first + Days::new(offset);
        let sign = if cents < 0 { "-" } else { "" };
        let (whole, frac) = (cents.abs() / 100, cents.abs() % 100);
        let _ = writeln!(
            out,
            "{date},{name},{label},{restricted},{sign}{whole}.{frac:02}"
        );
    }
    out
}

/// Writes the generated ledger to `dir/ledger-50k.csv`.
#[must_use]
pub fn write_ledger_csv(dir: &Path) -> PathBuf {
    let path = dir.join("ledger-50k.csv");
    std::fs::write(&path, ledger_csv_text()).expect("write the generated ledger");
    path
}

/// A [`Config`] as `fundrisk analyse LEDGER FLAGS… --config EMPTY` would build it. The empty
/// settings file in `dir` keeps a stray `./fundrisk.toml` from changing what is measured.
#[must_use]
pub fn config_for(dir: &Path, ledger: &Path, flags: &[&str]) -> Config {
    let settings = dir.join("empty-fundrisk.toml");
    std::fs::write(&settings, "").expect("write an empty settings file");
    let mut argv: Vec<String> = vec!["fundrisk".into(), "analyse".into()];
    argv.push(ledger.display().to_string());
    argv.extend(flags.iter().map(|f| (*f).to_string()));
    argv.extend(["--config".into(), settings.display().to_string()]);
    let cli = <Cli as clap::Parser>::try_parse_from(&argv).expect("a valid command line");
    let Command::Analyse { read, .. } = &cli.command else {
        unreachable!("parsed an `analyse` command line");
    };
    Config::from_args(read).expect("a valid config")
}
