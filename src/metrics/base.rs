//! The share base: which funders and pools count, in what order, and how much each category
//! holds. Every share in the metrics is a part of this base. Funders and pools with a net of
//! zero or less are left out and listed; the rest are put in one canonical order so that sums
//! (and therefore every metric) do not depend on the order the caller listed them in.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use super::{ratio, FunderNet, Period, PoolNet};
use crate::ledger::sum::up;
use crate::ledger::Category;

/// A funder (or a dispersed pool) whose net was zero or negative, left out of the share base.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExcludedFunder {
    /// The funder's identity key; `None` for a dispersed pool.
    pub key: Option<String>,
    pub name: String,
    pub category: Category,
    pub net: Decimal,
}

/// The positive parts of a period and their sum.
#[derive(Debug, Clone)]
pub(crate) struct Base<'a> {
    /// Funders with net > 0, largest first (ties: name, key, then the other fields).
    pub funders: Vec<&'a FunderNet>,
    /// Pools with net > 0, by category then net.
    pub pools: Vec<&'a PoolNet>,
    /// Funders with net <= 0 and pools with net < 0, most negative first.
    pub excluded: Vec<ExcludedFunder>,
    /// Σ positive funder nets + Σ positive pools.
    pub total: Decimal,
    /// The base's parts by category; every category present, zero when it has none.
    pub by_category: BTreeMap<Category, Decimal>,
}

impl<'a> Base<'a> {
    pub fn new(period: &'a Period) -> Self {
        let mut funders: Vec<&FunderNet> = period
            .funders
            .iter()
            .filter(|f| f.net > Decimal::ZERO)
            .collect();
        sort_canonically(&mut funders);
        let mut pools: Vec<&PoolNet> = period
            .pools
            .iter()
            .filter(|p| p.net > Decimal::ZERO)
            .collect();
        pools.sort_by(|a, b| {
            (a.category, a.net, a.restricted).cmp(&(b.category, b.net, b.restricted))
        });

        let mut excluded: Vec<ExcludedFunder> = period
            .funders
            .iter()
            .filter(|f| f.net <= Decimal::ZERO)
            .map(|f| ExcludedFunder {
                key: Some(f.key.clone()),
                name: f.name.clone(),
                category: f.category,
                net: f.net,
            })
            .chain(
                period
                    .pools
                    .iter()
                    .filter(|p| p.net < Decimal::ZERO)
                    .map(|p| ExcludedFunder {
                        key: None,
                        name: format!("dispersed {} givers", p.category.as_str()),
                        category: p.category,
                        net: p.net,
                    }),
            )
            .collect();
        excluded.sort_by(|a, b| {
            (a.net, &a.name, &a.key, a.category).cmp(&(b.net, &b.name, &b.key, b.category))
        });

        let mut by_category: BTreeMap<Category, Decimal> = Category::ALL
            .into_iter()
            .map(|c| (c, Decimal::ZERO))
            .collect();
        let parts = funders
            .iter()
            .map(|f| (f.category, f.net))
            .chain(pools.iter().map(|p| (p.category, p.net)));
        for (category, net) in parts {
            let slot = by_category.entry(category).or_insert(Decimal::ZERO);
            *slot = slot.saturating_add(net);
        }
        let total = by_category
            .values()
            .fold(Decimal::ZERO, |acc, v| acc.saturating_add(*v));
        Base {
            funders,
            pools,
            excluded,
            total,
            by_category,
        }
    }

    /// True when the base is positive, so that shares are defined.
    pub fn defined(&self) -> bool {
        self.total > Decimal::ZERO
    }

    /// `amount / base` as an f64, divided in Decimal; `None` when the base is not positive.
    pub fn share(&self, amount: Decimal) -> Option<f64> {
        ratio(amount, self.total)
    }

    /// `amount / base` in Decimal; `None` when the base is not positive.
    pub fn share_dec(&self, amount: Decimal) -> Option<Decimal> {
        if self.defined() {
            amount.checked_div(self.total)
        } else {
            None
        }
    }

    /// Σ of the positive pools.
    pub fn pooled(&self) -> Decimal {
        sum(self.pools.iter().map(|p| p.net))
    }
}

/// The restricted part of a positive net, clamped to `0..=net` (refunds can leave a funder's
/// restricted gifts larger than its net, or an unrestricted refund can make it negative).
pub(crate) fn restricted_part(net: Decimal, restricted: Decimal) -> Decimal {
    if net <= Decimal::ZERO {
        return Decimal::ZERO;
    }
    restricted.clamp(Decimal::ZERO, net)
}

/// Sum of money that saturates at `Decimal::MAX` (about 7.9 × 10²⁸) instead of panicking.
pub(crate) fn sum(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, Decimal::saturating_add)
}

/// Sorts funders into [`canonical`] order. Nets are compared as integers of one common scale
/// when every net fits one (money always does): a decimal comparison rescales on every call,
/// and a period can have thousands of funders. Ties of net fall back to [`canonical`].
pub(crate) fn sort_canonically(funders: &mut [&FunderNet]) {
    let Some(units) = common_units(funders.iter().map(|f| f.net)) else {
        funders.sort_by(|a, b| canonical(a, b));
        return;
    };
    let mut keyed: Vec<(i128, &FunderNet)> =
        units.into_iter().zip(funders.iter().copied()).collect();
    keyed.sort_by(|(na, a), (nb, b)| nb.cmp(na).then_with(|| canonical(a, b)));
    for (slot, (_, f)) in funders.iter_mut().zip(keyed) {
        *slot = f;
    }
}

/// `values` as integers of units of their largest scale, or `None` when one does not fit
/// 128 bits at that scale. Integers compare as the decimals do.
fn common_units(values: impl Iterator<Item = Decimal> + Clone) -> Option<Vec<i128>> {
    let scale = values.clone().map(|v| v.scale()).max().unwrap_or(0);
    values
        .map(|v| up(v.mantissa(), scale - v.scale()))
        .collect()
}

/// Funders by net descending, then name, then key; the remaining fields only break full ties.
pub(crate) fn canonical(a: &FunderNet, b: &FunderNet) -> Ordering {
    b.net
        .cmp(&a.net)
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.key.cmp(&b.key))
        .then_with(|| a.category.cmp(&b.category))
        .then_with(|| a.restricted.cmp(&b.restricted))
        .then_with(|| a.advocacy_target.cmp(&b.advocacy_target))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn funder(key: usize, net: Decimal) -> FunderNet {
        FunderNet {
            key: format!("k{key}"),
            name: ["Acme Ltd", "Kelsall Trust", "Acme Ltd"][key % 3].to_string(),
            category: Category::Foundation,
            net,
            restricted: Decimal::ZERO,
            advocacy_target: false,
        }
    }

    proptest! {
        #[test]
        fn integer_keys_sort_as_decimals_compare(
            nets in proptest::collection::vec((0i64..2_000, 0u32..4), 0..40),
            huge in any::<bool>(),
        ) {
            let mut all: Vec<FunderNet> = nets
                .iter()
                .enumerate()
                .map(|(i, (m, s))| funder(i, Decimal::new(*m, *s)))
                .collect();
            if huge {
                // Past 128 bits at the common scale: sorted by comparing decimals.
                all.push(funder(all.len(), Decimal::MAX));
                all.push(funder(all.len(), Decimal::new(1, 28)));
            }
            let mut fast: Vec<&FunderNet> = all.iter().collect();
            sort_canonically(&mut fast);
            let mut slow: Vec<&FunderNet> = all.iter().collect();
            slow.sort_by(|a, b| canonical(a, b));
            let keys = |v: &[&FunderNet]| v.iter().map(|f| f.key.clone()).collect::<Vec<_>>();
            prop_assert_eq!(keys(&fast), keys(&slow));
        }
    }
}
