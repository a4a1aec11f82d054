//! Aggregation: ledger entries and their classification → net totals per funder and pool,
//! for the whole ledger and each fiscal year, as [`Period`]s for the metrics.
//!
//! The group-bys run in polars (lazy) over exact decimal columns; every total is recomputed
//! with `rust_decimal` and the two must agree to the penny, or the run stops.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use rust_decimal::Decimal;

use crate::ledger::classify::Classification;
use crate::ledger::sum::ExactSum;
use crate::ledger::{Category, Ledger};
use crate::metrics::{FunderNet, Period, PoolNet};

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
}

/// Why aggregation failed: a disagreement between polars and exact arithmetic is a bug.
#[derive(Debug, thiserror::Error)]
pub enum AggregateError {
    #[error("internal error: the table engine failed: {0}")]
    Polars(#[from] PolarsError),
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

/// Aggregates `ledger` by fiscal year and funder (or pool).
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
    let scale = ledger
        .entries
        .iter()
        .map(|e| e.amount.scale())
        .max()
        .unwrap_or(2);
    // The exact sums run on a second thread while polars sums the same rows.
    let (exact, by_polars) = std::thread::scope(|scope| {
        let exact = scope.spawn(|| exact_sums(ledger, classes));
        let by_polars = polars_sums(ledger, classes, scale, slice_rows);
        (exact.join(), by_polars)
    });
    let exact = exact.map_err(|_| AggregateError::Mismatch("the exact sums failed".into()))?;
    let by_polars = by_polars?;
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
    if total_polars != ledger.total_included() {
        return Err(AggregateError::Mismatch(format!(
            "{total_polars} vs {}",
            ledger.total_included()
        )));
    }
    Ok(build_periods(ledger, classes, names, &by_polars))
}

/// Net and restricted sums per (fiscal year, group), added exactly in `rust_decimal`.
fn exact_sums(ledger: &Ledger, classes: &Classification) -> BTreeMap<(i32, i64), Nets> {
    let mut exact: HashMap<(i32, i64), [ExactSum; 2], foldhash::fast::RandomState> =
        HashMap::default();
    let rows = ledger
        .entries
        .iter()
        .zip(&classes.entry_funder)
        .zip(&classes.entry_category);
    for ((e, f), c) in rows {
        let slot = exact.entry((e.fiscal_year, group_of(*f, *c))).or_default();
        slot[0].add(e.amount);
        if e.restricted != Some(false) {
            slot[1].add(e.amount);
        }
    }
    exact
        .into_iter()
        .map(|(k, [net, restricted])| {
            let nets = Nets {
                net: net.value(),
                restricted: restricted.value(),
            };
            (k, nets)
        })
        .collect()
}

/// The same sums by polars. Rows go to polars a slice at a time, so the columns of a
/// million-row ledger are never all held at once; the slices' group sums are added exactly.
/// Each row's fiscal year and group are packed into one key (a year's place among the years
/// seen, then the group), so that polars groups by a single integer column.
fn polars_sums(
    ledger: &Ledger,
    classes: &Classification,
    scale: u32,
    slice_rows: usize,
) -> Result<BTreeMap<(i32, i64), Nets>, AggregateError> {
    let mut by_polars: BTreeMap<(i32, i64), Nets> = BTreeMap::new();
    let mut years = Years::default();
    let n = ledger.entries.len();
    for start in (0..n).step_by(slice_rows.max(1)) {
        let end = n.min(start + slice_rows.max(1));
        let slice = ledger.entries[start..end]
            .iter()
            .zip(&classes.entry_funder[start..end])
            .zip(&classes.entry_category[start..end]);
        let mut key = Vec::with_capacity(end - start);
        let mut amount = Vec::with_capacity(end - start);
        let mut restricted = Vec::with_capacity(end - start);
        let mut small = true;
        for ((e, f), c) in slice {
            let m = mantissa(e.amount, scale)?;
            small &= m.unsigned_abs() <= SMALL;
            key.push(pack(years.place(e.fiscal_year), group_of(*f, *c))?);
            amount.push(m);
            restricted.push(if e.restricted == Some(false) { 0 } else { m });
        }
        for (key, nets) in group_sums(key, amount, restricted, scale, small)? {
            let (place, group) = unpack(key);
            let year = years.year(place)?;
            let slot = by_polars.entry((year, group)).or_default();
            slot.net += nets.net;
            slot.restricted += nets.restricted;
        }
    }
    Ok(by_polars)
}

/// Rows handed to polars at once.
const SLICE_ROWS: usize = 1 << 18;

/// Amounts (in units of the smallest scale) up to this size are summed by polars as 64-bit
/// integers: a slice of [`SLICE_ROWS`] of them cannot overflow.
const SMALL: u128 = 1 << 44;

/// The fiscal years seen, each with its place in the order first seen.
#[derive(Default)]
struct Years {
    places: HashMap<i32, u32, foldhash::fast::RandomState>,
    years: Vec<i32>,
    last: Option<(i32, u32)>,
}

impl Years {
    fn place(&mut self, year: i32) -> u32 {
        if let Some((y, p)) = self.last {
            if y == year {
                return p;
            }
        }
        let next = u32::try_from(self.years.len()).unwrap_or(u32::MAX);
        let place = *self.places.entry(year).or_insert(next);
        if place == next {
            self.years.push(year);
        }
        self.last = Some((year, place));
        place
    }

    fn year(&self, place: u32) -> Result<i32, AggregateError> {
        usize::try_from(place)
            .ok()
            .and_then(|p| self.years.get(p).copied())
            .ok_or_else(|| AggregateError::Mismatch(format!("an unknown year key {place}")))
    }
}

/// Groups are funder indices (below 2³²) or pools (small negatives).
const GROUP_BIAS: i64 = 1 << 32;

fn pack(place: u32, group: i64) -> Result<i64, AggregateError> {
    let biased = group + GROUP_BIAS;
    if !(0..2 * GROUP_BIAS).contains(&biased) {
        return Err(AggregateError::Overflow(format!("group {group}")));
    }
    Ok((i64::from(place) << 33) | biased)
}

fn unpack(key: i64) -> (u32, i64) {
    let place = u32::try_from(key >> 33).unwrap_or(u32::MAX);
    (place, (key & (2 * GROUP_BIAS - 1)) - GROUP_BIAS)
}

/// Net and restricted sums per key, by polars: as 64-bit integers when every amount is
/// `small`, else as 128-bit decimals.
fn group_sums(
    key: Vec<i64>,
    amount: Vec<i128>,
    restricted: Vec<i128>,
    scale: u32,
    small: bool,
) -> Result<BTreeMap<i64, Nets>, AggregateError> {
    let digits = usize::try_from(scale).unwrap_or(28);
    let money = |name: &str, values: Vec<i128>| -> Result<Column, AggregateError> {
        if small {
            let values: Vec<i64> = values
                .into_iter()
                .map(|v| i64::try_from(v).unwrap_or(i64::MAX))
                .collect();
            return Ok(Column::new(name.into(), values));
        }
        Ok(Int128Chunked::from_vec(name.into(), values)
            .into_decimal(38, digits)?
            .into_series()
            .into_column())
    };
    let df = DataFrame::new_infer_height(vec![
        Column::new("key".into(), key),
        money("amount", amount)?,
        money("restricted", restricted)?,
    ])?;
    let grouped = df
        .lazy()
        .group_by([col("key")])
        .agg([col("amount").sum(), col("restricted").sum()])
        .collect()?;
    read_groups(&grouped, scale)
}

fn mantissa(amount: Decimal, scale: u32) -> Result<i128, AggregateError> {
    let factor = 10i128.pow(scale - amount.scale());
    amount
        .mantissa()
        .checked_mul(factor)
        .ok_or_else(|| AggregateError::Overflow(amount.to_string()))
}

fn read_groups(df: &DataFrame, scale: u32) -> Result<BTreeMap<i64, Nets>, AggregateError> {
    let key = df.column("key")?.i64()?;
    let amount = df.column("amount")?.as_materialized_series().clone();
    let restricted = df.column("restricted")?.as_materialized_series().clone();
    let mut out = BTreeMap::new();
    for i in 0..df.height() {
        let Some(k) = key.get(i) else {
            return Err(AggregateError::Mismatch("a null key".into()));
        };
        out.insert(
            k,
            Nets {
                net: decimal_at(&amount, i, scale)?,
                restricted: decimal_at(&restricted, i, scale)?,
            },
        );
    }
    Ok(out)
}

/// Row `i` of a sum column: a decimal, or a 64-bit integer of units of `scale`.
fn decimal_at(s: &Series, i: usize, scale: u32) -> Result<Decimal, AggregateError> {
    match s.get(i)? {
        AnyValue::Decimal(v, _, scale) => {
            let scale = u32::try_from(scale).unwrap_or(u32::MAX);
            Decimal::try_from_i128_with_scale(v, scale)
                .map_err(|e| AggregateError::Overflow(e.to_string()))
        }
        AnyValue::Int64(v) => Decimal::try_from_i128_with_scale(i128::from(v), scale)
            .map_err(|e| AggregateError::Overflow(e.to_string())),
        AnyValue::Null => Ok(Decimal::ZERO),
        other => Err(AggregateError::Mismatch(format!(
            "unexpected value {other:?}"
        ))),
    }
}

fn build_periods(
    ledger: &Ledger,
    classes: &Classification,
    names: &[String],
    groups: &BTreeMap<(i32, i64), Nets>,
) -> Aggregates {
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
    let _ = ledger;
    Aggregates {
        overall: period(&overall),
        years: per_year
            .iter()
            .map(|(y, nets)| (*y, period(nets)))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::ledger::classify::{classify, ClassifyOptions};
    use crate::ledger::{CellRef, Entry};

    #[test]
    fn keys_unpack_to_their_year_and_group() {
        for place in [0u32, 1, 7, 1 << 20] {
            for group in [-8i64, -1, 0, 1, 4_999, (1 << 32) - 1] {
                assert_eq!(unpack(pack(place, group).unwrap()), (place, group));
            }
        }
        assert!(pack(0, 1 << 32).is_err());
    }

    #[test]
    fn large_amounts_are_summed_as_decimals() {
        let amounts = ["999999999999999999.99", "0.01", "-12.50", "123456789012.34"];
        let entries: Vec<Entry> = (0..8u32)
            .map(|i| Entry {
                at: CellRef {
                    source: 0,
                    sheet: None,
                    col: 2,
                    row: i + 2,
                },
                date: None,
                fiscal_year: 2023 + i32::try_from(i % 2).unwrap(),
                amount: Decimal::from_str(amounts[i as usize % amounts.len()]).unwrap(),
                currency: None,
                funder: Some("Kelsall Trust".into()),
                funder_id: None,
                category: Some("foundation".into()),
                restricted: Some(i % 3 == 0),
                description: None,
            })
            .collect();
        let ledger = Ledger {
            entries,
            ..Ledger::default()
        };
        let classes = classify(&ledger, &ClassifyOptions::default());
        let names: Vec<String> = classes.funders.iter().map(|f| f.name.clone()).collect();
        let whole = aggregate_in_slices(&ledger, &classes, &names, SLICE_ROWS).unwrap();
        // Slices of one row are summed as 64-bit integers but for the largest amount.
        let sliced = aggregate_in_slices(&ledger, &classes, &names, 1).unwrap();
        assert_eq!(sliced, whole);
        let total: Decimal = whole.years.iter().map(|(_, p)| p.total).sum();
        assert_eq!(total, ledger.total_included());
        assert_eq!(whole.overall.total.to_string(), "2000000246913577999.68");
    }

    #[test]
    fn slices_of_any_size_give_the_same_sums() {
        let funders = [
            "Westshire Council",
            "Kelsall Trust",
            "Acme Ltd",
            "Jo Bloggs",
        ];
        let categories = ["government", "foundation", "corporate", "community"];
        let entries: Vec<Entry> = (0..40u32)
            .map(|i| {
                let k = (i as usize * 7) % funders.len();
                Entry {
                    at: CellRef {
                        source: 0,
                        sheet: None,
                        col: 2,
                        row: i + 2,
                    },
                    date: None,
                    fiscal_year: 2022 + i32::try_from(i % 3).unwrap(),
                    amount: Decimal::from_str(&format!("{}.{:02}", 100 + i * 37, i % 100)).unwrap()
                        * if i % 9 == 0 {
                            -Decimal::ONE
                        } else {
                            Decimal::ONE
                        },
                    currency: None,
                    funder: (i % 5 != 0).then(|| funders[k].into()),
                    funder_id: None,
                    category: Some(categories[k].into()),
                    restricted: [None, Some(true), Some(false)]
                        .get(i as usize % 3)
                        .copied()
                        .flatten(),
                    description: None,
                }
            })
            .collect();
        let ledger = Ledger {
            entries,
            ..Ledger::default()
        };
        let classes = classify(&ledger, &ClassifyOptions::default());
        let names: Vec<String> = classes.funders.iter().map(|f| f.name.clone()).collect();
        let whole = aggregate_in_slices(&ledger, &classes, &names, SLICE_ROWS).unwrap();
        assert!(!whole.years.is_empty());
        for slice in [1, 3, 7, 39, 40] {
            let sliced = aggregate_in_slices(&ledger, &classes, &names, slice).unwrap();
            assert_eq!(sliced, whole, "slices of {slice}");
        }
    }
}
