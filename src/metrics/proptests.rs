//! Properties of [`super::compute`] over generated periods: category shares sum to 1, the
//! order of funders and pools changes nothing, and every ratio is finite and in range.

use proptest::prelude::*;
use rust_decimal::Decimal;

use super::compute_tests::ratios;
use super::*;
use crate::ledger::Category;

fn category() -> impl Strategy<Value = Category> {
    proptest::sample::select(Category::ALL.to_vec())
}

/// Cents from −5,000.00 to 2,000,000.00, with zero likely enough to matter.
fn money() -> impl Strategy<Value = Decimal> {
    prop_oneof![
        1 => Just(Decimal::ZERO),
        8 => (-500_000i64..200_000_000).prop_map(|c| Decimal::new(c, 2)),
    ]
}

fn funder() -> impl Strategy<Value = FunderNet> {
    ("[a-e]{1,3}", category(), money(), money(), any::<bool>()).prop_map(
        |(name, category, net, restricted, advocacy_target)| FunderNet {
            key: name.clone(),
            name,
            category,
            net,
            restricted,
            advocacy_target,
        },
    )
}

fn pool() -> impl Strategy<Value = PoolNet> {
    (
        proptest::sample::select(vec![Category::Community, Category::Crowdsourced]),
        money(),
        money(),
    )
        .prop_map(|(category, net, restricted)| PoolNet {
            category,
            net,
            restricted,
        })
}

fn period() -> impl Strategy<Value = Period> {
    (
        proptest::collection::vec(funder(), 0..12),
        proptest::collection::vec(pool(), 0..3),
    )
        .prop_map(|(funders, pools)| {
            let total = funders
                .iter()
                .map(|f| f.net)
                .chain(pools.iter().map(|p| p.net))
                .sum();
            Period {
                funders,
                pools,
                total,
            }
        })
}

/// A period and the same period with funders and pools in another order.
fn period_and_shuffle() -> impl Strategy<Value = (Period, Period)> {
    period().prop_flat_map(|p| {
        let funders = Just(p.funders.clone()).prop_shuffle();
        let pools = Just(p.pools.clone()).prop_shuffle();
        (Just(p.clone()), funders, pools).prop_map(|(p, funders, pools)| {
            let shuffled = Period {
                funders,
                pools,
                total: p.total,
            };
            (p, shuffled)
        })
    })
}

proptest! {
    #[test]
    fn category_shares_sum_to_one(p in period()) {
        let m = compute(&p, &Settings::default());
        if m.share_base > Decimal::ZERO {
            let sum: f64 = m.category_shares.values().map(|v| v.unwrap_or(f64::NAN)).sum();
            prop_assert!((sum - 1.0).abs() < 1e-9, "sum {sum}");
            let parts: Decimal = m.by_category.values().copied().sum();
            prop_assert_eq!(parts, m.share_base);
        } else {
            prop_assert!(m.category_shares.values().all(Option::is_none));
        }
    }

    #[test]
    fn permuting_funders_changes_no_metric((p, shuffled) in period_and_shuffle()) {
        let s = Settings::default();
        prop_assert_eq!(compute(&p, &s), compute(&shuffled, &s));
        prop_assert_eq!(funder_shares(&p, &s), funder_shares(&shuffled, &s));
        let (m, n) = (compute(&p, &s), compute(&shuffled, &s));
        prop_assert_eq!(stress(&p, &m, &s), stress(&shuffled, &n, &s));
        let a = serde_json::to_string(&m).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let b = serde_json::to_string(&n).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(a, b);
    }

    #[test]
    fn ratios_are_finite_and_in_range(p in period()) {
        let m = compute(&p, &Settings::default());
        for (name, value) in ratios(&m) {
            let Some(v) = value else { continue };
            prop_assert!(v.is_finite(), "{name} = {v}");
            prop_assert!(v >= 0.0, "{name} = {v}");
            let unbounded = ["effective_funders", "effective_categories", "entropy_categories_bits"];
            if !unbounded.contains(&name.as_str()) {
                prop_assert!(v <= 1.0 + 1e-12, "{name} = {v}");
            }
        }
        prop_assert_eq!(m.share_base > Decimal::ZERO, m.concentration_band.is_some());
        prop_assert_eq!(m.share_base > Decimal::ZERO, m.alignment_band.is_some());
        if let (Some(top1), Some(top3), Some(top5)) = (m.top1_share, m.top3_share, m.top5_share) {
            prop_assert!(top1 <= top3 && top3 <= top5);
        }
    }
}
