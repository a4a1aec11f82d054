//! The group sums by polars (lazy): a slice of rows at a time, grouped by one packed integer
//! key, summed as 64-bit units when they cannot overflow and as 128-bit decimals otherwise.

use std::collections::{BTreeMap, HashMap};

use polars::prelude::*;
use rust_decimal::Decimal;

use super::{group_of, AggregateError, Nets};
use crate::ledger::classify::Classification;
use crate::ledger::sum::up;
use crate::ledger::Ledger;

/// The same sums by polars. Rows go to polars a slice at a time, so the columns of a
/// million-row ledger are never all held at once; the slices' group sums are added exactly.
/// Each row's fiscal year and group are packed into one key (a year's place among the years
/// seen, then the group), so that polars groups by a single integer column. A slice's
/// amounts are units of the largest scale among them, found as the slice is read (no pass
/// over the ledger beforehand).
pub(super) fn polars_sums(
    ledger: &Ledger,
    classes: &Classification,
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
        let mut money = Money::Small(
            Vec::with_capacity(end - start),
            Vec::with_capacity(end - start),
        );
        let mut scale = ledger.entries.get(start).map_or(0, |e| e.amount.scale());
        for ((e, f), c) in slice {
            if e.amount.scale() > scale {
                money.rescale(e.amount.scale() - scale)?;
                scale = e.amount.scale();
            }
            let m = mantissa(e.amount, scale)?;
            key.push(pack(years.place(e.fiscal_year), group_of(*f, *c))?);
            money.push(m, if e.restricted == Some(false) { 0 } else { m });
        }
        for (key, nets) in group_sums(key, money, scale)? {
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
pub(super) const SLICE_ROWS: usize = 1 << 18;

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

pub(super) fn pack(place: u32, group: i64) -> Result<i64, AggregateError> {
    let biased = group + GROUP_BIAS;
    if !(0..2 * GROUP_BIAS).contains(&biased) {
        return Err(AggregateError::Overflow(format!("group {group}")));
    }
    Ok((i64::from(place) << 33) | biased)
}

pub(super) fn unpack(key: i64) -> (u32, i64) {
    let place = u32::try_from(key >> 33).unwrap_or(u32::MAX);
    (place, (key & (2 * GROUP_BIAS - 1)) - GROUP_BIAS)
}

/// A slice's amounts and restricted amounts, in units of the largest scale: 64-bit while
/// every one is small (their sums cannot overflow), 128-bit from the first that is not.
pub(super) enum Money {
    Small(Vec<i64>, Vec<i64>),
    Large(Vec<i128>, Vec<i128>),
}

impl Money {
    fn push(&mut self, amount: i128, restricted: i128) {
        if let Money::Small(a, r) = self {
            if amount.unsigned_abs() <= SMALL {
                // Small: both fit 64 bits (restricted is the amount or 0).
                a.push(i64::try_from(amount).unwrap_or(i64::MAX));
                r.push(i64::try_from(restricted).unwrap_or(i64::MAX));
                return;
            }
            self.widen();
        }
        if let Money::Large(a, r) = self {
            a.push(amount);
            r.push(restricted);
        }
    }

    /// From 64-bit to 128-bit units.
    fn widen(&mut self) {
        if let Money::Small(a, r) = self {
            let widen = |v: &mut Vec<i64>| v.drain(..).map(i128::from).collect::<Vec<i128>>();
            *self = Money::Large(widen(a), widen(r));
        }
    }

    /// The amounts so far in units `digits` decimal places smaller: a slice's scale grew.
    pub(super) fn rescale(&mut self, digits: u32) -> Result<(), AggregateError> {
        let small = |v: &i64| up(i128::from(*v), digits).is_some_and(|x| x.unsigned_abs() <= SMALL);
        if matches!(self, Money::Small(a, _) if !a.iter().all(small)) {
            self.widen();
        }
        match self {
            Money::Small(a, r) => {
                // Every amount scaled up stays small (just checked); so does each restricted
                // amount (the amount or 0).
                let factor = 10i64.checked_pow(digits).unwrap_or(i64::MAX);
                for v in a.iter_mut().chain(r.iter_mut()) {
                    *v *= factor;
                }
            }
            Money::Large(a, r) => {
                for v in a.iter_mut().chain(r.iter_mut()) {
                    *v = up(*v, digits)
                        .ok_or_else(|| AggregateError::Overflow(format!("{v} × 10^{digits}")))?;
                }
            }
        }
        Ok(())
    }
}

/// Net and restricted sums per key, by polars: as 64-bit integers while every amount is
/// small, else as 128-bit decimals.
fn group_sums(
    key: Vec<i64>,
    money: Money,
    scale: u32,
) -> Result<BTreeMap<i64, Nets>, AggregateError> {
    let digits = usize::try_from(scale).unwrap_or(28);
    let large = |name: &str, values: Vec<i128>| -> Result<Column, AggregateError> {
        Ok(Int128Chunked::from_vec(name.into(), values)
            .into_decimal(38, digits)?
            .into_series()
            .into_column())
    };
    let (amount, restricted) = match money {
        Money::Small(a, r) => (
            Column::new("amount".into(), a),
            Column::new("restricted".into(), r),
        ),
        Money::Large(a, r) => (large("amount", a)?, large("restricted", r)?),
    };
    let df = DataFrame::new_infer_height(vec![Column::new("key".into(), key), amount, restricted])?;
    let grouped = df
        .lazy()
        .group_by([col("key")])
        .agg([col("amount").sum(), col("restricted").sum()])
        .collect()?;
    read_groups(&grouped, scale)
}

fn mantissa(amount: Decimal, scale: u32) -> Result<i128, AggregateError> {
    if amount.scale() == scale {
        return Ok(amount.mantissa());
    }
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
