//! Aggregation: ledger entries and their classification → net totals per funder and pool,
//! for the whole ledger and each fiscal year, as [`Period`]s for the metrics.
//!
//! The group-bys run in polars (lazy, in `by_polars`) over exact integer or decimal columns;
//! every total is recomputed exactly here ([`ExactSum`]: what `rust_decimal` would give) and
//! the two must agree to the penny, or the run stops. [`aggregate`] does both at once; an
//! analysis can instead take the exact aggregates ([`exact_aggregates`]) and compute the
//! metrics from them while polars sums the groups on another thread ([`polars_groups`]),
//! then [`agree`] before anything is shown.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use crate::ledger::classify::Classification;
use crate::ledger::sum::ExactSum;
use crate::ledger::{Category, Ledger};
use crate::metrics::{FunderNet, Period, PoolNet};
use by_polars::{polars_sums, SLICE_ROWS};

mod by_polars;

/// Nets of one group (a funder or a pool) in one period.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Nets {
    net: Decimal,
    restricted: Decimal,
}

/// Net totals for the whole ledger and for each fiscal year (in order).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Aggregates {
    pub overall: Period,
    pub years: Vec<(i32, Period)>,
    /// Every entry's amount: the value of `Ledger::total_included`, from the exact group sums
    /// that check polars'.
    pub included: Decimal,
    /// The amounts of the entries classified as unclassified: the value of
    /// `Classification::unclassified_total`, from the same sums.
    pub unclassified: Decimal,
}

/// Why aggregation failed: a disagreement between polars and exact arithmetic is a bug.
#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    #[error("internal error: the table engine failed: {0}")]
    Polars(#[from] polars::prelude::PolarsError),
    #[error("internal error: totals disagree ({0}); please report this with the ledger")]
    Mismatch(String),
    #[error("an amount is too large to add up exactly ({0})")]
    Overflow(String),
}

/// A group key: funder index ≥ 0, or a pool as −1 − category index.
fn group_of(funder: Option<usize>, category: Category) -> i64 {
    match funder {
        Some(i) => i64::try_from(i).unwrap_or(i64::MAX),
        None => {
            let c = Category::ALL
                .iter()
                .position(|x| *x == category)
                .unwrap_or(0);
            -1 - i64::try_from(c).unwrap_or(0)
        }
    }
}

fn pool_category(group: i64) -> Category {
    let index = usize::try_from(-1 - group).unwrap_or(0);
    Category::ALL
        .get(index)
        .copied()
        .unwrap_or(Category::Unclassified)
}

/// Aggregates `ledger` by fiscal year and funder (or pool): the exact sums, checked against
/// polars' (both at once, on two threads).
///
/// `names` gives each funder's display name (private individuals already hidden).
///
/// # Errors
/// When polars fails or its totals differ from the exact ones.
pub fn aggregate(
    ledger: &Ledger,
    classes: &Classification,
    names: &[String],
) -> Result<Aggregates, AggregateError> {
    aggregate_in_slices(ledger, classes, names, SLICE_ROWS)
}

fn aggregate_in_slices(
    ledger: &Ledger,
    classes: &Classification,
    names: &[String],
    slice_rows: usize,
) -> Result<Aggregates, AggregateError> {
    // The exact sums run on a second thread while polars sums the same rows.
    let (exact, by_polars) = std::thread::scope(|scope| {
        let exact = scope.spawn(|| exact_aggregates(ledger, classes, names));
        let by_polars = polars_groups_in_slices(ledger, classes, slice_rows);
        (exact.join(), by_polars)
    });
    let (aggregates, exact) =
        exact.map_err(|_| AggregateError::Mismatch("the exact sums failed".into()))??;
    agree(&exact, &by_polars?, aggregates.included)?;
    Ok(aggregates)
}

/// Sums per (fiscal year, group), by one route or the other, to be compared by [`agree`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupSums(BTreeMap<(i32, i64), Nets>);

/// The aggregates by exact arithmetic alone, with their group sums for [`agree`]: the
/// metrics can be computed from them while polars sums the same rows ([`polars_groups`]).
///
/// # Errors
/// When the classification does not cover every entry.
pub fn exact_aggregates(
    ledger: &Ledger,
    classes: &Classification,
    names: &[String],
) -> Result<(Aggregates, GroupSums), AggregateError> {
    covered(ledger, classes)?;
    let Exact {
        groups,
        included,
        unclassified,
    } = exact_sums(ledger, classes);
    let (overall, years) = build_periods(classes, names, &groups);
    let aggregates = Aggregates {
        overall,
        years,
        included,
        unclassified,
    };
    Ok((aggregates, GroupSums(groups)))
}

/// The same group sums by polars (lazy group-bys over slices of rows).
///
/// # Errors
/// When polars fails or the classification does not cover every entry.
pub fn polars_groups(
    ledger: &Ledger,
    classes: &Classification,
) -> Result<GroupSums, AggregateError> {
    polars_groups_in_slices(ledger, classes, SLICE_ROWS)
}

fn polars_groups_in_slices(
    ledger: &Ledger,
    classes: &Classification,
    slice_rows: usize,
) -> Result<GroupSums, AggregateError> {
    covered(ledger, classes)?;
    polars_sums(ledger, classes, slice_rows).map(GroupSums)
}

/// Whether the exact group sums and polars' agree to the penny, and polars' add up to the
/// ledger's `included` total.
///
/// # Errors
/// [`AggregateError::Mismatch`], naming the first group that differs.
pub fn agree(
    exact: &GroupSums,
    by_polars: &GroupSums,
    included: Decimal,
) -> Result<(), AggregateError> {
    let (exact, by_polars) = (&exact.0, &by_polars.0);
    if by_polars != exact {
        let detail = exact
            .iter()
            .find(|(k, v)| by_polars.get(k) != Some(v))
            .map_or_else(
                || "a group is missing".to_string(),
                |(k, v)| {
                    format!(
                        "FY{} group {}: exact {} vs {:?}",
                        k.0,
                        k.1,
                        v.net,
                        by_polars.get(k)
                    )
                },
            );
        return Err(AggregateError::Mismatch(detail));
    }
    let total_polars: Decimal = by_polars.values().map(|n| n.net).sum();
    if total_polars != included {
        return Err(AggregateError::Mismatch(format!(
            "{total_polars} vs {included}"
        )));
    }
    Ok(())
}

fn covered(ledger: &Ledger, classes: &Classification) -> Result<(), AggregateError> {
    if classes.entry_funder.len() != ledger.entries.len()
        || classes.entry_category.len() != ledger.entries.len()
    {
        return Err(AggregateError::Mismatch(
            "the classification does not cover every entry".into(),
        ));
    }
    Ok(())
}

/// What the exact pass over the entries gives: sums per (fiscal year, group), the ledger's
/// total and its unclassified total.
struct Exact {
    groups: BTreeMap<(i32, i64), Nets>,
    included: Decimal,
    unclassified: Decimal,
}

/// Net and restricted sums per (fiscal year, group), added exactly as `rust_decimal` adds,
/// in ledger order; the ledger's total and its unclassified total are made from them (the
/// value of the rows' sums; only the scale of a sum that cancelled on the way may differ,
/// and money is shown normalised).
fn exact_sums(ledger: &Ledger, classes: &Classification) -> Exact {
    // One slot per pool, then one per funder, for each year: found by index, not hashed.
    let pools = Category::ALL.len();
    let slots = pools + classes.funders.len();
    let mut years: Vec<(i32, Vec<Option<[ExactSum; 2]>>)> = Vec::new();
    let mut year = 0;
    let rows = ledger
        .entries
        .iter()
        .zip(&classes.entry_funder)
        .zip(&classes.entry_category);
    for ((e, f), c) in rows {
        if years.get(year).is_none_or(|(y, _)| *y != e.fiscal_year) {
            year = match years.iter().position(|(y, _)| *y == e.fiscal_year) {
                Some(i) => i,
                None => {
                    years.push((e.fiscal_year, vec![None; slots]));
                    years.len() - 1
                }
            };
        }
        let slot = match f {
            Some(i) => pools + i,
            None => Category::ALL.iter().position(|x| x == c).unwrap_or(0),
        };
        let Some(sums) = years[year].1.get_mut(slot) else {
            continue;
        };
        let sums = sums.get_or_insert_default();
        sums[0].add(e.amount);
        if e.restricted != Some(false) {
            sums[1].add(e.amount);
        }
    }
    let mut exact = BTreeMap::new();
    let mut total = ExactSum::default();
    let mut unclassified = ExactSum::default();
    for (y, sums) in years {
        for (slot, s) in sums.into_iter().enumerate() {
            let Some([net, restricted]) = s else { continue };
            let (group, category) = match slot.checked_sub(pools) {
                Some(fi) => (
                    group_of(Some(fi), Category::Unclassified),
                    classes
                        .funders
                        .get(fi)
                        .map_or(Category::Unclassified, |f| f.category),
                ),
                None => {
                    let pool = Category::ALL[slot];
                    (group_of(None, pool), pool)
                }
            };
            total.add_sum(&net);
            if category == Category::Unclassified {
                unclassified.add_sum(&net);
            }
            let nets = Nets {
                net: net.value(),
                restricted: restricted.value(),
            };
            exact.insert((y, group), nets);
        }
    }
    Exact {
        groups: exact,
        included: total.value(),
        unclassified: unclassified.value(),
    }
}

/// The whole ledger's period and each year's, from the group sums.
fn build_periods(
    classes: &Classification,
    names: &[String],
    groups: &BTreeMap<(i32, i64), Nets>,
) -> (Period, Vec<(i32, Period)>) {
    let mut per_year: BTreeMap<i32, BTreeMap<i64, Nets>> = BTreeMap::new();
    let mut overall: BTreeMap<i64, Nets> = BTreeMap::new();
    for (&(y, g), n) in groups {
        let slot = per_year.entry(y).or_default().entry(g).or_default();
        slot.net += n.net;
        slot.restricted += n.restricted;
        let all = overall.entry(g).or_default();
        all.net += n.net;
        all.restricted += n.restricted;
    }
    let period = |nets: &BTreeMap<i64, Nets>| -> Period {
        let mut p = Period::default();
        for (&g, n) in nets {
            p.total += n.net;
            if g < 0 {
                p.pools.push(PoolNet {
                    category: pool_category(g),
                    net: n.net,
                    restricted: n.restricted,
                });
            } else if let Some(f) = usize::try_from(g)
                .ok()
                .and_then(|i| classes.funders.get(i).map(|f| (i, f)))
            {
                let name = names.get(f.0).cloned().unwrap_or_else(|| f.1.name.clone());
                // A private individual's key holds their name: key them by the shown name.
                let key = if f.1.individual && name != f.1.name {
                    format!("private:{name}")
                } else {
                    f.1.key.clone()
                };
                p.funders.push(FunderNet {
                    key,
                    name,
                    category: f.1.category,
                    net: n.net,
                    restricted: n.restricted,
                    advocacy_target: f.1.register.as_ref().is_some_and(|r| r.advocacy_target),
                });
            }
        }
        p
    };
    (
        period(&overall),
        per_year
            .iter()
            .map(|(y, nets)| (*y, period(nets)))
            .collect(),
    )
}

#[cfg(test)]
#[path = "aggregate/tests.rs"]
mod tests;
