//! Year-on-year trends over per-year [`Metrics`]: changes in total income and community share
//! between consecutive years, volatility of the yearly totals, and funder turnover between the
//! last two years. Pure; the caller supplies years in chronological order.

use std::collections::BTreeSet;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::compute::Metrics;
use super::{finite, ratio, ser_ratio};

/// Trends across fiscal years.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trends {
    /// Year labels in the order given.
    pub years: Vec<String>,
    /// One entry per consecutive pair of years.
    pub changes: Vec<YearChange>,
    /// Population standard deviation of yearly totals / their mean; `null` with fewer than two
    /// years or a mean of zero or less.
    #[serde(serialize_with = "ser_ratio")]
    pub total_cv: Option<f64>,
    /// The year before the latest, which turnover compares against; `null` with one year.
    pub previous_year: Option<String>,
    pub latest_year: Option<String>,
    /// |previous ∩ latest| / |previous| over funders with net > 0; `null` when the previous
    /// year had none or there is no previous year.
    #[serde(serialize_with = "ser_ratio")]
    pub funder_retention: Option<f64>,
    /// Funders in the latest year that were not in the previous one.
    pub new_funders: Option<Turnover>,
    /// Funders in the previous year that are not in the latest one.
    pub lost_funders: Option<Turnover>,
}

/// The change from one year to the next.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearChange {
    pub from: String,
    pub to: String,
    /// `total(to) − total(from)`.
    pub total_change: Decimal,
    /// `total_change / total(from)`; `null` when `total(from) <= 0`.
    #[serde(serialize_with = "ser_ratio")]
    pub total_change_relative: Option<f64>,
    /// `community_share(to) − community_share(from)`; `null` when either is undefined.
    #[serde(serialize_with = "ser_ratio")]
    pub community_share_change: Option<f64>,
}

/// Funder keys gained or lost, sorted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Turnover {
    pub count: usize,
    pub keys: Vec<String>,
}

/// Trends over `years`: (label, that year's metrics, keys of funders with net > 0 that year),
/// oldest first.
#[must_use]
pub fn trends(years: &[(String, Metrics, Vec<String>)]) -> Trends {
    let changes = years
        .windows(2)
        .filter_map(|pair| match pair {
            [(from, a, _), (to, b, _)] => Some(YearChange {
                from: from.clone(),
                to: to.clone(),
                total_change: b.total.saturating_sub(a.total),
                total_change_relative: ratio(b.total.saturating_sub(a.total), a.total),
                community_share_change: match (a.community_share, b.community_share) {
                    (Some(x), Some(y)) => finite(y - x),
                    _ => None,
                },
            }),
            _ => None,
        })
        .collect();
    let totals: Vec<Decimal> = years.iter().map(|(_, m, _)| m.total).collect();
    let last_two = match years {
        [.., (prev_label, _, prev), (last_label, _, last)] => {
            Some((prev_label, to_set(prev), last_label, to_set(last)))
        }
        _ => None,
    };
    let (previous_year, latest_year, funder_retention, new_funders, lost_funders) = match last_two {
        Some((prev_label, prev, last_label, last)) => {
            #[allow(clippy::cast_precision_loss)] // counts of funders
            let retention = (!prev.is_empty())
                .then(|| prev.intersection(&last).count() as f64 / prev.len() as f64);
            (
                Some(prev_label.clone()),
                Some(last_label.clone()),
                retention,
                Some(turnover(last.difference(&prev))),
                Some(turnover(prev.difference(&last))),
            )
        }
        None => (
            None,
            years.last().map(|(l, _, _)| l.clone()),
            None,
            None,
            None,
        ),
    };
    Trends {
        years: years.iter().map(|(l, _, _)| l.clone()).collect(),
        changes,
        total_cv: coefficient_of_variation(&totals),
        previous_year,
        latest_year,
        funder_retention,
        new_funders,
        lost_funders,
    }
}

fn to_set(keys: &[String]) -> BTreeSet<&str> {
    keys.iter().map(String::as_str).collect()
}

fn turnover<'a>(keys: impl Iterator<Item = &'a &'a str>) -> Turnover {
    let keys: Vec<String> = keys.map(|k| (*k).to_owned()).collect();
    Turnover {
        count: keys.len(),
        keys,
    }
}

/// √(Σ (xᵢ/μ − 1)² / n): the population standard deviation over the mean, computed on
/// relative deviations in Decimal so large totals cannot overflow; `None` with fewer than two
/// values or μ <= 0.
fn coefficient_of_variation(totals: &[Decimal]) -> Option<f64> {
    if totals.len() < 2 {
        return None;
    }
    let n = Decimal::from(totals.len());
    let mean = totals
        .iter()
        .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(*x))?
        .checked_div(n)?;
    if mean <= Decimal::ZERO {
        return None;
    }
    let mut squares = Decimal::ZERO;
    for x in totals {
        let d = x.checked_div(mean)?.checked_sub(Decimal::ONE)?;
        squares = squares.checked_add(d.checked_mul(d)?)?;
    }
    let variance = squares.checked_div(n)?.to_f64()?;
    finite(variance.max(0.0).sqrt())
}

#[cfg(test)]
mod tests {
    use super::super::{compute, FunderNet, Period, PoolNet, Settings};
    use super::*;
    use crate::ledger::Category;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal literal")
    }

    /// A year with one foundation funder of `funder` and a community pool of `pool`.
    fn year(
        label: &str,
        funder: &str,
        pool: &str,
        keys: &[&str],
    ) -> (String, Metrics, Vec<String>) {
        let period = Period {
            funders: vec![FunderNet {
                key: "trust".into(),
                name: "Trust".into(),
                category: Category::Foundation,
                net: dec(funder),
                restricted: Decimal::ZERO,
                advocacy_target: false,
            }],
            pools: vec![PoolNet {
                category: Category::Community,
                net: dec(pool),
                restricted: Decimal::ZERO,
            }],
            total: dec(funder) + dec(pool),
        };
        let keys = keys.iter().map(|k| (*k).to_owned()).collect();
        (
            label.to_owned(),
            compute(&period, &Settings::default()),
            keys,
        )
    }

    #[test]
    fn worked_example_over_three_years() {
        // Totals 100, 120, 80 (mean 100, deviations 0, +0.2, −0.2): CV = √(0.08/3).
        // Community shares 0.2, 0.5, 0.25.
        let years = [
            year("FY2022", "80", "20", &["a", "b"]),
            year("FY2023", "60", "60", &["a", "b", "c", "d"]),
            year("FY2024", "60", "20", &["a", "c", "e"]),
        ];
        let t = trends(&years);
        assert_eq!(t.years, ["FY2022", "FY2023", "FY2024"]);
        assert_eq!(t.changes.len(), 2);
        assert_eq!(t.changes[0].total_change, dec("20"));
        assert_eq!(t.changes[0].total_change_relative, Some(0.2));
        assert!((t.changes[0].community_share_change.expect("defined") - 0.3).abs() < 1e-12);
        assert_eq!(t.changes[1].from, "FY2023");
        assert_eq!(t.changes[1].total_change, dec("-40"));
        assert!((t.changes[1].total_change_relative.expect("defined") + 1.0 / 3.0).abs() < 1e-12);
        assert!((t.changes[1].community_share_change.expect("defined") + 0.25).abs() < 1e-12);
        assert!((t.total_cv.expect("defined") - (0.08f64 / 3.0).sqrt()).abs() < 1e-12);
        // FY2023 {a, b, c, d} → FY2024 {a, c, e}: 2 of 4 stayed, e is new, b and d are lost.
        assert_eq!(t.previous_year.as_deref(), Some("FY2023"));
        assert_eq!(t.latest_year.as_deref(), Some("FY2024"));
        assert_eq!(t.funder_retention, Some(0.5));
        assert_eq!(
            t.new_funders,
            Some(Turnover {
                count: 1,
                keys: vec!["e".into()]
            })
        );
        assert_eq!(
            t.lost_funders,
            Some(Turnover {
                count: 2,
                keys: vec!["b".into(), "d".into()]
            })
        );
    }

    #[test]
    fn one_year_has_no_changes_cv_or_turnover() {
        let t = trends(&[year("FY2024", "10", "10", &["a"])]);
        assert!(t.changes.is_empty());
        assert_eq!(t.total_cv, None);
        assert_eq!(t.previous_year, None);
        assert_eq!(t.latest_year.as_deref(), Some("FY2024"));
        assert_eq!(t.funder_retention, None);
        assert_eq!(t.new_funders, None);
        assert_eq!(t.lost_funders, None);
    }

    #[test]
    fn no_years_is_empty() {
        let t = trends(&[]);
        assert!(t.years.is_empty() && t.changes.is_empty());
        assert_eq!((t.total_cv, t.latest_year), (None, None));
    }

    #[test]
    fn growth_from_nothing_has_no_relative_change_and_no_retention() {
        let t = trends(&[
            year("FY2023", "0", "0", &[]),
            year("FY2024", "50", "50", &["a"]),
        ]);
        assert_eq!(t.changes[0].total_change, dec("100"));
        assert_eq!(t.changes[0].total_change_relative, None);
        assert_eq!(t.changes[0].community_share_change, None);
        assert_eq!(t.funder_retention, None);
        assert_eq!(t.new_funders.map(|n| n.count), Some(1));
        assert_eq!(t.total_cv, Some(1.0));
    }

    #[test]
    fn steady_income_has_zero_variation() {
        let t = trends(&[
            year("FY2023", "70", "30", &["a"]),
            year("FY2024", "50", "50", &["a"]),
        ]);
        assert_eq!(t.total_cv, Some(0.0));
        assert_eq!(t.funder_retention, Some(1.0));
        assert_eq!(t.changes[0].total_change_relative, Some(0.0));
    }
}
