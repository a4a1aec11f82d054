//! Concentration and diversity indices over shares: Herfindahl–Hirschman index, top-k shares,
//! the Gini coefficient, and the category mix (normalised HHI, effective number, entropy,
//! evenness). Pure arithmetic on already-computed amounts and shares; no knowledge of funders.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::base::sum;
use super::{finite, ratio};

/// Σ sᵢ² in Decimal. Shares are at most 1, so nothing here can overflow.
pub(crate) fn hhi(shares: &[Decimal]) -> Decimal {
    shares.iter().fold(Decimal::ZERO, |acc, s| {
        acc.saturating_add(s.saturating_mul(*s))
    })
}

/// `1 / h`, `None` when `h` is zero or undefined.
pub(crate) fn effective_number(h: Option<f64>) -> Option<f64> {
    h.filter(|h| *h > 0.0).and_then(|h| finite(1.0 / h))
}

/// The share of `base` held by the `k` largest of `nets_desc` (all of them when fewer than `k`).
pub(crate) fn top_k(nets_desc: &[Decimal], k: usize, base: Decimal) -> Option<f64> {
    ratio(sum(nets_desc.iter().take(k).copied()), base)
}

/// Population Gini coefficient of positive amounts given largest first: 0 when all are equal,
/// approaching 1 when one holds everything; `None` when there are none.
///
/// G = Σᵢ (2i − n − 1) x₍ᵢ₎ / (n Σ x) with x sorted ascending and i counted from 1. The
/// numerator is added up exactly in Decimal (integer weights times amounts), so equal amounts
/// give exactly 0, and divided once; only when it overflows is each x divided by Σ x first.
pub(crate) fn gini(nets_desc: &[Decimal]) -> Option<f64> {
    let n = nets_desc.len();
    let total = sum(nets_desc.iter().copied());
    if n == 0 || total <= Decimal::ZERO {
        return None;
    }
    let n_dec = Decimal::from(n);
    let weights = (1..=n).map(|rank| {
        let rank = Decimal::from(rank);
        (rank + rank).checked_sub(n_dec)?.checked_sub(Decimal::ONE)
    });
    let ascending = || nets_desc.iter().rev().zip(weights.clone());
    let exact = ascending().try_fold(Decimal::ZERO, |acc, (x, w)| {
        acc.checked_add(w?.checked_mul(*x)?)
    });
    let g = match exact.and_then(|num| num.checked_div(n_dec.checked_mul(total)?)) {
        Some(g) => g,
        None => ascending()
            .try_fold(Decimal::ZERO, |acc, (x, w)| {
                acc.checked_add(w?.checked_mul(x.checked_div(total)?)?)
            })?
            .checked_div(n_dec)?,
    };
    finite(g.to_f64()?.clamp(0.0, 1.0))
}

/// Diversity of the category mix.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(crate) struct Diversity {
    pub hhi: Option<f64>,
    pub normalised: Option<f64>,
    pub effective: Option<f64>,
    pub entropy_bits: Option<f64>,
    pub evenness: Option<f64>,
}

/// Diversity indices of category shares (Decimal parts of a positive whole, zeros allowed).
/// All `None` when no share is positive.
pub(crate) fn diversity(shares: &[Decimal]) -> Diversity {
    let positive: Vec<Decimal> = shares
        .iter()
        .copied()
        .filter(|s| *s > Decimal::ZERO)
        .collect();
    let n = positive.len();
    if n == 0 {
        return Diversity::default();
    }
    let h_dec = hhi(&positive);
    let h = h_dec.to_f64().and_then(finite);
    let normalised = if n == 1 {
        Some(1.0)
    } else {
        // (H − 1/N) / (1 − 1/N) = (N·H − 1) / (N − 1), exact in Decimal.
        let n_dec = Decimal::from(n);
        n_dec
            .checked_mul(h_dec)
            .and_then(|nh| nh.checked_sub(Decimal::ONE))
            .and_then(|num| num.checked_div(n_dec - Decimal::ONE))
            .and_then(|v| v.to_f64())
            .and_then(finite)
            .map(|v| v.clamp(0.0, 1.0))
    };
    let entropy = positive
        .iter()
        .filter_map(ToPrimitive::to_f64)
        .map(|c| -c * c.log2())
        .sum::<f64>()
        .max(0.0);
    let entropy_bits = finite(entropy);
    let evenness = if n <= 1 {
        None
    } else {
        #[allow(clippy::cast_precision_loss)] // n is a count of categories (at most a handful)
        let max_entropy = (n as f64).log2();
        entropy_bits.and_then(|e| finite((e / max_entropy).clamp(0.0, 1.0)))
    };
    Diversity {
        hhi: h,
        normalised,
        effective: effective_number(h),
        entropy_bits,
        evenness,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dec(s: &str) -> Decimal {
        s.parse().expect("decimal literal")
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-12)
    }

    /// The Gini coefficient as it was first computed: each amount divided by the total
    /// before it is weighted.
    fn gini_share_by_share(nets_desc: &[Decimal]) -> Option<f64> {
        let total = sum(nets_desc.iter().copied());
        let n = Decimal::from(nets_desc.len());
        let mut numerator = Decimal::ZERO;
        for (i, x) in nets_desc.iter().rev().enumerate() {
            let rank = Decimal::from(i + 1);
            numerator += (rank + rank - n - Decimal::ONE) * (x / total);
        }
        (numerator / n).to_f64().map(|g| g.clamp(0.0, 1.0))
    }

    proptest::proptest! {
        #[test]
        fn gini_divides_once_as_it_divided_share_by_share(
            pennies in proptest::collection::vec(1i64..10_000_000_000, 1..60),
            scales in proptest::collection::vec(0u32..4, 60),
        ) {
            let mut nets: Vec<Decimal> = pennies
                .iter()
                .zip(&scales)
                .map(|(p, s)| Decimal::new(*p, *s))
                .collect();
            nets.sort_by(|a, b| b.cmp(a));
            let (once, each) = (gini(&nets).unwrap(), gini_share_by_share(&nets).unwrap());
            proptest::prop_assert!((once - each).abs() < 1e-15, "{} vs {}", once, each);
            let equal = vec![nets[0]; nets.len()];
            proptest::prop_assert_eq!(gini(&equal), Some(0.0));
        }
    }

    #[test]
    fn a_gini_numerator_too_large_for_a_decimal_is_divided_share_by_share() {
        let big = Decimal::MAX / Decimal::from(3);
        let nets = [big, big / Decimal::from(2), Decimal::ONE];
        let g = gini(&nets).unwrap();
        assert!(
            (g - gini_share_by_share(&nets).unwrap()).abs() < 1e-12,
            "{g}"
        );
    }

    #[test]
    fn category_mix_half_quarter_quarter() {
        let d = diversity(&[dec("0.5"), dec("0.25"), dec("0.25"), Decimal::ZERO]);
        assert_eq!(d.hhi, Some(0.375));
        assert!(close(d.normalised, 0.0625));
        assert!(close(d.effective, 8.0 / 3.0));
        assert_eq!(
            super::super::round_sig(d.effective.expect("defined")),
            2.666_666_666_67
        );
        assert!(close(d.entropy_bits, 1.5));
        assert!(close(d.evenness, 1.5 / 3f64.log2()));
    }

    #[test]
    fn one_category_is_fully_concentrated_and_has_no_evenness() {
        let d = diversity(&[Decimal::ONE, Decimal::ZERO]);
        assert_eq!(d.hhi, Some(1.0));
        assert_eq!(d.normalised, Some(1.0));
        assert_eq!(d.effective, Some(1.0));
        assert_eq!(d.entropy_bits, Some(0.0));
        assert_eq!(d.evenness, None);
    }

    #[test]
    fn no_categories_is_undefined() {
        assert_eq!(diversity(&[Decimal::ZERO]), Diversity::default());
    }

    #[test]
    fn even_mix_is_normalised_zero_and_evenness_one() {
        let third = Decimal::ONE / Decimal::from(3);
        let d = diversity(&[third, third, third]);
        assert!(close(d.normalised, 0.0));
        assert!(close(d.evenness, 1.0));
        assert!(close(d.effective, 3.0));
    }

    #[test]
    fn funder_hhi_seventy_thirty() {
        assert_eq!(hhi(&[dec("0.7"), dec("0.3")]), dec("0.58"));
    }

    #[test]
    fn gini_examples() {
        assert_eq!(gini(&[dec("100")]), Some(0.0));
        assert_eq!(gini(&[dec("5"), dec("5"), dec("5")]), Some(0.0));
        assert_eq!(gini(&[]), None);
        // (3, 1): Σ|xi − xj| = 4, 2·n²·mean = 2·4·2 = 16 → 0.25.
        assert!(close(gini(&[dec("3"), dec("1")]), 0.25));
        // (40, 30, 20, 10): Σᵢⱼ|xᵢ − xⱼ| = 200 over ordered pairs, 2·n²·mean = 800 → 0.25.
        assert!(close(
            gini(&[dec("40"), dec("30"), dec("20"), dec("10")]),
            0.25
        ));
        // One of four holds everything but a sliver → close to (n − 1)/n = 0.75.
        let g = gini(&[dec("1000000"), dec("0.01"), dec("0.01"), dec("0.01")]).expect("defined");
        assert!((g - 0.75).abs() < 1e-6, "{g}");
    }

    #[test]
    fn top_k_with_fewer_funders_takes_them_all() {
        let nets = [dec("60"), dec("30")];
        assert_eq!(top_k(&nets, 1, dec("100")), Some(0.6));
        assert_eq!(top_k(&nets, 3, dec("100")), Some(0.9));
        assert_eq!(top_k(&nets, 5, dec("100")), Some(0.9));
        assert_eq!(top_k(&[], 1, dec("100")), Some(0.0));
        assert_eq!(top_k(&nets, 1, Decimal::ZERO), None);
    }

    #[test]
    fn effective_number_is_none_for_zero() {
        assert_eq!(effective_number(Some(0.0)), None);
        assert_eq!(effective_number(None), None);
        assert_eq!(effective_number(Some(0.25)), Some(4.0));
    }
}
