//! Loss scenarios: how much income is left if the largest funder, or the largest category,
//! stops giving, and, when the settings give annual expenditure and reserves, how many months
//! the reserves would bridge the gap. Pure; the income is the period's share base, so the
//! runway is only meaningful for a one-year period.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;
use serde::Serialize;

use super::base::Base;
use super::compute::Metrics;
use super::settings::Settings;
use super::{finite, ratio, ser_ratio, Period};

/// The two loss scenarios of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stress {
    /// The share base the scenarios start from.
    pub income: Decimal,
    pub annual_expenditure: Option<Decimal>,
    pub reserves: Option<Decimal>,
    /// The largest identified funder stops; `null` when there is none.
    pub largest_funder: Option<LossScenario>,
    /// The largest category (funders and pools) stops; `null` when the base is zero.
    pub largest_category: Option<LossScenario>,
}

/// What is left after one source stops.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LossScenario {
    /// The funder's name or the category's name.
    pub lost: String,
    pub lost_income: Decimal,
    /// `income − lost_income`.
    pub remaining_income: Decimal,
    /// `remaining_income / income`.
    #[serde(serialize_with = "ser_ratio")]
    pub remaining_share: Option<f64>,
    /// `reserves / ((annual_expenditure − remaining_income) / 12)`; `null` when either setting is
    /// missing or when the remaining income covers expenditure.
    #[serde(serialize_with = "ser_ratio")]
    pub runway_months: Option<f64>,
    /// `remaining_income >= annual_expenditure`; `null` when expenditure is not set.
    pub covered: Option<bool>,
}

/// Runs both loss scenarios. `metrics` must be [`super::compute`] of the same `period`; its
/// share base is the income the scenarios start from.
#[must_use]
pub fn stress(period: &Period, metrics: &Metrics, settings: &Settings) -> Stress {
    let base = Base::new(period);
    let income = metrics.share_base;
    let expenditure = settings.stress.annual_expenditure;
    let reserves = settings.stress.reserves;
    let scenario =
        |lost: String, lost_income: Decimal| loss(income, lost, lost_income, expenditure, reserves);
    let largest_funder = base
        .funders
        .first()
        .filter(|_| income > Decimal::ZERO)
        .map(|f| scenario(f.name.clone(), f.net));
    let largest_category = metrics
        .by_category
        .iter()
        .filter(|(_, v)| **v > Decimal::ZERO)
        .fold(None, |best: Option<(_, Decimal)>, (c, v)| match best {
            Some((_, b)) if b >= *v => best,
            _ => Some((*c, *v)),
        })
        .filter(|_| income > Decimal::ZERO)
        .map(|(c, v)| scenario(c.as_str().to_owned(), v));
    Stress {
        income,
        annual_expenditure: expenditure,
        reserves,
        largest_funder,
        largest_category,
    }
}

fn loss(
    income: Decimal,
    lost: String,
    lost_income: Decimal,
    expenditure: Option<Decimal>,
    reserves: Option<Decimal>,
) -> LossScenario {
    let remaining = income.saturating_sub(lost_income);
    let covered = expenditure.map(|e| remaining >= e);
    let runway_months = match (expenditure, reserves, covered) {
        (Some(e), Some(r), Some(false)) => runway(e, r, remaining),
        _ => None,
    };
    LossScenario {
        lost,
        lost_income,
        remaining_income: remaining,
        remaining_share: ratio(remaining, income),
        runway_months,
        covered,
    }
}

/// Months the reserves last: reserves / ((expenditure − remaining) / 12), with the shortfall
/// positive. Negative reserves (rejected by [`Settings::validate`]) count as none.
fn runway(expenditure: Decimal, reserves: Decimal, remaining: Decimal) -> Option<f64> {
    let monthly_shortfall = expenditure
        .checked_sub(remaining)?
        .checked_div(Decimal::from(12))?;
    if monthly_shortfall <= Decimal::ZERO {
        return None;
    }
    let months = reserves.max(Decimal::ZERO).checked_div(monthly_shortfall)?;
    months.to_f64().and_then(finite)
}

#[cfg(test)]
mod tests {
    use super::super::{compute, FunderNet, PoolNet};
    use super::*;
    use crate::ledger::Category;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal literal")
    }

    fn funder(name: &str, category: Category, net: &str) -> FunderNet {
        FunderNet {
            key: name.to_lowercase(),
            name: name.to_owned(),
            category,
            net: dec(net),
            restricted: Decimal::ZERO,
            advocacy_target: false,
        }
    }

    fn worked_example() -> Period {
        // Base 100,000: Ministry 40,000 + Agency 20,000 (government 60,000), Trust 25,000,
        // community pool 15,000.
        Period {
            funders: vec![
                funder("Ministry", Category::Government, "40000"),
                funder("Agency", Category::Government, "20000"),
                funder("Trust", Category::Foundation, "25000"),
            ],
            pools: vec![PoolNet {
                category: Category::Community,
                net: dec("15000"),
                restricted: Decimal::ZERO,
            }],
            total: dec("100000"),
        }
    }

    fn run(expenditure: Option<&str>, reserves: Option<&str>) -> Stress {
        let period = worked_example();
        let mut settings = Settings::default();
        settings.stress.annual_expenditure = expenditure.map(dec);
        settings.stress.reserves = reserves.map(dec);
        let m = compute(&period, &settings);
        stress(&period, &m, &settings)
    }

    #[test]
    fn worked_example_with_runway() {
        // Expenditure 96,000, reserves 18,000.
        // Largest funder (Ministry 40,000) stops: 60,000 left, shortfall 36,000/yr = 3,000/month,
        // runway 18,000 / 3,000 = 6 months.
        // Largest category (government 60,000) stops: 40,000 left, shortfall 56,000/yr,
        // 4,666.67/month, runway 18,000 × 12 / 56,000 = 3.857142857… months.
        let s = run(Some("96000"), Some("18000"));
        let f = s.largest_funder.expect("largest funder");
        assert_eq!(f.lost, "Ministry");
        assert_eq!(f.lost_income, dec("40000"));
        assert_eq!(f.remaining_income, dec("60000"));
        assert_eq!(f.remaining_share, Some(0.6));
        assert_eq!(f.covered, Some(false));
        assert_eq!(f.runway_months, Some(6.0));
        let c = s.largest_category.expect("largest category");
        assert_eq!(c.lost, "government");
        assert_eq!(c.remaining_income, dec("40000"));
        assert_eq!(c.remaining_share, Some(0.4));
        let months = c.runway_months.expect("runway");
        assert!(
            (months - 18_000.0 * 12.0 / 56_000.0).abs() < 1e-12,
            "{months}"
        );
    }

    #[test]
    fn covered_when_what_is_left_pays_for_everything() {
        let s = run(Some("60000"), Some("18000"));
        let f = s.largest_funder.expect("largest funder");
        assert_eq!(f.covered, Some(true));
        assert_eq!(f.runway_months, None);
        let c = s.largest_category.expect("largest category");
        assert_eq!(c.covered, Some(false));
        // Shortfall 20,000/yr → 1,666.67/month → 10.8 months.
        assert!((c.runway_months.expect("runway") - 10.8).abs() < 1e-12);
    }

    #[test]
    fn runway_is_null_without_both_settings() {
        for (e, r) in [(None, None), (Some("96000"), None), (None, Some("18000"))] {
            let s = run(e, r);
            let f = s.largest_funder.expect("largest funder");
            assert_eq!(f.runway_months, None);
            assert_eq!(f.remaining_share, Some(0.6));
            assert_eq!(f.covered, e.map(|_| false));
        }
    }

    #[test]
    fn zero_reserves_last_zero_months() {
        let s = run(Some("96000"), Some("0"));
        assert_eq!(s.largest_funder.expect("largest").runway_months, Some(0.0));
    }

    #[test]
    fn zero_base_has_no_scenarios() {
        let period = Period {
            funders: vec![funder("Gone", Category::Corporate, "-5")],
            ..Period::default()
        };
        let settings = Settings::default();
        let m = compute(&period, &settings);
        let s = stress(&period, &m, &settings);
        assert_eq!(s.largest_funder, None);
        assert_eq!(s.largest_category, None);
    }

    #[test]
    fn only_a_pool_has_a_category_scenario_but_no_funder_scenario() {
        let period = Period {
            pools: vec![PoolNet {
                category: Category::Crowdsourced,
                net: dec("500"),
                restricted: Decimal::ZERO,
            }],
            total: dec("500"),
            ..Period::default()
        };
        let settings = Settings::default();
        let s = stress(&period, &compute(&period, &settings), &settings);
        assert_eq!(s.largest_funder, None);
        let c = s.largest_category.expect("category");
        assert_eq!(c.lost, "crowdsourced");
        assert_eq!(c.remaining_income, Decimal::ZERO);
        assert_eq!(c.remaining_share, Some(0.0));
    }
}
