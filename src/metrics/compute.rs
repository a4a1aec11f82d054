//! One period's metrics: shares of the base, funder and category concentration, alignment
//! and bands ([`compute`]), and the per-funder share table ([`funder_shares`]). Pure: the
//! same [`Period`] and [`Settings`] always give the same [`Metrics`], whatever the order of
//! funders and pools.

use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::bands::{AlignmentBand, ConcentrationBand};
use super::base::{restricted_part, sort_canonically, sum, Base, ExcludedFunder};
use super::concentration::{diversity, effective_number, gini, hhi, top_k};
use super::settings::Settings;
use super::{finite, ratio, ser_f64, ser_ratio, Period};
use crate::ledger::Category;

/// The largest identified funder and its share of the base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LargestFunder {
    pub name: String,
    #[serde(serialize_with = "ser_f64")]
    pub share: f64,
}

/// Every metric of one period. Ratios are `None` (JSON `null`) when undefined; serialised
/// ratios are rounded to 12 significant digits.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Metrics {
    /// Net of all included rows, as given by the caller.
    pub total: Decimal,
    /// Σ positive funder nets + Σ positive pools: the denominator of every share.
    pub share_base: Decimal,
    /// The base's parts by category (every category, zero when absent).
    pub by_category: BTreeMap<Category, Decimal>,
    /// `by_category / share_base`; every value `null` when the base is zero.
    #[serde(serialize_with = "ser_ratio_map")]
    pub category_shares: BTreeMap<Category, Option<f64>>,
    /// Community + crowdsourced share.
    #[serde(serialize_with = "ser_ratio")]
    pub community_share: Option<f64>,
    /// Identified funders with net > 0.
    pub funder_count: usize,
    /// Share of the base from the dispersed pools.
    #[serde(serialize_with = "ser_ratio")]
    pub dispersed_share: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub hhi_funders: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub effective_funders: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub top1_share: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub top3_share: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub top5_share: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub gini_funders: Option<f64>,
    pub largest_funder: Option<LargestFunder>,
    #[serde(serialize_with = "ser_ratio")]
    pub hhi_categories: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub hhi_categories_normalised: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub effective_categories: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub entropy_categories_bits: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub evenness_categories: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub alignment_index: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub aligned_hhi: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub restricted_share: Option<f64>,
    #[serde(serialize_with = "ser_ratio")]
    pub advocacy_exposure: Option<f64>,
    pub concentration_band: Option<ConcentrationBand>,
    pub alignment_band: Option<AlignmentBand>,
    /// Funders with net <= 0 (and pools with net < 0), left out of the base.
    pub excluded_funders: Vec<ExcludedFunder>,
}

/// One funder's row in the share table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunderShare {
    pub key: String,
    pub name: String,
    pub category: Category,
    /// Net income over the period.
    pub total: Decimal,
    /// `total / share_base`; `null` when the funder's net is <= 0 (it is not in the base) or
    /// the base is zero.
    #[serde(serialize_with = "ser_ratio")]
    pub share: Option<f64>,
    /// ρ = restricted / net, clamped to 0–1; `null` when the net is <= 0.
    #[serde(serialize_with = "ser_ratio")]
    pub restricted_share: Option<f64>,
}

/// Computes every metric of one period.
#[must_use]
pub fn compute(period: &Period, settings: &Settings) -> Metrics {
    let base = Base::new(period);
    let nets: Vec<Decimal> = base.funders.iter().map(|f| f.net).collect();
    let funder_shares: Vec<Decimal> = nets.iter().filter_map(|n| base.share_dec(*n)).collect();

    let category_shares: BTreeMap<Category, Option<f64>> = base
        .by_category
        .iter()
        .map(|(c, v)| (*c, base.share(*v)))
        .collect();
    let category_dec: Vec<Decimal> = base
        .by_category
        .values()
        .filter_map(|v| base.share_dec(*v))
        .collect();
    let mix = diversity(&category_dec);
    let community = sum(base
        .by_category
        .iter()
        .filter(|(c, _)| c.is_community())
        .map(|(_, v)| *v));

    let hhi_funders = if base.defined() {
        hhi(&funder_shares).to_f64().and_then(finite)
    } else {
        None
    };
    let top1_share = top_k(&nets, 1, base.total);
    let largest_funder = base.funders.first().and_then(|f| {
        Some(LargestFunder {
            name: f.name.clone(),
            share: base.share(f.net)?,
        })
    });

    let (alignment_index, aligned_hhi) = alignment(&base, &funder_shares, settings);
    let restricted = sum(base
        .funders
        .iter()
        .map(|f| restricted_part(f.net, f.restricted))
        .chain(
            base.pools
                .iter()
                .map(|p| restricted_part(p.net, p.restricted)),
        ));
    let advocacy = sum(base
        .funders
        .iter()
        .filter(|f| f.advocacy_target)
        .map(|f| f.net));

    let largest_category = category_shares.values().flatten().copied().reduce(f64::max);
    let concentration_band = match (top1_share, largest_category, hhi_funders) {
        (Some(top1), Some(cat), Some(h)) => Some(ConcentrationBand::classify(
            top1,
            cat,
            h,
            &settings.bands.concentration,
        )),
        _ => None,
    };
    let alignment_band =
        alignment_index.map(|a| AlignmentBand::classify(a, &settings.bands.alignment));

    Metrics {
        total: period.total,
        share_base: base.total,
        by_category: base.by_category.clone(),
        category_shares,
        community_share: base.share(community),
        funder_count: base.funders.len(),
        dispersed_share: base.share(base.pooled()),
        hhi_funders,
        effective_funders: effective_number(hhi_funders),
        top1_share,
        top3_share: top_k(&nets, 3, base.total),
        top5_share: top_k(&nets, 5, base.total),
        gini_funders: gini(&nets),
        largest_funder,
        hhi_categories: mix.hhi,
        hhi_categories_normalised: mix.normalised,
        effective_categories: mix.effective,
        entropy_categories_bits: mix.entropy_bits,
        evenness_categories: mix.evenness,
        alignment_index,
        aligned_hhi,
        restricted_share: base.share(restricted),
        advocacy_exposure: base.share(advocacy),
        concentration_band,
        alignment_band,
        excluded_funders: base.excluded,
    }
}

/// Σⱼ sⱼ · w(catⱼ) · (u + (1 − u) · ρⱼ) over funders and pools, and Σᵢ sᵢ² · w(catᵢ) over
/// funders; both `None` when the base is zero. `funder_shares` are the funders' shares of the
/// base in Decimal, in the base's order: each is divided once.
fn alignment(
    base: &Base<'_>,
    funder_shares: &[Decimal],
    settings: &Settings,
) -> (Option<f64>, Option<f64>) {
    if !base.defined() {
        return (None, None);
    }
    let u = settings.alignment.unrestricted_multiplier;
    let parts = base
        .funders
        .iter()
        .map(|f| (f.category, f.net, f.restricted))
        .chain(base.pools.iter().map(|p| (p.category, p.net, p.restricted)));
    // One share per funder, in the base's order (a positive part of a positive base always
    // divides); should that ever not hold, every share is divided here instead.
    let shared = funder_shares.len() == base.funders.len();
    let mut index = 0.0;
    let mut aligned_hhi = 0.0;
    for (i, (category, net, restricted)) in parts.enumerate() {
        let share = match funder_shares.get(i) {
            Some(s) if shared => s.to_f64().and_then(finite),
            _ => base.share(net),
        };
        let (Some(s), Some(rho)) = (share, ratio(restricted_part(net, restricted), net)) else {
            return (None, None);
        };
        let w = settings.weights.of(category);
        index += s * w * (u + (1.0 - u) * rho);
        if i < base.funders.len() {
            aligned_hhi += s * s * w;
        }
    }
    (finite(index), finite(aligned_hhi))
}

/// Every funder's net, share of the base and restricted fraction, largest net first (ties by
/// name, then key). Funders with net <= 0 are listed with a `null` share.
#[must_use]
pub fn funder_shares(period: &Period, settings: &Settings) -> Vec<FunderShare> {
    // Settings do not change shares today; the parameter keeps the signature stable if a
    // setting ever does (for example a minimum share to list).
    let _ = settings;
    let base = Base::new(period);
    let mut funders: Vec<_> = period.funders.iter().collect();
    sort_canonically(&mut funders);
    funders
        .into_iter()
        .map(|f| {
            let positive = f.net > Decimal::ZERO;
            FunderShare {
                key: f.key.clone(),
                name: f.name.clone(),
                category: f.category,
                total: f.net,
                share: base.share(f.net).filter(|_| positive),
                restricted_share: ratio(restricted_part(f.net, f.restricted), f.net),
            }
        })
        .collect()
}

/// Serialises a category → ratio map with every ratio rounded.
fn ser_ratio_map<S: serde::Serializer>(
    map: &BTreeMap<Category, Option<f64>>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut out = s.serialize_map(Some(map.len()))?;
    for (k, v) in map {
        out.serialize_entry(k, &v.map(super::round_sig))?;
    }
    out.end()
}
