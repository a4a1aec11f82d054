//! Peers: one anonymised row of metrics per organisation and fiscal year (a "peer card"),
//! peer tables built from 360Giving grant data, and where an organisation stands among them.
//!
//! Peers are never named in a comparison, amounts appear only as income bands, and a group
//! smaller than [`MIN_PEERS`] is refused.

mod grants;
mod stats;
mod table;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use grants::{read_grants, GrantsOutcome};
pub use stats::{percentile_rank, percentile_rank_at, quantile, Spread};
pub use table::{is_peer_table, list_dir, read_table, to_csv};

use crate::analysis::Analysis;
use crate::ledger::Category;
use crate::metrics::round_sig;

/// The smallest peer group fundrisk will compare against, so no peer can be singled out.
pub const MIN_PEERS: usize = 5;

/// One organisation-year in a peer table (the shared CSV format of peer cards and `grants`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct PeerRow {
    /// Empty on peer cards; the recipient's org-id in tables built from public grant data.
    #[serde(default)]
    pub peer: String,
    /// Fiscal year, `FY2024`.
    pub year: String,
    #[serde(default)]
    pub currency: String,
    /// Income band: `<10k`, `10k-100k`, `100k-1m`, `1m-10m`, `10m+`.
    pub income_band: String,
    #[serde(default)]
    pub funder_count: Option<usize>,
    #[serde(default)]
    pub community_share: Option<f64>,
    #[serde(default)]
    pub hhi_funders: Option<f64>,
    #[serde(default)]
    pub top1_share: Option<f64>,
    #[serde(default)]
    pub alignment_index: Option<f64>,
    #[serde(default)]
    pub government_share: Option<f64>,
    #[serde(default)]
    pub foundation_share: Option<f64>,
    #[serde(default)]
    pub corporate_share: Option<f64>,
    /// `card` (from a ledger) or `360giving` (grant income only).
    #[serde(default)]
    pub source: String,
    /// Total grant income (the net of the grants used), in `currency`: only in tables built
    /// from public grant data; empty on peer cards, which carry income as a band.
    #[serde(default)]
    pub grant_income: Option<Decimal>,
    /// Grants used: only in tables built from public grant data.
    #[serde(default)]
    pub grant_count: Option<usize>,
    /// The month (1–12) the row's fiscal years start in: FY2024 from an April year and from a
    /// calendar year are different periods. Empty in tables written before it was recorded.
    #[serde(default)]
    pub year_start: Option<u32>,
}

/// The income band of a yearly income.
#[must_use]
pub fn income_band(income: Decimal) -> &'static str {
    let thousand = Decimal::from(1000);
    if income < Decimal::from(10) * thousand {
        "<10k"
    } else if income < Decimal::from(100) * thousand {
        "10k-100k"
    } else if income < Decimal::from(1000) * thousand {
        "100k-1m"
    } else if income < Decimal::from(10_000) * thousand {
        "1m-10m"
    } else {
        "10m+"
    }
}

/// The decimals a peer row's ratios carry: 4 in tables from 360Giving data, 2 on peer cards.
fn precision(p: &PeerRow) -> i32 {
    if p.source == "360giving" {
        GRANTS_DP
    } else {
        CARD_DP
    }
}

/// Decimals of the ratios on a peer card.
const CARD_DP: i32 = 2;
/// Decimals of the ratios in a peer table built by `fundrisk grants`.
pub(crate) const GRANTS_DP: i32 = 4;

/// Rounds a ratio to `dp` decimals (peer cards carry 2, so they cannot fingerprint a ledger).
#[must_use]
pub fn coarse(x: Option<f64>, dp: i32) -> Option<f64> {
    let f = 10f64.powi(dp);
    x.map(|v| (v * f).round() / f)
}

/// The organisation's peer card: one row per fiscal year, no names, amounts as bands.
#[must_use]
pub fn peer_card(a: &Analysis) -> Vec<PeerRow> {
    let currency = a.ledger.currency.clone().unwrap_or_default();
    a.years
        .iter()
        .map(|y| {
            let m = &y.metrics;
            let share = |c: Category| coarse(m.category_shares.get(&c).copied().flatten(), CARD_DP);
            PeerRow {
                peer: String::new(),
                year: y.label.clone(),
                currency: currency.clone(),
                income_band: income_band(m.share_base).to_string(),
                funder_count: Some(m.funder_count),
                community_share: coarse(m.community_share, CARD_DP),
                hhi_funders: coarse(m.hhi_funders, CARD_DP),
                top1_share: coarse(m.top1_share, CARD_DP),
                alignment_index: coarse(m.alignment_index, CARD_DP),
                government_share: share(Category::Government),
                foundation_share: share(Category::Foundation),
                corporate_share: share(Category::Corporate),
                source: "card".into(),
                grant_income: None,
                grant_count: None,
                year_start: Some(a.ledger.fiscal_year_start.max(1)),
            }
        })
        .collect()
}

/// Why peers could not be read or compared.
#[derive(Debug, thiserror::Error)]
pub enum PeerError {
    #[error("{path}: {message}")]
    Read { path: String, message: String },
    #[error("only {found} peer(s) match ({what}); at least {MIN_PEERS} are needed so that no peer can be singled out\n  hint: widen --filter, or pool more peer cards")]
    TooFew { found: usize, what: String },
    #[error("{0}")]
    Grants(String),
    #[error(
        "--filter {0}: use year=FY2024 (or 2024) and size=<10k|10k-100k|100k-1m|1m-10m|10m+|same"
    )]
    Filter(String),
}

/// Which peers to compare with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    pub year: Option<String>,
    /// An income band, or `same` for the organisation's own band.
    pub size: Option<String>,
}

impl Filter {
    /// Parses `year=2024,size=100k-1m`.
    ///
    /// # Errors
    /// An unknown key or band.
    pub fn parse(text: &str) -> Result<Filter, PeerError> {
        let mut f = Filter::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (k, v) = part
                .split_once('=')
                .ok_or_else(|| PeerError::Filter(part.to_string()))?;
            match k.trim() {
                "year" => {
                    let v = v.trim().to_ascii_uppercase();
                    let v = if v.starts_with("FY") {
                        v
                    } else {
                        format!("FY{v}")
                    };
                    f.year = Some(v);
                }
                "size"
                    if ["<10k", "10k-100k", "100k-1m", "1m-10m", "10m+", "same"]
                        .contains(&v.trim()) =>
                {
                    f.size = Some(v.trim().to_string());
                }
                _ => return Err(PeerError::Filter(part.to_string())),
            }
        }
        Ok(f)
    }
}

/// Where the organisation stands on one metric.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Standing {
    pub value: Option<f64>,
    /// Percent of peers below (ties count half), 0–100; null when the value or the peers are missing.
    pub percentile: Option<f64>,
    /// Peers with a value for this metric.
    pub n: usize,
    pub spread: Option<Spread>,
    /// The peers' values, for the report's strip plot (never in JSON: with the other metrics
    /// they could single a peer out).
    #[serde(skip)]
    pub values: Vec<f64>,
}

/// The comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub year: String,
    pub income_band: String,
    pub size_filter: Option<String>,
    pub peers: usize,
    pub community_share: Standing,
    pub hhi_funders: Standing,
    pub top1_share: Standing,
    pub alignment_index: Standing,
}

/// Compares the organisation's metrics for one year with peers.
///
/// # Errors
/// When the year is missing from the ledger, or fewer than [`MIN_PEERS`] peers match.
pub fn compare(a: &Analysis, peers: &[PeerRow], filter: &Filter) -> Result<Comparison, PeerError> {
    let year = match &filter.year {
        Some(y) => a.years.iter().find(|m| &m.label == y),
        None => a.years.last(),
    }
    .ok_or_else(|| {
        PeerError::Filter(format!(
            "year={} (the ledger has {})",
            filter.year.clone().unwrap_or_default(),
            a.years
                .iter()
                .map(|y| y.label.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })?;
    let band = income_band(year.metrics.share_base).to_string();
    let size = filter
        .size
        .as_ref()
        .map(|s| if s == "same" { band.clone() } else { s.clone() });
    // Income bands are in the ledger's currency: a peer in another currency is not comparable.
    let currency = a.ledger.currency.as_deref().filter(|c| !c.is_empty());
    // FY2024 of an April year is not FY2024 of a calendar year: only the same period compares.
    let start = a.ledger.fiscal_year_start.max(1);
    let group: Vec<&PeerRow> = peers
        .iter()
        .filter(|p| {
            p.year == year.label
                && p.year_start.is_none_or(|s| s == start)
                && size.as_ref().is_none_or(|s| &p.income_band == s)
                && currency
                    .is_none_or(|c| p.currency.is_empty() || p.currency.eq_ignore_ascii_case(c))
        })
        .collect();
    if group.len() < MIN_PEERS {
        let other_starts = peers
            .iter()
            .filter(|p| p.year == year.label && p.year_start.is_some_and(|s| s != start))
            .count();
        let what = format!(
            "{}{}{}{}{}",
            year.label,
            if start == 1 {
                String::new()
            } else {
                format!(" of years starting in month {start}")
            },
            currency.map_or(String::new(), |c| format!(", {c}")),
            size.as_ref()
                .map_or(String::new(), |s| format!(", income {s}")),
            if other_starts > 0 {
                format!(
                    "; {other_starts} row(s) of {} are for fiscal years starting in another month: build the peer table with the ledger's --fiscal-year-start",
                    year.label
                )
            } else {
                String::new()
            }
        );
        return Err(PeerError::TooFew {
            found: group.len(),
            what,
        });
    }
    let standing = |value: Option<f64>, get: fn(&PeerRow) -> Option<f64>| {
        let ranked: Vec<(f64, i32)> = group
            .iter()
            .filter_map(|p| get(p).map(|v| (v, precision(p))))
            .filter(|(v, _)| v.is_finite())
            .collect();
        let values: Vec<f64> = ranked.iter().map(|(v, _)| *v).collect();
        let enough = values.len() >= MIN_PEERS;
        Standing {
            value: value.map(round_sig),
            // Each peer is compared with ours at the precision its row carries.
            percentile: value
                .filter(|v| enough && v.is_finite())
                .map(|v| round_sig(percentile_rank_at(&ranked, v))),
            n: values.len(),
            spread: enough.then(|| Spread::of(&values)).flatten(),
            values: if enough { values } else { Vec::new() },
        }
    };
    let m = &year.metrics;
    Ok(Comparison {
        year: year.label.clone(),
        income_band: band.clone(),
        size_filter: size,
        peers: group.len(),
        community_share: standing(m.community_share, |p| p.community_share),
        hhi_funders: standing(m.hhi_funders, |p| p.hhi_funders),
        top1_share: standing(m.top1_share, |p| p.top1_share),
        alignment_index: standing(m.alignment_index, |p| p.alignment_index),
    })
}

/// A decimal amount as f64 for ratios (never for money).
#[must_use]
pub fn ratio(a: Decimal, b: Decimal) -> Option<f64> {
    if b.is_zero() {
        None
    } else {
        (a / b).to_f64()
    }
}
